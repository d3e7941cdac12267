// Reason templates. Owns: splitting a `reason "..."` string into TemplateText and
// TemplateInterp parts. The string is decoded first (JSON escapes; `\{` `\}` are literal
// braces), then `{expr}` is found on the decoded text (nested braces and strings inside the
// expression are skipped), the expression text is lexed and parsed by the one parser.
// INVARIANT (spans): every span points into the original source: each decoded character keeps
// the raw offset it came from, so `\"` inside an interpolation maps back across the escape.
// E0109: an unclosed `{`, or an empty `{}`.
import type { IToken } from "chevrotain";
import type { Expr, TemplateLit, TemplatePart } from "./ast.ts";
import { lex } from "./lexer.ts";
import { reportEscapes, type SyntaxContext, tokenSpan } from "./lower.ts";
import { decodeString } from "./string-literal.ts";

/** Parses interpolation tokens (offsets already in the source) into one expression. */
export type InterpolationParser = (ctx: SyntaxContext, tokens: IToken[], start: number, end: number) => Expr | undefined;

/** Source offset of decoded position `i` (`i == length`: the end of the contents). */
function sourceAt(base: number, map: Int32Array | undefined, i: number): number {
  return base + (map ? map[i]! : i + 1);
}

export function lowerTemplate(ctx: SyntaxContext, tok: IToken, parseInterpolation: InterpolationParser): TemplateLit {
  const decoded = decodeString(tok.image, true, true);
  if (decoded.errors.length > 0) reportEscapes(ctx, tok, decoded.errors);
  const text = decoded.value;
  const base = tok.startOffset;
  const map = decoded.rawStart;
  const escaped = decoded.escaped;
  const parts: TemplatePart[] = [];
  let textStart = 0; // decoded index where the current text part starts

  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("{", i);
    if (open < 0) break;
    if (escaped && escaped[open] === 1) {
      i = open + 1;
      continue;
    }
    const close = findClose(text, open + 1);
    if (close < 0) {
      // The rest is kept as literal text so nothing else cascades.
      ctx.error("E0109", "unclosed `{` in reason template", ctx.span(sourceAt(base, map, open), sourceAt(base, map, open + 1)), "close the interpolation with `}`, or write `\\{` for a literal brace");
      break;
    }
    if (open > textStart) parts.push(textPart(ctx, text, textStart, open, base, map));
    const span = ctx.span(sourceAt(base, map, open), sourceAt(base, map, close + 1));
    let expr: Expr | undefined;
    if (isBlank(text, open + 1, close)) {
      ctx.error("E0109", "empty `{}` in reason template", span, "put an expression between the braces, or write `\\{` for a literal brace");
    } else {
      expr = parseInner(ctx, text, open + 1, close, base, map, parseInterpolation);
    }
    parts.push({ kind: "TemplateInterp", expr, span });
    i = close + 1;
    textStart = i;
  }
  if (text.length > textStart) parts.push(textPart(ctx, text, textStart, text.length, base, map));
  return { kind: "TemplateLit", parts, span: tokenSpan(ctx, tok) };
}

function textPart(ctx: SyntaxContext, text: string, start: number, end: number, base: number, map: Int32Array | undefined): TemplatePart {
  return { kind: "TemplateText", value: text.slice(start, end), span: ctx.span(sourceAt(base, map, start), sourceAt(base, map, end)) };
}

/** Only whitespace (as `String.prototype.trim` sees it) between `from` and `to`? */
function isBlank(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return text.slice(from, to).trim() === "";
  }
  return true;
}

/** Index of the `}` closing the interpolation whose contents start at `from`, or -1. */
function findClose(text: string, from: number): number {
  let depth = 0;
  let inString = false;
  for (let k = from; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (inString) {
      if (c === 92 /* \ */) k++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */) depth++;
    else if (c === 125 /* } */) {
      if (depth === 0) return k;
      depth--;
    }
  }
  return -1;
}

function parseInner(ctx: SyntaxContext, text: string, from: number, to: number, base: number, map: Int32Array | undefined, parse: InterpolationParser): Expr | undefined {
  const src = text.slice(from, to);
  const lexed = lex(src, ctx.file, 0, ctx.words);
  for (const d of lexed.diagnostics) {
    ctx.diagnostics.push({ ...d, span: ctx.span(sourceAt(base, map, from + d.span.start), sourceAt(base, map, from + d.span.end)) });
  }
  const tokens = lexed.tokens;
  for (const t of tokens) {
    // Re-point each token into the source; its end is explicit since escapes change lengths.
    const s = sourceAt(base, map, from + t.startOffset);
    const e = sourceAt(base, map, from + t.startOffset + t.image.length);
    t.startOffset = s;
    t.endOffset = Math.max(s, e) - 1;
  }
  return parse(ctx, tokens, sourceAt(base, map, from), sourceAt(base, map, to));
}
