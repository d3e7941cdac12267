// The TextMate grammar (vscode-extension/syntaxes/edict.tmLanguage.json) on the real engine.
// Goldens: every test/fixtures/grammar/*.edict tokenizes exactly as its .scopes.txt says
// (UPDATE_GOLDENS=1 rewrites them; review the diff). The fixtures cover every token kind, and
// a check below makes sure each kind appears in some golden. Examples: every .edict file under
// examples/ tokenizes without `invalid.illegal`, and every keyword of the language gets a
// keyword/storage/constant scope.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { IGrammar } from "vscode-textmate";
import { loadGrammar, renderGolden, tokenize } from "./tokenize.ts";

const root = join(import.meta.dirname, "..", "..");
const fixtures = join(root, "test", "fixtures", "grammar");
const update = process.env.UPDATE_GOLDENS === "1";

let grammar: IGrammar;
beforeAll(async () => {
  grammar = await loadGrammar();
});

function edictFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...edictFiles(p));
    else if (e.name.endsWith(".edict")) out.push(p);
  }
  return out.sort();
}

const fixtureFiles = edictFiles(fixtures);

describe("grammar goldens", () => {
  it("has fixtures", () => {
    expect(fixtureFiles.length).toBeGreaterThanOrEqual(4);
  });

  for (const file of fixtureFiles) {
    it(`tokenizes ${relative(fixtures, file)} as its golden says`, () => {
      const actual = renderGolden(tokenize(grammar, readFileSync(file, "utf8")));
      const golden = file.replace(/\.edict$/, ".scopes.txt");
      if (update) writeFileSync(golden, actual);
      let expected: string;
      try {
        expected = readFileSync(golden, "utf8");
      } catch {
        throw new Error(`no golden ${relative(root, golden)}: run with UPDATE_GOLDENS=1 and review it`);
      }
      expect(actual).toBe(expected);
    });
  }

  it("covers every token kind the grammar defines", () => {
    const grammarText = readFileSync(join(root, "vscode-extension", "syntaxes", "edict.tmLanguage.json"), "utf8");
    // Every scope name the grammar can assign ($1 names expanded by hand below).
    const declared = new Set<string>();
    for (const m of grammarText.matchAll(/"(?:name|contentName)":\s*"([^"]+)"/g)) for (const s of m[1]!.split(" ")) declared.add(s);
    const expanded = [...declared].flatMap((s) =>
      s.includes("$1") ? ["permit", "forbid", "allow", "deny"].map((w) => s.replace("$1", w)) : s.includes("$2") || s.includes("$4") ? ["allow", "deny"].map((w) => s.replace(/\$[24]/, w)) : [s],
    );
    const seen = new Set<string>();
    for (const file of fixtureFiles) for (const l of tokenize(grammar, readFileSync(file, "utf8"))) for (const t of l.tokens) for (const s of t.scopes) seen.add(s);
    const impossible = new Set(["keyword.other.effect.allow.edict", "keyword.other.effect.deny.edict", "constant.language.outcome.permit.edict", "constant.language.outcome.forbid.edict", "Edict"]);
    const missing = expanded.filter((s) => !seen.has(s) && !impossible.has(s));
    expect(missing).toEqual([]);
  });
});

describe("the examples", () => {
  const examples = edictFiles(join(root, "examples"));

  it("exist", () => {
    expect(examples.length).toBeGreaterThan(5);
  });

  it("tokenize without invalid.illegal", () => {
    const problems: string[] = [];
    for (const file of examples) {
      tokenize(grammar, readFileSync(file, "utf8")).forEach((l, i) => {
        for (const t of l.tokens) if (t.scopes.some((s) => s.startsWith("invalid.illegal"))) problems.push(`${relative(root, file)}:${i + 1}: ${JSON.stringify(t.text)}`);
      });
    }
    expect(problems).toEqual([]);
  });

  it("give every keyword a keyword, storage or constant scope", () => {
    const keywords = new Set(
      "package default allow deny type request def permit forbid for in let when unless reason test expect by override some every count where if then else with has like matches not and or true false".split(" "),
    );
    const wrong: string[] = [];
    for (const file of examples) {
      for (const l of tokenize(grammar, readFileSync(file, "utf8"))) {
        for (const t of l.tokens) {
          if (!keywords.has(t.text)) continue;
          const inert = t.scopes.some((s) => s.startsWith("comment") || s.startsWith("string") || s.startsWith("variable.other.property") || s.startsWith("entity.name"));
          if (inert) continue;
          if (!t.scopes.some((s) => /^(keyword|storage|constant\.language)\./.test(s))) wrong.push(`${relative(root, file)}: ${t.text} => ${t.scopes.join(" ")}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
