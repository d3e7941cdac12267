// The formatter's walking state. Owns: turning source comments and blank lines into Doc
// pieces around the nodes the printers print — inline around expressions (`wrap`) and as
// whole lines inside blocks (`Block`). Input: Trivia; output: Docs.
// INVARIANT (source order): printers call `wrap`/`Block.item` in source order, so that the
// comments handed out before a node are exactly those between the previous node and it.
import type { Comment, Node } from "../syntax/ast.ts";
import { comment, hardline, type Doc } from "./doc.ts";
import type { Trivia } from "./trivia.ts";

/** Thrown when the tree has a hole (only possible with syntax errors): never format it. */
export class NotFormattable extends Error {}

export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new NotFormattable(`missing ${what}`);
  return value;
}

export class Printer {
  constructor(readonly trivia: Trivia) {}

  /** A node printed inside an expression or a line, with its comments around it. */
  wrap(node: Node, build: () => Doc): Doc {
    const before = this.enter(node);
    const body = build();
    return [before, body, this.exit(node)];
  }

  /** The comments before `node` (call before printing it). */
  enter(node: Node): Doc {
    return this.leadingInline(this.trivia.codeStart(node));
  }

  /** The comments after `node` on its line (call after printing it). */
  exit(node: Node): Doc {
    this.trivia.lastEnd = Math.max(this.trivia.lastEnd, this.trivia.codeEnd(node));
    return this.trailing(node);
  }

  /** Comments before `pos` (e.g. a closing bracket), moved to the end of the current line. */
  dangling(pos: number): Doc {
    return this.trivia.takeBefore(pos).map((c) => this.noteEnd(c, comment(commentText(c), "endOfLine")));
  }

  /** Comments on an opening bracket's line, before the first element at `pos`: they stay there. */
  afterOpen(pos: number): Doc {
    return this.trivia.takeOnOpenerLine(pos).map((c) => this.noteEnd(c, comment(commentText(c), "endOfLine")));
  }

  trailing(node: Node): Doc {
    return this.trivia.takeTrailing(node).map((c) =>
      this.noteEnd(c, comment(commentText(c), c.style === "block" && !this.trivia.endsLine(c) ? "after" : "endOfLine")),
    );
  }

  private leadingInline(pos: number): Doc {
    return this.trivia.takeBefore(pos).map((c) =>
      this.noteEnd(
        c,
        comment(commentText(c), c.style === "block" && !this.trivia.endsLine(c) ? "before" : this.trivia.isLooseDoc(c) ? "endOfLine" : "ownLine"),
      ),
    );
  }

  noteEnd(c: Comment, doc: Doc): Doc {
    this.trivia.lastEnd = Math.max(this.trivia.lastEnd, c.span.end);
    return doc;
  }
}

/**
 * A comment's canonical text: line comments lose trailing spaces; block comments are kept
 * as written except that their line breaks become `\n` like the rest of the file.
 */
export function commentText(c: Comment): string {
  return c.style === "block" ? c.text.replace(/\r\n?/g, "\n") : c.text.trimEnd();
}

/**
 * Lines of a block (`{ ... }` bodies and the file itself): one item per line, own-line
 * comments as lines of their own, at most one blank line where the author left one (never
 * at the start of the block), and blank lines a caller forces (between declarations).
 */
export class Block {
  private readonly parts: Doc[] = [];
  private empty = true;
  private openerDone = false;
  /** The last line is a `//` comment: nothing may be appended to it. */
  private afterCommentLine = false;
  /** A `//` comment sits after the `{`: the block cannot be printed as `{}`. */
  hasOpenerComment = false;

  constructor(
    private readonly p: Printer,
    /** The file level starts at column 0 without a line break; `{` bodies start with one. */
    private readonly topLevel: boolean,
    /** Annotation lines never keep blank lines between them. */
    private readonly keepBlankLines = true,
  ) {}

  get isEmpty(): boolean {
    return this.empty;
  }

  /** Own-line comments before `pos`; `forceBlank` puts a blank line before the first thing. */
  comments(pos: number, forceBlank = false): boolean {
    if (this.empty && !this.topLevel && !this.openerDone) {
      // `{ // why`: a comment on the brace's line stays there.
      this.openerDone = true;
      for (const c of this.p.trivia.takeOnOpenerLine(pos)) {
        this.parts.push(comment(commentText(c), "endOfLine"));
        this.p.trivia.lastEnd = Math.max(this.p.trivia.lastEnd, c.span.end);
        this.hasOpenerComment = true;
      }
    }
    let forced = forceBlank;
    for (const c of this.p.trivia.takeBefore(pos)) {
      if (this.p.trivia.isLooseDoc(c) && !(this.empty && this.topLevel) && !this.afterCommentLine) {
        // A `///` that documents nothing must not land right above an item (it would become
        // its doc): it goes to the end of the line before.
        if (this.empty) this.hasOpenerComment = true;
        this.parts.push(comment(commentText(c), "endOfLine"));
        this.p.trivia.lastEnd = Math.max(this.p.trivia.lastEnd, c.span.end);
        this.afterCommentLine = true;
        continue;
      }
      this.separate(forced || this.p.trivia.blankLineBetween(this.p.trivia.lastEnd, c.span.start));
      forced = false;
      this.parts.push(commentText(c));
      this.afterCommentLine = c.style !== "block";
      this.p.trivia.lastEnd = Math.max(this.p.trivia.lastEnd, c.span.end);
    }
    return forced;
  }

  /** One line (or more) for `node`, with its leading comments above it. */
  item(node: Node, build: () => Doc, forceBlank = false): void {
    const start = this.p.trivia.codeStart(node);
    const stillForced = this.comments(start, forceBlank);
    this.separate(stillForced || this.p.trivia.blankLineBetween(this.p.trivia.lastEnd, start));
    this.afterCommentLine = false;
    const body = build();
    this.p.trivia.lastEnd = Math.max(this.p.trivia.lastEnd, this.p.trivia.codeEnd(node));
    this.parts.push(body, this.p.trailing(node));
  }

  /** A line that is not a node of its own (e.g. a declaration's keyword line after annotations). */
  raw(doc: Doc): void {
    this.separate(false);
    this.parts.push(doc);
  }

  /** Content of the block; `{ ... }` bodies are indented by the caller. */
  doc(): Doc {
    return this.parts;
  }

  private separate(blank: boolean): void {
    if (!(this.empty && this.topLevel)) this.parts.push(hardline);
    if (blank && !this.empty && this.keepBlankLines) this.parts.push(hardline);
    this.empty = false;
  }
}
