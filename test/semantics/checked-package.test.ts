// The CheckedPackage API the language server relies on: symbols of names, the reference index
// (declarations included), narrowed types, visible names, attributes and enum values.
import { describe, expect, it } from "vitest";
import { checkProgram, type CheckedPackage } from "../../compiler/semantics/check.ts";
import { attributesOf, enumValuesOf, typeToString } from "../../compiler/semantics/types.ts";
import { SourceFile } from "../../compiler/source/source-file.ts";
import type { Expr, Identifier, NameRef, Node } from "../../compiler/syntax/ast.ts";
import { parseFile } from "../../compiler/syntax/parse.ts";

const text = `package docs

type User {
  id: String
  department: String
}

type Document {
  owner: String
  department: String
  reviewers?: Set<String>
}

request {
  principal: User
  action: "read" | "write"
  resource: Document
}

/// True for admins.
def same_department = principal.department == resource.department

permit reviewers_read {
  let me = principal.id
  when resource has reviewers and me in resource.reviewers
  when same_department
}

test "t" {
  request { principal: { id: "u", department: "d" }, action: "read", resource: { owner: "u", department: "d" } }
  expect allow by reviewers_read
}
`;

function setup(): { pkg: CheckedPackage; nodes: Node[] } {
  const parsed = parseFile(new SourceFile("docs.edict", text));
  const { packages, diagnostics } = checkProgram([parsed]);
  expect(parsed.diagnostics).toEqual([]);
  expect(diagnostics).toEqual([]);
  const nodes: Node[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === "object") {
      if ("kind" in x && "span" in x) nodes.push(x as Node);
      for (const [k, v] of Object.entries(x)) if (k !== "span") walk(v);
    }
  };
  walk(parsed.ast);
  return { pkg: packages[0]!, nodes };
}

/** The n-th node of `kind` whose source text is `src`. */
function find<T extends Node>(nodes: Node[], kind: T["kind"], src: string, n = 0): T {
  const found = nodes.filter((x) => x.kind === kind && text.slice(x.span.start, x.span.end) === src);
  const node = found[n];
  if (!node) throw new Error(`no ${kind} ${src}`);
  return node as T;
}

const at = (s: { start: number }) => {
  const before = text.slice(0, s.start).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
};

describe("CheckedPackage", () => {
  it("resolves a def use to its symbol, with doc and type", () => {
    const { pkg, nodes } = setup();
    const use = find<NameRef>(nodes, "NameRef", "same_department");
    const sym = pkg.resolve(use)!;
    expect(sym.kind).toBe("def");
    expect(sym.doc).toBe("True for admins.");
    expect(typeToString(sym.type!)).toBe("Bool");
    expect(pkg.references(sym).map(at)).toEqual(["21:5", "26:8"]);
  });

  it("indexes attribute references through declared types and test request literals", () => {
    const { pkg, nodes } = setup();
    const prop = find<Identifier>(nodes, "Identifier", "department", 2); // principal.department in the def
    const sym = pkg.resolve(prop)!;
    expect(sym.kind).toBe("field");
    expect(pkg.references(sym).map(at)).toEqual(["5:3", "21:33", "30:35"]);
  });

  it("resolves request fields, locals and rule names", () => {
    const { pkg, nodes } = setup();
    expect(pkg.resolve(find<NameRef>(nodes, "NameRef", "principal"))!.kind).toBe("request-field");
    const me = pkg.resolve(find<NameRef>(nodes, "NameRef", "me"))!;
    expect(me.kind).toBe("local");
    expect(typeToString(me.type!)).toBe("String");
    const ruleRef = find<Identifier>(nodes, "Identifier", "reviewers_read", 1);
    const rule = pkg.resolve(ruleRef)!;
    expect(rule.kind).toBe("rule");
    expect(pkg.references(rule)).toHaveLength(2);
  });

  it("gives narrowed types and the names visible at a point", () => {
    const { pkg, nodes } = setup();
    const access = nodes.find((n) => n.kind === "MemberExpr" && text.slice(n.span.start, n.span.end) === "resource.reviewers") as Expr;
    expect(typeToString(pkg.typeOf(access)!)).toBe("Set<String>");
    const offset = text.indexOf("me in resource");
    const names = pkg.scopeAt("docs.edict", offset).map((s) => s.name);
    expect(names.slice(0, 2)).toEqual(["me", "same_department"]);
    expect(names).toContain("principal");
    expect(names).toContain("ip");
  });

  it("lists the local names of a rule clause by clause (none before the first binding)", () => {
    const src = `package q
request { tags: Set<String>, n: Number }
permit r {
  when n > 1
  for t in tags
  when t != "x"
  let u = t
  when some v in tags: v == u
  reason "{u}"
}
def d(p: Number) = p > n
`;
    const { packages } = checkProgram([parseFile(new SourceFile("q.edict", src))]);
    const pkg = packages[0]!;
    const locals = (at: string, delta = 0) =>
      pkg
        .scopeAt("q.edict", src.indexOf(at) + delta)
        .filter((s) => s.kind === "local" || s.kind === "param")
        .map((s) => s.name);
    expect(locals("when n > 1")).toEqual([]);
    expect(locals("for t in")).toEqual([]);
    expect(locals("t != ")).toEqual(["t"]);
    expect(locals("let u")).toEqual(["t"]);
    expect(locals("when some")).toEqual(["u", "t"]);
    expect(locals("v == u")).toEqual(["v", "u", "t"]);
    expect(locals("reason")).toEqual(["u", "t"]);
    expect(locals("p > n")).toEqual(["p"]);
    expect(locals("package")).toEqual([]);
  });

  it("reports a rule declared in two files once, at the later one, pointing at the first", () => {
    const a = `package q\npermit r { when true }\npermit s { when true }\n`;
    const b = `package q\nforbid r { when false }\ndef r = 1\n`;
    const { diagnostics } = checkProgram([parseFile(new SourceFile("b.edict", b)), parseFile(new SourceFile("a.edict", a))]);
    const dup = diagnostics.filter((d) => d.code === "E0202");
    expect(dup.map((d) => [d.span.file, d.message, d.related?.[0]?.span.file, d.related?.[0]?.span.start])).toEqual([["b.edict", "rule `r` is declared twice in package `q`", "a.edict", a.indexOf("r {")]]);
  });

  it("types every attribute read: declared fields, map values, Any, unknown attributes", () => {
    const src = `package q
type U { id: String, tags: Map<Number>, extra?: Bool }
request { u: U, ctx: Any }
permit r {
  when u.id == "a" and u.tags.k > 1 and ctx.deep.er == 1
  when u has extra and u.extra
  when u.nope == 1
}
`;
    const file = parseFile(new SourceFile("q.edict", src));
    const { packages } = checkProgram([file]);
    const pkg = packages[0]!;
    const types: string[] = [];
    const visit = (n: unknown): void => {
      if (Array.isArray(n)) return n.forEach(visit);
      if (!n || typeof n !== "object") return;
      const node = n as Node;
      if (node.kind === "MemberExpr") types.push(`${src.slice(node.span.start, node.span.end)}: ${typeToString(pkg.typeOf(node as Expr)!)}`);
      for (const [k, v] of Object.entries(node)) if (k !== "span") visit(v);
    };
    visit(file.ast.decls);
    expect(types).toEqual(["u.id: String", "u.tags.k: Number", "u.tags: Map<Number>", "ctx.deep.er: Any", "ctx.deep: Any", "u.extra: Bool", "u.nope: <error>"]);
  });

  it("lists attributes and enum values of types", () => {
    const { pkg } = setup();
    expect(attributesOf(pkg.requestType).map((f) => f.name)).toEqual(["principal", "action", "resource"]);
    const action = attributesOf(pkg.requestType).find((f) => f.name === "action")!;
    expect(enumValuesOf(action.type)).toEqual(["read", "write"]);
    expect(attributesOf(pkg.lookupType("Document")!).map((f) => `${f.name}${f.optional ? "?" : ""}`)).toEqual(["owner", "department", "reviewers?"]);
  });
});

describe("CheckedPackage hover data", () => {
  it("resolves builtin methods and functions to documented symbols", () => {
    const src = `package h\nrequest { name: String, addr: Ip }\npermit p { when name.lower() == "x" and ip("10.0.0.0/8").contains(addr) }\n`;
    const parsed = parseFile(new SourceFile("h.edict", src));
    const { packages, diagnostics } = checkProgram([parsed]);
    expect(diagnostics).toEqual([]);
    const nodes: Node[] = [];
    const walk = (x: unknown) => {
      if (Array.isArray(x)) x.forEach(walk);
      else if (x && typeof x === "object") {
        if ("kind" in x && "span" in x) nodes.push(x as Node);
        for (const [k, v] of Object.entries(x)) if (k !== "span") walk(v);
      }
    };
    walk(parsed.ast);
    const ident = (name: string) => nodes.find((n) => n.kind === "Identifier" && (n as Identifier).name === name) as Identifier;
    const lower = packages[0]!.resolve(ident("lower"))!;
    expect(lower.kind).toBe("builtin");
    expect(lower.doc).toContain("lower(): String");
    const ipFn = packages[0]!.resolve(ident("ip"))!;
    expect(ipFn.doc).toContain("ip(text: String): Ip");
    expect(packages[0]!.resolve(ident("contains"))!.doc).toContain("contains(other: Ip): Bool");
  });
});
