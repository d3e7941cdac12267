// Formatting. Owns: turning the formatter's output (compiler/format, the same as `edict fmt`)
// into edits. A file with syntax errors is left alone (no edits).
// Input: (snapshot, file[, range]). Output: edits, or [] when there is nothing to do.
import type { ProgramSnapshot } from "../../compiler/program.ts";
import type { TextEdit } from "../../compiler/diagnostics/diagnostic.ts";
import { formatFile, formatRange } from "../../compiler/format/format-file.ts";

/**
 * Larger files are not formatted from the editor: the formatter's line fitting is not linear
 * in the length of one huge literal, and the server must keep answering (`edict fmt` still can).
 */
export const MAX_FORMAT_CHARS = 512 * 1024;

export function formatDocument(snapshot: ProgramSnapshot, file: string): TextEdit[] {
  const parsed = snapshot.parsed(file);
  if (!parsed || parsed.source.text.length > MAX_FORMAT_CHARS) return [];
  const text = formatFile(parsed);
  if (text === undefined || text === parsed.source.text) return [];
  const src = parsed.source.text;
  // One edit covering only what changed keeps the cursor and undo history calm.
  let a = 0;
  while (a < src.length && a < text.length && src[a] === text[a]) a++;
  let b = src.length;
  let c = text.length;
  while (b > a && c > a && src[b - 1] === text[c - 1]) b--, c--;
  return [{ span: { file, start: a, end: b }, newText: text.slice(a, c) }];
}

export function formatDocumentRange(snapshot: ProgramSnapshot, file: string, start: number, end: number): TextEdit[] {
  const parsed = snapshot.parsed(file);
  if (!parsed || parsed.source.text.length > MAX_FORMAT_CHARS) return [];
  return formatRange(parsed, start, end) ?? [];
}
