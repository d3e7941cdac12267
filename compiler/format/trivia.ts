// Comments and blank lines for the formatter. Owns: deciding where each source comment goes
// (before which node, or after which node on the same line) and whether the author left a
// blank line between two things. Input: the parsed file; output: queries the printers ask
// while they walk the tree in source order.
// INVARIANT (every comment once): each comment is handed out exactly once: as a trailing
// comment of the outermost node ending last before it on its line, as a comment on an
// opening bracket's line, or as a leading comment of the first node/closing bracket after
// it; `rest()` hands out what is left. Comments inside string tokens are never handed out
// (their template is printed verbatim).
// INVARIANT (no code swallowed): a `//` comment is only ever printed at the end of a line.
// INVARIANT (docs stay docs): `isLooseDoc` tells the printers which `///` lines document
// nothing, so they are kept off the line directly above a declaration or field.
import type { Comment, DocComment, FileAst, Node, StringLit, TemplateLit } from "../syntax/ast.ts";
import type { SourceFile } from "../source/source-file.ts";
import { walk } from "../syntax/ast-walk.ts";

/** Nodes that never take part in comment placement (printed as part of their parent). */
const NOT_ANCHORS = new Set(["File", "Identifier", "DocComment", "Comment", "TemplateLit", "TemplateText", "TemplateInterp"]);

export class Trivia {
  private readonly text: string;
  private readonly comments: Comment[];
  private readonly emitted: boolean[];
  private readonly byStart = new Map<number, number>();
  private readonly byEnd = new Map<number, number>();
  private readonly trailing = new Map<Node, number[]>();
  private next = 0;
  /** Templates printed verbatim because the lexer saw comment-like text inside them. */
  readonly rawTemplates = new Set<TemplateLit>();
  private readonly attachedDocs = new Set<Comment>();
  /** Source offset of the end of the last thing printed (node or comment). */
  lastEnd = 0;

  constructor(source: SourceFile, ast: FileAst) {
    this.text = source.text;
    const nodes = survey(ast);
    this.comments = collectComments(source, ast, nodes.docs);
    this.emitted = this.comments.map(() => false);
    this.comments.forEach((c, i) => {
      this.byStart.set(c.span.start, i);
      this.byEnd.set(c.span.end, i);
    });
    this.markCommentsInsideStrings(nodes.strings);
    for (const d of nodes.docs) {
      for (let i = this.firstCommentAtOrAfter(d.span.start); i < this.comments.length && this.comments[i]!.span.start < d.span.end; i++) {
        this.attachedDocs.add(this.comments[i]!);
      }
    }
    this.attachTrailing(nodes.anchors);
  }

  /** First position at or after `pos` that is neither whitespace nor a comment. */
  skipForward(pos: number): number {
    let p = pos;
    for (;;) {
      while (p < this.text.length && /\s/.test(this.text[p]!)) p++;
      const c = this.byStart.get(p);
      if (c === undefined) return p;
      p = this.comments[c]!.span.end;
    }
  }

  /** Last position at or before `pos` that ends code (skipping whitespace and comments). */
  skipBackward(pos: number): number {
    let p = pos;
    for (;;) {
      while (p > 0 && /\s/.test(this.text[p - 1]!)) p--;
      const c = this.byEnd.get(p);
      if (c === undefined) return p;
      p = this.comments[c]!.span.start;
    }
  }

  /** Offset of the first `char` after `pos`, skipping trivia and commas (a closing bracket). */
  closing(pos: number, char: string): number {
    let p = this.skipForward(pos);
    while (p < this.text.length && this.text[p] !== char && this.text[p] === ",") p = this.skipForward(p + 1);
    if (this.text[p] !== char && char === ")" && this.text[p] === "(") p = this.skipForward(p + 1);
    return p;
  }

  codeStart(node: Node): number {
    return Math.min(this.skipForward(node.span.start), node.span.end);
  }

  codeEnd(node: Node): number {
    return Math.max(this.skipBackward(node.span.end), node.span.start);
  }

  /** Whether the source between two offsets holds an empty line. */
  blankLineBetween(from: number, to: number): boolean {
    if (to <= from) return false;
    const between = this.text.slice(from, to);
    return (between.match(/\r\n|\r|\n/g)?.length ?? 0) >= 2;
  }

  /** Comments not yet printed that start before `pos`, in order (they are now printed). */
  takeBefore(pos: number): Comment[] {
    const out: Comment[] = [];
    while (this.next < this.comments.length && this.comments[this.next]!.span.start < pos) {
      if (!this.emitted[this.next]) {
        this.emitted[this.next] = true;
        out.push(this.comments[this.next]!);
      }
      this.next++;
    }
    return out;
  }

  /**
   * Comments before `pos` that share the line of the code before them and end it
   * (`{ // why`), up to the first other one: they stay at the end of the opening bracket's line.
   */
  takeOnOpenerLine(pos: number): Comment[] {
    const out: Comment[] = [];
    while (this.next < this.comments.length && this.comments[this.next]!.span.start < pos) {
      const i = this.next;
      if (!this.emitted[i]) {
        // Only comments that end the bracket's line; `( /* c */ x` stays with `x`.
        if (this.startsLine(this.comments[i]!) || !this.endsLine(this.comments[i]!)) break;
        this.emitted[i] = true;
        out.push(this.comments[i]!);
      }
      this.next++;
    }
    return out;
  }

  /** Comments that follow `node` on its last line (printed after it), if not printed yet. */
  takeTrailing(node: Node): Comment[] {
    const ids = this.trailing.get(node);
    if (!ids) return [];
    const out: Comment[] = [];
    for (const i of ids) {
      if (this.emitted[i]) continue;
      this.emitted[i] = true;
      out.push(this.comments[i]!);
    }
    return out;
  }

  rest(): Comment[] {
    return this.takeBefore(Infinity);
  }

  /** A `///` comment the parser did not attach as anyone's doc. */
  isLooseDoc(c: Comment): boolean {
    return c.style === "doc" && !this.attachedDocs.has(c);
  }

  /** Whether only whitespace separates the comment from the end of its line. */
  endsLine(c: Comment): boolean {
    let p = c.span.end;
    while (p < this.text.length && (this.text[p] === " " || this.text[p] === "\t")) p++;
    if (p >= this.text.length || this.text[p] === "\n" || this.text[p] === "\r") return true;
    const next = this.byStart.get(p);
    return next !== undefined && this.endsLine(this.comments[next]!);
  }

  /** Whether only whitespace separates the comment from the start of its line. */
  startsLine(c: Comment): boolean {
    let p = c.span.start;
    while (p > 0 && (this.text[p - 1] === " " || this.text[p - 1] === "\t")) p--;
    return p === 0 || this.text[p - 1] === "\n" || this.text[p - 1] === "\r";
  }

  /** Source text of a span (templates with comment-like text are printed verbatim). */
  slice(start: number, end: number): string {
    return this.text.slice(start, end);
  }

  private markCommentsInsideStrings(strings: readonly (TemplateLit | StringLit)[]): void {
    if (this.comments.length === 0) return;
    for (const n of strings) {
      for (let i = this.firstCommentAtOrAfter(n.span.start); i < this.comments.length && this.comments[i]!.span.start < n.span.end; i++) {
        this.emitted[i] = true;
        if (n.kind === "TemplateLit") this.rawTemplates.add(n);
      }
    }
  }

  private firstCommentAtOrAfter(pos: number): number {
    let lo = 0;
    let hi = this.comments.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.comments[mid]!.span.start < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * A comment after code on its line belongs to the outermost node ending last before it on
   * that line: `when a == b // why` trails the whole clause, `[a, // why` trails `a`,
   * `when a and // why` trails `a`. It is printed at the end of that node's output line, so
   * the layout (which groups break) is the same whether or not the formatter ran before.
   * A comment with no such node (`permit p { // why`) leads the next node instead.
   */
  private attachTrailing(anchors: readonly Node[]): void {
    if (this.comments.length === 0) return;
    const outermostEndingAt = new Map<number, Node>();
    for (const n of anchors) {
      const end = this.codeEnd(n);
      const seen = outermostEndingAt.get(end);
      if (!seen || this.codeStart(n) < this.codeStart(seen)) outermostEndingAt.set(end, n);
    }
    const targetOf = new Map<number, Node>();
    this.comments.forEach((c, i) => {
      if (this.emitted[i] || this.startsLine(c)) return;
      let target: Node | undefined;
      // An inline `/* c */` followed by code only trails what it touches (`a /* c */, b`).
      const reach = this.endsLine(c) ? /[^\r\n]/ : /[ \t,]/;
      let p = c.span.start;
      while (p > 0) {
        const before = this.byEnd.get(p);
        if (before !== undefined && before !== i) {
          // Another comment just before: share its node, or look further left of it.
          target = targetOf.get(before);
          if (target) break;
          p = this.comments[before]!.span.start;
          continue;
        }
        target = outermostEndingAt.get(p);
        if (target || !reach.test(this.text[p - 1]!)) break;
        p--;
      }
      if (!target) return;
      targetOf.set(i, target);
      const list = this.trailing.get(target) ?? [];
      list.push(i);
      this.trailing.set(target, list);
    });
  }
}

/** The nodes comment placement cares about, found in one pre-order walk. */
function survey(ast: FileAst): { anchors: Node[]; strings: (TemplateLit | StringLit)[]; docs: DocComment[] } {
  const anchors: Node[] = [];
  const strings: (TemplateLit | StringLit)[] = [];
  const docs: DocComment[] = [];
  walk(ast, (n) => {
    if (n.kind === "DocComment") docs.push(n);
    if (n.kind === "TemplateLit" || n.kind === "StringLit") strings.push(n);
    if (n.kind === "TemplateLit") return false; // interpolations are printed as written
    if (!NOT_ANCHORS.has(n.kind)) anchors.push(n);
  });
  return { anchors, strings, docs };
}

/**
 * The file's comments in source order. `///` lines the parser attached as `doc` but did not
 * list in `comments` are recovered from the source, so no doc is ever lost.
 */
function collectComments(source: SourceFile, ast: FileAst, docs: readonly DocComment[]): Comment[] {
  const list = [...ast.comments];
  const starts = new Set(list.map((c) => c.span.start));
  for (const n of docs) {
    const re = /\/\/\/[^\r\n]*/g;
    const text = source.text.slice(n.span.start, n.span.end);
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const start = n.span.start + m.index;
      if (!starts.has(start)) list.push({ kind: "Comment", style: "doc", text: m[0], span: { file: n.span.file, start, end: start + m[0].length } });
    }
  }
  return list.sort((a, b) => a.span.start - b.span.start);
}
