// The lexer's fast path (compiler/syntax/fast-lexer.ts) against chevrotain's lexer alone: on
// every fixture and example, on random texts made of Edict pieces and of arbitrary characters,
// both give the same tokens and comments (same members, same order), and the fast path gives up
// wherever chevrotain would report something.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { fastLex, fastLexer, type WordTable } from "../../compiler/syntax/fast-lexer.ts";
import { lex, lexWindow } from "../../compiler/syntax/lexer.ts";
import { edictFiles, repoRoot } from "./helpers.ts";

const root = repoRoot;

/** Both lexers agree; returns whether the fast path took the text. */
function agree(text: string, base = 0): boolean {
  fastLexer.enabled = false;
  const slow = lex(text, "t", base);
  fastLexer.enabled = true;
  const fast = fastLex(text, base);
  if (fast === undefined) return false;
  expect(slow.diagnostics).toEqual([]);
  expect(fast.tokens).toStrictEqual(slow.tokens);
  expect(fast.comments).toStrictEqual(slow.comments);
  for (let i = 0; i < fast.tokens.length; i++) expect(Object.keys(fast.tokens[i]!)).toEqual(Object.keys(slow.tokens[i]!));
  // With a table of shared words: the same tokens, and one string per distinct word.
  const words: WordTable = new Map();
  const shared = fastLex(text, base, words)!;
  expect(shared.tokens).toStrictEqual(slow.tokens);
  for (const t of shared.tokens) if (/^[A-Za-z_]/.test(t.image)) expect(words.get(t.image)!.image).toBe(t.image);
  return true;
}

afterEach(() => {
  fastLexer.enabled = true;
});

const PIECES = [
  "package", "permit", "in", "input", "x_1", "_", "Z", "{", "}", "(", ")", "[", "]", ",", ":", ".", "?", "|", "@", "=", "==",
  "!=", "!", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "1", "12", "3.5", "1e3", "2.5E-3", "1e", "1.2.3", "15m", "250ms",
  "1.5h", "7d", "15min", "9x", '"s"', '"a \\" b"', '"\\u00e9"', '"é"', '"open', '"back\\', "//c", "///d", "////e", "/* c */",
  "/*", "/**/", "*/", " ", "\n", "\r\n", "\t", "\u00a0", "\ufeff", "\u2028", "#", "&", "'", ";", "$", "\\", "é", "`",
];

describe("fast lexer and chevrotain agree", () => {
  it("on every fixture and example file (and at an offset, as parse.ts lexes windows)", () => {
    const files = [...edictFiles(join(root, "test/fixtures")), ...edictFiles(join(root, "examples"))];
    let taken = 0;
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      if (agree(text)) taken++;
      agree(text, 1000);
    }
    expect(taken).toBeGreaterThan(files.length / 2);
  });

  it("on random texts made of Edict pieces", () => {
    let taken = 0;
    const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).chain((ps) => fc.array(fc.constantFrom("", " ", "\n"), { minLength: ps.length, maxLength: ps.length }).map((sep) => ps.map((p, i) => p + sep[i]).join("")));
    fc.assert(
      fc.property(text, (t) => {
        if (agree(t)) taken++;
      }),
      { numRuns: 1500 },
    );
    expect(taken).toBeGreaterThan(100);
  });

  it("on random strings", () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (t) => void agree(t)), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 40 }), (t) => void agree(t)), { numRuns: 300 });
  });

  it("lexes a window of a whole text exactly as the window sliced out (any cut, even inside a comment or string)", () => {
    const texts = edictFiles(join(root, "examples")).map((f) => readFileSync(f, "utf8"));
    texts.push("a /* long\n comment */ b \"str\" 12 15m x==y // c\n/// d\nz");
    fc.assert(
      fc.property(fc.nat(texts.length - 1), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (k, a, b) => {
        const text = texts[k]!;
        const from = Math.floor(Math.min(a, b) * text.length);
        const to = Math.floor(Math.max(a, b) * text.length);
        const whole = lexWindow(text, "t", from, to);
        const sliced = lex(text.slice(from, to), "t", from);
        expect(whole).toStrictEqual(sliced);
      }),
      { numRuns: 300 },
    );
  });

  it("gives up where chevrotain reports", () => {
    for (const t of ["a # b", '"open', "/* no end", "15min", "1.2.3", "!x", "é", "x\u2028y", '"a\\', "1e"]) {
      expect(fastLex(t, 0), t).toBeUndefined();
      expect(lex(t, "t").diagnostics.length, t).toBeGreaterThan(0);
    }
  });
});
