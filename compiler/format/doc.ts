// The formatter's layout language (a small Wadler/Prettier-style document algebra).
// Owns: the Doc type and its builders. Input: nothing; output: Doc trees that
// render-doc.ts lays out within a line width.
// INVARIANT: a Doc tree is a tree (no node is shared between two parents), because
// render-doc.ts stores the "must break" decision on group nodes.

export type Doc = string | readonly Doc[] | DocNode;

export type DocNode =
  | LineDoc
  | GroupDoc
  | IndentDoc
  | IfBreakDoc
  | BreakParentDoc
  | CommentDoc
  | MarkDoc;

/** A possible line break: `soft` prints nothing when flat, `line` a space, `hard` always breaks. */
export interface LineDoc {
  readonly kind: "line";
  readonly mode: "soft" | "line" | "hard";
}

/** Printed flat (on one line) when it fits, else with its direct lines broken. */
export interface GroupDoc {
  readonly kind: "group";
  readonly contents: Doc;
  /** Set by the renderer's break propagation (or by the builder to force a break). */
  broken: boolean;
}

export interface IndentDoc {
  readonly kind: "indent";
  readonly contents: Doc;
}

export interface IfBreakDoc {
  readonly kind: "ifBreak";
  readonly broken: Doc;
  readonly flat: Doc;
}

/** Forces every enclosing group to break. */
export interface BreakParentDoc {
  readonly kind: "breakParent";
}

/**
 * A source comment whose placement is decided while printing, because only then do we know
 * whether the output line is still empty:
 * - `ownLine`: at the start of a line print it and break the line; after code, move it to the
 *   end of the line (a `//` comment must never swallow the code that follows it).
 * - `before`: inline before the next token (`/* c *\/ x`).
 * - `after`: inline after the previous token (`x /* c *\/`).
 * - `endOfLine`: at the end of the current output line (a line suffix).
 */
export interface CommentDoc {
  readonly kind: "comment";
  readonly text: string;
  readonly placement: "ownLine" | "before" | "after" | "endOfLine";
}

/** Records the output offset where it is printed (range formatting uses it). */
export interface MarkDoc {
  readonly kind: "mark";
  readonly id: number;
}

export const softline: LineDoc = { kind: "line", mode: "soft" };
export const line: LineDoc = { kind: "line", mode: "line" };
export const hardline: LineDoc = { kind: "line", mode: "hard" };
export const breakParent: BreakParentDoc = { kind: "breakParent" };

export function group(contents: Doc, broken = false): GroupDoc {
  return { kind: "group", contents, broken };
}

export function indent(contents: Doc): IndentDoc {
  return { kind: "indent", contents };
}

export function ifBreak(broken: Doc, flat: Doc = ""): IfBreakDoc {
  return { kind: "ifBreak", broken, flat };
}

export function comment(text: string, placement: CommentDoc["placement"]): Doc {
  const doc: CommentDoc = { kind: "comment", text, placement };
  // A comment that ends a line (or spans lines) makes its enclosing groups multi-line.
  return placement === "ownLine" || placement === "endOfLine" || text.includes("\n") ? [doc, breakParent] : doc;
}

export function mark(id: number): MarkDoc {
  return { kind: "mark", id };
}

/** `items` separated by `separator`. */
export function join(separator: Doc, items: readonly Doc[]): Doc[] {
  const out: Doc[] = [];
  items.forEach((item, i) => {
    if (i > 0) out.push(separator);
    out.push(item);
  });
  return out;
}
