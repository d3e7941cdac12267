// The lexer. Owns: text -> tokens (for the parser) + comment tokens (for FileAst.comments) +
// lexical diagnostics (E0101 unexpected character, E0102 unterminated string, E0104
// unterminated block comment, E0108 bad number). Escapes inside strings are checked where
// strings are decoded (lower.ts, template.ts), because templates map them to offsets.
// Clean text is lexed by the hand-written scanner of fast-lexer.ts (same tokens); chevrotain's
// lexer takes any text that scanner gives up on, and makes every lexical diagnostic.
// INVARIANT: never throws; every character of the text is either in a token, in a comment,
// whitespace, or covered by an E0101 diagnostic.
import { Lexer, type IToken } from "chevrotain";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { span } from "../source/span.ts";
import { fastLex, type WordTable } from "./fast-lexer.ts";
import { BadNumber, Identifier, KEYWORD_BY_TEXT, lexerTokens, UnterminatedBlockComment, UnterminatedString } from "./tokens.ts";

/** Chevrotain's lexer, built on first use (clean text never needs it). */
let lexer: Lexer | undefined;
function chevrotainLexer(): Lexer {
  return (lexer ??= new Lexer(lexerTokens, {
    positionTracking: "onlyOffset",
    ensureOptimizations: false,
    skipValidations: true,
  }));
}

export interface LexResult {
  readonly tokens: IToken[];
  readonly comments: IToken[];
  readonly diagnostics: Diagnostic[];
}

/** Extra advice for characters people bring from other languages. */
const CHAR_HELP: Record<string, string> = {
  "&": "write `and` for a logical and",
  "!": "write `not` for a negation, `!=` for inequality",
  "'": "strings use double quotes: `\"text\"`",
  ";": "clauses and declarations need no separator",
  "$": "names are letters, digits and `_`",
  "#": "comments start with `//`",
};

/**
 * Lexes `text`; with `base`, the text is a window of a file starting at offset `base` and every
 * offset (tokens, comments, diagnostics) is shifted into the file. `words`: the file's shared
 * name images (see fast-lexer.ts).
 */
export function lex(text: string, file: string, base = 0, words?: WordTable): LexResult {
  const fast = fastLex(text, base, words);
  if (fast) return { tokens: fast.tokens, comments: fast.comments, diagnostics: [] };
  return chevrotainLex(text, file, base);
}

/** `text[from, to)` of a whole file's text: the same result as `lex(text.slice(from, to), file, from)`. */
export function lexWindow(text: string, file: string, from: number, to: number, words?: WordTable): LexResult {
  const fast = fastLex(text, 0, words, from, to);
  if (fast) return { tokens: fast.tokens, comments: fast.comments, diagnostics: [] };
  return chevrotainLex(text.slice(from, to), file, from);
}

function chevrotainLex(text: string, file: string, base: number): LexResult {
  const diagnostics: Diagnostic[] = [];
  const result = chevrotainLexer().tokenize(text);
  if (base !== 0) {
    for (const t of result.tokens) t.startOffset += base;
    for (const t of result.groups["comments"] ?? []) t.startOffset += base;
    for (const e of result.errors) e.offset += base;
  }
  for (const e of result.errors) {
    const chars = text.slice(e.offset - base, e.offset - base + e.length);
    const first = chars.charAt(0);
    const shown = chars.length > 12 ? chars.slice(0, 12) + "…" : chars;
    const d: Diagnostic = {
      code: "E0101",
      severity: "error",
      message: chars.length === 1 ? `unexpected character \`${shown}\`` : `unexpected characters \`${shown}\``,
      span: span(file, e.offset, e.offset + e.length),
      ...(CHAR_HELP[first] ? { help: CHAR_HELP[first] } : {}),
    };
    diagnostics.push(d);
  }
  for (const t of result.tokens) {
    if (t.tokenType === Identifier) {
      const k = KEYWORD_BY_TEXT.get(t.image);
      if (k !== undefined) {
        t.tokenType = k;
        t.tokenTypeIdx = k.tokenTypeIdx!;
      }
    } else if (t.tokenType === UnterminatedString) {
      diagnostics.push({
        code: "E0102",
        severity: "error",
        message: "unterminated string",
        span: span(file, t.startOffset, t.startOffset + t.image.length),
        help: "close the string with `\"` on the same line",
      });
    } else if (t.tokenType === BadNumber) {
      diagnostics.push({
        code: "E0108",
        severity: "error",
        message: `invalid number or duration \`${t.image}\``,
        span: span(file, t.startOffset, t.startOffset + t.image.length),
        help: "numbers look like `12`, `3.5` or `1e3`; durations like `250ms`, `90s`, `15m`, `24h` or `7d`",
      });
    }
  }
  const comments = result.groups["comments"] ?? [];
  for (const c of comments) {
    if (c.tokenType === UnterminatedBlockComment) {
      diagnostics.push({
        code: "E0104",
        severity: "error",
        message: "unterminated block comment",
        span: span(file, c.startOffset, c.startOffset + 2),
        help: "close the comment with `*/`",
      });
    }
  }
  return { tokens: result.tokens, comments, diagnostics };
}
