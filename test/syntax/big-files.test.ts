// Big files are lexed window by window (parse.ts): results must not depend on where the
// windows fall — declarations, comments and block comments spanning a window edge included.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compact, diagnosticLines, parse, spanProblems } from "./helpers.ts";

const policy = readFileSync(new URL("../fixtures/syntax/docs.edict", import.meta.url), "utf8");
const body = policy.replace(/^\/\/\/.*\npackage docs\n/, "");

describe("big files", () => {
  it("many copies of a policy parse like one copy, every time", () => {
    const copies = 60; // ~150 KB: several windows
    const one = parse("package docs\n" + body);
    const big = parse("package docs\n" + Array.from({ length: copies }, () => body).join("\n"));
    expect(diagnosticLines(big)).toEqual([]);
    expect(big.ast.decls).toHaveLength(one.ast.decls.length * copies);
    expect(big.ast.comments).toHaveLength(one.ast.comments.length * copies);
    const shape = (i: number) => compact({ ...big.ast.decls[i], span: undefined });
    for (let c = 0; c < copies; c++) {
      for (let i = 0; i < one.ast.decls.length; i++) expect(shape(c * one.ast.decls.length + i)).toBe(compact({ ...one.ast.decls[i], span: undefined }));
    }
    expect(spanProblems(big)).toEqual([]);
  });

  it("a block comment longer than a window is one comment", () => {
    const comment = "/*\n" + "x ".repeat(40_000) + "\n*/";
    const r = parse(`package p\n${comment}\n/// doc\ndef a = 1\n`);
    expect(diagnosticLines(r)).toEqual([]);
    expect(r.ast.comments.map((c) => c.style)).toEqual(["block", "doc"]);
    expect(r.ast.comments[0]!.text).toBe(comment);
    expect(r.ast.decls.map((d) => (d as { doc?: { text: string } }).doc?.text)).toEqual(["doc"]);
  });

  it("an unterminated block comment in a big file is reported once", () => {
    const rules = Array.from({ length: 2000 }, (_, i) => `permit r${i} { when x == ${i} }`).join("\n");
    const r = parse(`package p\n${rules}\n/* never closed\npermit after { when y }\n`);
    expect(diagnosticLines(r)).toEqual(["2002:1 E0104 unterminated block comment"]);
    expect(r.ast.decls).toHaveLength(2000);
  });

  it("a declaration spanning a window edge parses whole", () => {
    const long = `def long = [${Array.from({ length: 12_000 }, (_, i) => `"v${i}"`).join(",\n  ")}]`;
    const r = parse(`package p\n${long}\ndef after = 1\n`);
    expect(diagnosticLines(r)).toEqual([]);
    const d = r.ast.decls[0]!;
    expect(d.kind === "DefDecl" && d.body?.kind === "ListLit" && d.body.elements.length).toBe(12_000);
    expect(r.ast.decls).toHaveLength(2);
  });
});
