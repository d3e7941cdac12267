// Printing generated JavaScript. Owns: the indenting writer every emitter writes through, and
// the source mappings it records (one per line that starts a construct from the policy: a rule
// function, a clause, a def). Input: lines of JS and, for some, the Span they came from.
// Output: the module text and a Source Map v3 (VLQ `mappings`, `sources` = the .edict paths,
// `sourcesContent` included). INVARIANT (byte-stable): output depends only on what is written.
import type { Span } from "../source/span.ts";
import type { SourceFile } from "../source/source-file.ts";

interface Mapping {
  readonly line: number; // 0-based generated line
  readonly column: number; // 0-based generated column
  readonly source: number;
  readonly srcLine: number;
  readonly srcColumn: number;
}

export class JsWriter {
  private readonly lines: string[] = [];
  private readonly mappings: Mapping[] = [];
  private readonly sourceIndex = new Map<string, number>();
  private readonly sources: SourceFile[] = [];
  private depth = 0;

  /** Registers a file whose spans may be mapped (its text goes into sourcesContent). */
  addSource(file: SourceFile): void {
    if (this.sourceIndex.has(file.path)) return;
    this.sourceIndex.set(file.path, this.sources.length);
    this.sources.push(file);
  }

  /** One line (or several separated by "\n"), indented; `from` maps the first to its source. */
  line(text = "", from?: Span): this {
    if (text.indexOf("\n") < 0) {
      // The common case (one line): no split, a cached indent.
      const pad = text === "" ? "" : (PADS[this.depth] ??= "  ".repeat(this.depth));
      if (from) this.map(from, pad.length);
      this.lines.push(pad + text);
      return this;
    }
    const parts = text.split("\n");
    for (let i = 0; i < parts.length; i++) {
      const pad = parts[i] === "" ? "" : "  ".repeat(this.depth);
      if (i === 0 && from) this.map(from, pad.length);
      this.lines.push(pad + parts[i]);
    }
    return this;
  }

  /** `open` line, indented body, `close` line. */
  block(open: string, body: () => void, close = "}", from?: Span): this {
    this.line(open, from);
    this.depth++;
    body();
    this.depth--;
    return this.line(close);
  }

  indent(): void {
    this.depth++;
  }

  dedent(): void {
    this.depth--;
  }

  private map(span: Span, column: number): void {
    const idx = this.sourceIndex.get(span.file);
    if (idx === undefined) return;
    const pos = this.sources[idx]!.position(span.start);
    this.mappings.push({ line: this.lines.length, column, source: idx, srcLine: pos.line, srcColumn: pos.column });
  }

  get text(): string {
    return this.lines.join("\n") + "\n";
  }

  /** Source Map v3 for `text` placed `lineOffset` lines into the file called `file`. */
  sourceMap(file: string, lineOffset = 0, sourcePath: (path: string) => string = (p) => p): string {
    let out = ";".repeat(lineOffset);
    let prevSource = 0;
    let prevSrcLine = 0;
    let prevSrcColumn = 0;
    const sorted = [...this.mappings].sort((a, b) => a.line - b.line || a.column - b.column);
    let line = 0;
    let first = true;
    let prevColumn = 0;
    for (const m of sorted) {
      while (line < m.line) {
        out += ";";
        line++;
        prevColumn = 0;
        first = true;
      }
      if (!first) out += ",";
      first = false;
      out += vlq(m.column - prevColumn) + vlq(m.source - prevSource) + vlq(m.srcLine - prevSrcLine) + vlq(m.srcColumn - prevSrcColumn);
      prevColumn = m.column;
      prevSource = m.source;
      prevSrcLine = m.srcLine;
      prevSrcColumn = m.srcColumn;
    }
    return JSON.stringify({
      version: 3,
      file,
      sources: this.sources.map((s) => sourcePath(s.path)),
      sourcesContent: this.sources.map((s) => s.text),
      names: [],
      mappings: out,
    });
  }
}

const PADS: string[] = [];

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Base64 VLQ of a signed integer (the Source Map v3 encoding). */
export function vlq(n: number): string {
  let v = n < 0 ? (-n << 1) | 1 : n << 1;
  let out = "";
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v > 0) digit |= 32;
    out += BASE64[digit];
  } while (v > 0);
  return out;
}
