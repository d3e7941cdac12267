// Property test: for generated well-formed programs with random layout and comments, the
// formatter keeps the meaning (same tree modulo spans), keeps every comment, and is
// idempotent. A failing case prints the program so it can become a golden fixture.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatFile } from "../../compiler/format/format-file.ts";
import { firstDifference, sameComments } from "../../compiler/format/same-meaning.ts";
import { hasSyntaxErrors, parse } from "./format-helpers.ts";
import { programText } from "./generated-programs.ts";

// EDICT_FUZZ_RUNS=5000 npx vitest run test/format/property.test.ts  searches harder.
const runs = Number(process.env.EDICT_FUZZ_RUNS) || 150;

describe("formatter properties on generated programs", () => {
  it("generated programs parse", () => {
    fc.assert(
      fc.property(programText, (text) => {
        const parsed = parse(text);
        expect(parsed.diagnostics.map((d) => `${parsed.source.location(d.span.start)} ${d.message}`), text).toEqual([]);
      }),
      { numRuns: Math.ceil(runs / 2) },
    );
  });

  it("same meaning, same comments, idempotent", () => {
    fc.assert(
      fc.property(programText, (text) => {
        const parsed = parse(text);
        if (hasSyntaxErrors(parsed)) return;
        const once = formatFile(parsed)!;
        const reparsed = parse(once);
        expect(reparsed.diagnostics.map((d) => `${reparsed.source.location(d.span.start)} ${d.message}`)).toEqual([]);
        expect(firstDifference(parsed.ast, reparsed.ast), `${text}\n--- formatted:\n${once}`).toBeUndefined();
        expect(sameComments(parsed.ast.comments, reparsed.ast.comments)).toBe(true);
        expect(formatFile(reparsed), `${text}\n--- formatted:\n${once}`).toBe(once);
      }),
      { numRuns: runs },
    );
  });
});
