// The layout engine on its own: groups fit or break, trailing comments end their line,
// own-line comments never swallow code.
import { describe, expect, it } from "vitest";
import { comment, group, hardline, ifBreak, indent, join, line, softline, type Doc } from "../../compiler/format/doc.ts";
import { renderDoc } from "../../compiler/format/render-doc.ts";

const list = (items: string[], extra: Doc[] = []): Doc =>
  group(["[", indent([softline, join([",", line], items), ifBreak(","), ...extra]), softline, "]"]);

describe("renderDoc", () => {
  it("prints a group flat when it fits", () => {
    expect(renderDoc(list(["a", "b"]), 80).text).toBe("[a, b]");
  });

  it("breaks a group that does not fit, one item per line with a trailing comma", () => {
    expect(renderDoc(list(["aaaa", "bbbb"]), 8).text).toBe("[\n  aaaa,\n  bbbb,\n]");
  });

  it("counts what follows the group on the same line", () => {
    // `[a, b]` fits in 7 columns but `[a, b] + c` does not.
    expect(renderDoc([list(["a", "b"]), " + c"], 7).text).toBe("[\n  a,\n  b,\n] + c");
  });

  it("breaks every enclosing group when a hard line is inside", () => {
    expect(renderDoc(group(["x", indent([line, "y", hardline, "z"])]), 80).text).toBe("x\n  y\n  z");
  });

  it("moves an end-of-line comment past the separator and breaks the group", () => {
    const doc = group(["[", indent([softline, "a", comment("// c", "endOfLine"), ",", line, "b"]), softline, "]"]);
    expect(renderDoc(doc, 80).text).toBe("[\n  a, // c\n  b\n]");
  });

  it("prints an own-line comment on its own line at a line start, at the end of the line otherwise", () => {
    expect(renderDoc(["x", hardline, comment("// c", "ownLine"), "y"], 80).text).toBe("x\n// c\ny");
    expect(renderDoc(["x ", comment("// c", "ownLine"), "y"], 80).text).toBe("x y // c");
  });

  it("keeps inline block comments inline", () => {
    expect(renderDoc(group(["f(", comment("/* a */", "before"), "x", comment("/* b */", "after"), ")"]), 80).text).toBe("f(/* a */ x /* b */)");
  });

  it("never leaves trailing spaces", () => {
    expect(renderDoc(["a ", hardline, hardline, "b"], 80).text).toBe("a\n\nb");
  });

  it("prints a trailing comment on the last line", () => {
    expect(renderDoc(["a", comment("// end", "endOfLine")], 80).text).toBe("a // end");
  });
});
