// The only place Edict positions meet LSP positions. Owns: Span <-> Range, Diagnostic ->
// LSP Diagnostic, file paths <-> URIs. LSP positions are 0-based UTF-16 line/character,
// which is exactly what LineIndex computes from our UTF-16 offsets.
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  DiagnosticRelatedInformation,
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic as LspDiagnostic,
  type Position,
  type Range,
} from "vscode-languageserver";
import type { Diagnostic, Severity } from "../compiler/diagnostics/diagnostic.ts";
import type { SourceFile } from "../compiler/source/source-file.ts";
import type { Span } from "../compiler/source/span.ts";

export function uriToPath(uri: string): string {
  return uri.startsWith("file:") ? fileURLToPath(uri) : uri;
}

export function pathToUri(path: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(path) && !/^[a-z]:[\\/]/i.test(path) ? path : pathToFileURL(path).href;
}

export function toPosition(source: SourceFile, offset: number): Position {
  const p = source.position(offset);
  return { line: p.line, character: p.column };
}

export function toRange(source: SourceFile, span: Span): Range {
  return { start: toPosition(source, span.start), end: toPosition(source, span.end) };
}

export function toOffset(source: SourceFile, position: Position): number {
  return source.lines.offset(position.line, position.character);
}

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** `sourceOf` finds the SourceFile of any span (related locations may sit in other files). */
export function toLspDiagnostic(d: Diagnostic, sourceOf: (file: string) => SourceFile | undefined): LspDiagnostic | undefined {
  const source = sourceOf(d.span.file);
  if (!source) return undefined;
  const related = (d.related ?? []).flatMap((r) => {
    const s = sourceOf(r.span.file);
    return s ? [DiagnosticRelatedInformation.create({ uri: pathToUri(s.path), range: toRange(s, r.span) }, r.message)] : [];
  });
  const tags = (d.tags ?? []).map((t) => (t === "unnecessary" ? DiagnosticTag.Unnecessary : DiagnosticTag.Deprecated));
  return {
    range: toRange(source, d.span),
    severity: severities[d.severity],
    code: d.code,
    source: "edict",
    message: d.help ? `${d.message}\nhelp: ${d.help}` : d.message,
    ...(related.length ? { relatedInformation: related } : {}),
    ...(tags.length ? { tags } : {}),
  };
}
