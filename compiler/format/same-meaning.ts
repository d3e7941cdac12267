// The formatter's safety net. Owns: deciding whether two trees mean the same program —
// equal modulo positions (spans), with doc comments compared line by line ignoring trailing
// spaces, and ordinary comments ignored (they are checked separately by `sameComments`).
// Input: two FileAsts (typically parse(x) and parse(fmt(x))); output: a yes/no, or the path
// of the first difference for error messages.
import type { Comment, FileAst } from "../syntax/ast.ts";
import { isNode } from "../syntax/ast-walk.ts";

const IGNORED_KEYS = new Set(["span", "opSpan", "comments"]);

export function sameMeaning(a: FileAst, b: FileAst): boolean {
  return firstDifference(a, b) === undefined;
}

/** `undefined` when the trees mean the same, else where they first differ (`decls[2].body.op: "and" vs "or"`). */
export function firstDifference(a: FileAst, b: FileAst): string | undefined {
  return diff(a, b, "file");
}

function diff(a: unknown, b: unknown, path: string): string | undefined {
  if (a === b) return undefined;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    if (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b)) return undefined;
    return `${path}: ${show(a)} vs ${show(b)}`;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return `${path}: ${show(a)} vs ${show(b)}`;
    if (a.length !== b.length) return `${path}: ${a.length} vs ${b.length} items`;
    for (let i = 0; i < a.length; i++) {
      const d = diff(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (isNode(a) && isNode(b) && a.kind === "DocComment" && b.kind === "DocComment") {
    return normalizeDoc(a.text) === normalizeDoc(b.text) ? undefined : `${path}.text: ${show(a.text)} vs ${show(b.text)}`;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (IGNORED_KEYS.has(key)) continue;
    const d = diff((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
    if (d) return d;
  }
  return undefined;
}

function normalizeDoc(text: string): string {
  return text
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n");
}

function show(v: unknown): string {
  if (v === undefined) return "nothing";
  if (isNode(v)) return `a ${v.kind}`;
  return JSON.stringify(v) ?? String(v);
}

/**
 * Whether both files have the same comments (as multisets of texts, trailing spaces of
 * line comments and the kind of line breaks in block comments ignored): the formatter may move a comment to a neighbouring line, never
 * drop, duplicate or change one.
 */
export function sameComments(a: readonly Comment[], b: readonly Comment[]): boolean {
  const key = (c: Comment): string => (c.style === "block" ? c.text.replace(/\r\n?/g, "\n") : c.text.trimEnd());
  const sa = a.map(key).sort();
  const sb = b.map(key).sort();
  return sa.length === sb.length && sa.every((t, i) => t === sb[i]);
}
