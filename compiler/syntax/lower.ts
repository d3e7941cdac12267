// Lowering: tokens and parsed pieces -> AST nodes. Owns: the syntax context shared by the parser's
// actions (file, text, diagnostic sink, doc comments, pending reason templates), span helpers,
// literal decoding (strings, numbers, durations) and the reporting helpers for syntax errors.
// INVARIANT (spans): every span made here is finite with 0 <= start <= end <= text.length.
// Chevrotain gives recovery-inserted tokens and EOF NaN offsets; `isRealToken` filters them,
// and every position falls back to a neighbour (`prevEnd`) instead.
import { EOF, type IToken } from "chevrotain";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { span, type Span } from "../source/span.ts";
import type {
  BinaryExpr,
  BinaryOp,
  BoolLit,
  DocComment,
  DurationLit,
  ErrorExpr,
  Expr,
  Identifier,
  NumberLit,
  ReasonClause,
  StringLit,
  TemplateLit,
} from "./ast.ts";
import type { DocIndex } from "./comments.ts";
import type { WordTable } from "./fast-lexer.ts";
import { decodeString, VALID_ESCAPES_HELP } from "./string-literal.ts";
import { BadNumber } from "./tokens.ts";

/** A `reason` string waiting to be split into a template once its declaration is parsed. */
export interface PendingTemplate {
  readonly clause: { template: TemplateLit | undefined };
  readonly token: IToken;
}

/** Everything the parser's actions need; one per parse (the parser instance is shared). */
export class SyntaxContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly pendingTemplates: PendingTemplate[] = [];
  /** One shared string per distinct name in this file (the lexer's `words` table). */
  readonly words: WordTable = new Map();
  /** Where "nothing consumed yet" points: the start of the current input. */
  inputStart = 0;
  /** Offset used for the end of the current input (EOF has no position). */
  inputEnd = 0;

  constructor(
    readonly file: string,
    readonly text: string,
    readonly docs: DocIndex | undefined,
  ) {}

  /** A span inside the text. Non-finite ends (recovery tokens) fall back to the other end. */
  span(start: number, end: number): Span {
    const len = this.text.length;
    const okStart = Number.isFinite(start);
    const okEnd = Number.isFinite(end);
    const s = clamp(okStart ? start : okEnd ? end : this.inputStart, len);
    const e = clamp(okEnd ? end : s, len);
    return span(this.file, s, Math.max(s, e));
  }

  error(code: string, message: string, s: Span, help?: string): void {
    this.diagnostics.push(help === undefined ? { code, severity: "error", message, span: s } : { code, severity: "error", message, span: s, help });
  }

  doc(declStart: number): DocComment | undefined {
    return this.docs?.docBefore(declStart);
  }
}

function clamp(n: number, len: number): number {
  if (!Number.isFinite(n) || n < 0) return 0;
  return n > len ? len : n;
}

export function isRealToken(t: IToken | undefined): t is IToken {
  return t !== undefined && t.tokenType !== EOF && Number.isFinite(t.startOffset) && t.startOffset >= 0 && !t.isInsertedInRecovery;
}

/** End offset (exclusive). Template interpolation tokens carry an explicit endOffset. */
export function tokenEnd(t: IToken): number {
  const e = t.endOffset;
  return e !== undefined && Number.isFinite(e) ? e + 1 : t.startOffset + t.image.length;
}

export function tokenSpan(ctx: SyntaxContext, t: IToken): Span {
  return ctx.span(t.startOffset, tokenEnd(t));
}

/** How a found token reads in a message: "`}`", "`permit`", "end of input". */
export function showToken(t: IToken): string {
  if (!isRealToken(t)) return "end of input";
  const img = t.image.length > 24 ? t.image.slice(0, 24) + "…" : t.image;
  return "`" + img + "`";
}

// ---------------------------------------------------------------- literals

export function identifier(ctx: SyntaxContext, t: IToken): Identifier {
  return { kind: "Identifier", name: t.image, span: tokenSpan(ctx, t) };
}

export function stringLit(ctx: SyntaxContext, t: IToken): StringLit {
  const d = decodeString(t.image);
  reportEscapes(ctx, t, d.errors);
  return { kind: "StringLit", value: d.value, span: tokenSpan(ctx, t) };
}

export function reportEscapes(ctx: SyntaxContext, t: IToken, errors: readonly { start: number; end: number; message: string }[]): void {
  // Tokens re-mapped from a template interpolation have an explicit end: point at the token.
  const remapped = t.endOffset !== undefined && Number.isFinite(t.endOffset);
  for (const e of errors) {
    const s = remapped ? tokenSpan(ctx, t) : ctx.span(t.startOffset + e.start, t.startOffset + e.end);
    ctx.error("E0103", e.message, s, VALID_ESCAPES_HELP);
  }
}

export function numberLit(ctx: SyntaxContext, t: IToken): NumberLit {
  const raw = t.image;
  let value = t.tokenType === BadNumber ? 0 : Number(raw);
  if (!Number.isFinite(value)) {
    ctx.error("E0108", `number \`${raw}\` is too large`, tokenSpan(ctx, t), "numbers are IEEE doubles: at most about `1.8e308`");
    value = 0;
  }
  return { kind: "NumberLit", value, raw, span: tokenSpan(ctx, t) };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function durationLit(ctx: SyntaxContext, t: IToken): DurationLit {
  const raw = t.image;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(raw);
  let ms = m ? Number(m[1]) * UNIT_MS[m[2]!]! : 0;
  if (!Number.isFinite(ms)) {
    ctx.error("E0108", `duration \`${raw}\` is too large`, tokenSpan(ctx, t));
    ms = 0;
  }
  return { kind: "DurationLit", ms, raw, span: tokenSpan(ctx, t) };
}

export function boolLit(ctx: SyntaxContext, t: IToken): BoolLit {
  return { kind: "BoolLit", value: t.image === "true", span: tokenSpan(ctx, t) };
}

/**
 * `left op right`. The span comes from the operands, not from the parse position: the parsers
 * fold a lower-precedence chain only when its next operator arrives.
 */
export function binaryExpr(ctx: SyntaxContext, left: Expr, op: IToken, right: Expr | undefined): BinaryExpr {
  const opEnd = op.startOffset + op.image.length;
  return {
    kind: "BinaryExpr",
    op: op.image as BinaryOp,
    left,
    right,
    opSpan: ctx.span(op.startOffset, opEnd),
    span: ctx.span(left.span.start, Math.max(right ? right.span.end : 0, opEnd)),
  };
}

export function errorExpr(ctx: SyntaxContext, at: number): ErrorExpr {
  return { kind: "ErrorExpr", span: ctx.span(at, at) };
}

/** Joins a node's span from `start` to the end of `last` (a child or a position). */
export function spanTo(ctx: SyntaxContext, start: number, end: number): Span {
  return ctx.span(start, end);
}

export function exprOrError(ctx: SyntaxContext, e: Expr | undefined, at: number): Expr {
  return e ?? errorExpr(ctx, at);
}

export function newReasonClause(ctx: SyntaxContext, start: number, end: number, token: IToken | undefined): ReasonClause {
  const clause = { kind: "ReasonClause" as const, template: undefined as TemplateLit | undefined, span: ctx.span(start, end) };
  if (token) ctx.pendingTemplates.push({ clause, token });
  return clause;
}
