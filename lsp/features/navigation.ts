// Navigation. Owns: go to definition, find references and document highlights, all read
// from the checker's reference index (CheckedPackage.references), so they agree with rename.
// Input: (snapshot, file, offset). Output: spans (in any file of the package).
import type { ProgramSnapshot } from "../../compiler/program.ts";
import type { Span } from "../../compiler/source/span.ts";
import { fileContext, symbolAt } from "./node-at.ts";

export function definition(snapshot: ProgramSnapshot, file: string, offset: number): Span[] {
  const cx = fileContext(snapshot, file);
  if (!cx) return [];
  const at = symbolAt(cx, offset);
  const decl = at?.symbol.declSpan;
  if (decl) return [decl];
  // A named type used as a field's type resolves to the type's symbol; builtins have no place.
  return [];
}

export function references(snapshot: ProgramSnapshot, file: string, offset: number, includeDeclaration = true): Span[] {
  const cx = fileContext(snapshot, file, true);
  if (!cx?.checked) return [];
  const at = symbolAt(cx, offset);
  if (!at) return [];
  const all = cx.checked.references(at.symbol);
  const decl = at.symbol.declSpan;
  return includeDeclaration || !decl ? all : all.filter((s) => !(s.file === decl.file && s.start === decl.start && s.end === decl.end));
}

export interface Highlight {
  readonly span: Span;
  /** The declaration is a "write", uses are "reads". */
  readonly write: boolean;
}

export function documentHighlights(snapshot: ProgramSnapshot, file: string, offset: number): Highlight[] {
  const cx = fileContext(snapshot, file);
  if (!cx?.checked) return [];
  const at = symbolAt(cx, offset);
  if (!at) return [];
  const decl = at.symbol.declSpan;
  return cx.checked
    .references(at.symbol)
    .filter((s) => s.file === file)
    .map((span) => ({ span, write: !!decl && decl.file === span.file && decl.start === span.start }));
}
