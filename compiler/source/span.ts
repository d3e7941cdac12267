// Source positions. Owns: the Span type every AST node, diagnostic and index entry uses.
// INVARIANT (spans): offsets are UTF-16 code units (JS string indices, LSP's default);
// `start <= end`, both finite. Line/column are computed only at the edges (see line-index.ts).

/** A half-open range `[start, end)` of UTF-16 offsets in one file. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

export function span(file: string, start: number, end: number): Span {
  return { file, start, end };
}

/** The smallest span covering both. Both must be in the same file. */
export function joinSpans(a: Span, b: Span): Span {
  return { file: a.file, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

export function containsOffset(s: Span, offset: number): boolean {
  return offset >= s.start && offset <= s.end;
}
