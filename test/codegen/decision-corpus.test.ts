// The decision corpus (test/fixtures/decisions, the executable contract of language.md §6)
// run against COMPILED modules: the same cases the interpreter passes.
import { describe, expect, it } from "vitest";
import { compareDecision, decisionCases } from "../helpers/decision-corpus.ts";
import { compiledEngine } from "../helpers/compiled-engine.ts";

describe("decision corpus: compiled code", () => {
  const cases = decisionCases();
  it("has cases", () => {
    expect(cases.length).toBeGreaterThan(20);
  });
  for (const c of cases) {
    it(c.title, async () => {
      const decision = await compiledEngine.decide(c.sources, c.request, { override: c.override, package: c.package });
      expect(compareDecision(decision, c.expect, c.package)).toEqual([]);
    });
  }
});
