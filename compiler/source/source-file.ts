// A source file: its path (as given by the user, used in spans and messages), its text,
// and a lazily built line index.
import { LineIndex, type Position } from "./line-index.ts";

export class SourceFile {
  private index: LineIndex | undefined;

  constructor(
    readonly path: string,
    readonly text: string,
  ) {}

  get lines(): LineIndex {
    return (this.index ??= new LineIndex(this.text));
  }

  /** 0-based position of an offset. */
  position(offset: number): Position {
    return this.lines.position(offset);
  }

  /** `path:line:col`, 1-based: the form reasons, errors and the CLI print. */
  location(offset: number): string {
    const p = this.position(offset);
    return `${this.path}:${p.line + 1}:${p.column + 1}`;
  }
}
