// Robustness: the checker never throws, whatever the parser returns: random texts, texts made
// of Edict tokens, and every prefix of the language guide's first example (as an editor sees a
// file while it is being typed).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProgram } from "../../compiler/semantics/check.ts";
import { SourceFile } from "../../compiler/source/source-file.ts";
import { parseFile } from "../../compiler/syntax/parse.ts";

const fixturesDir = join(import.meta.dirname, "../fixtures/diagnostics");
const example = readFileSync(join(fixturesDir, "clean-first-look.edict"), "utf8");
const fixtures = readdirSync(fixturesDir)
  .filter((f) => f.endsWith(".edict"))
  .sort()
  .map((f) => readFileSync(join(fixturesDir, f), "utf8").replace(/^\/\/ @filename: .*$/gm, ""));

function checkText(text: string): number {
  const parsed = parseFile(new SourceFile("t.edict", text));
  const { packages, diagnostics } = checkProgram([parsed]);
  for (const d of diagnostics) {
    expect(Number.isFinite(d.span.start) && Number.isFinite(d.span.end)).toBe(true);
    expect(d.span.start).toBeLessThanOrEqual(d.span.end);
    expect(d.span.end).toBeLessThanOrEqual(text.length);
  }
  return packages.length;
}

const words = [
  "package p", "request", "type", "def", "permit", "forbid", "test", "when", "unless", "let", "for", "in", "reason",
  "expect", "allow", "deny", "by", "some", "every", "count", "where", "if", "then", "else", "with", "has", "like",
  "matches", "not", "and", "or", "true", "false", "{", "}", "(", ")", "[", "]", ",", ":", ".", "=", "==", "<", "+",
  "-", "?", "|", "@id", "x", "principal", "action", "\"read\"", "\"^(a+)+$\"", "15m", "3", "String", "Set<String>",
  "ip(\"1.2.3.4\")", "\n",
];

describe("checkProgram never throws", () => {
  it("on every prefix of the first-look example", () => {
    for (let i = 0; i <= example.length; i++) checkText(example.slice(0, i));
  });

  it("on random text", () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => void checkText(`package p\n${s}`)), { numRuns: 300 });
  });

  it("on random token soup", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 60 }), (ws) => void checkText(`package p\n${ws.join(" ")}`)),
      { numRuns: 500 },
    );
  });

  it("on every fixture with words deleted, duplicated or swapped", () => {
    const split = fixtures.map((f) => f.split(/(\s+)/));
    fc.assert(
      fc.property(fc.nat(split.length - 1), fc.array(fc.tuple(fc.nat(), fc.constantFrom("delete", "duplicate", "swap")), { minLength: 1, maxLength: 3 }), (k, edits) => {
        const copy = [...split[k]!];
        for (const [n, op] of edits) {
          const i = n % copy.length;
          if (op === "duplicate") copy.splice(i, 0, copy[i]!);
          else if (op === "delete") copy.splice(i, 1);
          else if (i + 2 < copy.length) [copy[i], copy[i + 2]] = [copy[i + 2]!, copy[i]!];
        }
        checkText(copy.join(""));
      }),
      { numRuns: 400 },
    );
  });
});
