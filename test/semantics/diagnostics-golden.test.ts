// Golden diagnostics: every test/fixtures/diagnostics/NAME.edict is parsed and checked, and the
// rendered baseline must equal NAME.errors.txt beside it. Regenerate on purpose with
// `UPDATE_GOLDENS=1 npx vitest run test/semantics`.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareDiagnostics } from "../../compiler/diagnostics/diagnostic.ts";
import { checkProgram } from "../../compiler/semantics/check.ts";
import { parseFile } from "../../compiler/syntax/parse.ts";
import { renderBaseline } from "./baseline.ts";
import { fixtureSources } from "./fixture-files.ts";

const dir = join(import.meta.dirname, "../fixtures/diagnostics");
const fixtures = readdirSync(dir).filter((f) => f.endsWith(".edict")).sort();

describe("diagnostics goldens", () => {
  it("has fixtures", () => expect(fixtures.length).toBeGreaterThan(15));

  for (const name of fixtures) {
    it(name, () => {
      const sources = fixtureSources(join(dir, name));
      const parsed = sources.map(parseFile);
      const { diagnostics } = checkProgram(parsed);
      const all = [...parsed.flatMap((p) => p.diagnostics), ...diagnostics].sort(compareDiagnostics);
      const actual = renderBaseline(sources, all);
      const goldenPath = join(dir, name.replace(/\.edict$/, ".errors.txt"));
      if (process.env.UPDATE_GOLDENS === "1") writeFileSync(goldenPath, actual);
      expect(existsSync(goldenPath), `${goldenPath} is missing: run with UPDATE_GOLDENS=1`).toBe(true);
      expect(actual).toBe(readFileSync(goldenPath, "utf8"));
    });
  }
});
