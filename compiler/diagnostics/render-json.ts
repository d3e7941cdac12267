// Machine-readable diagnostics for CI. Owns: the `--format json` CONTRACT — one JSON array of
//   { file, line, column, endLine, endColumn, severity, code, message }
// in exactly that key order, 1-based lines and columns (UTF-16 code units, endColumn
// exclusive, see render-location.ts). Optional extra keys come after them: `help` (string)
// and `related` ([{file, line, column, endLine, endColumn, message}]). Never remove or rename
// a key: CI tools and acceptance checks read this.
import type { Diagnostic, Severity } from "./diagnostic.ts";
import { regionOf, type SourceLookup } from "./render-location.ts";

export interface JsonDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly help?: string;
  readonly related?: readonly JsonRelated[];
}

export interface JsonRelated {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly message: string;
}

export function toJsonDiagnostic(d: Diagnostic, sources: SourceLookup): JsonDiagnostic {
  const r = regionOf(d.span, sources);
  const out: {
    file: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    severity: Severity;
    code: string;
    message: string;
    help?: string;
    related?: JsonRelated[];
  } = {
    file: d.span.file,
    line: r.line,
    column: r.column,
    endLine: r.endLine,
    endColumn: r.endColumn,
    severity: d.severity,
    code: d.code,
    message: d.message,
  };
  if (d.help !== undefined) out.help = d.help;
  if (d.related && d.related.length > 0) {
    out.related = d.related.map((rel) => ({ file: rel.span.file, ...regionOf(rel.span, sources), message: rel.message }));
  }
  return out;
}

/** The whole `--format json` document (pretty-printed, ends with a newline). */
export function renderJson(diagnostics: readonly Diagnostic[], sources: SourceLookup): string {
  return JSON.stringify(diagnostics.map((d) => toJsonDiagnostic(d, sources)), null, 2) + "\n";
}
