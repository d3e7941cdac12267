// The decision corpus (test/fixtures/decisions) run against the reference interpreter. The
// code generator runs the same cases against compiled modules (see test/helpers/decision-corpus.ts).
import { describe, expect, it } from "vitest";
import { compareDecision, decisionCases } from "../helpers/decision-corpus.ts";
import { interpreterEngine } from "../helpers/interpreter-engine.ts";

describe("decision corpus: interpreter", () => {
  const cases = decisionCases();
  it("has cases", () => {
    expect(cases.length).toBeGreaterThan(20);
  });
  for (const c of cases) {
    it(c.title, async () => {
      const decision = await interpreterEngine.decide(c.sources, c.request, { override: c.override, package: c.package });
      expect(compareDecision(decision, c.expect, c.package)).toEqual([]);
    });
  }
});
