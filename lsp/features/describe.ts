// How a symbol reads in the editor. Owns: the one-line signature (`def f(x: String): Bool`,
// `(field) roles: Set<String>`) and the markdown body (doc comment, annotations, location) that
// hover, completion details and signature help show, so they never disagree.
import type { ProgramSnapshot } from "../../compiler/program.ts";
import type { Symbol } from "../../compiler/semantics/check.ts";
import { typeToString, type Type } from "../../compiler/semantics/types.ts";
import type { Annotation, DefDecl, Expr, Node } from "../../compiler/syntax/ast.ts";

export function typeText(t: Type | undefined): string {
  return t ? typeToString(t) : "Any";
}

/** `name(a: T, b: U)` parameters of a def with its declared parameter types written as in source. */
export function defParams(def: DefDecl, source: string | undefined): string[] {
  return (def.params ?? []).map((p) => {
    const type = p.type && source ? source.slice(p.type.span.start, p.type.span.end) : "Any";
    return `${p.name?.name ?? "_"}: ${type}`;
  });
}

/** The code line of a symbol (shown in an `edict` code block). */
export function signatureOf(symbol: Symbol, snapshot?: ProgramSnapshot): string {
  const type = typeText(symbol.type);
  const decl = symbol.decl as Node | undefined;
  switch (symbol.kind) {
    case "def": {
      const def = decl?.kind === "DefDecl" ? decl : undefined;
      if (def?.params) {
        const text = snapshot?.source(def.span.file)?.text;
        return `def ${symbol.name}(${defParams(def, text).join(", ")}): ${type}`;
      }
      return `def ${symbol.name}: ${type}`;
    }
    case "param":
      return `(parameter) ${symbol.name}: ${type}`;
    case "local":
      return `(local) ${symbol.name}: ${type}`;
    case "field":
      return `(field) ${symbol.name}${optionalMark(decl)}: ${type}`;
    case "request-field":
      return `(request) ${symbol.name}${optionalMark(decl)}: ${type}`;
    case "input":
      return `input: Any`;
    case "type": {
      const body = symbol.type && symbol.type.kind === "named" ? typeToString(symbol.type.resolve()) : undefined;
      return body ? `type ${symbol.name} = ${body}` : `type ${symbol.name}`;
    }
    case "rule":
      return `${decl?.kind === "RuleDecl" ? decl.effect : "rule"} ${symbol.name}`;
    case "test":
      return `test ${JSON.stringify(symbol.name)}`;
    case "builtin": {
      // Builtin docs start with their signature line.
      const first = symbol.doc?.split("\n")[0];
      return first && first.includes("(") ? first : `${symbol.name}: ${type}`;
    }
  }
}

function optionalMark(decl: Node | undefined): string {
  return decl?.kind === "FieldDecl" && decl.optional ? "?" : "";
}

export function annotationText(a: Annotation, source: string | undefined): string {
  return source ? source.slice(a.span.start, a.span.end) : `@${a.name.name}`;
}

/** The annotations of the symbol's declaration, as written. */
export function annotationsOf(symbol: Symbol, snapshot: ProgramSnapshot): string[] {
  const decl = symbol.decl as Node | undefined;
  if (!decl || !("annotations" in decl) || !Array.isArray(decl.annotations)) return [];
  const text = snapshot.source(decl.span.file)?.text;
  return (decl.annotations as readonly Annotation[]).map((a) => annotationText(a, text));
}

/** Markdown: code line, documentation, annotations, `file:line`. */
export function describe(symbol: Symbol, snapshot: ProgramSnapshot, relative: (file: string) => string): string {
  const parts = ["```edict\n" + signatureOf(symbol, snapshot) + "\n```"];
  const doc = symbol.kind === "builtin" ? symbol.doc?.split("\n").slice(1).join("\n").trim() : symbol.doc;
  if (doc) parts.push(doc);
  const annotations = annotationsOf(symbol, snapshot);
  if (annotations.length) parts.push(annotations.map((a) => "`" + a + "`").join(" "));
  if (symbol.declSpan) {
    const src = snapshot.source(symbol.declSpan.file);
    if (src) parts.push(`*${relative(symbol.declSpan.file)}:${src.position(symbol.declSpan.start).line + 1}*`);
  }
  return parts.join("\n\n");
}

export function isExpr(n: Node): n is Expr {
  return EXPR_KINDS.has(n.kind);
}

const EXPR_KINDS = new Set([
  "StringLit", "NumberLit", "BoolLit", "DurationLit", "ListLit", "RecordLit", "NameRef", "MemberExpr", "IndexExpr", "CallExpr",
  "MethodCallExpr", "UnaryExpr", "BinaryExpr", "HasExpr", "QuantifierExpr", "CountExpr", "IfExpr", "WithExpr", "ParenExpr", "ErrorExpr",
]);
