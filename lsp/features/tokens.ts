// Tokens in editor terms. Owns: a light, plain view of the lexer's output (compiler/syntax/
// lexer.ts, the one lexer) that completion, signature help and semantic tokens scan, which
// works whatever the text: the lexer never throws and covers every character.
import type { IToken, TokenType } from "chevrotain";
import type { SourceFile } from "../../compiler/source/source-file.ts";
import { lex } from "../../compiler/syntax/lexer.ts";
import { KEYWORD_BY_TEXT, lexerTokens } from "../../compiler/syntax/tokens.ts";

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

const BY_NAME: Record<string, TokenKind> = {
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
const KIND = new Map<TokenType, TokenKind>();
for (const t of lexerTokens) KIND.set(t, BY_NAME[t.name] ?? "punct");
for (const t of KEYWORD_BY_TEXT.values()) KIND.set(t, "keyword");

function conv(t: IToken): Tok {
  return { kind: KIND.get(t.tokenType) ?? "other", image: t.image, start: t.startOffset, end: t.startOffset + t.image.length };
}

/** Lexes `text` (uncached: for fragments). */
export function lexText(text: string, file = "<lsp>"): Lexed {
  const r = lex(text, file);
  return { tokens: r.tokens.map(conv), comments: r.comments.map(conv) };
}

const cache = new WeakMap<SourceFile, Lexed>();

/** The tokens of a snapshot's file, lexed once per text (requests at one version share them). */
export function lexSource(source: SourceFile): Lexed {
  let r = cache.get(source);
  if (!r) cache.set(source, (r = lexText(source.text, source.path)));
  return r;
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
