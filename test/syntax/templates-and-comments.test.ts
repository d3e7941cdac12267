// Reason templates (escapes, nested braces, strings inside interpolations, spans into the source,
// E0109) and comments (collected in order; `///` docs attach to the declaration below).
import { describe, expect, it } from "vitest";
import type { ReasonClause, RuleDecl, TemplateLit, TypeDecl } from "../../compiler/syntax/ast.ts";
import { diagnosticLines, parse, renderExpr, renderTemplate } from "./helpers.ts";

function template(reasonSource: string): { t: TemplateLit | undefined; text: string; diagnostics: string[] } {
  const text = `package p\npermit r {\n  reason ${reasonSource}\n}\n`;
  const r = parse(text);
  const rule = r.ast.decls[0] as RuleDecl;
  const clause = rule.clauses.find((c) => c.kind === "ReasonClause") as ReasonClause | undefined;
  return { t: clause?.template, text, diagnostics: diagnosticLines(r) };
}

describe("reason templates", () => {
  const cases: [string, string][] = [
    ['"plain text"', '"plain text"'],
    ['""', ""],
    ['"document {resource.id} is under legal hold"', '"document " {(resource.id)} " is under legal hold"'],
    ['"{a}{b}"', "{a} {b}"],
    ['"{x.y + 1} items"', '{((x.y) + 1)} " items"'],
    ['"literal braces: \\{not interpolated\\}"', '"literal braces: {not interpolated}"'],
    ['"tab\\there \\"quoted\\" \\u00e9"', JSON.stringify('tab\there "quoted" é')],
    // a string inside an interpolation holds a `}` that does not close it
    ['"a {f(\\"}\\")} b"', '"a " {f("}")} " b"'],
    // nested braces: a record literal inside an interpolation
    ['"{ {k: 1}.k }"', "{({k: 1}.k)}"],
    ['"{ if ok then \\"yes\\" else \\"no\\" }!"', '{(if ok then "yes" else "no")} "!"'],
    ['"count: {count(x in xs where x > 1)}"', '"count: " {count(x in xs where (x > 1))}'],
    ['"a lone } is text"', '"a lone } is text"'],
  ];
  for (const [src, want] of cases) {
    it(src, () => {
      const { t, diagnostics } = template(src);
      expect(diagnostics).toEqual([]);
      expect(renderTemplate(t)).toBe(want);
    });
  }

  it("part spans point into the original source, across escapes", () => {
    const { t, text } = template('"ab \\"{x.name == \\"q\\"}\\" end"');
    const slice = (s: { start: number; end: number }) => text.slice(s.start, s.end);
    expect(slice(t!.span)).toBe('"ab \\"{x.name == \\"q\\"}\\" end"');
    expect(t!.parts.map((p) => slice(p.span))).toEqual(['ab \\"', '{x.name == \\"q\\"}', '\\" end']);
    const interp = t!.parts[1]!;
    expect(interp.kind).toBe("TemplateInterp");
    if (interp.kind === "TemplateInterp" && interp.expr?.kind === "BinaryExpr") {
      expect(slice(interp.expr.span)).toBe('x.name == \\"q\\"');
      expect(slice(interp.expr.left.span)).toBe("x.name");
      expect(slice(interp.expr.right!.span)).toBe('\\"q\\"');
      expect(slice(interp.expr.opSpan)).toBe("==");
    } else throw new Error("expected a comparison");
  });

  it("E0109: an unclosed `{` (the rest is kept as text)", () => {
    const { t, diagnostics } = template('"x {y"');
    expect(diagnostics).toEqual(["3:13 E0109 unclosed `{` in reason template"]);
    expect(renderTemplate(t)).toBe('"x {y"');
  });
  it("E0109: an empty `{}`", () => {
    const { t, diagnostics } = template('"x { }"');
    expect(diagnostics).toEqual(["3:13 E0109 empty `{}` in reason template"]);
    expect(renderTemplate(t)).toBe('"x " {∅}');
  });
  it("an error inside an interpolation points into the string", () => {
    const { diagnostics } = template('"x {a ==} y"');
    expect(diagnostics).toEqual(["3:18 E0106 expected an expression"]);
  });
  it("leftovers inside an interpolation are reported", () => {
    const { t, diagnostics } = template('"{a b}"');
    expect(diagnostics).toEqual(["3:14 E0105 unexpected `b` after the expression"]);
    expect(renderTemplate(t)).toBe("{a}");
  });
  it("E0103 for a bad escape, at the escape", () => {
    expect(template('"bad \\q"').diagnostics).toEqual(["3:15 E0103 invalid escape `\\q`"]);
  });
  it("`\\{` is an escape only in templates", () => {
    const r = parse('package p\ndef s = "a\\{b"');
    expect(diagnosticLines(r)).toEqual(["2:11 E0103 invalid escape `\\{`"]);
  });
});

describe("comments", () => {
  const text = `/// The package.
/// Second line.
package p // trailing

/* block
   comment */
/// Admins.
///Tight marker.
@owner("x")
permit admin { when true }

/// Not attached: a declaration-less doc at the end? No — attached to the type below.

type T {
  /// The id.
  id: String
  name: String // not a doc
}
//// four slashes: an ordinary comment
def d = 1
`;
  const r = parse(text);
  it("parses cleanly", () => expect(diagnosticLines(r)).toEqual([]));
  it("collects every comment in order with its style", () => {
    expect(r.ast.comments.map((c) => `${c.style}:${c.text}`)).toEqual([
      "doc:/// The package.",
      "doc:/// Second line.",
      "line:// trailing",
      "block:/* block\n   comment */",
      "doc:/// Admins.",
      "doc:///Tight marker.",
      "doc:/// Not attached: a declaration-less doc at the end? No — attached to the type below.",
      "doc:/// The id.",
      "line:// not a doc",
      "line://// four slashes: an ordinary comment",
    ]);
    for (const c of r.ast.comments) expect(text.slice(c.span.start, c.span.end)).toBe(c.text);
  });
  it("attaches `///` docs to the declaration below (through annotations and blank lines)", () => {
    expect(r.ast.package?.doc?.text).toBe("The package.\nSecond line.");
    const rule = r.ast.decls[0] as RuleDecl;
    expect(rule.doc?.text).toBe("Admins.\nTight marker.");
    expect(text.slice(rule.doc!.span.start, rule.doc!.span.end)).toBe("/// Admins.\n///Tight marker.");
    const type = r.ast.decls[1] as TypeDecl;
    expect(type.doc?.text).toBe("Not attached: a declaration-less doc at the end? No — attached to the type below.");
    expect(type.body?.kind === "RecordType" && type.body.fields.map((f) => f.doc?.text)).toEqual(["The id.", undefined]);
    expect((r.ast.decls[2] as { doc?: unknown }).doc).toBeUndefined();
  });
  it("a `///` after code on the same line is not a doc for the next declaration", () => {
    const p = parse("package p\ndef a = 1 /// about a\ndef b = 2");
    expect((p.ast.decls[1] as { doc?: unknown }).doc).toBeUndefined();
  });
  it("a doc separated by code does not attach", () => {
    const p = parse("package p\n/// for a\ndef a = 1\ndef b = 2");
    expect(p.ast.decls.map((d) => (d as { doc?: { text: string } }).doc?.text)).toEqual(["for a", undefined]);
  });
  it("a test's request is parsed as an expression", () => {
    const p = parse('package p\ntest "t" { request {a: [1, 2]} expect allow }');
    const t = p.ast.decls[0]!;
    expect(t.kind === "TestDecl" && renderExpr(t.request)).toBe("{a: [1, 2]}");
  });
});
