// Quick fixes are real edits: applying any fix offered in the golden fixtures must leave valid
// syntax and remove that diagnostic (one fewer of its code), never add another kind of error.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Diagnostic, Fix } from "../../compiler/diagnostics/diagnostic.ts";
import { checkProgram } from "../../compiler/semantics/check.ts";
import { SourceFile } from "../../compiler/source/source-file.ts";
import { parseFile } from "../../compiler/syntax/parse.ts";
import { fixtureSources } from "./fixture-files.ts";

const dir = join(import.meta.dirname, "../fixtures/diagnostics");

function diagnose(sources: readonly SourceFile[]): { syntax: Diagnostic[]; checker: Diagnostic[] } {
  const parsed = sources.map(parseFile);
  return { syntax: parsed.flatMap((p) => p.diagnostics), checker: checkProgram(parsed).diagnostics };
}

function apply(sources: readonly SourceFile[], fix: Fix): SourceFile[] {
  return sources.map((s) => {
    const edits = fix.edits.filter((e) => e.span.file === s.path).sort((a, b) => b.span.start - a.span.start);
    let text = s.text;
    for (const e of edits) text = text.slice(0, e.span.start) + e.newText + text.slice(e.span.end);
    return new SourceFile(s.path, text);
  });
}

const cases: { name: string; sources: SourceFile[]; diagnostic: Diagnostic; fix: Fix }[] = [];
for (const name of readdirSync(dir).filter((f) => f.endsWith(".edict")).sort()) {
  const sources = fixtureSources(join(dir, name));
  const { checker } = diagnose(sources);
  for (const d of checker) for (const fix of d.fixes ?? []) cases.push({ name: `${name}: ${d.code} ${fix.title}`, sources, diagnostic: d, fix });
}

describe("quick fixes", () => {
  it("are offered for several codes", () => {
    const codes = new Set(cases.map((c) => c.diagnostic.code));
    for (const code of ["E0201", "E0204", "E0205", "E0206", "E0301", "E0303", "E0304", "E0307", "E0401", "W0001", "W0002"]) expect(codes).toContain(code);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const before = diagnose(c.sources);
    const after = diagnose(apply(c.sources, c.fix));
    expect(after.syntax).toEqual([]);
    const count = (ds: Diagnostic[], code: string) => ds.filter((d) => d.code === code).length;
    expect(count(after.checker, c.diagnostic.code)).toBeLessThan(count(before.checker, c.diagnostic.code));
    // No new kinds of errors appear.
    const beforeCodes = new Set(before.checker.map((d) => d.code));
    expect(after.checker.filter((d) => d.severity === "error" && !beforeCodes.has(d.code)).map((d) => `${d.code} ${d.message}`)).toEqual([]);
  });
});
