// Human-readable diagnostics for the terminal. Owns: the text format of `edict check`:
//
//   path/to/file.edict:3:14: error[E0301]: unknown attribute `rol` on `User`
//     |
//   3 |   when principal.rol == "admin"
//     |                  ^^^
//     = help: did you mean `role`?
//     = note: path/to/file.edict:1:6: `User` is declared here
//
// Input: diagnostics (already sorted by the caller) and a lookup for their sources.
// Output: one string; a blank line separates diagnostics. ANSI colour only when asked.
// A diagnostic whose file has no source (it could not be read) is one line without
// line:col or frame. Tabs are shown as four spaces, control characters as `?`, so the
// underline stays aligned; columns count UTF-16 code units like every other position.
import type { Diagnostic, Severity } from "./diagnostic.ts";
import { regionOf, type SourceLookup } from "./render-location.ts";

export interface TextRenderOptions {
  /** ANSI colours (a TTY without NO_COLOR). */
  readonly color?: boolean;
}

const ansi = {
  reset: "\x1b[0m",
  bold: "\x1b[1m",
  red: "\x1b[31m",
  yellow: "\x1b[33m",
  blue: "\x1b[34m",
  cyan: "\x1b[36m",
};

function severityColor(s: Severity): string {
  return s === "error" ? ansi.red : s === "warning" ? ansi.yellow : ansi.cyan;
}

/** `file:line:col` (1-based) of a diagnostic's start, or just `file` when it has no source. */
export function diagnosticLocation(d: Diagnostic, sources: SourceLookup): string {
  if (!sources(d.span.file)) return d.span.file;
  const r = regionOf(d.span, sources);
  return `${d.span.file}:${r.line}:${r.column}`;
}

/** Renders every diagnostic, each followed by a blank line. */
export function renderText(diagnostics: readonly Diagnostic[], sources: SourceLookup, options: TextRenderOptions = {}): string {
  return diagnostics.map((d) => renderDiagnosticText(d, sources, options) + "\n").join("");
}

/** One diagnostic: header, code frame, help and related notes; ends with "\n". */
export function renderDiagnosticText(d: Diagnostic, sources: SourceLookup, options: TextRenderOptions = {}): string {
  const paint = (codes: string, text: string) => (options.color ? `${codes}${text}${ansi.reset}` : text);
  const sev = severityColor(d.severity);
  const out: string[] = [];
  out.push(
    `${paint(ansi.bold, diagnosticLocation(d, sources) + ":")} ${paint(ansi.bold + sev, `${d.severity}[${d.code}]`)}: ${paint(ansi.bold, oneLine(d.message))}`,
  );
  const source = sources(d.span.file);
  let gutter = "  ";
  if (source) {
    const start = source.position(d.span.start);
    const end = source.position(Math.max(d.span.start, d.span.end));
    const lineNo = String(start.line + 1);
    gutter = " ".repeat(lineNo.length + 1);
    const raw = source.lines.lineText(start.line);
    const lastCol = end.line === start.line ? end.column : raw.length;
    // A long line (minified, generated, not a policy at all) is shown as a window around the
    // span: a frame as wide as a 300 MB line would not even fit in a string.
    const from = raw.length <= FRAME_WIDTH ? 0 : Math.max(0, Math.min(start.column - FRAME_CONTEXT, raw.length - FRAME_WIDTH));
    const to = Math.min(raw.length, from + FRAME_WIDTH);
    const lead = from > 0 ? "…" : "";
    const shown = lead + displayText(raw.slice(from, to)) + (to < raw.length ? "…" : "");
    const before = lead.length + displayText(raw.slice(from, start.column)).length;
    const width = Math.max(1, displayText(raw.slice(start.column, Math.min(lastCol, to))).length);
    const bar = paint(ansi.bold + ansi.blue, "|");
    out.push(`${gutter}${bar}`);
    out.push(`${paint(ansi.bold + ansi.blue, lineNo)} ${bar} ${shown}`.trimEnd());
    const more = end.line > start.line ? paint(sev, ` (continues to line ${end.line + 1})`) : lastCol > to ? paint(sev, " (continues past the shown part of the line)") : "";
    out.push(`${gutter}${bar} ${" ".repeat(before)}${paint(ansi.bold + sev, "^".repeat(width))}${more}`);
  }
  if (d.help !== undefined) {
    for (const line of d.help.split(/\r?\n/)) out.push(`${gutter}= ${paint(ansi.bold + ansi.cyan, "help")}: ${line}`);
  }
  for (const r of d.related ?? []) {
    out.push(`${gutter}= ${paint(ansi.bold, "note")}: ${diagnosticLocation({ ...d, span: r.span }, sources)}: ${oneLine(r.message)}`);
  }
  return out.join("\n") + "\n";
}

/** Code frames show at most this many characters of a line, from this many before the span. */
const FRAME_WIDTH = 160;
const FRAME_CONTEXT = 40;

/** Tabs become four spaces and other control characters `?`, keeping one cell per unit. */
function displayText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\t/g, "    ").replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "?");
}

function oneLine(s: string): string {
  return s.replace(/\r?\n/g, " ");
}
