// Fixtures for the language-server tests. Owns: the fixture text format and offset <-> position.
// A fixture is one file, or several introduced by `//- /path.edict` header lines; `$0`..`$9`
// mark cursor positions (removed from the text):
//   //- /a.edict
//   package p
//   def x = 1
//   //- /b.edict
//   package p
//   permit r { when x$0 == 1 }
export interface Fixture {
  /** Relative path → text. */
  readonly files: Record<string, string>;
  /** Marker number → where it was. */
  readonly cursors: Map<number, { file: string; offset: number }>;
}

export function parseFixture(text: string, defaultName = "main.edict"): Fixture {
  const files: Record<string, string> = {};
  const cursors = new Map<number, { file: string; offset: number }>();
  const parts = text.includes("//- /") ? text.split(/^\/\/- \/(\S+)[ \t]*\r?\n/m).slice(1) : [defaultName, text];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const name = parts[i]!;
    let body = parts[i + 1]!;
    for (;;) {
      const m = /\$(\d)/.exec(body);
      if (!m) break;
      cursors.set(Number(m[1]), { file: name, offset: m.index });
      body = body.slice(0, m.index) + body.slice(m.index + 2);
    }
    files[name] = body;
  }
  return { files, cursors };
}

export function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}

export function offsetOf(text: string, pos: { line: number; character: number }): number {
  const lines = text.split("\n");
  let o = 0;
  for (let i = 0; i < pos.line && i < lines.length; i++) o += lines[i]!.length + 1;
  return o + pos.character;
}

/** The text a range covers. */
export function textOf(text: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  return text.slice(offsetOf(text, range.start), offsetOf(text, range.end));
}

/** Applies LSP text edits (non-overlapping) to a text. */
export function applyEdits(text: string, edits: readonly { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const sorted = [...edits].map((e) => ({ s: offsetOf(text, e.range.start), e: offsetOf(text, e.range.end), t: e.newText })).sort((a, b) => b.s - a.s);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.s) + e.t + out.slice(e.e);
  return out;
}
