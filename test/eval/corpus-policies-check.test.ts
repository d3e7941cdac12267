// Every corpus policy passes the checker (warnings allowed), so the code generator can compile
// each one and run the same cases: the corpus tests run-time behaviour on untrusted input,
// not type errors.
import { describe, expect, it } from "vitest";
import { Program } from "../../compiler/program.ts";
import { decisionCases } from "../helpers/decision-corpus.ts";

describe("decision corpus policies", () => {
  const fixtures = new Map(decisionCases().map((c) => [c.fixture, c.sources] as const));
  for (const [fixture, sources] of fixtures) {
    it(`${fixture} has no errors`, () => {
      const program = Program.fromTexts(sources.map((s) => ({ path: s.path, text: s.text })));
      const errors = program.check().diagnostics.filter((d) => d.severity === "error");
      expect(errors.map((d) => `${d.span.file}@${d.span.start}: ${d.message}`)).toEqual([]);
    });
  }
});
