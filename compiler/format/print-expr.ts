// Expressions, types and literals in canonical layout. Owns: how every Expr and TypeExpr
// prints (spacing, when lists/records/calls/chains break, string escaping). Input: nodes of a
// file without syntax errors; output: Docs.
// INVARIANT (same tree): the printed tokens, re-parsed, give the same tree: operators and
// parentheses are printed exactly as in the tree (ParenExpr keeps the author's grouping; no
// parentheses are ever added or removed), literals keep their raw text or decoded value.
import type { BinaryExpr, BinaryOp, Expr, FieldDecl, Node, RecordField, RecordLit, TemplateLit, TypeExpr } from "../syntax/ast.ts";
import { group, ifBreak, indent, join, line, softline, type Doc } from "./doc.ts";
import { need, NotFormattable, type Printer } from "./printer.ts";

/**
 * `prefix` (a keyword such as `and `, `then `) is printed after the node's leading comments:
 * an own-line comment above `and x` stays above it instead of landing after `and`.
 */
export function printExpr(p: Printer, e: Expr | undefined, prefix: Doc = ""): Doc {
  const node = need(e, "expression");
  const before = p.enter(node);
  const body = printExprBody(p, node);
  return [before, prefix, body, p.exit(node)];
}

/**
 * The right-hand side of `def x =` / `let x =`. An `and`/`or` chain that does not fit moves
 * to the next line with its operators aligned under it; anything else follows `= ` directly
 * (lists, records and calls break inside their brackets).
 */
export function printAssigned(p: Printer, e: Expr | undefined): Doc {
  const node = need(e, "expression");
  if (node.kind !== "BinaryExpr" || (node.op !== "and" && node.op !== "or")) return [" ", printExpr(p, node)];
  const before = p.enter(node);
  const body = printBinary(p, node, false);
  return group([" ", before, indent([softline, body, p.exit(node)])]);
}

function printExprBody(p: Printer, e: Expr): Doc {
  switch (e.kind) {
    case "StringLit":
      return quoteString(e.value);
    case "NumberLit":
      return e.raw;
    case "DurationLit":
      return e.raw;
    case "BoolLit":
      return e.value ? "true" : "false";
    case "NameRef":
      return e.name;
    case "ListLit":
      return bracketed(p, "[", e.elements, (x) => printExpr(p, x), "]", e.span.end, true);
    case "RecordLit":
      return printRecordLit(p, e);
    case "MemberExpr":
      return [printExpr(p, e.object), ".", need(e.property, "attribute name").name];
    case "IndexExpr":
      return [printExpr(p, e.object), group(["[", indent([softline, printExpr(p, e.index), p.dangling(e.span.end)]), softline, "]"])];
    case "CallExpr":
      return [e.callee.name, bracketed(p, "(", e.args, (x) => printExpr(p, x), ")", e.span.end, false)];
    case "MethodCallExpr":
      return [printExpr(p, e.receiver), ".", e.method.name, bracketed(p, "(", e.args, (x) => printExpr(p, x), ")", e.span.end, false)];
    case "UnaryExpr": {
      if (e.op === "not") return ["not ", printExpr(p, e.operand)];
      // `- -x`, not `--x`: keep the two minus signs visibly apart.
      const nested = e.operand?.kind === "UnaryExpr" && e.operand.op === "-";
      return [nested ? "- " : "-", printExpr(p, e.operand)];
    }
    case "BinaryExpr":
      return printBinary(p, e);
    case "HasExpr": {
      const attr = need(e.attribute, "attribute after `has`");
      return [printExpr(p, e.object), " has ", p.wrap(attr, () => (attr.kind === "Identifier" ? attr.name : quoteString(attr.value)))];
    }
    case "QuantifierExpr":
      return group([
        e.quantifier,
        " ",
        need(e.binding, "quantifier variable").name,
        " in ",
        printExpr(p, e.collection),
        ":",
        indent([line, printExpr(p, e.body)]),
      ]);
    case "CountExpr":
      return group([
        "count(",
        need(e.binding, "count variable").name,
        " in ",
        printExpr(p, e.collection),
        e.where ? indent([line, printExpr(p, e.where, "where ")]) : "",
        p.dangling(e.span.end),
        softline,
        ")",
      ]);
    case "IfExpr":
      return group([
        "if ",
        printExpr(p, e.condition),
        indent([line, printExpr(p, e.then, "then "), line, printExpr(p, e.else, "else ")]),
      ]);
    case "WithExpr": {
      const updates = need(e.updates, "record after `with`");
      return [printExpr(p, e.base), " with ", p.wrap(updates, () => printRecordLit(p, updates))];
    }
    case "ParenExpr":
      return group(["(", indent([softline, printExpr(p, e.expr)]), p.dangling(e.span.end), softline, ")"]);
    case "ErrorExpr":
      throw new NotFormattable("syntax error in an expression");
  }
}

function printRecordLit(p: Printer, e: RecordLit): Doc {
  const field = (f: RecordField): Doc =>
    p.wrap(f, () => [p.wrap(f.key, () => (f.key.kind === "Identifier" ? f.key.name : quoteString(f.key.value))), ": ", printExpr(p, f.value)]);
  return bracketed(p, "{", e.fields, field, "}", e.span.end, true);
}

/**
 * `[a, b]`, `{ a: 1 }`, `f(a, b)`: on one line if it fits, else one element per line.
 * Literals get a trailing comma when broken (a cleaner diff when an element is added);
 * argument lists do not. A comment on the opening bracket's line stays there.
 */
export function bracketed<T extends Node>(
  p: Printer,
  open: string,
  nodes: readonly T[],
  print: (node: T) => Doc,
  close: string,
  end: number,
  trailingComma: boolean,
  separator: Doc = [",", line],
): Doc {
  const opener = p.afterOpen(nodes.length > 0 ? p.trivia.codeStart(nodes[0]!) : end);
  const items = nodes.map(print);
  const dangling = p.dangling(end);
  const pad = open === "{" ? line : softline;
  if (items.length === 0) return [open, opener, dangling, close];
  return group([
    open,
    opener,
    indent([pad, join(separator, items), trailingComma ? ifBreak(",") : "", dangling]),
    pad,
    close,
  ]);
}

const LEVEL: Record<BinaryOp, number> = {
  or: 1,
  and: 2,
  "==": 4,
  "!=": 4,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
  in: 4,
  like: 4,
  matches: 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
  "%": 6,
};

/**
 * A left-nested chain of one precedence level prints as one group: `a and b and c` breaks
 * before each `and`/`or` (the operator starts the line), arithmetic after each operator.
 * Comparisons do not chain (they are non-associative).
 */
function printBinary(p: Printer, e: BinaryExpr, hanging = true): Doc {
  const level = LEVEL[e.op];
  const parts: Doc[] = [];
  const collect = (node: Expr, outer: boolean): void => {
    if (node.kind === "BinaryExpr" && LEVEL[node.op] === level) {
      // A sub-chain is a node of its own: its comments go around its first and last operand.
      const before = outer ? "" : p.enter(node);
      const first = parts.length;
      collect(node.left, false);
      parts[first] = [before, parts[first]!];
      if (node.op === "and" || node.op === "or") parts.push(line, printExpr(p, node.right, [node.op, " "]));
      else parts.push([" ", node.op, line], printExpr(p, node.right));
      if (!outer) parts[parts.length - 1] = [parts[parts.length - 1]!, p.exit(node)];
      return;
    }
    parts.push(printExpr(p, node));
  };
  if (level === 4) {
    return group([printExpr(p, e.left), " ", e.op, indent([line, printExpr(p, e.right)])]);
  }
  collect(e, true);
  // parts: the first operand, then operator and operand alternately.
  const [first, ...rest] = parts;
  return group([first ?? "", hanging ? indent(rest) : rest]);
}


// ---------------------------------------------------------------- types

export function printType(p: Printer, t: TypeExpr | undefined, prefix: Doc = ""): Doc {
  const node = need(t, "type");
  const before = p.enter(node);
  return [before, prefix, printTypeBody(p, node), p.exit(node)];
}

function printTypeBody(p: Printer, node: TypeExpr): Doc {
  {
    switch (node.kind) {
      case "NamedType":
        if (node.args.length === 0) return node.name.name;
        return [node.name.name, group(["<", indent([softline, join([",", line], node.args.map((a) => printType(p, a))), p.dangling(node.span.end)]), softline, ">"])];
      case "StringLiteralType":
        return quoteString(node.value);
      case "UnionType": {
        const [first, ...rest] = node.members.map((m, i) => printType(p, m, i === 0 ? "" : "| "));
        return group([first ?? "", indent(rest.map((m) => [line, m]))]);
      }
      case "RecordType": {
        // Nested record types: `{ a: T, b: U }` when it fits, else one field per line.
        return bracketed(p, "{", node.fields, (f) => p.wrap(f, () => printField(p, f)), "}", node.span.end, false, [ifBreak("", ","), line]);
      }
    }
  }
}

export function printField(p: Printer, f: FieldDecl): Doc {
  return [need(f.name, "field name").name, f.optional ? "?" : "", ": ", printType(p, f.type)];
}

// ---------------------------------------------------------------- strings

/** A string literal with JSON's escapes (the canonical spelling of every string). */
export function quoteString(value: string): string {
  return JSON.stringify(value);
}

/** A reason template: text re-escaped like a string plus `\{` `\}`; `{expr}` as written. */
export function printTemplate(p: Printer, t: TemplateLit | undefined): string {
  const tpl = need(t, "reason template");
  if (p.trivia.rawTemplates.has(tpl)) return p.trivia.slice(tpl.span.start, tpl.span.end);
  let out = '"';
  for (const part of tpl.parts) {
    if (part.kind === "TemplateText") {
      out += JSON.stringify(part.value).slice(1, -1).replace(/[{}]/g, "\\$&");
    } else {
      need(part.expr, "expression in `{...}`");
      out += "{" + interpolationSource(p, part.span.start, part.span.end) + "}";
    }
  }
  return out + '"';
}

/**
 * The interpolation's text as written (minus surrounding spaces): it lives inside a string
 * token, so re-printing it could need escapes the parser would read differently.
 */
function interpolationSource(p: Printer, start: number, end: number): string {
  let s = start;
  let e = end;
  if (p.trivia.slice(s, s + 1) === "{") s++;
  if (e > s && p.trivia.slice(e - 1, e) === "}") e--;
  return p.trivia.slice(s, e).trim();
}
