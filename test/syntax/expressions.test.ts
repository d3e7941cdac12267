// Every expression form and the documented precedence (language.md §5, docs/language.md §9),
// shown by rendering the parsed tree fully parenthesised.
import { describe, expect, it } from "vitest";
import { parseExpression } from "../../compiler/syntax/parse.ts";
import { expr, renderExpr } from "./helpers.ts";

describe("precedence, loosest first: or, and, not, quantifiers, comparisons, + -, * / %, unary -, postfix", () => {
  const cases: [string, string][] = [
    ["a or b and c", "(a or (b and c))"],
    ["a and b or c", "((a and b) or c)"],
    ["a or b or c", "((a or b) or c)"],
    ["a and b and c", "((a and b) and c)"],
    ["not a and b", "((not a) and b)"],
    ["not a or not b", "((not a) or (not b))"],
    ["not not a", "(not (not a))"],
    ["not a == b", "(not (a == b))"],
    ["not a in b", "(not (a in b))"],
    ["a == b and c != d", "((a == b) and (c != d))"],
    ["a < b + c", "(a < (b + c))"],
    ["a + b * c", "(a + (b * c))"],
    ["a * b + c", "((a * b) + c)"],
    ["a - b - c", "((a - b) - c)"],
    ["a / b % c", "((a / b) % c)"],
    ["-a * b", "((-a) * b)"],
    ["- -a", "(-(-a))"],
    ["-a.b", "(-(a.b))"],
    ["a + b == c * d", "((a + b) == (c * d))"],
    ["x in [1, 2] or y", "((x in [1, 2]) or y)"],
    ["s like \"a*\" and t matches \"^b\"", '((s like "a*") and (t matches "^b"))'],
    ["r has a and r.a > 1", "((r has a) and ((r.a) > 1))"],
    ["a.b.c", "((a.b).c)"],
    ["a.b[0].c", "(((a.b)[0]).c)"],
    ["a.b(1).c(2)", "((a.b(1)).c(2))"],
    ["f(x).y", "(f(x).y)"],
    ["d with {a: 1}.a", "((d with {a: 1}).a)"],
    ["a with {x: 1} with {y: 2}", "((a with {x: 1}) with {y: 2})"],
    ["(a or b) and c", "(paren((a or b)) and c)"],
    // the quantifier body extends as far right as possible
    ["some x in xs: x > 1 and ok", "(some x in xs: ((x > 1) and ok))"],
    ["a and some x in xs: p or q", "(a and (some x in xs: (p or q)))"],
    ["(some x in xs: p) and ok", "(paren((some x in xs: p)) and ok)"],
    ["not every x in xs: p", "(not (every x in xs: p))"],
    ["some x in a.b: every y in x.c: y == 1", "(some x in (a.b): (every y in (x.c): (y == 1)))"],
    // `if` branches are full expressions
    ["if a then b else c or d", "(if a then b else (c or d))"],
    ["if a and b then 1 else 2", "(if (a and b) then 1 else 2)"],
    ["count(x in xs where x > 1) >= 2", "(count(x in xs where (x > 1)) >= 2)"],
  ];
  for (const [src, want] of cases) it(src, () => expect(expr(src)).toBe(want));
});

describe("every expression form", () => {
  const cases: [string, string][] = [
    ['"hello"', '"hello"'],
    ['"tab:\\t quote:\\" slash:\\/ u:\\u00e9 \\\\"', JSON.stringify('tab:\t quote:" slash:/ u:é \\')],
    ["12", "12"],
    ["3.5", "3.5"],
    ["1e3", "1e3"],
    ["2.5E-3", "2.5E-3"],
    ["250ms", "250ms=250ms"],
    ["90s", "90s=90000ms"],
    ["15m", "15m=900000ms"],
    ["1.5h", "1.5h=5400000ms"],
    ["24h", "24h=86400000ms"],
    ["7d", "7d=604800000ms"],
    ["true", "true"],
    ["false", "false"],
    ["[]", "[]"],
    ["[1, 2, 3,]", "[1, 2, 3]"],
    ['{}', "{}"],
    ['{a: 1, "x-y": 2, type: 3, default: 4,}', '{a: 1, "x-y": 2, type: 3, default: 4}'],
    ["name", "name"],
    ["input", "input"],
    ["a.b", "(a.b)"],
    ["rc.type", "(rc.type)"],
    ["a[0]", "(a[0])"],
    ['m["k"]', '(m["k"])'],
    ['ip("10.0.0.1")', 'ip("10.0.0.1")'],
    ["f()", "f()"],
    ["f(a, b,)", "f(a, b)"],
    ["s.lower()", "(s.lower())"],
    ['xs.containsAny(["a", "b"])', '(xs.containsAny(["a", "b"]))'],
    ["-5", "(-5)"],
    ["not x", "(not x)"],
    ["r has attr", "(r has attr)"],
    ['r has "x-y"', '(r has "x-y")'],
    ["r has type", "(r has type)"],
    ["some x in xs: x", "(some x in xs: x)"],
    ["every x in xs: x", "(every x in xs: x)"],
    ["count(x in xs)", "count(x in xs)"],
    ["count(x in xs where x.ok)", "count(x in xs where (x.ok))"],
    ["if c then 1 else 2", "(if c then 1 else 2)"],
    ['doc with {department: "eng"}', '(doc with {department: "eng"})'],
    ["(a)", "paren(a)"],
    ["t - 30d < now", "((t - 30d=2592000000ms) < now)"],
  ];
  for (const [src, want] of cases) it(src, () => expect(expr(src)).toBe(want));

  it("keeps operator spans for diagnostics", () => {
    const r = parseExpression("a  ==  b");
    expect(r.expr?.kind).toBe("BinaryExpr");
    if (r.expr?.kind === "BinaryExpr") {
      expect(r.expr.opSpan).toMatchObject({ start: 3, end: 5 });
      expect(r.expr.span).toMatchObject({ start: 0, end: 8 });
    }
  });

  it("newlines are not significant inside an expression", () => {
    expect(expr("a\n  and b\n  or\n c")).toBe("((a and b) or c)");
  });
});

describe("comparisons are non-associative", () => {
  it("reports a chain once and keeps it left-nested", () => {
    const r = parseExpression("a < b < c");
    expect(renderExpr(r.expr)).toBe("((a < b) < c)");
    expect(r.diagnostics.map((d) => [d.code, d.message, d.span.start])).toEqual([["E0105", "comparisons do not chain: unexpected `<`", 6]]);
  });
  it("`a == b == c` too", () => {
    expect(parseExpression("a == b == c").diagnostics).toHaveLength(1);
  });
});
