// Run-time support of compiled policies, part 2: from rule results to a Decision. Bundled into
// every generated module (see decide-support.ts). Owns: the run-time package table ($package),
// rule errors ($err), decision assembly (one Acc builds every decision), the cache of frozen
// decisions (a trie keyed by the sequence of matched static rules) and the leaf runners' helpers.
// Rule result protocol (what a generated `rule_*` function returns):
//   undefined  no match, no error (the common case)
//   true       one match whose reason is the rule's precomputed frozen Reason
//   string     one match with this rendered message
//   Out[]      anything else: several bindings of a `for` rule, errors
// INVARIANT (no allocation on the common path): a decision built only from `undefined`/`true`
// results comes from the trie, already frozen, with shared frozen empty arrays.
import { EdictError, errorMessage, isRecord } from "../../../runtime/builtins/index.ts";
import type { EvalError, Reason } from "../../../runtime/decision.ts";

export type { Reason };

/** Static facts about one rule, emitted by the generator. */
export interface RuleMeta {
  /** `PKG.NAME` */
  readonly rule: string;
  readonly effect: "permit" | "forbid";
  /** 0 permit, 1 hard forbid, 2 soft forbid, 3 advisory forbid */
  readonly mode: 0 | 1 | 2 | 3;
  readonly id: string | undefined;
  readonly severity: string | undefined;
  /** The template's text when it has no interpolation (or undefined without `reason`). */
  readonly message: string | undefined;
  readonly location: string;
  readonly channels: readonly string[];
}

export interface PackageRuntime {
  readonly policy: { readonly package: string; readonly version: string };
  readonly allow: boolean;
  readonly rules: readonly RuleMeta[];
  /** The generated rule functions, by rule index. */
  readonly fns: readonly ((request: unknown) => unknown)[];
  /** Frozen Reason per rule (the static message, if any). */
  readonly reasons: readonly Reason[];
  readonly notes: readonly (readonly { rule: string; channel: string }[])[];
  readonly root: TrieNode;
  nodes: number;
}

/** One match or error of a rule (cold path: dynamic messages, `for` rules, errors). */
export class Out {
  constructor(
    readonly match: boolean,
    /** Rendered message; undefined = the rule's static reason. */
    readonly message: string | undefined,
    readonly error: EvalError | undefined,
  ) {}
}

const EMPTY: readonly never[] = Object.freeze([]);

/** The shared frozen empty list of every decision (fast paths build decisions with it too). */
export const $EMPTY = EMPTY;

// ---------------------------------------------------------------- rule errors


/** What a rule returns when its evaluation threw: fail closed (a forbid matches, a permit does not). */
export function $err(P: PackageRuntime, i: number, e: unknown, render: (() => string) | undefined): Out[] {
  return [$errOut(P, i, e, render)];
}

export function $errOut(P: PackageRuntime, i: number, e: unknown, render: (() => string) | undefined): Out {
  const meta = P.rules[i]!;
  const location = e instanceof EdictError && e.location !== undefined ? e.location : meta.location;
  const error: EvalError = { rule: meta.rule, message: errorMessage(e), location };
  if (meta.mode === 0) return new Out(false, undefined, error);
  let message: string | undefined;
  if (render) {
    try {
      message = render();
    } catch {
      message = undefined;
      return new Out(true, "", error); // "" = matched without any message
    }
  }
  return new Out(true, message, error);
}

// ---------------------------------------------------------------- decisions

function reasonOf(P: PackageRuntime, i: number, message: string | undefined): Reason {
  if (message === undefined) return P.reasons[i]!;
  const m = P.rules[i]!;
  return makeReason(m, message === "" ? undefined : message);
}
/** A fast path's reason for rule `i`: `true` = its frozen static reason, else the rendered message. */
export function $why(P: PackageRuntime, i: number, x: true | string): Reason {
  return x === true ? P.reasons[i]! : reasonOf(P, i, x);
}
export function $reason(m: RuleMeta): Reason {
  return Object.freeze(makeReason(m, m.message));
}
/**
 * A Reason with the contract's key order (rule, effect, message?, id?, severity?, location) and
 * no key for an absent field: one object literal per combination, so every reason is a fast
 * (non-dictionary) object — building one and re-adding `location` after a `delete` was not.
 */
function makeReason(m: RuleMeta, message: string | undefined): Reason {
  const { rule, effect, id, severity, location } = m;
  if (message === undefined) {
    if (id === undefined) return severity === undefined ? { rule, effect, location } : { rule, effect, severity, location };
    return severity === undefined ? { rule, effect, id, location } : { rule, effect, id, severity, location };
  }
  if (id === undefined) return severity === undefined ? { rule, effect, message, location } : { rule, effect, message, severity, location };
  return severity === undefined ? { rule, effect, message, id, location } : { rule, effect, message, id, severity, location };
}

interface Override {
  readonly by: string;
  readonly justification: string;
}

/** A usable break-glass override from decide's options (as the interpreter's validOverride). */
function overrideOf(options: unknown): Override | undefined {
  if (typeof options !== "object" || options === null) return undefined;
  const o = (options as { override?: unknown }).override;
  if (!isRecord(o)) return undefined;
  const by = Object.hasOwn(o, "by") ? o.by : undefined;
  const justification = Object.hasOwn(o, "justification") ? o.justification : undefined;
  if (typeof by !== "string" || typeof justification !== "string" || by.trim() === "" || justification.trim() === "") return undefined;
  return { by, justification };
}

/** Rule index + its result, in source order. */
/**
 * Rule results for $assemble: `rules[k]` is a rule index, `results[k]` what its function returned;
 * `results` undefined means every listed rule matched with its static reason (a trie path).
 */
class Acc {
  reasons: Reason[] | undefined = undefined;
  permits: Reason[] | undefined = undefined;
  advisories: Reason[] | undefined = undefined;
  bypassed: Reason[] | undefined = undefined;
  errors: EvalError[] | undefined = undefined;
  notifications: { rule: string; channel: string }[] | undefined = undefined;
  constructor(
    readonly P: PackageRuntime,
    /** The valid override the caller gave, if any. */
    readonly override: { by: string; justification: string } | undefined,
  ) {}
  /** Rule `i` returned `x` (see the result protocol at the top). */
  add(i: number, x: unknown): void {
    if (x === undefined) return;
    if (x === true) this.hit(i, undefined);
    else if (typeof x === "string") this.hit(i, x);
    else
      for (const o of x as readonly Out[]) {
        if (o.match) this.hit(i, o.message);
        if (o.error) (this.errors ??= []).push(o.error);
      }
  }
  hit(i: number, message: string | undefined): void {
    const P = this.P;
    const reason = reasonOf(P, i, message);
    switch (P.rules[i]!.mode) {
      case 0:
        (this.permits ??= []).push(reason);
        break;
      case 1:
        (this.reasons ??= []).push(reason);
        break;
      case 2:
        if (this.override) (this.bypassed ??= []).push(reason);
        else (this.reasons ??= []).push(reason);
        break;
      case 3:
        (this.advisories ??= []).push(reason);
        break;
    }
    const notes = P.notes[i]!;
    for (let k = 0; k < notes.length; k++) (this.notifications ??= []).push(notes[k]!);
  }
  /** The decision (the one definition all paths share). */
  decision(freeze: boolean): unknown {
    const { P, reasons, permits, advisories, bypassed, errors, notifications, override } = this;
    const allowed = reasons === undefined && (permits !== undefined || P.allow);
    const d: Record<string, unknown> = {
      allowed,
      decision: allowed ? "allow" : "deny",
      reasons: reasons ?? (allowed ? (permits ?? EMPTY) : EMPTY),
      errors: errors ?? EMPTY,
      advisories: advisories ?? EMPTY,
      notifications: notifications ?? EMPTY,
      policy: P.policy,
    };
    if (bypassed !== undefined && override !== undefined) d.override = { by: override.by, justification: override.justification, bypassed };
    if (freeze) {
      for (const k of ["reasons", "errors", "advisories", "notifications"]) Object.freeze(d[k]);
      return Object.freeze(d);
    }
    return d;
  }
}

/** Builds the decision from every rule's result (`results` undefined: all `true`). */
export function $assemble(P: PackageRuntime, options: unknown, rules: readonly number[], results: readonly unknown[] | undefined, freeze: boolean): unknown {
  const acc = new Acc(P, overrideOf(options));
  for (let k = 0; k < rules.length; k++) acc.add(rules[k]!, results === undefined ? true : results[k]);
  return acc.decision(freeze);
}

// ---------------------------------------------------------------- the decision cache

const MAX_NODES = 4096;

/** Decisions for a sequence of matched static rules (in source order), built once, frozen. */
export class TrieNode {
  /** The decision when no valid override is given (or when the override does not matter). */
  readonly d: unknown;
  /** Whether a soft forbid matched: then a valid override changes the decision. */
  readonly soft: boolean;
  private readonly c: (TrieNode | undefined)[] = [];
  constructor(
    readonly P: PackageRuntime | undefined,
    readonly path: readonly number[],
    soft: boolean,
  ) {
    this.soft = soft;
    this.d = P === undefined ? undefined : $assemble(P, undefined, path, undefined, true);
  }

  /** The node for this path followed by a match of static rule `i`. */
  s(i: number): TrieNode {
    return this.c[i] ?? this.grow(i);
  }

  private grow(i: number): TrieNode {
    const P = this.P!;
    const node = new TrieNode(P, [...this.path, i], this.soft || P.rules[i]!.mode === 2);
    if (P.nodes < MAX_NODES) {
      P.nodes++;
      this.c[i] = node;
    }
    return node;
  }
}

/** The decision of a trie node for these options. */
export function $done(P: PackageRuntime, n: TrieNode, options: unknown): unknown {
  if (!n.soft || overrideOf(options) === undefined) return n.d;
  return $assemble(P, options, n.path, undefined, false);
}

/**
 * Leaving the fast path: rule `list[pos]` returned `x` (not `true`); the rules matched before
 * it are `n.path`. Runs the rest of the candidate list and assembles the decision.
 */
export function $slow(P: PackageRuntime, request: unknown, options: unknown, list: readonly number[], pos: number, x: unknown, n: TrieNode): unknown {
  const path = n.path;
  const rules: number[] = path.slice();
  const results: unknown[] = new Array<unknown>(path.length).fill(true);
  rules.push(list[pos]!);
  results.push(x);
  for (let k = pos + 1; k < list.length; k++) {
    const i = list[k]!;
    rules.push(i);
    results.push(P.fns[i]!(request));
  }
  return $assemble(P, options, rules, results, false);
}

/**
 * A straight-line runner past the fast path: rule `i` returned `x` (anything once a result was
 * not `true`); `n.path` are the rules matched before. The runner keeps calling its rules
 * directly (V8 inlines them) and accumulates here; `$finish` returns the decision.
 */
export function $more(a: Acc | undefined, n: TrieNode, i: number, x: unknown, options: unknown): Acc {
  if (a === undefined) {
    a = new Acc(n.P!, overrideOf(options));
    const path = n.path;
    for (let k = 0; k < path.length; k++) a.hit(path[k]!, undefined);
  }
  a.add(i, x);
  return a;
}

/** The decision of a runner that left the fast path. */
export function $finish(a: Acc): unknown {
  return a.decision(false);
}

/**
 * A leaf runner as data (policies too large for one straight-line runner per leaf): the same
 * protocol as the generated runners, calling the rules through the table.
 */
export function $run(P: PackageRuntime, request: unknown, options: unknown, list: readonly number[]): unknown {
  let n = P.root;
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    const x = P.fns[i]!(request);
    if (x !== undefined) {
      if (x !== true) return $slow(P, request, options, list, k, x, n);
      n = n.s(i);
    }
  }
  return n.soft ? $done(P, n, options) : n.d;
}

/**
 * A rule's row as the generator writes it: only what differs from the defaults (a forbid is
 * mode 1, a permit 0; no id, severity or static message; no notification channels).
 */
export type RuleRow = Partial<RuleMeta> & Pick<RuleMeta, "rule" | "effect" | "location">;

function ruleMeta(r: RuleRow): RuleMeta {
  return {
    rule: r.rule,
    effect: r.effect,
    mode: r.mode ?? (r.effect === "permit" ? 0 : 1),
    id: r.id,
    severity: r.severity,
    message: r.message,
    location: r.location,
    channels: r.channels ?? EMPTY,
  };
}

/** Creates a package's run-time table (called once at module load). */
export function $package(name: string, version: string, allow: boolean, rows: readonly RuleRow[], fns: readonly ((request: unknown) => unknown)[]): PackageRuntime {
  const rules = rows.map(ruleMeta);
  const P: PackageRuntime = {
    policy: Object.freeze({ package: name, version }),
    allow,
    rules,
    fns,
    reasons: rules.map($reason),
    notes: rules.map((m) => Object.freeze(m.channels.map((channel) => Object.freeze({ rule: m.rule, channel })))),
    root: new TrieNode(undefined, [], false),
    nodes: 0,
  };
  (P as { root: TrieNode }).root = new TrieNode(P, [], false);
  return P;
}

/** decide's last line of defence: nothing escapes (only a bug or a hostile options object gets here). */
export function $crash(P: PackageRuntime, e: unknown): unknown {
  return {
    allowed: false,
    decision: "deny",
    reasons: EMPTY,
    errors: [{ rule: P.policy.package, message: `internal error: ${e instanceof Error ? e.message : String(e)}`, location: "" }],
    advisories: EMPTY,
    notifications: EMPTY,
    policy: P.policy,
  };
}
