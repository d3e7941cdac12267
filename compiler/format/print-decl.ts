// Declarations and the file in canonical layout. Owns: the line structure of a file —
// `package` first, one blank line between declarations (consecutive `def`s keep the
// author's choice), annotations one per line above their declaration, 2-space indented
// `{ ... }` bodies with one clause / field / test part per line. Input: a FileAst without
// syntax errors; output: a Doc with a mark after each top-level item (for range formatting).
import type { Annotation, Decl, DefDecl, Expr, FieldDecl, FileAst, Param, RuleDecl, TestDecl } from "../syntax/ast.ts";
import { group, hardline, indent, join, mark, softline, line, type Doc } from "./doc.ts";
import { bracketed, printAssigned, printExpr, printField, printTemplate, printType, quoteString } from "./print-expr.ts";
import { Block, need, type Printer } from "./printer.ts";

/** Mark ids: `-1` after the package line, `i` after declaration `i`. */
export const PACKAGE_MARK = -1;

export function printFile(p: Printer, file: FileAst): Doc {
  const top = new Block(p, true);
  const pkg = file.package;
  if (pkg) {
    top.item(pkg, () => [
      "package ",
      need(pkg.name, "package name").name,
      pkg.defaultAllow ? " default allow" : "",
      mark(PACKAGE_MARK),
    ]);
  }
  let previous: Decl | undefined;
  file.decls.forEach((decl, i) => {
    const authorChoice = previous?.kind === "DefDecl" && decl.kind === "DefDecl";
    const forceBlank = !top.isEmpty && !authorChoice;
    top.item(decl, () => [printDecl(p, decl), mark(i)], forceBlank);
    previous = decl;
  });
  top.comments(Infinity);
  return [top.doc(), hardline];
}

function printDecl(p: Printer, decl: Decl): Doc {
  const header = new Block(p, true, false);
  for (const a of decl.annotations) header.item(a, () => printAnnotation(p, a));
  if (decl.annotations.length > 0) {
    // Comments between the last annotation and the keyword stay above the keyword.
    header.comments(p.trivia.skipForward(p.trivia.codeEnd(decl.annotations[decl.annotations.length - 1]!)));
  }
  header.raw(printDeclBody(p, decl));
  return header.doc();
}

function printAnnotation(p: Printer, a: Annotation): Doc {
  if (a.args.length === 0) return ["@", a.name.name];
  return ["@", a.name.name, bracketed(p, "(", a.args, (x) => printExpr(p, x), ")", a.span.end, false)];
}

function printDeclBody(p: Printer, decl: Decl): Doc {
  switch (decl.kind) {
    case "TypeDecl": {
      const name = need(decl.name, "type name").name;
      const body = need(decl.body, "type body");
      if (body.kind === "RecordType") {
        // `type Name { ... }`: the record type is the block itself.
        return ["type ", name, " ", p.wrap(body, () => fieldBlock(p, body.fields, body.span.end))];
      }
      return ["type ", name, " = ", printType(p, body)];
    }
    case "RequestDecl":
      return ["request ", fieldBlock(p, decl.fields, decl.span.end)];
    case "DefDecl":
      return printDef(p, decl);
    case "RuleDecl":
      return printRule(p, decl);
    case "TestDecl":
      return printTest(p, decl);
  }
}

function fieldBlock(p: Printer, fields: readonly FieldDecl[], end: number): Doc {
  const block = new Block(p, false);
  for (const f of fields) block.item(f, () => printField(p, f));
  return closeBlock(block, end);
}

/** `{}` when empty, else the items indented on their own lines. */
function closeBlock(block: Block, end: number): Doc {
  block.comments(end);
  if (block.isEmpty && !block.hasOpenerComment) return "{}";
  return ["{", indent(block.doc()), hardline, "}"];
}

function printDef(p: Printer, d: DefDecl): Doc {
  const name = need(d.name, "def name").name;
  // A parameter's type may be left out (it is then `Any`).
  const param = (x: Param): Doc => p.wrap(x, () => [need(x.name, "parameter name").name, x.type ? [": ", printType(p, x.type)] : ""]);
  const close = p.trivia.closing(d.params && d.params.length > 0 ? p.trivia.codeEnd(d.params[d.params.length - 1]!) : p.trivia.codeEnd(need(d.name, "def name")), ")");
  const params = d.params ? bracketed(p, "(", d.params, param, ")", close, false) : "";
  const returnType = d.returnType ? [": ", printType(p, d.returnType)] : "";
  return ["def ", name, params, returnType, " =", printAssigned(p, d.body)];
}

function printRule(p: Printer, r: RuleDecl): Doc {
  const block = new Block(p, false);
  for (const c of r.clauses) {
    block.item(c, () => {
      switch (c.kind) {
        case "ForClause":
          return ["for ", need(c.binding, "`for` variable").name, " in ", printExpr(p, c.collection)];
        case "LetClause":
          return ["let ", need(c.name, "`let` name").name, " =", printAssigned(p, c.value)];
        case "WhenClause":
          return ["when ", printExpr(p, c.condition)];
        case "UnlessClause":
          return ["unless ", printExpr(p, c.condition)];
        case "ReasonClause":
          return ["reason ", printTemplate(p, c.template)];
      }
    });
  }
  return [r.effect, " ", need(r.name, "rule name").name, " ", closeBlock(block, r.span.end)];
}

function printTest(p: Printer, t: TestDecl): Doc {
  const testName = need(t.name, "test name");
  const name = p.wrap(testName, () => quoteString(testName.value));
  const block = new Block(p, false);
  const part = (keyword: string, e: Expr): void =>
    block.item(e, () => [keyword, " ", printExpr(p, e)]);
  // A test without `request` or `expect` parses (the checker reports it): print what is there.
  if (t.request) part("request", t.request);
  if (t.override) part("override", t.override);
  const expect = t.expect;
  if (expect) {
    block.item(expect, () => [
      "expect ",
      need(expect.outcome, "`allow` or `deny`"),
      expect.by.length > 0 ? [" by ", join(", ", expect.by.map((r) => r.name))] : "",
    ]);
  }
  return ["test ", name, " ", closeBlock(block, t.span.end)];
}
