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
import { decodeString, type DecodedChar } from "./string-literal.ts";

/** Parses interpolation tokens (offsets already in the source) into one expression. */
export type InterpolationParser = (tokens: IToken[], start: number, end: number) => Expr | undefined;

export function lowerTemplate(ctx: SyntaxContext, tok: IToken, parseInterpolation: InterpolationParser): TemplateLit {
  const decoded = decodeString(tok.image, true, true);
  reportEscapes(ctx, tok, decoded.errors);
  const chars = decoded.chars ?? [];
  const base = tok.startOffset;
  const parts: TemplatePart[] = [];
  let text = "";
  let textStart = base + 1;

  const flushText = (end: number) => {
    if (text.length > 0) parts.push({ kind: "TemplateText", value: text, span: ctx.span(textStart, end) });
    text = "";
  };

  let i = 0;
  while (i < chars.length) {
    const ch = chars[i]!;
    if (ch.text !== "{" || ch.escaped) {
      if (text.length === 0) textStart = base + ch.start;
      text += ch.text;
      i++;
      continue;
    }
    const close = findClose(chars, i + 1);
    if (close < 0) {
      ctx.error("E0109", "unclosed `{` in reason template", ctx.span(base + ch.start, base + ch.end), "close the interpolation with `}`, or write `\\{` for a literal brace");
      // The rest is kept as literal text so nothing else cascades.
      for (; i < chars.length; i++) {
        if (text.length === 0) textStart = base + chars[i]!.start;
        text += chars[i]!.text;
      }
      break;
    }
    flushText(base + ch.start);
    const openStart = base + ch.start;
    const closeEnd = base + chars[close]!.end;
    const inner = chars.slice(i + 1, close);
    let expr: Expr | undefined;
    if (inner.every((c) => /\s/.test(c.text))) {
      ctx.error("E0109", "empty `{}` in reason template", ctx.span(openStart, closeEnd), "put an expression between the braces, or write `\\{` for a literal brace");
    } else {
      expr = parseInner(ctx, inner, base, base + chars[close]!.start, parseInterpolation);
    }
    parts.push({ kind: "TemplateInterp", expr, span: ctx.span(openStart, closeEnd) });
    i = close + 1;
  }
  flushText(base + decoded.contentEnd);
  return { kind: "TemplateLit", parts, span: tokenSpan(ctx, tok) };
}

/** Index of the `}` closing the interpolation that starts at `from`, or -1. */
function findClose(chars: readonly DecodedChar[], from: number): number {
  let depth = 0;
  let inString = false;
  for (let k = from; k < chars.length; k++) {
    const c = chars[k]!.text;
    if (inString) {
      if (c === "\\") k++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}") {
      if (depth === 0) return k;
      depth--;
    }
  }
  return -1;
}

function parseInner(ctx: SyntaxContext, inner: readonly DecodedChar[], base: number, end: number, parse: InterpolationParser): Expr | undefined {
  const src = inner.map((c) => c.text).join("");
  // map[k]: source offset of decoded position k (k == src.length maps to the closing brace).
  const map = new Array<number>(src.length + 1);
  let k = 0;
  for (const c of inner) for (let j = 0; j < c.text.length; j++) map[k++] = base + c.start;
  map[src.length] = end;
  const at = (o: number) => map[Math.max(0, Math.min(o, src.length))]!;
  const lexed = lex(src, ctx.file);
  for (const d of lexed.diagnostics) {
    ctx.diagnostics.push({ ...d, span: ctx.span(at(d.span.start), at(d.span.end)) });
  }
  const tokens = lexed.tokens.map((t) => {
    const s = at(t.startOffset);
    const e = at(t.startOffset + t.image.length);
    return { ...t, startOffset: s, endOffset: Math.max(s, e) - 1 };
  });
  return parse(tokens, at(0), end);
}
