// Property tests: parseFile never throws, for random strings, random token soups, and every
// prefix of a real policy (what an editor sees while the user types); every span of the tree
// and of the diagnostics is finite, ordered and inside the text.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseExpression } from "../../compiler/syntax/parse.ts";
import { parse, spanProblems } from "./helpers.ts";

const policy = readFileSync(new URL("../fixtures/syntax/docs.edict", import.meta.url), "utf8");

function check(text: string): void {
  const r = parse(text);
  // Messages speak Edict: lowercase, one line, no chevrotain token names or leaked values.
  for (const d of r.diagnostics) {
    if (!/^[a-z`]/.test(d.message) || /\n|Kw_|AnyToken|CompareOp|ArithOp|LogicOp|MulOp|AddOp|NaN|\[object/.test(d.message) || d.message.endsWith(".")) {
      throw new Error(`badly worded diagnostic for ${JSON.stringify(text)}: ${d.message}`);
    }
  }
  const problems = spanProblems(r);
  if (problems.length > 0) throw new Error(`span problems for ${JSON.stringify(text)}:\n${problems.slice(0, 5).join("\n")}`);
}

const TOKENS = [
  "package", "p", "default", "allow", "deny", "type", "request", "def", "permit", "forbid", "for", "in", "let",
  "when", "unless", "reason", "test", "expect", "by", "override", "some", "every", "count", "where", "if",
  "then", "else", "with", "has", "like", "matches", "not", "and", "or", "true", "false", "x", "principal",
  "roles", "String", "Set", "{", "}", "(", ")", "[", "]", ",", ":", ".", "?", "|", "@", "=", "==", "!=", "<",
  "<=", ">", ">=", "+", "-", "*", "/", "%", "1", "2.5", "15m", "1e3", '"s"', '"a {x} b"', '"{', '"\\{"',
  '"\\q"', '"open', "//c", "/*c*/", "/*", "///d", "\n", " ", "#", "&&", "\\",
];

describe("parseFile never throws and keeps spans valid", () => {
  it("on every prefix of a real policy", () => {
    for (let i = 0; i <= policy.length; i++) check(policy.slice(0, i));
  });

  it("on every suffix of a real policy", () => {
    for (let i = 0; i <= policy.length; i += 3) check(policy.slice(i));
  });

  it("on random strings", () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => check(s)), { numRuns: 300 });
  });

  it("on random unicode and control characters", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 100 }), (s) => check(s)), { numRuns: 200 });
  });

  it("on random token soups", () => {
    const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((ts) => ts.join(" "));
    fc.assert(fc.property(soup, (s) => check(s)), { numRuns: 400 });
    fc.assert(fc.property(soup, (s) => check("package p\n" + s)), { numRuns: 400 });
  });

  it("on a real policy with a random edit (delete, insert or replace a slice)", () => {
    const edit = fc
      .tuple(fc.nat(policy.length), fc.nat(20), fc.constantFrom("", ...TOKENS))
      .map(([at, len, insert]) => policy.slice(0, at) + insert + policy.slice(Math.min(policy.length, at + len)));
    fc.assert(fc.property(edit, (s) => check(s)), { numRuns: 300 });
  });

  it("parseExpression never throws either", () => {
    const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }).map((ts) => ts.join(" "));
    fc.assert(
      fc.property(fc.oneof(soup, fc.string({ maxLength: 60 })), (s) => {
        const r = parseExpression(s);
        for (const d of r.diagnostics) expect(d.span.start <= d.span.end && d.span.end <= s.length).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("the real policy itself is clean and every span is valid", () => {
    const r = parse(policy);
    expect(r.diagnostics).toEqual([]);
    expect(spanProblems(r)).toEqual([]);
  });
});
