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
export type InterpolationParser = (tokens: IToken[], start: number, end: number) => Expr | undefined;

export function lowerTemplate(ctx: SyntaxContext, tok: IToken, parseInterpolation: InterpolationParser): TemplateLit {
  const decoded = decodeString(tok.image, true, true);
  reportEscapes(ctx, tok, decoded.errors);
  const text = decoded.value;
  const base = tok.startOffset;
  const map = decoded.rawStart;
  const escaped = decoded.escaped;
  /** Source offset of decoded position `i` (`i == text.length`: the end of the contents). */
  const at = (i: number) => base + (map ? map[i]! : i + 1);
  const parts: TemplatePart[] = [];
  let textStart = 0; // decoded index where the current text part starts

  const flushText = (end: number) => {
    if (end > textStart) parts.push({ kind: "TemplateText", value: text.slice(textStart, end), span: ctx.span(at(textStart), at(end)) });
  };

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
      ctx.error("E0109", "unclosed `{` in reason template", ctx.span(at(open), at(open + 1)), "close the interpolation with `}`, or write `\\{` for a literal brace");
      break;
    }
    flushText(open);
    const span = ctx.span(at(open), at(close + 1));
    let expr: Expr | undefined;
    if (text.slice(open + 1, close).trim() === "") {
      ctx.error("E0109", "empty `{}` in reason template", span, "put an expression between the braces, or write `\\{` for a literal brace");
    } else {
      expr = parseInner(ctx, text, open + 1, close, at, parseInterpolation);
    }
    parts.push({ kind: "TemplateInterp", expr, span });
    i = close + 1;
    textStart = i;
  }
  flushText(text.length);
  return { kind: "TemplateLit", parts, span: tokenSpan(ctx, tok) };
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

function parseInner(ctx: SyntaxContext, text: string, from: number, to: number, at: (i: number) => number, parse: InterpolationParser): Expr | undefined {
  const src = text.slice(from, to);
  const lexed = lex(src, ctx.file);
  for (const d of lexed.diagnostics) {
    ctx.diagnostics.push({ ...d, span: ctx.span(at(from + d.span.start), at(from + d.span.end)) });
  }
  const tokens = lexed.tokens;
  for (const t of tokens) {
    // Re-point each token into the source; its end is explicit since escapes change lengths.
    const s = at(from + t.startOffset);
    const e = at(from + t.startOffset + t.image.length);
    t.startOffset = s;
    t.endOffset = Math.max(s, e) - 1;
  }
  return parse(tokens, at(from), at(to));
}
