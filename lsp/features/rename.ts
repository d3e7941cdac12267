// Rename. Owns: which names can be renamed (user-declared symbols; not builtins, `input` or
// test names), validation of the new name, and the edits in every file of the package.
// String-literal references (record keys like `"x": 1`, `has "x"`) keep their quotes.
// Input: (snapshot, file, offset[, newName]). Output: spans and edits.
import type { ProgramSnapshot } from "../../compiler/program.ts";
import type { TextEdit } from "../../compiler/diagnostics/diagnostic.ts";
import type { Span } from "../../compiler/source/span.ts";
import { KEYWORDS } from "../../compiler/syntax/tokens.ts";
import { fileContext, symbolAt } from "./node-at.ts";

const RENAMABLE = new Set(["def", "param", "local", "field", "type", "rule", "request-field"]);
const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);
const BUILTIN_TYPES = new Set(["String", "Number", "Bool", "Time", "Duration", "Ip", "Any", "Set", "List", "Map"]);

export function prepareRename(snapshot: ProgramSnapshot, file: string, offset: number): { span: Span; placeholder: string } | undefined {
  const cx = fileContext(snapshot, file);
  if (!cx) return undefined;
  const at = symbolAt(cx, offset);
  if (!at || !RENAMABLE.has(at.symbol.kind) || !at.symbol.declSpan) return undefined;
  if (at.symbol.kind === "type" && BUILTIN_TYPES.has(at.symbol.name)) return undefined;
  return { span: at.span, placeholder: at.symbol.name };
}

export class RenameError extends Error {}

/** Edits renaming the symbol under the cursor; throws RenameError for a bad new name. */
export function rename(snapshot: ProgramSnapshot, file: string, offset: number, newName: string): TextEdit[] {
  const cx = fileContext(snapshot, file, true);
  if (!cx?.checked) return [];
  const at = symbolAt(cx, offset);
  if (!at || !prepareRename(snapshot, file, offset)) throw new RenameError("this name cannot be renamed");
  const quotedOk = at.symbol.kind === "field" || at.symbol.kind === "request-field";
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName)) throw new RenameError(`\`${newName}\` is not a valid name`);
  if (KEYWORD_SET.has(newName) && !quotedOk) throw new RenameError(`\`${newName}\` is a keyword`);
  const edits: TextEdit[] = [];
  for (const span of cx.checked.references(at.symbol)) {
    const text = snapshot.source(span.file)?.text.slice(span.start, span.end) ?? "";
    edits.push({ span, newText: text.startsWith('"') ? JSON.stringify(newName) : newName });
  }
  return edits;
}
