// Tokens in editor terms. Owns: a light, plain view of the lexer's output (compiler/syntax/
// lexer.ts, the one lexer) that completion, signature help and semantic tokens scan, which
// works whatever the text: the lexer never throws and covers every character.
import { lex } from "../../compiler/syntax/lexer.ts";
import { KEYWORD_BY_TEXT } from "../../compiler/syntax/tokens.ts";

export type TokenKind = "string" | "open-string" | "number" | "duration" | "name" | "keyword" | "punct" | "comment" | "doc-comment" | "other";

export interface Tok {
  readonly kind: TokenKind;
  readonly image: string;
  readonly start: number;
  readonly end: number;
}

export interface Lexed {
  /** Code tokens in order (no comments). */
  readonly tokens: Tok[];
  readonly comments: Tok[];
}

const KIND: Record<string, TokenKind> = {
  StringLiteral: "string",
  UnterminatedString: "open-string",
  NumberLiteral: "number",
  BadNumber: "number",
  DurationLiteral: "duration",
  Identifier: "name",
  DocComment: "doc-comment",
  LineComment: "comment",
  BlockComment: "comment",
  UnterminatedBlockComment: "comment",
};

export function lexText(text: string, file = "<lsp>"): Lexed {
  const r = lex(text, file);
  const conv = (t: { image: string; startOffset: number; tokenType: { name: string } }): Tok => {
    let kind = KIND[t.tokenType.name];
    if (!kind) kind = KEYWORD_BY_TEXT.has(t.image) && /^[a-z]/.test(t.image) ? "keyword" : /^[A-Za-z_]/.test(t.image) ? "name" : "punct";
    return { kind, image: t.image, start: t.startOffset, end: t.startOffset + t.image.length };
  };
  return { tokens: r.tokens.map(conv), comments: r.comments.map(conv) };
}

/** Index of the last token starting before `offset` (-1 if none). */
export function tokenBefore(tokens: readonly Tok[], offset: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.start < offset) (ans = mid), (lo = mid + 1);
    else hi = mid - 1;
  }
  return ans;
}

/** Index of the unmatched `(`, `[` or `{` enclosing token `from` (inclusive), or -1. */
export function openerBefore(tokens: readonly Tok[], from: number): number {
  let depth = 0;
  for (let i = from; i >= 0; i--) {
    const s = tokens[i]!.image;
    if (tokens[i]!.kind !== "punct") continue;
    if (s === ")" || s === "]" || s === "}") depth++;
    else if (s === "(" || s === "[" || s === "{") {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

export const isWord = (t: Tok | undefined): boolean => t !== undefined && (t.kind === "name" || t.kind === "keyword");
