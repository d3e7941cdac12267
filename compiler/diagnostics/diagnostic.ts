// The one diagnostic type. Owns: what every producer (parser, checker, lints, CLI) emits and
// every consumer (CLI text/JSON/SARIF, LSP, tests) reads. Conversion to LSP types lives in lsp/.
// Message style (Cedar's): lowercase, one line, no final period, user text in `backticks`,
// Edict words (not TypeScript's); more detail goes in `help`.
import type { Span } from "../source/span.ts";

export type Severity = "error" | "warning" | "info" | "hint";

export interface RelatedInformation {
  readonly span: Span;
  readonly message: string;
}

export interface TextEdit {
  readonly span: Span;
  readonly newText: string;
}

/** A machine-applicable fix: the LSP turns these into code actions. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The fix an editor may apply without asking (e.g. a unique did-you-mean). */
  readonly preferred?: boolean;
}

export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly related?: readonly RelatedInformation[];
  readonly help?: string;
  readonly fixes?: readonly Fix[];
  /** Editor hints: `unnecessary` greys out (unused defs). */
  readonly tags?: readonly ("unnecessary" | "deprecated")[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Stable order: file, then offset, then code. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.span.file !== b.span.file) return a.span.file < b.span.file ? -1 : 1;
  if (a.span.start !== b.span.start) return a.span.start - b.span.start;
  if (a.span.end !== b.span.end) return a.span.end - b.span.end;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}
