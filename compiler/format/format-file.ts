// The formatter's entry points. Owns: `formatFile` (whole file → canonical text) and
// `formatRange` (edits that reformat the top-level declarations touching a range, for the
// editor's "format selection"). Input: a ParsedFile; output: text or edits, or `undefined`
// when the file has syntax errors (a broken file is never formatted).
// INVARIANT (idempotent, meaning-preserving): formatFile(parse(formatFile(x))) equals
// formatFile(x), and parse(formatFile(x)) has the same tree modulo spans (same-meaning.ts);
// the tests check both on every fixture and example.
import type { TextEdit } from "../diagnostics/diagnostic.ts";
import { LineIndex } from "../source/line-index.ts";
import { SourceFile } from "../source/source-file.ts";
import { parseFile } from "../syntax/parse.ts";
import type { ParsedFile } from "../syntax/parsed-file.ts";
import { PACKAGE_MARK, printFile } from "./print-decl.ts";
import { NotFormattable, Printer } from "./printer.ts";
import { renderDoc, type Rendered } from "./render-doc.ts";
import { Trivia } from "./trivia.ts";

/** The line width lists, records, calls and chains are fitted into. */
export const LINE_WIDTH = 100;

/**
 * The canonical text of the file, or `undefined` if it has syntax errors.
 * One pass is almost always a fixed point. A comment in an unusual spot (say, right after an
 * opening bracket mid-expression) can land somewhere a second pass would place differently;
 * so the output is re-formatted until it no longer changes (at most a few passes), which
 * makes `formatFile` idempotent by construction.
 */
export function formatFile(parsed: ParsedFile): string | undefined {
  return formatToFixedPoint(parsed)?.text;
}

/** The canonical text and its parse (which format-verified.ts checks for meaning). */
export function formatToFixedPoint(parsed: ParsedFile): { text: string; reparsed: ParsedFile } | undefined {
  let text = layout(parsed)?.rendered.text;
  if (text === undefined) return undefined;
  // Already formatted (the usual case for `fmt --check`): the input is its own fixed point.
  if (text === parsed.source.text) return { text, reparsed: parsed };
  for (let pass = 0; ; pass++) {
    const reparsed = parseFile(new SourceFile(parsed.source.path, text));
    const next = pass < MAX_EXTRA_PASSES ? layout(reparsed)?.rendered.text : undefined;
    if (next === undefined || next === text) return { text, reparsed };
    text = next;
  }
}

const MAX_EXTRA_PASSES = 3;

interface Layout {
  readonly rendered: Rendered;
  readonly trivia: Trivia;
}

function layout(parsed: ParsedFile): Layout | undefined {
  if (parsed.diagnostics.some((d) => d.severity === "error")) return undefined;
  try {
    const trivia = new Trivia(parsed.source, parsed.ast);
    const doc = printFile(new Printer(trivia), parsed.ast);
    return { rendered: renderDoc(doc, LINE_WIDTH), trivia };
  } catch (e) {
    if (e instanceof NotFormattable) return undefined;
    throw e;
  }
}

/**
 * Edits that reformat every top-level item (the `package` line or a declaration, with the
 * comments above it) overlapping `[start, end]`. Items are replaced whole, from the end of
 * the line of the item before them, so the text around them is untouched. `[]` when the
 * range is already formatted, `undefined` when the file has syntax errors.
 */
export function formatRange(parsed: ParsedFile, start: number, end: number): TextEdit[] | undefined {
  const laid = layout(parsed);
  if (!laid) return undefined;
  const { rendered, trivia } = laid;
  const ast = parsed.ast;
  const items = [...(ast.package ? [{ node: ast.package, mark: PACKAGE_MARK }] : []), ...ast.decls.map((d, i) => ({ node: d, mark: i }))];
  if (items.length === 0) return [];
  const src = parsed.source.text;
  const srcLines = parsed.source.lines;
  const outLines = new LineIndex(rendered.text);
  const firstLine = items.map((it) => srcLines.position(trivia.codeStart(it.node)).line);
  const lastLine = items.map((it) => srcLines.position(trivia.codeEnd(it.node)).line);
  const lo = srcLines.position(start).line;
  const hi = srcLines.position(end).line;
  let i = items.findIndex((_, k) => lastLine[k]! >= lo);
  if (i < 0) return [];
  let j = i;
  while (j + 1 < items.length && firstLine[j + 1]! <= hi) j++;
  if (firstLine[i]! > hi) return [];
  // Items sharing a line are replaced together.
  while (i > 0 && lastLine[i - 1]! >= firstLine[i]!) i--;
  while (j + 1 < items.length && firstLine[j + 1]! <= lastLine[j]!) j++;

  const outEndLine = (k: number): number => outLines.position(rendered.marks.get(items[k]!.mark)!).line;
  const srcFrom = i === 0 ? 0 : srcLines.lineEnd(lastLine[i - 1]!);
  const outFrom = i === 0 ? 0 : outLines.lineEnd(outEndLine(i - 1));
  const last = j === items.length - 1;
  const srcTo = last ? src.length : srcLines.lineEnd(lastLine[j]!);
  const outTo = last ? rendered.text.length : outLines.lineEnd(outEndLine(j));
  return minimalEdit(parsed.source.path, src, srcFrom, srcTo, rendered.text.slice(outFrom, outTo));
}

/** One edit replacing `[from, to)` by `text`, shrunk to the part that really changes. */
function minimalEdit(file: string, src: string, from: number, to: number, text: string): TextEdit[] {
  let a = from;
  let t = 0;
  while (a < to && t < text.length && src[a] === text[t]) {
    a++;
    t++;
  }
  let b = to;
  let u = text.length;
  while (b > a && u > t && src[b - 1] === text[u - 1]) {
    b--;
    u--;
  }
  if (a === b && t === u) return [];
  return [{ span: { file, start: a, end: b }, newText: text.slice(t, u) }];
}
