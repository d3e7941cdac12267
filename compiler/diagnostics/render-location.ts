// Line/column at the edge for renderers. Owns: turning a diagnostic's Span into the 1-based
// `{line, column, endLine, endColumn}` every external format (text, JSON, SARIF) prints.
// INVARIANT (columns): UTF-16 code units, 1-based; `endColumn` is exclusive (the column just
// after the last character, SARIF's convention), so a zero-width span has endColumn == column.
// A diagnostic whose file has no source (a file that could not be read) sits at 1:1.
import type { SourceFile } from "../source/source-file.ts";
import type { Span } from "../source/span.ts";

/** Finds the source a span's `file` names; `undefined` when there is none (unreadable file). */
export type SourceLookup = (file: string) => SourceFile | undefined;

export interface Region {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export function regionOf(span: Span, sources: SourceLookup): Region {
  const source = sources(span.file);
  if (!source) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
  const start = source.position(span.start);
  const end = source.position(Math.max(span.start, span.end));
  return { line: start.line + 1, column: start.column + 1, endLine: end.line + 1, endColumn: end.column + 1 };
}

/** A lookup over a list of sources, by path. */
export function sourceLookup(sources: Iterable<SourceFile>): SourceLookup {
  const byPath = new Map<string, SourceFile>();
  for (const s of sources) byPath.set(s.path, s);
  return (file) => byPath.get(file);
}
