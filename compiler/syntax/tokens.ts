// Token types of Edict. Owns: every token the lexer produces, the keyword list, the token
// categories the parser matches on, and the display text used in diagnostics ("`when`",
// "a name"), so messages speak Edict, never chevrotain token names.
// INVARIANT (order): `allTokens` is in lexer priority order: comments before `/`, doc comments
// before line comments, durations before numbers before bad numbers, keywords before
// identifiers (keywords are re-typed names, so `input` is a name, not `in` + `put`), two-char
// operators before their one-char prefixes.
import { createToken, Lexer, type TokenType } from "chevrotain";

/** Matches every real token: the parser's "skip anything" alternative in rule bodies. */
export const AnyToken = createToken({ name: "AnyToken", pattern: Lexer.NA });
/** Every keyword: accepted as an attribute or field name (`resource.type`, `{ default: 1 }`). */
export const Keyword = createToken({ name: "Keyword", pattern: Lexer.NA, categories: [AnyToken] });

/** `== != < <= > >= in like matches` (`has` is separate: its right side is an attribute). */
export const CompareOp = createToken({ name: "CompareOp", pattern: Lexer.NA });
export const AddOp = createToken({ name: "AddOp", pattern: Lexer.NA });
export const MulOp = createToken({ name: "MulOp", pattern: Lexer.NA });
/** `+ - * / %`: one rule parses both levels (see parser-expressions.ts). */
export const ArithOp = createToken({ name: "ArithOp", pattern: Lexer.NA });
/** `and or`: one rule parses both levels. */
export const LogicOp = createToken({ name: "LogicOp", pattern: Lexer.NA });

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\f\v\uFEFF\u00A0]+/, group: Lexer.SKIPPED });

// Comments go to the "comments" group: the parser never sees them, FileAst.comments keeps them.
export const DocComment = createToken({
  name: "DocComment",
  pattern: /\/\/\/(?!\/)[^\r\n]*/,
  group: "comments",
  start_chars_hint: ["/"],
});
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\r\n]*/, group: "comments" });
export const BlockComment = createToken({ name: "BlockComment", pattern: /\/\*[\s\S]*?\*\//, group: "comments" });
/** `/*` without `*\/`: swallows the rest of the file (E0104). */
export const UnterminatedBlockComment = createToken({
  name: "UnterminatedBlockComment",
  pattern: /\/\*[\s\S]*/,
  group: "comments",
});

export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/,
  categories: [AnyToken],
});
/** A string that reaches the end of its line (E0102); it ends there so the rest still parses. */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/,
  categories: [StringLiteral, AnyToken],
});

export const DurationLiteral = createToken({
  name: "DurationLiteral",
  pattern: /\d+(?:\.\d+)?(?:ms|s|m|h|d)(?![A-Za-z0-9_])/,
  categories: [AnyToken],
  start_chars_hint: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
});
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![A-Za-z0-9_]|\.\d)/,
  categories: [AnyToken],
  start_chars_hint: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
});
/** `15min`, `1.2.3`, `1e`: parsed as a number (value 0) and reported (E0108). */
export const BadNumber = createToken({
  name: "BadNumber",
  pattern: /\d(?:[A-Za-z0-9_]|\.\d)*/,
  categories: [NumberLiteral, AnyToken],
});

export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/, categories: [AnyToken] });

const COMPARISON_WORDS = new Set(["in", "like", "matches"]);

// Keywords are not matched by the lexer: it lexes a name, and `retypeKeywords` (lexer.ts) turns
// names that are keywords into keyword tokens. Trying 35 keyword patterns before every name
// cost a third of the lexing time.
const LOGIC_WORDS = new Set(["and", "or"]);

function keyword(word: string): TokenType {
  const categories = [Keyword, AnyToken];
  if (COMPARISON_WORDS.has(word)) categories.push(CompareOp);
  if (LOGIC_WORDS.has(word)) categories.push(LogicOp);
  return createToken({ name: "Kw_" + word, pattern: Lexer.NA, categories });
}

export const KEYWORDS = [
  "package", "default", "allow", "deny", "type", "request", "def", "permit", "forbid", "for",
  "in", "let", "when", "unless", "reason", "test", "expect", "by", "override", "some", "every",
  "count", "where", "if", "then", "else", "with", "has", "like", "matches", "not", "and", "or",
  "true", "false",
] as const;
export type KeywordText = (typeof KEYWORDS)[number];

export const kw = Object.fromEntries(KEYWORDS.map((w) => [w, keyword(w)])) as Record<KeywordText, TokenType>;
/** Keyword text -> token type, for the lexer's post-pass. */
export const KEYWORD_BY_TEXT: ReadonlyMap<string, TokenType> = new Map(KEYWORDS.map((w) => [w, kw[w]]));

function punct(name: string, text: string, category?: TokenType): TokenType {
  const escaped = text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const categories = category ? [category, AnyToken] : [AnyToken];
  if (category === AddOp || category === MulOp) categories.push(ArithOp);
  return createToken({ name, pattern: new RegExp(escaped), categories });
}

export const EqEq = punct("EqEq", "==", CompareOp);
export const NotEq = punct("NotEq", "!=", CompareOp);
export const LtEq = punct("LtEq", "<=", CompareOp);
export const GtEq = punct("GtEq", ">=", CompareOp);
export const Lt = punct("Lt", "<", CompareOp);
export const Gt = punct("Gt", ">", CompareOp);
export const Eq = punct("Eq", "=");
export const LBrace = punct("LBrace", "{");
export const RBrace = punct("RBrace", "}");
export const LParen = punct("LParen", "(");
export const RParen = punct("RParen", ")");
export const LBracket = punct("LBracket", "[");
export const RBracket = punct("RBracket", "]");
export const Comma = punct("Comma", ",");
export const Colon = punct("Colon", ":");
export const Dot = punct("Dot", ".");
export const Question = punct("Question", "?");
export const Pipe = punct("Pipe", "|");
export const At = punct("At", "@");
export const Plus = punct("Plus", "+", AddOp);
export const Minus = punct("Minus", "-", AddOp);
export const Star = punct("Star", "*", MulOp);
export const Slash = punct("Slash", "/", MulOp);
export const Percent = punct("Percent", "%", MulOp);

/** Lexer order (see the INVARIANT above). */
export const lexerTokens: TokenType[] = [
  WhiteSpace,
  DocComment,
  LineComment,
  BlockComment,
  UnterminatedBlockComment,
  StringLiteral,
  UnterminatedString,
  DurationLiteral,
  NumberLiteral,
  BadNumber,
  Identifier,
  EqEq,
  NotEq,
  LtEq,
  GtEq,
  Lt,
  Gt,
  Eq,
  LBrace,
  RBrace,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Colon,
  Dot,
  Question,
  Pipe,
  At,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
];

/** The parser's vocabulary: the lexer's tokens, the keywords and the categories. */
export const allTokens: TokenType[] = [...lexerTokens, ...KEYWORDS.map((w) => kw[w]), AnyToken, Keyword, CompareOp, AddOp, MulOp, ArithOp, LogicOp];

const display = new Map<TokenType, string>([
  [StringLiteral, "a string"],
  [UnterminatedString, "a string"],
  [DurationLiteral, "a duration"],
  [NumberLiteral, "a number"],
  [BadNumber, "a number"],
  [Identifier, "a name"],
  [Keyword, "a name"],
  [AnyToken, "a token"],
  [CompareOp, "a comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`, `in`, `like`, `matches`)"],
  [AddOp, "`+` or `-`"],
  [MulOp, "`*`, `/` or `%`"],
  [ArithOp, "an arithmetic operator"],
  [LogicOp, "`and` or `or`"],
]);
for (const w of KEYWORDS) display.set(kw[w], "`" + w + "`");
for (const t of [EqEq, NotEq, LtEq, GtEq, Lt, Gt, Eq, LBrace, RBrace, LParen, RParen, LBracket, RBracket, Comma, Colon, Dot, Question, Pipe, At, Plus, Minus, Star, Slash, Percent]) {
  display.set(t, "`" + (t.PATTERN as RegExp).source.replace(/\\/g, "") + "`");
}

/** How a token type reads in a message: "`when`", "`{`", "a name", "a string". */
export function describeTokenType(t: TokenType): string {
  return display.get(t) ?? "`" + t.name + "`";
}

/** Declaration keywords: where the top level re-synchronises after an error. */
export const DECLARATION_KEYWORDS: readonly TokenType[] = [kw.package, kw.permit, kw.forbid, kw.def, kw.type, kw.request, kw.test];
/** Clause keywords inside a rule body. */
export const CLAUSE_KEYWORDS: readonly TokenType[] = [kw.for, kw.let, kw.when, kw.unless, kw.reason];
