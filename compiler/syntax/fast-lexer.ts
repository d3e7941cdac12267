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
export type WordTable = Map<string, { readonly image: string; readonly type: TokenType; readonly idx: number }>;

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

const SINGLE_IDX = SINGLE.map((t) => t?.tokenTypeIdx);

/**
 * Same members in the same order as chevrotain's offset-only tokens. `idx` is passed in (from
 * the tables above) rather than read from `type`: token types have many shapes, so reading it
 * at every token was a megamorphic property load.
 */
function token(image: string, startOffset: number, type: TokenType, idx: number): IToken {
  return { image, startOffset, tokenTypeIdx: idx, tokenType: type } as IToken;
}

const IDX_STRING = StringLiteral.tokenTypeIdx!;
const IDX_DURATION = DurationLiteral.tokenTypeIdx!;
const IDX_NUMBER = NumberLiteral.tokenTypeIdx!;
const IDX_SLASH = Slash.tokenTypeIdx!;
const IDX_DOC = DocComment.tokenTypeIdx!;
const IDX_LINE = LineComment.tokenTypeIdx!;
const IDX_BLOCK = BlockComment.tokenTypeIdx!;
const IDX_EQEQ = EqEq.tokenTypeIdx!;
const IDX_EQ = Eq.tokenTypeIdx!;
const IDX_NOTEQ = NotEq.tokenTypeIdx!;
const IDX_LTEQ = LtEq.tokenTypeIdx!;
const IDX_LT = Lt.tokenTypeIdx!;
const IDX_GTEQ = GtEq.tokenTypeIdx!;
const IDX_GT = Gt.tokenTypeIdx!;

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * Lexes `text` (or `text[from, to)`; offsets shifted by `base`), or gives up (undefined): see
 * the module comment.
 * `words`: the file's table of name and keyword images. The AST keeps names (and keyword
 * operators) for the life of the program: one shared string per distinct word, instead of a
 * fresh copy per occurrence, is a sixth fewer objects for the GC to move, and the checker's
 * lookups by name find the hash already computed.
 */
export function fastLex(text: string, base: number, words?: WordTable, from = 0, to = text.length): FastLexResult | undefined {
  if (!fastLexer.enabled) return undefined;
  const tokens: IToken[] = [];
  const comments: IToken[] = [];
  // Lexes text[from, to) (a window of a whole file, so no slice: reading a flat string is
  // cheaper than a sliced one); nothing may reach past `to`.
  const n = to;
  let i = from;
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
        if (word === undefined) {
          const type = KEYWORD_BY_TEXT.get(image) ?? Identifier;
          words.set(image, (word = { image, type, idx: type.tokenTypeIdx! }));
        }
        tokens.push(token(word.image, base + start, word.type, word.idx));
      } else {
        const type = KEYWORD_BY_TEXT.get(image) ?? Identifier;
        tokens.push(token(image, base + start, type, type.tokenTypeIdx!));
      }
      continue;
    }
    if (c >= 48 && c <= 57) {
      DURATION.lastIndex = start;
      let m = DURATION.exec(text);
      let type: TokenType = DurationLiteral;
      let idx = IDX_DURATION;
      if (m === null) {
        NUMBER.lastIndex = start;
        m = NUMBER.exec(text);
        type = NumberLiteral;
        idx = IDX_NUMBER;
      }
      if (m === null) return undefined; // a malformed number (E0108)
      i = start + m[0].length;
      if (i > n) return undefined;
      tokens.push(token(m[0], base + start, type, idx));
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
      tokens.push(token(text.slice(start, i), base + start, StringLiteral, IDX_STRING));
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
        comments.push(doc ? token(text.slice(start, i), base + start, DocComment, IDX_DOC) : token(text.slice(start, i), base + start, LineComment, IDX_LINE));
        continue;
      }
      if (d === 42 /* * */) {
        const close = text.indexOf("*/", i + 2);
        if (close < 0 || close + 2 > n) return undefined; // unterminated (E0104) in this text
        i = close + 2;
        comments.push(token(text.slice(start, i), base + start, BlockComment, IDX_BLOCK));
        continue;
      }
      i++;
      tokens.push(token("/", base + start, Slash, IDX_SLASH));
      continue;
    }
    // Punctuation; the two-character operators get constant images (BinaryExpr keeps `op`).
    const eq = i + 1 < n && text.charCodeAt(i + 1) === 61;
    let type: TokenType | undefined;
    let idx: number;
    let image: string;
    switch (c) {
      case 61 /* = */:
        if (eq) (type = EqEq), (idx = IDX_EQEQ), (image = "==");
        else (type = Eq), (idx = IDX_EQ), (image = "=");
        break;
      case 33 /* ! */:
        if (!eq) return undefined; // a stray `!` (E0101)
        (type = NotEq), (idx = IDX_NOTEQ), (image = "!=");
        break;
      case 60 /* < */:
        if (eq) (type = LtEq), (idx = IDX_LTEQ), (image = "<=");
        else (type = Lt), (idx = IDX_LT), (image = "<");
        break;
      case 62 /* > */:
        if (eq) (type = GtEq), (idx = IDX_GTEQ), (image = ">=");
        else (type = Gt), (idx = IDX_GT), (image = ">");
        break;
      default:
        type = SINGLE[c];
        if (type === undefined) return undefined; // not an Edict character (E0101), or non-ASCII
        idx = SINGLE_IDX[c]!;
        image = text[start]!;
    }
    i += image.length;
    tokens.push(token(image, base + start, type, idx));
  }
  return { tokens, comments };
}
