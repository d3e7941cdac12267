// docs/language.md stays true: every ```edict block in it is valid Edict syntax (a whole file,
// declarations, rule clauses or an expression per line, whichever it is), and the complete
// example of §1 checks with zero diagnostics and passes its test; the keyword list and the
// builtin tables match the implementation.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Program } from "../../compiler/program.ts";
import { runTests } from "../../compiler/run-tests.ts";
import { SourceFile } from "../../compiler/source/source-file.ts";
import { parseExpression, parseFile } from "../../compiler/syntax/parse.ts";
import { KEYWORDS } from "../../compiler/syntax/tokens.ts";
import { BUILTIN_FUNCTIONS, BUILTIN_METHODS } from "../../compiler/semantics/builtins.ts";

const doc = readFileSync(join(import.meta.dirname, "..", "..", "docs", "language.md"), "utf8");
const blocks = [...doc.matchAll(/```edict\n([\s\S]*?)```/g)].map((m) => m[1]!);

const fileErrors = (text: string) => parseFile(new SourceFile("doc.edict", text)).diagnostics.filter((d) => d.severity === "error");

/** The readings a snippet may have; the first one that parses without errors wins. */
function parsesSomehow(block: string): boolean {
  const hasPackage = /^\s*(?:\/\/\/.*\n)*\s*package /.test(block);
  if (hasPackage) return fileErrors(block).length === 0;
  if (fileErrors(`package doc\n${block}`).length === 0) return true; // declarations
  if (fileErrors(`package doc\npermit snippet {\n${block}\n}`).length === 0) return true; // rule clauses
  // One expression per line (comments stripped), e.g. the literal and quantifier examples.
  const lines = block
    .split("\n")
    .map((l) => l.replace(/\s\/\/.*$/, "").trim())
    .filter((l) => l !== "");
  return lines.every((l) => {
    const { diagnostics } = parseExpression(l);
    if (diagnostics.length === 0) return true;
    // A line may hold several literals separated by spaces (`"text"   42   3.5`).
    return l.split(/\s{2,}/).every((part) => parseExpression(part).diagnostics.length === 0);
  });
}

describe("docs/language.md", () => {
  it("has many Edict examples", () => {
    expect(blocks.length).toBeGreaterThan(15);
  });

  it.each(blocks.map((b, i) => [i + 1, b] as const))("example %i is valid syntax", (_n, block) => {
    expect(parsesSomehow(block), block).toBe(true);
  });

  it("lists exactly the keywords of the lexer", () => {
    const section = doc.slice(doc.indexOf("**Keywords**"), doc.indexOf("A keyword may still be used"));
    const listed = /```\n([\s\S]*?)```/.exec(section)![1]!.split(/\s+/).filter((w) => w !== "");
    expect([...listed].sort()).toEqual([...KEYWORDS].sort());
  });

  it("documents every builtin function and method", () => {
    const section = doc.slice(doc.indexOf("## 10. Builtin functions and methods"), doc.indexOf("## 11."));
    for (const name of BUILTIN_FUNCTIONS.keys()) expect(section).toContain(`\`${name}(`);
    for (const m of BUILTIN_METHODS) expect(section, m.name).toMatch(new RegExp(`\`${m.name}\\(`));
  });

  it("the first look (§1) checks clean and its test passes", async () => {
    const program = Program.fromTexts([{ path: "docs.edict", text: blocks[0]! }]);
    const { packages, diagnostics } = program.snapshot().check();
    expect(diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    const run = await runTests(packages);
    expect(run.failed).toBe(0);
    expect(run.passed).toBe(1);
  });
});
