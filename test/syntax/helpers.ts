// Test helpers for the syntax tests: parse a text, render an expression fully parenthesised,
// render any node compactly without spans, list diagnostics as "line:col CODE message", and
// walk every node of a tree (for the span invariants), and list the repository's .edict files.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { SourceFile } from "../../compiler/source/source-file.ts";
import type { Expr, FileAst, Node, TemplateLit, TypeExpr } from "../../compiler/syntax/ast.ts";
import { parseExpression, parseFile } from "../../compiler/syntax/parse.ts";
import type { ParsedFile } from "../../compiler/syntax/parsed-file.ts";

export function parse(text: string, path = "t.edict"): ParsedFile {
  return parseFile(new SourceFile(path, text));
}

/** `line:col CODE message` (1-based), in order. */
export function diagnosticLines(r: ParsedFile): string[] {
  return r.diagnostics.map((d) => {
    const p = r.source.position(d.span.start);
    return `${p.line + 1}:${p.column + 1} ${d.code} ${d.message}`;
  });
}

/** Parses an expression; fails the test if there are diagnostics. Returns its rendering. */
export function expr(text: string): string {
  const r = parseExpression(text);
  if (r.diagnostics.length > 0) throw new Error(`unexpected diagnostics for ${text}: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  return renderExpr(r.expr);
}

/** An expression, every compound fully parenthesised, so precedence is visible. */
export function renderExpr(e: Expr | undefined): string {
  if (e === undefined) return "∅";
  switch (e.kind) {
    case "StringLit":
      return JSON.stringify(e.value);
    case "NumberLit":
      return e.raw;
    case "DurationLit":
      return `${e.raw}=${e.ms}ms`;
    case "BoolLit":
      return String(e.value);
    case "ListLit":
      return `[${e.elements.map(renderExpr).join(", ")}]`;
    case "RecordLit":
      return `{${e.fields.map((f) => `${f.key.kind === "StringLit" ? JSON.stringify(f.key.value) : f.key.name}: ${renderExpr(f.value)}`).join(", ")}}`;
    case "NameRef":
      return e.name;
    case "MemberExpr":
      return `(${renderExpr(e.object)}.${e.property?.name ?? "∅"})`;
    case "IndexExpr":
      return `(${renderExpr(e.object)}[${renderExpr(e.index)}])`;
    case "CallExpr":
      return `${e.callee.name}(${e.args.map(renderExpr).join(", ")})`;
    case "MethodCallExpr":
      return `(${renderExpr(e.receiver)}.${e.method.name}(${e.args.map(renderExpr).join(", ")}))`;
    case "UnaryExpr":
      return e.op === "not" ? `(not ${renderExpr(e.operand)})` : `(-${renderExpr(e.operand)})`;
    case "BinaryExpr":
      return `(${renderExpr(e.left)} ${e.op} ${renderExpr(e.right)})`;
    case "HasExpr":
      return `(${renderExpr(e.object)} has ${e.attribute === undefined ? "∅" : e.attribute.kind === "StringLit" ? JSON.stringify(e.attribute.value) : e.attribute.name})`;
    case "QuantifierExpr":
      return `(${e.quantifier} ${e.binding?.name ?? "∅"} in ${renderExpr(e.collection)}: ${renderExpr(e.body)})`;
    case "CountExpr":
      return `count(${e.binding?.name ?? "∅"} in ${renderExpr(e.collection)}${e.where ? ` where ${renderExpr(e.where)}` : ""})`;
    case "IfExpr":
      return `(if ${renderExpr(e.condition)} then ${renderExpr(e.then)} else ${renderExpr(e.else)})`;
    case "WithExpr":
      return `(${renderExpr(e.base)} with ${renderExpr(e.updates)})`;
    case "ParenExpr":
      return `paren(${renderExpr(e.expr)})`;
    case "ErrorExpr":
      return "⊥";
  }
}

export function renderType(t: TypeExpr | undefined): string {
  if (t === undefined) return "∅";
  switch (t.kind) {
    case "NamedType":
      return t.args.length ? `${t.name.name}<${t.args.map(renderType).join(", ")}>` : t.name.name;
    case "RecordType":
      return `{${t.fields.map((f) => `${f.name?.name ?? "∅"}${f.optional ? "?" : ""}: ${renderType(f.type)}`).join(", ")}}`;
    case "UnionType":
      return t.members.map(renderType).join(" | ");
    case "StringLiteralType":
      return JSON.stringify(t.value);
  }
}

export function renderTemplate(t: TemplateLit | undefined): string {
  if (!t) return "∅";
  return t.parts.map((p) => (p.kind === "TemplateText" ? JSON.stringify(p.value) : `{${renderExpr(p.expr)}}`)).join(" ");
}

/** Any node without spans: `Kind(field=value ...)`, undefined as ∅. */
export function compact(n: unknown): string {
  if (n === undefined) return "∅";
  if (Array.isArray(n)) return "[" + n.map(compact).join(", ") + "]";
  if (typeof n !== "object" || n === null) return JSON.stringify(n);
  const o = n as Record<string, unknown>;
  const parts = Object.entries(o)
    .filter(([k]) => k !== "span" && k !== "opSpan" && k !== "kind")
    .map(([k, v]) => `${k}=${compact(v)}`);
  return `${String(o["kind"] ?? "")}(${parts.join(" ")})`;
}

/** Every node reachable from the file (including comments and doc comments). */
export function walk(root: FileAst, visit: (node: Node, path: string) => void): void {
  const seen = new Set<object>();
  const go = (v: unknown, path: string) => {
    if (v === null || typeof v !== "object" || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      v.forEach((x, i) => go(x, `${path}[${i}]`));
      return;
    }
    const o = v as Record<string, unknown>;
    if (typeof o["kind"] === "string") visit(o as unknown as Node, path);
    for (const [k, x] of Object.entries(o)) if (k !== "span" && k !== "opSpan") go(x, `${path}.${k}`);
  };
  go(root, "file");
}

/** Every span of the tree (node spans and operator spans) is finite, ordered and in the text. */
export function spanProblems(r: ParsedFile): string[] {
  const len = r.source.text.length;
  const problems: string[] = [];
  const check = (s: { start: number; end: number; file: string } | undefined, where: string) => {
    if (!s) return problems.push(`${where}: missing span`);
    if (!Number.isFinite(s.start) || !Number.isFinite(s.end)) problems.push(`${where}: non-finite ${s.start}-${s.end}`);
    else if (s.start < 0 || s.end > len || s.start > s.end) problems.push(`${where}: out of range ${s.start}-${s.end} (len ${len})`);
    if (s.file !== r.source.path) problems.push(`${where}: wrong file ${s.file}`);
    return 0;
  };
  walk(r.ast, (n, path) => {
    check(n.span, path);
    if (n.kind === "BinaryExpr") check(n.opSpan, path + ".opSpan");
  });
  for (const d of r.diagnostics) check(d.span, `diagnostic ${d.code}`);
  return problems;
}

/** The repository root (for the fixture and example files). */
export const repoRoot = new URL("../../", import.meta.url).pathname;

/** Every .edict file under `dir`, recursively. */
export function edictFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) edictFiles(p, out);
    else if (name.endsWith(".edict")) out.push(p);
  }
  return out;
}
