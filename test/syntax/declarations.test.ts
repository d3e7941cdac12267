// Golden tests for declarations: small inputs, the AST rendered without spans.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { DefDecl, RuleDecl, TestDecl, TypeDecl } from "../../compiler/syntax/ast.ts";
import { compact, diagnosticLines, parse, renderExpr, renderTemplate, renderType } from "./helpers.ts";

function decls(text: string) {
  const r = parse(text);
  expect(diagnosticLines(r)).toEqual([]);
  return r.ast.decls;
}

describe("package", () => {
  it("plain", () => {
    const r = parse("package docs");
    expect(diagnosticLines(r)).toEqual([]);
    expect(compact(r.ast.package)).toBe('PackageDecl(name=Identifier(name="docs") defaultAllow=false doc=∅)');
  });
  it("default allow", () => {
    expect(parse("package gate default allow").ast.package?.defaultAllow).toBe(true);
  });
  it("default deny is accepted and is the default", () => {
    const r = parse("package gate default deny");
    expect(diagnosticLines(r)).toEqual([]);
    expect(r.ast.package?.defaultAllow).toBe(false);
  });
  it("spans the keyword to the last word", () => {
    const r = parse("package gate default allow\n");
    expect(r.ast.package?.span).toEqual({ file: "t.edict", start: 0, end: 26 });
    expect(r.ast.span).toEqual({ file: "t.edict", start: 0, end: 27 });
  });
});

describe("types and request", () => {
  it("record type: fields separated by newlines and/or commas, optional fields", () => {
    const [d] = decls("package p\ntype User {\n  id: String\n  roles: Set<String>, level?: Number,\n  tags: Map<List<String>>\n}") as [TypeDecl];
    expect(d.name?.name).toBe("User");
    expect(renderType(d.body)).toBe("{id: String, roles: Set<String>, level?: Number, tags: Map<List<String>>}");
  });
  it("alias and string enum", () => {
    const ds = decls('package p\ntype Kind = "doc" | "sheet"\ntype Id = String') as TypeDecl[];
    expect(ds.map((d) => `${d.name?.name} = ${renderType(d.body)}`)).toEqual(['Kind = "doc" | "sheet"', "Id = String"]);
  });
  it("nested record types and keyword field names", () => {
    const [d] = decls("package p\ntype R { type: String, ctx: { mfa: Bool, ip: Ip }, default?: Any }") as [TypeDecl];
    expect(renderType(d.body)).toBe("{type: String, ctx: {mfa: Bool, ip: Ip}, default?: Any}");
  });
  it("request", () => {
    const [d] = decls('package p\nrequest {\n  principal: User\n  action: "read" | "write"\n}');
    expect(d!.kind).toBe("RequestDecl");
    if (d!.kind === "RequestDecl") expect(d.fields.map((f) => `${f.name?.name}: ${renderType(f.type)}`)).toEqual(["principal: User", 'action: "read" | "write"']);
  });
});

describe("defs", () => {
  it("value, function, return type, untyped parameter", () => {
    const ds = decls("package p\ndef a = 1\ndef f(x: String, y: Number,) = x\ndef g(): Bool = true\ndef h(z) = z") as DefDecl[];
    expect(ds.map((d) => compact({ name: d.name?.name, params: d.params?.map((p) => `${p.name?.name}: ${renderType(p.type)}`), ret: renderType(d.returnType), body: renderExpr(d.body) }))).toEqual([
      '(name="a" params=∅ ret="∅" body="1")',
      '(name="f" params=["x: String", "y: Number"] ret="∅" body="x")',
      '(name="g" params=[] ret="Bool" body="true")',
      '(name="h" params=["z: ∅"] ret="∅" body="z")',
    ]);
  });
});

describe("rules", () => {
  it("every clause, annotations", () => {
    const [r] = decls(`package p
@id("DOC-7") @severity("high") @flag
forbid scan {
  for c in input.containers
  let img = c.image
  when img like "docker.io/*"
  unless c.name in ["sidecar"]
  reason "container {c.name} uses {img}"
}`) as [RuleDecl];
    expect(r.effect).toBe("forbid");
    expect(r.name?.name).toBe("scan");
    expect(r.annotations.map((a) => `@${a.name.name}(${a.args.map(renderExpr).join(", ")})`)).toEqual(['@id("DOC-7")', '@severity("high")', "@flag()"]);
    expect(
      r.clauses.map((c) => {
        switch (c.kind) {
          case "ForClause":
            return `for ${c.binding?.name} in ${renderExpr(c.collection)}`;
          case "LetClause":
            return `let ${c.name?.name} = ${renderExpr(c.value)}`;
          case "WhenClause":
            return `when ${renderExpr(c.condition)}`;
          case "UnlessClause":
            return `unless ${renderExpr(c.condition)}`;
          case "ReasonClause":
            return `reason ${renderTemplate(c.template)}`;
        }
      }),
    ).toEqual([
      "for c in (input.containers)",
      "let img = (c.image)",
      'when (img like "docker.io/*")',
      'unless ((c.name) in ["sidecar"])',
      'reason "container " {(c.name)} " uses " {img}',
    ]);
    // The rule's span starts at its first annotation and ends at its `}`.
    expect(r.span.start).toBe("package p\n".length);
    expect(r.span.end).toBe(parse("").source.text.length + r.span.end); // finite
    expect(r.span.end).toBeGreaterThan(r.span.start);
  });
  it("an empty rule and several clauses on one line", () => {
    const ds = decls("package p\npermit always {}\npermit both { when a when b unless c }") as RuleDecl[];
    expect(ds.map((d) => d.clauses.map((c) => c.kind).join(","))).toEqual(["", "WhenClause,WhenClause,UnlessClause"]);
  });
  it("keywords stay attribute names after `.`", () => {
    const [r] = decls('package p\npermit t { when resource.type == "x" and input.default.for }') as [RuleDecl];
    expect(r.clauses[0]!.kind === "WhenClause" && renderExpr(r.clauses[0].condition)).toBe('(((resource.type) == "x") and ((input.default).for))');
  });
});

describe("tests", () => {
  it("request, override, expect ... by", () => {
    const [t] = decls(`package p
test "break glass" {
  request base with { action: "delete" }
  override { by: "alice", justification: "incident 42" }
  expect deny by no_delete, other
}`) as [TestDecl];
    expect(t.name?.value).toBe("break glass");
    expect(renderExpr(t.request)).toBe('(base with {action: "delete"})');
    expect(renderExpr(t.override)).toBe('{by: "alice", justification: "incident 42"}');
    expect(compact(t.expect)).toBe('ExpectClause(outcome="deny" by=[Identifier(name="no_delete"), Identifier(name="other")])');
  });
  it("expect allow without by", () => {
    const [t] = decls('package p\ntest "x" { request {} expect allow }') as [TestDecl];
    expect(t.expect?.outcome).toBe("allow");
    expect(t.expect?.by).toEqual([]);
  });
});

describe("the language.md §1 example", () => {
  const text = readFileSync(new URL("../fixtures/syntax/docs.edict", import.meta.url), "utf8");
  const r = parse(text, "docs.edict");
  it("parses without diagnostics", () => expect(diagnosticLines(r)).toEqual([]));
  it("has every declaration in order", () => {
    expect(r.ast.package?.name?.name).toBe("docs");
    expect(r.ast.decls.map((d) => `${d.kind}:${d.kind === "RequestDecl" ? "" : d.kind === "TestDecl" ? d.name?.value : d.name?.name}`)).toEqual([
      "TypeDecl:User",
      "TypeDecl:Document",
      "RequestDecl:",
      "DefDecl:is_admin",
      "DefDecl:same_department",
      "RuleDecl:admin_all",
      "RuleDecl:department_editors",
      "RuleDecl:owner_full",
      "RuleDecl:legal_hold_delete",
      "TestDecl:editors write in their own department",
      "DefDecl:doc",
      "DefDecl:ctx",
    ]);
  });
  it("spans cover their source text", () => {
    const slice = (s: { start: number; end: number }) => text.slice(s.start, s.end);
    const rule = r.ast.decls.find((d) => d.kind === "RuleDecl" && d.name?.name === "legal_hold_delete") as RuleDecl;
    expect(slice(rule.span)).toMatch(/^@id\("DOC-7"\)[\s\S]*reason "document \{resource.id\} is under legal hold"\n\}$/);
    const when = rule.clauses[0]!;
    expect(slice(when.span)).toBe('when action == "delete" and resource.legal_hold');
  });
});
