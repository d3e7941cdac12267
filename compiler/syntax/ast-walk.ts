// A generic walk over AST nodes. Owns: how the parser's depth limit, the formatter, the meaning
// check and the language server find the children of a node without a per-kind table (so a
// field added to ast.ts is covered).
// Input: any AST node; output: its child nodes, in field order (which is source order for
// every node kind in ast.ts).
import type { Node } from "./ast.ts";

export function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && typeof (value as { kind?: unknown }).kind === "string" && "span" in value;
}

/** The direct child nodes of `node` (through arrays), skipping spans. */
export function childNodes(node: Node): Node[] {
  const out: Node[] = [];
  const record = node as unknown as Record<string, unknown>;
  for (const key in record) {
    if (key === "span" || key === "opSpan" || key === "kind") continue;
    const value = record[key];
    if (Array.isArray(value)) {
      for (const v of value) if (isNode(v)) out.push(v);
    } else if (isNode(value)) {
      out.push(value);
    }
  }
  return out;
}

/** Pre-order walk; `visit` returns false to skip a node's children. */
export function walk(node: Node, visit: (n: Node) => boolean | void): void {
  if (visit(node) === false) return;
  for (const c of childNodes(node)) walk(c, visit);
}

/**
 * How deeply `node`'s descendants nest (a leaf: 1), measured without recursion: the depth
 * limit exists because the phases after the parser recurse, and so must not this.
 */
export function nestingDepth(node: Node): number {
  let max = 0;
  const stack: [Node, number][] = [[node, 1]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [n, depth] = top;
    if (depth > max) max = depth;
    for (const c of childNodes(n)) stack.push([c, depth + 1]);
  }
  return max;
}
