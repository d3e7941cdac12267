// Golden formatter tests: test/fixtures/format/NAME.edict formats to NAME.formatted.edict
// (update on purpose with `npx vitest run test/format -u`). The expected files are
// themselves fixtures, so the corpus test also checks that they are fixed points.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fmt, repoRoot } from "./format-helpers.ts";

const dir = join(repoRoot, "test", "fixtures", "format");
const inputs = readdirSync(dir)
  .filter((f) => f.endsWith(".edict") && !f.endsWith(".formatted.edict"))
  .sort();

describe("golden formatting", () => {
  it("has fixtures", () => expect(inputs.length).toBeGreaterThan(0));
  for (const name of inputs) {
    it(name, async () => {
      const out = fmt(readFileSync(join(dir, name), "utf8"), `test/fixtures/format/${name}`);
      await expect(out).toMatchFileSnapshot(join(dir, name.replace(/\.edict$/, ".formatted.edict")));
      expect(fmt(out)).toBe(out);
    });
  }
});
