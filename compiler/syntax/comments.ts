// Comments. Owns: turning the lexer's comment tokens into FileAst.comments, and attaching
// `///` doc comments to the declaration (or field) directly below them.
// A doc comment attaches when it starts its own line and only whitespace separates it (and
// each following `///` line) from the declaration. Its text drops `///` and one space per line,
// lines joined with "\n". Doc comments stay in `comments` (style "doc") for the formatter.
import type { IToken } from "chevrotain";
import type { Comment, DocComment } from "./ast.ts";
import { span } from "../source/span.ts";
import { DocComment as DocCommentToken, LineComment } from "./tokens.ts";

export function lowerComments(file: string, tokens: readonly IToken[]): Comment[] {
  return tokens.map((t) => ({
    kind: "Comment",
    style: t.tokenType === DocCommentToken ? "doc" : t.tokenType === LineComment ? "line" : "block",
    text: t.image,
    span: span(file, t.startOffset, t.startOffset + t.image.length),
  }));
}

export class DocIndex {
  /** Doc comments in source order. */
  private readonly docs: IToken[] = [];

  constructor(
    private readonly file: string,
    private readonly text: string,
    comments: readonly IToken[] = [],
  ) {
    this.add(comments);
  }

  /** Adds comments that follow every comment added so far (parse.ts lexes window by window). */
  add(comments: readonly IToken[]): void {
    for (const c of comments) if (c.tokenType === DocCommentToken && startsLine(this.text, c.startOffset)) this.docs.push(c);
  }

  /** The doc comment run directly above `offset`, if any. */
  docBefore(offset: number): DocComment | undefined {
    // Binary search: last doc comment that ends at or before `offset`.
    let lo = 0;
    let hi = this.docs.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = this.docs[mid]!;
      if (d.startOffset + d.image.length <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return undefined;
    let last = this.docs[found]!;
    if (!onlyWhitespace(this.text, last.startOffset + last.image.length, offset)) return undefined;
    let first = found;
    while (first > 0) {
      const prev = this.docs[first - 1]!;
      if (!onlyWhitespace(this.text, prev.startOffset + prev.image.length, this.docs[first]!.startOffset)) break;
      first--;
    }
    const lines: string[] = [];
    for (let i = first; i <= found; i++) lines.push(stripMarker(this.docs[i]!.image));
    last = this.docs[found]!;
    const start = this.docs[first]!.startOffset;
    return { kind: "DocComment", text: lines.join("\n"), span: span(this.file, start, last.startOffset + last.image.length) };
  }
}

function stripMarker(image: string): string {
  const body = image.slice(3);
  return body.startsWith(" ") ? body.slice(1) : body;
}

function startsLine(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return true;
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

function onlyWhitespace(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 11 && c !== 0xfeff && c !== 0xa0) return false;
  }
  return true;
}
