// The formatter on every `.edict` file in test/fixtures/ and examples/ (discovered, so new
// fixtures are covered automatically): idempotent, meaning-preserving (parse(fmt(x)) has
// the same tree as parse(x) modulo spans), and every comment survives. Files with syntax
// errors are skipped, except that formatting them must be refused.
import { describe, expect, it } from "vitest";
import { formatFile } from "../../compiler/format/format-file.ts";
import { firstDifference, sameComments } from "../../compiler/format/same-meaning.ts";
import { corpus, hasSyntaxErrors, parse } from "./format-helpers.ts";

const files = corpus();

describe("formatter on every fixture and example", () => {
  it("finds the corpus", () => {
    expect(files.some((f) => f.path.startsWith("examples/"))).toBe(true);
    expect(files.some((f) => f.path.startsWith("test/fixtures/format/"))).toBe(true);
  });

  for (const { path, text } of files) {
    it(path, () => {
      const parsed = parse(text, path);
      if (hasSyntaxErrors(parsed)) {
        expect(formatFile(parsed)).toBeUndefined();
        return;
      }
      const once = formatFile(parsed);
      expect(once).toBeDefined();
      const reparsed = parse(once!, path);
      expect(reparsed.diagnostics.map((d) => `${reparsed.source.location(d.span.start)}: ${d.message}`)).toEqual([]);
      expect(firstDifference(parsed.ast, reparsed.ast)).toBeUndefined();
      expect(sameComments(parsed.ast.comments, reparsed.ast.comments)).toBe(true);
      for (const c of parsed.ast.comments) expect(once).toContain(c.style === "block" ? c.text.replace(/\r\n?/g, "\n") : c.text.trimEnd());
      expect(formatFile(reparsed)).toBe(once);
      // Canonical text: no trailing spaces, no tabs for indentation, one final newline.
      expect(once).not.toMatch(/[ \t]+\n/);
      expect(once!.endsWith("\n") && !once!.endsWith("\n\n")).toBe(true);
      // The shipped examples are what users copy: they are kept in the canonical layout
      // (`npx edict fmt --write examples/` after a deliberate layout change).
      if (path.startsWith("examples/")) expect(once).toBe(text);
    });
  }
});
