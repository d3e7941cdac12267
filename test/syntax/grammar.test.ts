// The grammar passes chevrotain's own validations (ambiguities, left recursion, occurrence
// indices). Production builds skip them for start-up time; this test turns them on.
import { describe, expect, it } from "vitest";

describe("grammar", () => {
  it("passes chevrotain's grammar validations", async () => {
    process.env["EDICT_VALIDATE_GRAMMAR"] = "1";
    const { EdictParser } = await import("../../compiler/syntax/parser.ts");
    expect(() => new EdictParser()).not.toThrow();
  });
});
