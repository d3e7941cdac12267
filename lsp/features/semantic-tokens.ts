// Semantic tokens. Owns: the legend and the classification of every token of a file: lexical
// kinds (keywords, strings, numbers, comments, operators) from the lexer, names from the
// checker's resolution (a def, a parameter, a field, a type, a rule...). Multi-line tokens
// (block comments) are split per line, since clients need not support multi-line tokens.
// Input: (snapshot, file). Output: the LSP relative encoding (an array of integers).
import type { ProgramSnapshot } from "../../compiler/program.ts";
import { walk } from "../../compiler/syntax/ast-walk.ts";
import type { Symbol } from "../../compiler/semantics/check.ts";
import type { Node } from "../../compiler/syntax/ast.ts";
import { lexSource } from "./tokens.ts";
import { modelOf } from "./model.ts";

export const TOKEN_TYPES = ["namespace", "type", "class", "parameter", "variable", "property", "function", "method", "keyword", "comment", "string", "number", "operator", "decorator", "enumMember"] as const;
export const TOKEN_MODIFIERS = ["declaration", "readonly", "defaultLibrary", "documentation"] as const;

type TokenType = (typeof TOKEN_TYPES)[number];
const T = Object.fromEntries(TOKEN_TYPES.map((t, i) => [t, i])) as Record<TokenType, number>;
const DECLARATION = 1;
const READONLY = 2;
const DEFAULT_LIBRARY = 4;
const DOCUMENTATION = 8;

const OPERATORS = new Set(["==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "=", "|", "?"]);

interface Raw {
  start: number;
  end: number;
  type: number;
  mods: number;
}

export function semanticTokens(snapshot: ProgramSnapshot, file: string): number[] {
  const parsed = snapshot.parsed(file);
  if (!parsed) return [];
  const source = parsed.source;
  const checked = modelOf(snapshot, file);
  // Names classified by the checker: start offset → [type, modifiers].
  const names = new Map<number, [number, number]>();
  walk(parsed.ast, (n: Node) => {
    if (n.kind === "Annotation") names.set(n.name.span.start, [T.decorator, 0]);
    if (n.kind === "PackageDecl" && n.name) names.set(n.name.span.start, [T.namespace, DECLARATION]);
    if ((n.kind === "Identifier" || n.kind === "NameRef") && checked && !names.has(n.span.start)) {
      const s = checked.resolve(n);
      if (s) names.set(n.span.start, classify(s, s.declSpan?.start === n.span.start && s.declSpan.file === file));
    }
    return true;
  });
  const raw: Raw[] = [];
  const { tokens, comments } = lexSource(source);
  for (const t of tokens) {
    let type: number | undefined;
    let mods = 0;
    switch (t.kind) {
      case "keyword":
        type = T.keyword;
        break;
      case "string":
      case "open-string":
        type = T.string;
        break;
      case "number":
      case "duration":
        type = T.number;
        break;
      case "name": {
        const c = names.get(t.start);
        if (c) [type, mods] = c;
        else type = T.variable;
        break;
      }
      case "punct":
        if (t.image === "@") type = T.decorator;
        else if (OPERATORS.has(t.image)) type = T.operator;
        break;
    }
    // Keywords used as attribute names (`resource.type`) are properties.
    if (t.kind === "keyword" && names.has(t.start)) [type, mods] = names.get(t.start)!;
    if (type !== undefined) raw.push({ start: t.start, end: t.end, type, mods });
  }
  for (const c of comments) raw.push({ start: c.start, end: c.end, type: T.comment, mods: c.kind === "doc-comment" ? DOCUMENTATION : 0 });
  raw.sort((a, b) => a.start - b.start);

  const data: number[] = [];
  let prevLine = 0;
  let prevChar = 0;
  const push = (start: number, end: number, type: number, mods: number) => {
    const p = source.position(start);
    const len = end - start;
    if (len <= 0) return;
    data.push(p.line - prevLine, p.line === prevLine ? p.column - prevChar : p.column, len, type, mods);
    prevLine = p.line;
    prevChar = p.column;
  };
  for (const r of raw) {
    const first = source.position(r.start).line;
    const last = source.position(r.end).line;
    if (first === last) push(r.start, r.end, r.type, r.mods);
    else {
      for (let line = first; line <= last; line++) {
        const s = line === first ? r.start : source.lines.lineStart(line);
        const e = line === last ? r.end : source.lines.lineEnd(line);
        push(s, e, r.type, r.mods);
      }
    }
  }
  return data;
}

function classify(s: Symbol, declaration: boolean): [number, number] {
  const decl = declaration ? DECLARATION : 0;
  switch (s.kind) {
    case "def":
      return s.decl?.kind === "DefDecl" && s.decl.params ? [T.function, decl] : [T.variable, decl | READONLY];
    case "param":
      return [T.parameter, decl];
    case "local":
      return [T.variable, decl | READONLY];
    case "field":
    case "request-field":
      return [T.property, decl];
    case "input":
      return [T.variable, DEFAULT_LIBRARY];
    case "type":
      return [T.type, decl | (s.declSpan ? 0 : DEFAULT_LIBRARY)];
    case "rule":
      return [T.class, decl];
    case "builtin":
      return [s.doc?.startsWith(s.name + "(") && ["ip", "time", "duration"].includes(s.name) ? T.function : T.method, DEFAULT_LIBRARY];
    case "test":
      return [T.string, decl];
  }
}
