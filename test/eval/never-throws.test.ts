// `decide` never throws: every corpus policy, evaluated on arbitrary JS values (fast-check's
// `anything`: null-prototype objects, `__proto__`/`constructor` keys, sparse arrays, -0,
// NaN, Infinity, undefined...), returns a well-formed, JSON-serialisable Decision.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluatePackage } from "../../compiler/eval/evaluate.ts";
import { decisionCases } from "../helpers/decision-corpus.ts";
import { packagesOf } from "../helpers/interpreter-engine.ts";

const fixtures = new Map(decisionCases().map((c) => [c.fixture, c.sources] as const));
const weird = fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true, withSparseArray: true, withMap: true, withSet: true, maxDepth: 4 });
const requestLike = fc.oneof(
  weird,
  fc.dictionary(fc.constantFrom("principal", "action", "resource", "input", "user", "now", "ttl", "target", "tags", "items", "buckets", "roles", "value", "a", "b", "c", "__proto__", "constructor"), weird),
);

describe("decide never throws", () => {
  for (const [fixture, sources] of fixtures) {
    it(`${fixture}: any request, any override`, () => {
      const pkgs = packagesOf(sources);
      fc.assert(
        fc.property(requestLike, fc.option(weird), (request, override) => {
          for (const pkg of pkgs) {
            const d = evaluatePackage(pkg, request, { override: override as never });
            expect(d.decision === "allow" || d.decision === "deny").toBe(true);
            expect(d.allowed).toBe(d.decision === "allow");
            expect(() => JSON.stringify(d)).not.toThrow();
            for (const e of d.errors) expect(e.location).toMatch(/:\d+:\d+$/);
            if (!d.allowed && d.reasons.length === 0) expect(pkg.defaultAllow && d.errors.length === 0).toBe(false);
          }
        }),
        { numRuns: 60 },
      );
    });
  }
});
