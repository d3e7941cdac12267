// Error recovery: several syntax errors in one run, each at the right line:col, no errors on
// the valid declarations around them, and a tree that keeps every piece that was written.
import { describe, expect, it } from "vitest";
import type { Decl, RuleDecl } from "../../compiler/syntax/ast.ts";
import { MAX_NESTING, parseExpression } from "../../compiler/syntax/parse.ts";
import { diagnosticLines, parse, renderExpr, spanProblems } from "./helpers.ts";

function names(decls: readonly Decl[]): string[] {
  return decls.map((d) => `${d.kind}:${d.kind === "RequestDecl" ? "" : d.kind === "TestDecl" ? (d.name?.value ?? "∅") : (d.name?.name ?? "∅")}`);
}

function whenOf(d: Decl | undefined, i = 0): string {
  const c = (d as RuleDecl).clauses[i];
  return c && (c.kind === "WhenClause" || c.kind === "UnlessClause") ? renderExpr(c.condition) : `no clause ${i}`;
}

describe("several errors in one file, valid declarations untouched", () => {
  const text = `package p

permit ok_before { when a == 1 }

permit broken_expr {
  when x ==
  when y
}

def missing_body =

permit ok_middle {
  when "admin" in principal.roles
}

def open_list = [1, 2

forbid half_typed { when principal. }

permit missing_close {
  when z

@id("X")
permit ok_after { when b }
`;
  const r = parse(text);
  it("reports each error at its line:col", () => {
    expect(diagnosticLines(r)).toEqual([
      "6:12 E0106 expected an expression",
      "10:19 E0106 expected an expression",
      "16:22 E0106 expected `]` to close the list",
      "18:36 E0106 expected an attribute or method name after `.`",
      "21:9 E0106 expected `}` to close rule `missing_close`",
    ]);
  });
  it("keeps every declaration, in order", () => {
    expect(names(r.ast.decls)).toEqual([
      "RuleDecl:ok_before",
      "RuleDecl:broken_expr",
      "DefDecl:missing_body",
      "RuleDecl:ok_middle",
      "DefDecl:open_list",
      "RuleDecl:half_typed",
      "RuleDecl:missing_close",
      "RuleDecl:ok_after",
    ]);
  });
  it("valid declarations are parsed exactly and no diagnostic falls inside them", () => {
    const byName = new Map(r.ast.decls.map((d) => [d.kind !== "RequestDecl" && d.kind !== "TestDecl" ? d.name?.name : "", d]));
    expect(whenOf(byName.get("ok_before"))).toBe("(a == 1)");
    expect(whenOf(byName.get("ok_middle"))).toBe('("admin" in (principal.roles))');
    expect(whenOf(byName.get("ok_after"))).toBe("b");
    expect((byName.get("ok_after") as RuleDecl).annotations.map((a) => a.name.name)).toEqual(["id"]);
    for (const name of ["ok_before", "ok_middle", "ok_after"]) {
      const s = byName.get(name)!.span;
      expect(r.diagnostics.filter((d) => d.span.start >= s.start && d.span.start < s.end)).toEqual([]);
    }
  });
  it("broken declarations keep what was written", () => {
    const byName = new Map(r.ast.decls.map((d) => [d.kind !== "RequestDecl" && d.kind !== "TestDecl" ? d.name?.name : "", d]));
    expect(whenOf(byName.get("broken_expr"), 0)).toBe("(x == ⊥)");
    expect(whenOf(byName.get("broken_expr"), 1)).toBe("y");
    const open = byName.get("open_list");
    expect(open?.kind === "DefDecl" && renderExpr(open.body)).toBe("[1, 2]");
    expect(whenOf(byName.get("half_typed"))).toBe("(principal.∅)");
    expect(whenOf(byName.get("missing_close"))).toBe("z");
  });
  it("all spans are valid", () => expect(spanProblems(r)).toEqual([]));
});

describe("single recovery cases", () => {
  const cases: [string, string[]][] = [
    ["package p\npermit a { when x == }", ["2:22 E0105 unexpected `}`, expected an expression"]],
    ["package p\npermit a when x }", ["2:9 E0106 expected `{` after the rule name"]],
    ["package p\npermit { when x }", ["2:7 E0106 expected a rule name after `permit`"]],
    ["package p\ndef = 3", ["2:4 E0106 expected a name after `def`"]],
    ["package p\ndef x 3", ["2:6 E0106 expected `=` after `x`"]],
    ["package p\npermit a { for x xs }", ["2:17 E0106 expected `in` after the `for` binding"]],
    ["package p\npermit a { let y 1 }", ["2:17 E0106 expected `=` after the `let` name"]],
    ["package p\npermit a { reason }", ["2:18 E0106 expected a string after `reason`"]],
    ["package p\npermit a { blah when x foo bar }", ["2:12 E0105 unexpected `blah` in a rule body", "2:24 E0105 unexpected `foo` in a rule body"]],
    ["package p\npermit a { when f(a b) }", ["2:21 E0105 unexpected `b`, expected `)` to close the arguments"]],
    ["package p\npermit a { when a < b < c }", ["2:23 E0105 comparisons do not chain: unexpected `<`"]],
    ["package p\ntype T { a: String b?: Number, c }", ["2:33 E0106 expected `:` after the field name `c`"]],
    ["package p\ntype T String", ["2:7 E0106 expected `=` or `{` after the type name"]],
    ["package p\ndef g(x: String, : Number) = 1", ["2:17 E0106 expected a parameter name"]],
    ['package p\ntest "t" { request {a: 1\n b: 2} expect allow }', ["2:25 E0106 expected `,` between record fields"]],
    ['package p\ntest "t" { request {} expect allow by a, }', ["2:42 E0105 unexpected `}`, expected a rule name after `,`"]],
    ['package p\ntest "u" { expect maybe }', ["2:19 E0105 unexpected `maybe`, expected `allow` or `deny` after `expect`"]],
    ["package p\n@ permit a {}", ["2:2 E0106 expected an annotation name after `@`"]],
    ['package p\n@id("x")', ["2:9 E0106 expected a declaration after the annotations"]],
    ["package p\ndef a = 1 2", ["2:11 E0105 unexpected `2` after the end of the declaration"]],
    ["package p\nhello world\ndef a = 1", ["2:1 E0105 unexpected `hello` after the end of the declaration"]],
    ["hello world\npackage p", ["1:1 E0105 unexpected `hello`, expected a declaration"]],
    ["package p\npackage q", ["2:1 E0105 a file has one `package` declaration"]],
    ["package p\n@id(\"x\") package q", ["2:1 E0402 annotations are not allowed on `package`", "2:1 E0105 a file has one `package` declaration"]],
    ["package p\npermit a { when if x then 1 }", ["2:28 E0106 expected `else`: an `if` expression needs both branches"]],
    ["package p\npermit a { when some x xs: x }", ["2:23 E0106 expected `in` after `some x`"]],
    ["package p\npermit a { when count(x in xs > 1 }", ["2:34 E0106 expected `)` to close `count(`"]],
    ["package p\npermit a { when x with 1 }", ["2:24 E0105 unexpected `1`, expected `{` after `with`"]],
    ["package p\npermit a { when (a or b }", ["2:24 E0106 expected `)` to close the parenthesis"]],
  ];
  for (const [src, want] of cases) {
    it(src.replace(/\n/g, "⏎"), () => {
      const r = parse(src);
      expect(diagnosticLines(r)).toEqual(want);
      expect(spanProblems(r)).toEqual([]);
    });
  }
});

describe("advice for typos", () => {
  const cases: [string, string, string][] = [
    ["package p\npermit a {\n  whne x\n}", "3:3 E0105 unexpected `whne` in a rule body", "did you mean `when`?"],
    ["package p\npermit a { unles x }", "2:12 E0105 unexpected `unles` in a rule body", "did you mean `unless`?"],
    ['package p\n@id("x")\npermti a { when x }', "3:1 E0105 unexpected `permti`, expected a declaration after the annotations", "did you mean `permit`?"],
    ['package p\ntest "t" { request {} expetc deny }', "2:23 E0105 unexpected `expetc` in a test", "did you mean `expect`?"],
    ['package p\npermit a { when action = "x" }', "2:24 E0105 unexpected `=` in a rule body", "compare with `==`; `=` only appears in `def` and `let`"],
  ];
  for (const [src, line, help] of cases) {
    it(src.replace(/\n/g, "⏎"), () => {
      const r = parse(src);
      expect(diagnosticLines(r)).toEqual([line]);
      expect(r.diagnostics[0]!.help).toBe(help);
    });
  }
});

describe("editor states", () => {
  it("half-typed `principal.` is a MemberExpr with no property, and the next clause survives", () => {
    const r = parse("package p\npermit a {\n  when principal.\n  when x\n}");
    expect(diagnosticLines(r)).toEqual(["3:18 E0106 expected an attribute or method name after `.`"]);
    const rule = r.ast.decls[0] as RuleDecl;
    const c0 = rule.clauses[0]!;
    expect(c0.kind === "WhenClause" && c0.condition?.kind).toBe("MemberExpr");
    if (c0.kind === "WhenClause" && c0.condition?.kind === "MemberExpr") {
      expect(c0.condition.property).toBeUndefined();
      expect(renderExpr(c0.condition.object)).toBe("principal");
      expect(r.source.text.slice(c0.condition.span.start, c0.condition.span.end)).toBe("principal.");
    }
    expect(whenOf(rule, 1)).toBe("x");
  });
  it("a keyword on the same line after `.` is an attribute name", () => {
    expect(renderExpr(parseExpression("principal.when").expr)).toBe("(principal.when)");
  });
  it("parseExpression on a half-typed member", () => {
    const r = parseExpression("principal.");
    expect(renderExpr(r.expr)).toBe("(principal.∅)");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["E0106"]);
  });
  it("an empty file and a file without `package` get E0107", () => {
    expect(diagnosticLines(parse(""))).toEqual(["1:1 E0107 file does not start with `package`"]);
    expect(diagnosticLines(parse("// only a comment\n"))).toEqual(["1:1 E0107 file does not start with `package`"]);
    const r = parse("permit a { when x }\npackage p");
    expect(diagnosticLines(r)).toEqual(["1:1 E0107 file does not start with `package`"]);
    expect(r.ast.package?.name?.name).toBe("p");
    expect(names(r.ast.decls)).toEqual(["RuleDecl:a"]);
  });
  it("an unterminated string ends at the line end: the next line still parses", () => {
    const r = parse('package p\ndef a = "open\ndef b = 2');
    expect(diagnosticLines(r)).toEqual(["2:9 E0102 unterminated string"]);
    expect(names(r.ast.decls)).toEqual(["DefDecl:a", "DefDecl:b"]);
    const a = r.ast.decls[0]!;
    expect(a.kind === "DefDecl" && renderExpr(a.body)).toBe('"open"');
  });
  it("a bad character is reported once, not again by the parser", () => {
    expect(diagnosticLines(parse("package p\npermit a { when x && y }"))).toEqual(["2:19 E0101 unexpected characters `&&`"]);
  });
  it("a declaration nested too deeply is reported and skipped; the rest still parses", () => {
    const r = parse("package p\ndef deep = " + "(".repeat(20000) + "1" + ")".repeat(20000) + "\ndef ok = 1");
    expect(diagnosticLines(r)).toEqual(["2:1 E0105 this declaration is nested too deeply to parse"]);
    expect(names(r.ast.decls)).toEqual(["DefDecl:ok"]);
  });
  it("a declaration whose expression nests past the limit (a long `or` chain: each operator holds the chain before it) is reported and skipped; the rest still parses", () => {
    const chain = (n: number) => Array.from({ length: n }, (_, i) => `x == ${i}`).join(" or ");
    const r = parse(`package p\ndef long = ${chain(1000)}\ndef ok = ${chain(MAX_NESTING - 10)}`);
    expect(diagnosticLines(r)).toEqual([`2:1 E0105 this declaration nests 1002 levels deep; at most ${MAX_NESTING} are supported`]);
    expect(r.diagnostics[0]!.help).toMatch(/reads better as `x in \["a", "b", …\]`/);
    expect(names(r.ast.decls)).toEqual(["DefDecl:ok"]);
  });
  it("a doubled comma in a list is reported; a trailing one is fine", () => {
    expect(diagnosticLines(parse("package p\ndef a = f(1,, 2)"))).toEqual(["2:12 E0105 unexpected `,`, expected an expression"]);
    expect(diagnosticLines(parse("package p\ndef a = [1, 2,]"))).toEqual([]);
    expect(diagnosticLines(parse("package p\ndef a = [,]"))).toEqual(["2:10 E0105 unexpected `,`, expected an expression"]);
  });
  it("`request` inside a test body is not a new declaration", () => {
    const r = parse('package p\ntest "t" {\nrequest {}\nexpect deny\n}\nrequest { a: String }');
    expect(diagnosticLines(r)).toEqual([]);
    expect(names(r.ast.decls)).toEqual(["TestDecl:t", "RequestDecl:"]);
  });
});
