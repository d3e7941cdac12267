// Top-level re-synchronisation. Owns: cutting a file's tokens into one run per declaration,
// at the declaration keywords `package permit forbid def type request test` and at the first
// `@` of an annotation run. Each run is parsed on its own, so a syntax error can never make the
// parser misread the declarations around it (issue 2: "no spurious errors on the valid
// declarations around them"), and a missing `}` costs one diagnostic, not the rest of the file.
// A keyword is NOT a cut when it is used as a name: after `.` or `has` (`resource.type`), before
// `:` or `?` (a record key or field), or `request` inside a test body.
// INVARIANT: for a syntactically valid file the cuts are exactly the declaration starts.
// Output: runs in order; only the first run may start with something else (junk before the
// first declaration), flagged by `startsDeclaration: false`.
import type { IToken, TokenType } from "chevrotain";
import { At, Colon, DECLARATION_KEYWORDS, Dot, kw, LBrace, LBracket, LParen, Question, RBrace, RBracket, RParen } from "./tokens.ts";

export interface DeclarationRun {
  readonly tokens: IToken[];
  readonly startsDeclaration: boolean;
}

const DECL = new Set<TokenType>(DECLARATION_KEYWORDS);
const OPEN = new Set<TokenType>([LBrace, LParen, LBracket]);
const CLOSE = new Set<TokenType>([RBrace, RParen, RBracket]);

/**
 * Streaming form: tokens are pushed as they are lexed (parse.ts lexes a file window by window)
 * and each run is handed to `emit` as soon as the next one starts, so a run's tokens can be
 * dropped right after it is parsed. One token of lookahead is kept (`pending`).
 */
export class DeclarationSplitter {
  private current: IToken[] = [];
  private state: "junk" | "annotations" | "decl" = "junk";
  private inTest = false;
  private depth = 0;
  private prevType: TokenType | undefined;
  private pending: IToken | undefined;

  constructor(private readonly emit: (run: DeclarationRun) => void) {}

  push(t: IToken): void {
    if (this.pending) this.place(this.pending, t.tokenType);
    this.pending = t;
  }

  end(): void {
    if (this.pending) this.place(this.pending, undefined);
    this.pending = undefined;
    this.flush();
  }

  private place(t: IToken, nextType: TokenType | undefined): void {
    const type = t.tokenType;
    if (type === At) {
      if (this.state !== "annotations") this.cut("annotations");
    } else if (DECL.has(type) && isDeclarationStart(type, this.prevType, nextType, this.inTest && this.depth > 0)) {
      if (this.state === "annotations") this.state = "decl";
      else this.cut("decl");
      this.inTest = type === kw.test;
    } else if (OPEN.has(type)) this.depth++;
    else if (CLOSE.has(type)) this.depth = Math.max(0, this.depth - 1);
    this.current.push(t);
    this.prevType = type;
  }

  private cut(next: "annotations" | "decl"): void {
    this.flush();
    this.state = next;
    this.depth = 0;
    this.inTest = false;
  }

  private flush(): void {
    if (this.current.length > 0) this.emit({ tokens: this.current, startsDeclaration: this.state !== "junk" });
    this.current = [];
  }
}

/** All runs of a token list at once (tests, small inputs). */
export function splitDeclarations(tokens: readonly IToken[]): DeclarationRun[] {
  const runs: DeclarationRun[] = [];
  const splitter = new DeclarationSplitter((r) => runs.push(r));
  for (const t of tokens) splitter.push(t);
  splitter.end();
  return runs;
}

function isDeclarationStart(type: TokenType, prev: TokenType | undefined, next: TokenType | undefined, insideTestBody: boolean): boolean {
  if (prev === Dot || prev === kw.has) return false;
  if (next === Colon || next === Question) return false;
  if (type === kw.request && insideTestBody) return false;
  return true;
}
