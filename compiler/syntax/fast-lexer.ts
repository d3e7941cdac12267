// The lexer's fast path. Owns: a hand-written scanner for clean text, tried before chevrotain's
// generic lexer (lexer.ts). Why: chevrotain's tokenizer is one large generic loop that warms up
// slowly; `edict check`/`compile` lex each file once, cold, and it was a fifth of the parse.
// Input: a text (a window of a file, or an interpolation) and the offset it starts at.
// Output: exactly the tokens and comment tokens chevrotain makes (same objects: image,
// startOffset, tokenTypeIdx, tokenType, keywords already re-typed), or `undefined`.
// INVARIANT (all or nothing): the scanner follows the token patterns of tokens.ts in lexer
// priority order; at anything that would make chevrotain report (a stray character, an
// unterminated string or block comment, a malformed number) or that it does not handle
// (non-ASCII outside strings and comments), it gives up and the whole text is lexed by
// chevrotain. test/syntax/fast-lexer.test.ts compares both on fixtures and random texts.
import type { IToken, TokenType } from "chevrotain";
import {
  At,
  BlockComment,
  Colon,
  Comma,
  DocComment,
  Dot,
  DurationLiteral,
  Eq,
  EqEq,
  Gt,
  GtEq,
  Identifier,
  KEYWORD_BY_TEXT,
  LBrace,
  LBracket,
  LineComment,
  LParen,
  Lt,
  LtEq,
  Minus,
  NotEq,
  NumberLiteral,
  Percent,
  Pipe,
  Plus,
  Question,
  RBrace,
  RBracket,
  RParen,
  Slash,
  Star,
  StringLiteral,
} from "./tokens.ts";

export interface FastLexResult {
  readonly tokens: IToken[];
  readonly comments: IToken[];
}

/** A file's words: one shared image per distinct name or keyword, with its token type. */
export type WordTable = Map<string, { readonly image: string; readonly type: TokenType }>;

/** Switch for tests (fast path vs. chevrotain alone); always on otherwise. */
export const fastLexer = { enabled: true };

// The number patterns of tokens.ts, sticky: tried in the lexer's order at a digit.
const DURATION = /\d+(?:\.\d+)?(?:ms|s|m|h|d)(?![A-Za-z0-9_])/y;
const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![A-Za-z0-9_]|\.\d)/y;

/** Single-character punctuation by char code (the two-character operators are handled apart). */
const SINGLE: (TokenType | undefined)[] = [];
for (const [ch, type] of [
  ["{", LBrace],
  ["}", RBrace],
  ["(", LParen],
  [")", RParen],
  ["[", LBracket],
  ["]", RBracket],
  [",", Comma],
  [":", Colon],
  [".", Dot],
  ["?", Question],
  ["|", Pipe],
  ["@", At],
  ["+", Plus],
  ["-", Minus],
  ["*", Star],
  ["%", Percent],
] as const) {
  SINGLE[ch.charCodeAt(0)] = type;
}

/** The images of the two-character operators (constant strings: BinaryExpr keeps `op`). */
const TWO_CHAR_IMAGE = new Map<TokenType, string>([
  [EqEq, "=="],
  [NotEq, "!="],
  [LtEq, "<="],
  [GtEq, ">="],
]);

function token(image: string, startOffset: number, type: TokenType): IToken {
  // Same members in the same order as chevrotain's offset-only tokens.
  return { image, startOffset, tokenTypeIdx: type.tokenTypeIdx!, tokenType: type } as IToken;
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * Lexes `text` (offsets shifted by `base`), or gives up (undefined): see the module comment.
 * `words`: the file's table of name and keyword images. The AST keeps names (and keyword
 * operators) for the life of the program: one shared string per distinct word, instead of a
 * fresh copy per occurrence, is a sixth fewer objects for the GC to move, and the checker's
 * lookups by name find the hash already computed.
 */
export function fastLex(text: string, base: number, words?: WordTable): FastLexResult | undefined {
  if (!fastLexer.enabled) return undefined;
  const tokens: IToken[] = [];
  const comments: IToken[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    // Whitespace: [ \t\r\n\f\v\uFEFF\u00A0]+
    if (c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 11 || c === 0xfeff || c === 0xa0) {
      i++;
      continue;
    }
    const start = i;
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) {
      i++;
      while (i < n && isNameChar(text.charCodeAt(i))) i++;
      const image = text.slice(start, i);
      if (words !== undefined) {
        let word = words.get(image);
        if (word === undefined) words.set(image, (word = { image, type: KEYWORD_BY_TEXT.get(image) ?? Identifier }));
        tokens.push(token(word.image, base + start, word.type));
      } else tokens.push(token(image, base + start, KEYWORD_BY_TEXT.get(image) ?? Identifier));
      continue;
    }
    if (c >= 48 && c <= 57) {
      DURATION.lastIndex = start;
      let m = DURATION.exec(text);
      let type: TokenType = DurationLiteral;
      if (m === null) {
        NUMBER.lastIndex = start;
        m = NUMBER.exec(text);
        type = NumberLiteral;
      }
      if (m === null) return undefined; // a malformed number (E0108)
      i = start + m[0].length;
      tokens.push(token(m[0], base + start, type));
      continue;
    }
    if (c === 34 /* " */) {
      // "(?:[^"\\\r\n]|\\[^\r\n])*"
      i++;
      for (;;) {
        if (i >= n) return undefined; // unterminated (E0102)
        const d = text.charCodeAt(i);
        if (d === 34) break;
        if (d === 10 || d === 13) return undefined;
        if (d === 92 /* \ */) {
          if (i + 1 >= n) return undefined;
          const e = text.charCodeAt(i + 1);
          if (e === 10 || e === 13) return undefined;
          i += 2;
        } else i++;
      }
      i++;
      tokens.push(token(text.slice(start, i), base + start, StringLiteral));
      continue;
    }
    if (c === 47 /* / */) {
      const d = i + 1 < n ? text.charCodeAt(i + 1) : -1;
      if (d === 47) {
        // `///` not followed by `/` is a doc comment, otherwise a line comment: to the line end.
        const doc = i + 2 < n && text.charCodeAt(i + 2) === 47 && !(i + 3 < n && text.charCodeAt(i + 3) === 47);
        i += 2;
        while (i < n) {
          const e = text.charCodeAt(i);
          if (e === 10 || e === 13) break;
          i++;
        }
        comments.push(token(text.slice(start, i), base + start, doc ? DocComment : LineComment));
        continue;
      }
      if (d === 42 /* * */) {
        const close = text.indexOf("*/", i + 2);
        if (close < 0) return undefined; // unterminated (E0104)
        i = close + 2;
        comments.push(token(text.slice(start, i), base + start, BlockComment));
        continue;
      }
      i++;
      tokens.push(token("/", base + start, Slash));
      continue;
    }
    const d = i + 1 < n ? text.charCodeAt(i + 1) : -1;
    let type: TokenType | undefined;
    let len = 1;
    switch (c) {
      case 61 /* = */:
        type = d === 61 ? EqEq : Eq;
        break;
      case 33 /* ! */:
        if (d !== 61) return undefined; // a stray `!` (E0101)
        type = NotEq;
        break;
      case 60 /* < */:
        type = d === 61 ? LtEq : Lt;
        break;
      case 62 /* > */:
        type = d === 61 ? GtEq : Gt;
        break;
      default:
        type = SINGLE[c];
        if (type === undefined) return undefined; // not an Edict character (E0101), or non-ASCII
    }
    if (type === EqEq || type === NotEq || type === LtEq || type === GtEq) len = 2;
    i += len;
    tokens.push(token(len === 1 ? text[start]! : TWO_CHAR_IMAGE.get(type)!, base + start, type));
  }
  return { tokens, comments };
}
