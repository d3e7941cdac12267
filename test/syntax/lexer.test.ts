// Lexical structure: tokens (keywords vs names, durations before numbers, comments in their
// own group) and the lexical diagnostics E0101 E0102 E0103 E0104 E0108.
import { describe, expect, it } from "vitest";
import { lex } from "../../compiler/syntax/lexer.ts";
import { diagnosticLines, expr, parse } from "./helpers.ts";

function kinds(text: string): string[] {
  return lex(text, "t").tokens.map((t) => `${t.tokenType.name}:${t.image}`);
}

describe("tokens", () => {
  it("keywords, names that start with a keyword, punctuation", () => {
    expect(kinds("in input permit permits == = <= < >= > != . ? | @ %")).toEqual([
      "Kw_in:in",
      "Identifier:input",
      "Kw_permit:permit",
      "Identifier:permits",
      "EqEq:==",
      "Eq:=",
      "LtEq:<=",
      "Lt:<",
      "GtEq:>=",
      "Gt:>",
      "NotEq:!=",
      "Dot:.",
      "Question:?",
      "Pipe:|",
      "At:@",
      "Percent:%",
    ]);
  });
  it("durations before numbers", () => {
    expect(kinds("90s 15m 250ms 1.5h 7d 12 3.5 1e3 2.5E-3")).toEqual([
      "DurationLiteral:90s",
      "DurationLiteral:15m",
      "DurationLiteral:250ms",
      "DurationLiteral:1.5h",
      "DurationLiteral:7d",
      "NumberLiteral:12",
      "NumberLiteral:3.5",
      "NumberLiteral:1e3",
      "NumberLiteral:2.5E-3",
    ]);
  });
  it("comments go to their own group, not to the parser", () => {
    const r = lex("a // x\n/* y */ b /// z\n//// w", "t");
    expect(r.tokens.map((t) => t.image)).toEqual(["a", "b"]);
    expect(r.comments.map((t) => `${t.tokenType.name}:${t.image}`)).toEqual(["LineComment:// x", "BlockComment:/* y */", "DocComment:/// z", "LineComment://// w"]);
  });
  it("a `/` is division when not a comment", () => {
    expect(expr("a / b")).toBe("(a / b)");
  });
});

describe("lexical diagnostics", () => {
  const cases: [string, string[]][] = [
    ["package p\ndef a = 1 # 2", ["2:11 E0101 unexpected character `#`"]],
    ["package p\ndef a = 'x'", ["2:9 E0101 unexpected character `'`", "2:11 E0101 unexpected character `'`"]],
    ['package p\ndef a = "open\ndef b = 1', ["2:9 E0102 unterminated string"]],
    ['package p\ndef a = "x\\qy"', ["2:11 E0103 invalid escape `\\q`"]],
    ['package p\ndef a = "\\u12"', ["2:10 E0103 invalid unicode escape: `\\u` needs four hex digits"]],
    ["package p\n/* never closed\ndef a = 1", ["2:1 E0104 unterminated block comment"]],
    ["package p\ndef a = 15min", ["2:9 E0108 invalid number or duration `15min`"]],
    ["package p\ndef a = 1.2.3", ["2:9 E0108 invalid number or duration `1.2.3`"]],
    ["package p\ndef a = 1e", ["2:9 E0108 invalid number or duration `1e`"]],
    ["package p\ndef a = 1e999", ["2:9 E0108 number `1e999` is too large"]],
    ["package p\ndef a = 15 m", ["2:12 E0105 unexpected `m` after the end of the declaration"]],
  ];
  for (const [src, want] of cases) {
    it(src.replace(/\n/g, "⏎"), () => expect(diagnosticLines(parse(src))).toEqual(want));
  }
  it("help text for characters from other languages", () => {
    const r = parse("package p\npermit a { when !x }");
    expect(r.diagnostics[0]).toMatchObject({ code: "E0101", help: "write `not` for a negation, `!=` for inequality" });
  });
});
