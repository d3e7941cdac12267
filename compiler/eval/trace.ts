// Explain traces. Owns: the Trace data (each rule, each clause it evaluated, the values the
// clause saw, what followed: matched, stopped, or failed and why), the abbreviated rendering
// of values, and formatTrace (the readable text `edict eval --explain` prints).
// Traces never throw: values are abbreviated with depth and size limits (cyclic input is fine).
import type { Decision } from "../../runtime/decision.ts";
import { Duration, Ip, Time } from "../../runtime/builtins/index.ts";

export interface TraceValue {
  /** Source text of the expression (`principal.roles`). */
  readonly expr: string;
  /** Abbreviated JSON of its value. */
  readonly value: string;
}

export interface TraceStep {
  /** Nesting of `for` bindings (0 outside any). */
  readonly depth: number;
  /** The clause's source, on one line, abbreviated (`when action == "delete"`). */
  readonly clause: string;
  readonly location: string;
  /** What happened: `true`, `false, rule stops`, `3 items`, `x = "a"`, `error: ...`. */
  readonly result: string;
  readonly values: readonly TraceValue[];
}

export type RuleOutcome = "matched" | "not matched" | "error, counts as matching" | "error, counts as not matching";

export interface RuleTrace {
  readonly rule: string;
  readonly effect: "permit" | "forbid";
  readonly enforce: "hard" | "soft" | "advisory";
  readonly location: string;
  readonly outcome: RuleOutcome;
  /** How many times it matched (bindings of `for` rules). */
  readonly matches: number;
  readonly steps: readonly TraceStep[];
}

export interface Trace {
  readonly package: string;
  readonly rules: readonly RuleTrace[];
  readonly decision: Decision;
}

/** Short JSON-like text of a value: at most `max` characters, depth-limited, never throws. */
export function abbreviate(v: unknown, max = 80): string {
  const text = abbrev(v, 3);
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}

function abbrev(v: unknown, depth: number): string {
  if (v === null) return "null";
  if (v === undefined) return "(nothing)";
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? v.slice(0, 60) + "…" : v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v instanceof Time) return `time("${v}")`;
  if (v instanceof Duration) return String(v);
  if (v instanceof Ip) return `ip("${v}")`;
  if (typeof v !== "object") return `(${typeof v})`;
  if (depth <= 0) return Array.isArray(v) ? "[…]" : "{…}";
  try {
    if (Array.isArray(v)) {
      const items = v.slice(0, 5).map((x) => abbrev(x, depth - 1));
      if (v.length > 5) items.push(`… ${v.length - 5} more`);
      return `[${items.join(", ")}]`;
    }
    const keys = Object.keys(v);
    const items = keys.slice(0, 6).map((k) => `${/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : JSON.stringify(k)}: ${abbrev((v as Record<string, unknown>)[k], depth - 1)}`);
    if (keys.length > 6) items.push(`… ${keys.length - 6} more`);
    return `{${items.join(", ")}}`;
  } catch {
    return "(unreadable)";
  }
}

/** One clause's source on one line: whitespace runs collapsed, long text shortened. */
export function oneLine(text: string, max = 100): string {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length > max ? t.slice(0, max - 1) + "…" : t;
}

/** The readable trace: every rule, every clause, the values seen, then the decision. */
export function formatTrace(trace: Trace): string {
  const lines: string[] = [];
  const d = trace.decision;
  lines.push(`package ${trace.package}: ${trace.rules.length} rule${trace.rules.length === 1 ? "" : "s"} evaluated`);
  for (const r of trace.rules) {
    lines.push("");
    const kind = r.effect === "forbid" && r.enforce !== "hard" ? `forbid (${r.enforce})` : r.effect;
    const times = r.matches > 1 ? ` ×${r.matches}` : "";
    lines.push(`${kind} ${r.rule}  [${r.location}]  → ${r.outcome}${times}`);
    for (const s of r.steps) {
      const pad = "  ".repeat(s.depth + 1);
      const seen = s.values.map((v) => `\`${v.expr}\` was ${v.value}`).join(", ");
      lines.push(`${pad}${s.clause}${seen ? `: ${seen}` : ""} → ${s.result}`);
    }
  }
  lines.push("");
  const outcome = d.reasons.length === 0 ? `${d.decision} (package default: no rule decided)` : d.decision;
  lines.push(`decision: ${outcome}`);
  for (const r of d.reasons) lines.push(`  because ${r.rule}${r.message !== undefined ? `: ${r.message}` : ""}  [${r.location}]`);
  for (const e of d.errors) lines.push(`  error in ${e.rule}: ${e.message}  [${e.location}]`);
  for (const a of d.advisories) lines.push(`  advisory ${a.rule}${a.message !== undefined ? `: ${a.message}` : ""}  [${a.location}]`);
  for (const n of d.notifications) lines.push(`  notify ${n.channel} (${n.rule})`);
  if (d.override) {
    lines.push(`  override by ${JSON.stringify(d.override.by)}: ${JSON.stringify(d.override.justification)}`);
    for (const b of d.override.bypassed) lines.push(`    bypassed ${b.rule}${b.message !== undefined ? `: ${b.message}` : ""}`);
  }
  return lines.join("\n") + "\n";
}
