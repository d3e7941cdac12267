// Golden tests of generated code: test/fixtures/codegen/NAME.edict → NAME.mjs (the module
// without its builtins prelude, which belongs to runtime/builtins and changes with it).
// Goldens change only on purpose: UPDATE_GOLDENS=1 npx vitest run test/codegen/golden.test.ts
// Also: each golden policy is well-typed, its module imports and decides, output is
// byte-stable, and the .d.ts and source map are produced.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCompiled } from "../../compiler/codegen/compile.ts";
import { checkErrors, compileTexts } from "./compile-helpers.ts";

const dir = join(import.meta.dirname, "..", "fixtures", "codegen");
const update = process.env.UPDATE_GOLDENS === "1";

/** The module with the prelude replaced by one marker line. */
function withoutPrelude(code: string): string {
  // Keeps the names the module binds (`var { ... } = (() => {` and its `return { ... }`).
  return code.replace(/(\/\/ ---- builtins[^\n]*\n[^\n]*\(\(\) => \{\n)[\s\S]*?(\nreturn \{)/, "$1// (prelude omitted from the golden)$2");
}

describe("generated code goldens", () => {
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".edict")).sort()) {
    it(name, async () => {
      const files = [{ path: `test/fixtures/codegen/${name}`, text: readFileSync(join(dir, name), "utf8") }];
      expect(checkErrors(files)).toEqual([]);
      const r = await compileTexts(files, name.replace(/\.edict$/, ".mjs"));
      const golden = join(dir, name.replace(/\.edict$/, ".mjs"));
      const actual = withoutPrelude(r.code);
      if (update || !existsSync(golden)) writeFileSync(golden, actual);
      expect(actual).toBe(readFileSync(golden, "utf8"));
      // Byte-stable: a second compile gives the same bytes.
      expect((await compileTexts(files, name.replace(/\.edict$/, ".mjs"))).code).toBe(r.code);
      const mod = await loadCompiled(r.code);
      expect(typeof mod.decide).toBe("function");
      expect(mod.manifest.package).toBe(r.manifests[0]!.package);
      expect(r.code).not.toMatch(/\beval\(|new Function|\bimport\(|^import /m);
      expect(r.dts).toContain("export declare function decide(request: Request, options?: DecideOptions): Decision;");
      expect(JSON.parse(r.map).sources).toEqual([`test/fixtures/codegen/${name}`]);
    });
  }
});
