// The parser's fast path (compiler/syntax/fast-parser.ts) against the chevrotain grammar alone:
// on every fixture and example, on random well-formed expressions and rules, and on random
// edits of real policies, both give the same tree (spans, key order, undefined members) and
// the same diagnostics. Also checks the fast path really takes the common shapes (so the
// comparison is not vacuous) and gives up on the shapes it leaves to chevrotain.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { SourceFile } from "../../compiler/source/source-file.ts";
import { fastParser, fastPath } from "../../compiler/syntax/fast-parser.ts";
import { lex } from "../../compiler/syntax/lexer.ts";
import { SyntaxContext } from "../../compiler/syntax/lower.ts";
import { parseExpression, parseFile } from "../../compiler/syntax/parse.ts";
import { edictFiles, repoRoot } from "./helpers.ts";

const root = repoRoot;

function both(text: string) {
  fastPath.enabled = true;
  const fast = parseFile(new SourceFile("t.edict", text));
  fastPath.enabled = false;
  const slow = parseFile(new SourceFile("t.edict", text));
  fastPath.enabled = true;
  return { fast, slow };
}

function agree(text: string): void {
  const { fast, slow } = both(text);
  // toStrictEqual: same members, including members that are present but undefined.
  expect(fast.ast).toStrictEqual(slow.ast);
  expect(fast.diagnostics).toStrictEqual(slow.diagnostics);
  // Same key order too (the formatter and JSON dumps walk keys in order).
  expect(JSON.stringify(fast.ast)).toBe(JSON.stringify(slow.ast));
}

function agreeExpr(text: string): void {
  fastPath.enabled = true;
  const fast = parseExpression(text);
  fastPath.enabled = false;
  const slow = parseExpression(text);
  fastPath.enabled = true;
  expect(fast).toStrictEqual(slow);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
}

/** Does the fast path itself take this declaration (no chevrotain)? */
function fastTakes(decl: string): boolean {
  const ctx = new SyntaxContext("t.edict", decl, undefined);
  return fastParser.declaration(ctx, lex(decl, "t.edict").tokens) !== undefined;
}

afterEach(() => {
  fastPath.enabled = true;
});

const files = [...edictFiles(join(root, "test/fixtures")), ...edictFiles(join(root, "examples"))];

describe("fast path and chevrotain agree", () => {
  it("on every fixture and example file", () => {
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) agree(readFileSync(f, "utf8"));
  });

  it("on every prefix of a real policy (what an editor sees while typing)", () => {
    const text = readFileSync(join(root, "examples/documents/grants.edict"), "utf8");
    for (let i = 0; i <= text.length; i += 7) agree(text.slice(0, i));
  });

  it("on random expressions, as a `when` condition, a `def` body, an annotation argument and a reason interpolation", () => {
    let taken = 0;
    fc.assert(
      fc.property(expression(), (e) => {
        if (fastTakes(`permit r {\n  when ${e}\n}`)) taken++;
        agreeExpr(e);
        agree(`package p\npermit r {\n  when ${e}\n}\n`);
        agree(`package p\ndef d = ${e}\n`);
        agree(`package p\n@a(${e}, ${e})\nforbid r { let x = ${e}\n unless ${e} }\n`);
        agree(`package p\npermit r { reason "v={${e.replace(/["\\]/g, "\\$&").replace(/\n/g, " ")}}" }\n`);
      }),
      { numRuns: 300 },
    );
    // Not vacuous: many random expressions (not those with records, `with`, chains or a keyword
    // attribute on the next line) take the fast path.
    expect(taken).toBeGreaterThan(40);
  });

  it("on random declarations of every kind", () => {
    let taken = 0;
    fc.assert(
      fc.property(declaration(), (d) => {
        if (fastTakes(d)) taken++;
        agree(`package p\n${d}\n`);
      }),
      { numRuns: 300 },
    );
    expect(taken).toBeGreaterThan(60);
  });

  it("on random edits of real policies (delete, insert or replace a slice)", () => {
    const texts = files.map((f) => readFileSync(f, "utf8")).filter((t) => t.length > 200);
    const edit = fc
      .tuple(fc.nat(texts.length - 1), fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(12), fc.constantFrom("", ...PIECES))
      .map(([k, where, len, insert]) => {
        const t = texts[k]!;
        const at = Math.floor(where * t.length);
        return t.slice(0, at) + insert + t.slice(Math.min(t.length, at + len));
      });
    fc.assert(fc.property(edit, (s) => agree(s)), { numRuns: 400 });
  });

  it("on token soups inside a rule body", () => {
    const soup = fc.array(fc.constantFrom(...PIECES), { maxLength: 25 }).map((ts) => ts.join(" "));
    fc.assert(fc.property(soup, (s) => agree(`package p\npermit r {\n  when ${s}\n}\n`)), { numRuns: 400 });
  });
});

describe("the fast path", () => {
  it("takes every kind of declaration", () => {
    expect(fastTakes(`/// doc\n@id("X-1") @severity("high")\nforbid r {\n  for t in resource.tags\n  let n = count(x in principal.roles where x.startsWith("p"))\n  when t like "tmp-*" and n < 3 or -n * 2 % 3 >= 1 + 2\n  unless every r in principal.roles: r != "blocked"\n  when not (resource has owner) and resource.labels["k"] == if a then 1 else 2\n  when some t in [1, 2,]: t in principal.ids and resource.type == "x"\n  when x with {a: 1, "b": [], default: {},} == {}\n  reason "{principal.id} may"\n}`)).toBe(true);
    for (const decl of [
      `def same = principal.department == resource.department`,
      `def f(x: Number, y, z: Set<String>,): Bool = x > 1`,
      `def g() = 1`,
      `package p`,
      `package p default allow`,
      `package p default deny`,
      `type T { a: String, b?: Set<String>\n type: "x" | "y"\n r: { n: Map<Number> } }`,
      `type E = "a" | "b"`,
      `type L = List<{a: Number}>`,
      `request { principal: User, action: "read" | "write" }`,
      `@skip test "t" { request {principal: {id: "a"}} override {by: "x", justification: "y"} expect deny by r1, r2 }`,
      `test "t" { expect allow request {} }`,
    ]) {
      expect(fastTakes(decl), decl).toBe(true);
    }
  });

  it("leaves everything else to chevrotain", () => {
    for (const decl of [
      `@a package p`,
      `package p default`,
      `package`,
      `type T { a String }`,
      `type T "a" | "b"`,
      `type T { a: }`,
      `type T = Set<String`,
      `request {}`.replace("{}", ""),
      `def f(x: Number = x`,
      `def f(: Number) = x`,
      `def f(x,, y) = x`,
      `def f x`,
      `test { expect allow }`,
      `test "t" { request {} request {} }`,
      `test "t" { expect allow by }`,
      `test "t" { expect allow by a, }`,
      `test "t" { expect maybe }`,
      `permit r { when x with }`,
      `permit r { when {a: 1 b: 2} == x }`,
      `permit r { when {a 1} == x }`,
      `permit r { when a == b == c }`,
      `permit r { when x == }`,
      `permit r { when f(a,,b) }`,
      `permit r { when "open }`,
      `permit r { when 1.2.3 == x }`,
      `permit r { when principal.\n when x }`,
      `permit r { junk }`,
      `permit r { when x`,
      `permit { when x }`,
      `permit r { when x } extra`,
      `@ permit r { when x }`,
      `permit r { when "bad \\q escape" == x }`,
      `permit r { when 1e999 > x }`,
    ]) {
      expect(fastTakes(decl), decl).toBe(false);
    }
  });
});

// ------------------------------------------------------------------ generators

const PIECES = [
  "x", "principal", "roles", "type", "default", "when", "unless", "reason", "let", "for", "and", "or", "not", "some",
  "every", "in", "has", "like", "matches", "count", "where", "if", "then", "else", "with", "true", "false", "(", ")",
  "[", "]", "{", "}", ",", ":", ".", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "=", "1", "2.5",
  "1e999", "15m", "1.2.3", '"s"', '"a {x} b"', '"\\q"', '"open', "@a", "\n", "permit", "forbid", "def", "//c",
];

const NAMES = ["x", "y", "principal", "resource", "action", "roles", "t"];
const ATTRS = ["id", "roles", "type", "default", "in", "has", "when", "count", "x"];

/**
 * Random expressions built level by level along the precedence chain (so most are well formed
 * and reach the fast path), with every form the grammar has, records and `with` included
 * (rarely: the fast path leaves them to chevrotain), and newlines between tokens. `depth`
 * bounds the nesting of bracketed sub-expressions.
 */
function expression(depth = 2): fc.Arbitrary<string> {
  const sp = fc.constantFrom(" ", " ", " ", " ", " ", "\n  ", "  ");
  const leaf = fc.oneof(fc.constantFrom(...NAMES), fc.constantFrom('"s"', '"it\\"s"', "1", "0", "2.5", "1e3", "15m", "7d", "true", "false"));
  if (depth === 0) return leaf;
  const sub = expression(depth - 1);
  const chain = (operand: fc.Arbitrary<string>, ops: string[]) =>
    fc.tuple(operand, fc.array(fc.tuple(sp, fc.constantFrom(...ops), sp, operand), { maxLength: 1 })).map(([a, rest]) => a + rest.map((r) => r.join("")).join(""));
  const atom = fc.oneof(
    { arbitrary: leaf, weight: 10 },
    { arbitrary: fc.tuple(fc.constantFrom(...NAMES), fc.array(sub, { maxLength: 2 })).map(([f, a]) => `${f}(${a.join(", ")})`), weight: 1 },
    { arbitrary: fc.array(sub, { maxLength: 2 }).map((a) => `[${a.join(", ")}]`), weight: 1 },
    { arbitrary: fc.array(sub, { minLength: 1, maxLength: 2 }).map((a) => `[${a.join(", ")},]`), weight: 1 },
    { arbitrary: sub.map((e) => `(${e})`), weight: 1 },
    { arbitrary: fc.tuple(sub, sub, sub).map(([a, b, c]) => `if ${a} then ${b} else ${c}`), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom(...NAMES), sub, fc.option(sub)).map(([x, c, w]) => `count(${x} in ${c}${w === null ? "" : ` where ${w}`})`), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom(...ATTRS), sub).map(([k, v]) => `{${k}: ${v}}`), weight: depth === 2 ? 1 : 0 },
  );
  const post = fc
    .tuple(
      atom,
      fc.array(
        fc.oneof(
          { arbitrary: fc.tuple(sp, fc.constantFrom(...ATTRS)).map(([s, a]) => `.${s === " " ? "" : s}${a}`), weight: 6 },
          { arbitrary: fc.tuple(fc.constantFrom(...ATTRS), fc.array(sub, { maxLength: 2 })).map(([m, a]) => `.${m}(${a.join(", ")})`), weight: 2 },
          { arbitrary: sub.map((e) => `[${e}]`), weight: 1 },
          { arbitrary: fc.constant(" with {a: 1}"), weight: depth === 2 ? 1 : 0 },
        ),
        { maxLength: 2 },
      ),
    )
    .map(([a, ps]) => a + ps.join(""));
  const unary = fc.tuple(fc.constantFrom("", "", "", "-", "- -", "--"), post).map(([m, e]) => m + e);
  const add = chain(chain(unary, ["*", "/", "%"]), ["+", "-"]);
  const cmp = fc.oneof(
    { arbitrary: add, weight: 3 },
    { arbitrary: fc.tuple(add, sp, fc.constantFrom("==", "!=", "<", "<=", ">", ">=", "in", "like", "matches"), sp, add).map((p) => p.join("")), weight: 3 },
    { arbitrary: fc.tuple(add, fc.constantFrom(" has ", " has\n  "), fc.constantFrom(...ATTRS, '"a-b"')).map((p) => p.join("")), weight: 1 },
    { arbitrary: fc.tuple(add, fc.constant(" == "), add, fc.constant(" < "), add).map((p) => p.join("")), weight: depth === 2 ? 1 : 0 },
  );
  const not = fc.oneof(
    { arbitrary: cmp, weight: 4 },
    { arbitrary: cmp.map((e) => "not " + e), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom("some", "every"), fc.constantFrom(...NAMES), sub, sub).map(([q, x, c, p]) => `${q} ${x} in ${c}: ${p}`), weight: 1 },
  );
  return chain(not, ["and", "or"]);
}

/** Random type, request, def and test declarations (well formed in the main, with a few slips). */
function declaration(): fc.Arbitrary<string> {
  const name = fc.constantFrom("a", "b", "type", "default", "in", "x_1");
  const sep = fc.constantFrom(", ", "\n  ", ",\n  ", " ");
  const type: fc.Arbitrary<string> = fc.letrec<{ t: string }>((tie) => ({
    t: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom("String", "Number", "Bool", "Time", "Ip", "User"),
      fc.constantFrom('"a" | "b"', '"x"', '"a" | "b" | "c"'),
      fc.tuple(fc.constantFrom("Set", "List", "Map"), tie("t")).map(([g, a]) => `${g}<${a}>`),
      fc.array(fc.tuple(name, fc.boolean(), tie("t"), sep), { maxLength: 3 }).map((fs) => `{ ${fs.map(([n, o, t, s]) => `${n}${o ? "?" : ""}: ${t}${s}`).join("")}}`),
    ),
  })).t;
  const expr = expression(1);
  return fc.oneof(
    fc.tuple(fc.constantFrom("T", "User"), type).map(([n, t]) => `type ${n} = ${t}`),
    fc.tuple(fc.constantFrom("T", "User"), fc.array(fc.tuple(name, fc.boolean(), type, sep), { maxLength: 4 })).map(([n, fs]) => `/// doc\ntype ${n} {\n  ${fs.map(([f, o, t, s]) => `${f}${o ? "?" : ""}: ${t}${s}`).join("")}\n}`),
    fc.array(fc.tuple(name, type, sep), { maxLength: 3 }).map((fs) => `request { ${fs.map(([f, t, s]) => `${f}: ${t}${s}`).join("")}}`),
    fc
      .tuple(fc.option(fc.array(fc.tuple(fc.constantFrom("p", "q"), fc.option(type)), { maxLength: 3 })), fc.option(type), expr, fc.boolean())
      .map(([ps, rt, body, trailing]) => `@a("x")\ndef d${ps === null ? "" : `(${ps.map(([p, t]) => (t === null ? p : `${p}: ${t}`)).join(", ")}${trailing && ps.length > 0 ? "," : ""})`}${rt === null ? "" : `: ${rt}`} = ${body}`),
    fc
      .tuple(fc.option(expr), fc.option(expr), fc.constantFrom("allow", "deny"), fc.array(fc.constantFrom("r1", "r2"), { maxLength: 2 }))
      .map(([req, ov, out, by]) => `test "t \\" x" {\n  ${req === null ? "" : `request ${req}\n  `}${ov === null ? "" : `override ${ov}\n  `}expect ${out}${by.length ? ` by ${by.join(", ")}` : ""}\n}`),
    fc.constantFrom("package q", "package q default allow", "package q default deny", "@x package q"),
  );
}
