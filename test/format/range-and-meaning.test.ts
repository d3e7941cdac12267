// formatRange (the editor's "format selection"): only the top-level items touching the range
// change, and applying the edits gives the same text as formatting those items in the whole
// file. sameMeaning / firstDifference: spans and comments do not count, everything else does.
// formatVerified: the safety net `edict fmt` uses.
import { describe, expect, it } from "vitest";
import type { TextEdit } from "../../compiler/diagnostics/diagnostic.ts";
import { formatFile, formatRange } from "../../compiler/format/format-file.ts";
import { formatVerified } from "../../compiler/format/format-verified.ts";
import { firstDifference, sameComments, sameMeaning } from "../../compiler/format/same-meaning.ts";
import { fmt, parse } from "./format-helpers.ts";

function apply(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

const messy = [
  "package   demo",
  "def   a = [1,2]",
  "",
  "// about b",
  "permit b { when a.size()>1 }",
  "",
  "def c=   3",
  "",
].join("\n");

describe("formatRange", () => {
  it("reformats only the declaration under the range", () => {
    const start = messy.indexOf("when");
    const edits = formatRange(parse(messy), start, start + 4)!;
    const out = apply(messy, edits);
    expect(out).toBe(["package   demo", "def   a = [1,2]", "", "// about b", "permit b {", "  when a.size() > 1", "}", "", "def c=   3", ""].join("\n"));
  });

  it("covers every declaration the range touches, and the whole file equals formatFile", () => {
    const all = formatRange(parse(messy), 0, messy.length)!;
    expect(apply(messy, all)).toBe(fmt(messy));
    const twoDecls = apply(messy, formatRange(parse(messy), messy.indexOf("def   a"), messy.indexOf("permit"))!);
    expect(twoDecls).toContain("def a = [1, 2]");
    expect(twoDecls).toContain("permit b {\n  when a.size() > 1\n}");
    expect(twoDecls).toContain("def c=   3");
  });

  it("returns no edits for a formatted range, undefined for a file with syntax errors", () => {
    const tidy = fmt(messy);
    expect(formatRange(parse(tidy), 0, tidy.length)).toEqual([]);
    expect(formatRange(parse("package p\npermit {"), 0, 5)).toBeUndefined();
  });

  it("edits carry the file path in their span", () => {
    const [edit] = formatRange(parse(messy, "policies/x.edict"), 0, 3)!;
    expect(edit?.span.file).toBe("policies/x.edict");
  });
});

describe("formatFile refuses broken files", () => {
  it("returns undefined when there is a syntax error", () => {
    expect(formatFile(parse("package p\ndef x = (1 +\n"))).toBeUndefined();
    expect(formatFile(parse("package p\npermit r { when }\n"))).toBeUndefined();
  });
});

describe("sameMeaning", () => {
  it("ignores spans, layout and comments", () => {
    const a = parse("package p\ndef x = [1,2] // one\n").ast;
    const b = parse("package p\n\n\ndef x = [\n  1,\n  2,\n]\n").ast;
    expect(sameMeaning(a, b)).toBe(true);
  });

  it("sees a changed operator, literal, name, grouping or doc", () => {
    const base = "package p\n/// doc\ndef x = (a and b) or 1 == 2\n";
    const variants = [
      "package p\n/// doc\ndef x = (a and b) and 1 == 2\n",
      "package p\n/// doc\ndef x = (a and b) or 1 == 3\n",
      "package p\n/// doc\ndef y = (a and b) or 1 == 2\n",
      "package p\n/// doc\ndef x = a and b or 1 == 2\n",
      "package p\n/// other doc\ndef x = (a and b) or 1 == 2\n",
      "package p\ndef x = (a and b) or 1 == 2\n",
    ];
    for (const v of variants) expect(firstDifference(parse(base).ast, parse(v).ast), v).toBeDefined();
    expect(firstDifference(parse(base).ast, parse(variants[0]!).ast)).toMatch(/op: "or" vs "and"/);
  });

  it("keeps number and duration spelling (raw text) significant", () => {
    expect(sameMeaning(parse("package p\ndef x = 1e3\n").ast, parse("package p\ndef x = 1000\n").ast)).toBe(false);
  });

  it("sameComments compares comment texts as multisets", () => {
    const a = parse("package p // x\n/* y */\ndef z = 1\n").ast.comments;
    const moved = parse("package p\n/* y */\ndef z = 1 // x\n").ast.comments;
    const lost = parse("package p\ndef z = 1 // x\n").ast.comments;
    expect(sameComments(a, moved)).toBe(true);
    expect(sameComments(a, lost)).toBe(false);
  });
});

describe("formatVerified", () => {
  it("formats, says whether the text changed, and refuses broken files", () => {
    const r = formatVerified(parse("package p\ndef x=1\n"));
    expect(r).toEqual({ kind: "formatted", text: "package p\n\ndef x = 1\n", changed: true });
    expect(formatVerified(parse("package p\n\ndef x = 1\n"))).toMatchObject({ kind: "formatted", changed: false });
    expect(formatVerified(parse("package p\ndef x = \n"))).toEqual({ kind: "syntax-errors" });
  });
});
