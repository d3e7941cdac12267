// Small, explicit layout cases (each also checked for idempotence): the decisions of the
// canonical layout that golden files would only show in passing.
import { describe, expect, it } from "vitest";
import { fmt } from "./format-helpers.ts";

/** Formats `input` and checks the result is a fixed point. */
function check(input: string, expected: string): void {
  const out = fmt(input);
  expect(out).toBe(expected);
  expect(fmt(out)).toBe(out);
}

const lines = (...ls: string[]): string => ls.join("\n") + "\n";

describe("canonical layout", () => {
  it("normalises CRLF line endings, also inside block comments", () => {
    check("package p\r\n/* a\r\n b */\r\ndef x = 1\r\n", lines("package p", "", "/* a", " b */", "def x = 1"));
  });

  it("collapses blank lines and trims trailing spaces", () => {
    check("package p   \n\n\n\ndef x = 1   \n\n\n\ndef y = 2\n\n\n", lines("package p", "", "def x = 1", "", "def y = 2"));
  });

  it("keeps consecutive defs together when the author did, separates other declarations", () => {
    check("package p\ndef a = 1\ndef b = 2\ntype T = String\npermit r {}\n", lines("package p", "", "def a = 1", "def b = 2", "", "type T = String", "", "permit r {}"));
  });

  it("puts each annotation on its own line, comments between them stay", () => {
    check(
      'package p\n@id("A-1") @severity("high") // why\n// note\npermit r { when true }\n',
      lines("package p", "", '@id("A-1")', '@severity("high") // why', "// note", "permit r {", "  when true", "}"),
    );
  });

  it("keeps a blank line between clauses, never at the start or end of a body", () => {
    check("package p\npermit r {\n\n  when a\n\n\n  when b\n\n}\n", lines("package p", "", "permit r {", "  when a", "", "  when b", "}"));
  });

  it("keeps a comment on the line of an opening brace there, also in an empty body", () => {
    check("package p\npermit r { // todo\n}\n", lines("package p", "", "permit r { // todo", "}"));
    check("package p\npermit r {\n  // todo\n}\n", lines("package p", "", "permit r {", "  // todo", "}"));
    check("package p\ndef x = f( // why\n  1)\n", lines("package p", "", "def x = f( // why", "  1", ")"));
  });

  it("never turns a stray `///` into a doc comment", () => {
    check("package\n/// stray\np\ndef x = 1\n", lines("package p /// stray", "", "def x = 1"));
    check("package p\ntype T {\n  a: String\n  /// stray\n}\n", lines("package p", "", "type T {", "  a: String /// stray", "}"));
  });

  it("keeps keyword-named fields and attributes", () => {
    check(
      "package p\ntype R { type: String, default?: Bool }\ndef x = { type: 1 }.type\ndef y = r has default\n",
      lines("package p", "", "type R {", "  type: String", "  default?: Bool", "}", "", "def x = { type: 1 }.type", "def y = r has default"),
    );
  });

  it("keeps quoted record keys and has-attributes, re-escapes strings the JSON way", () => {
    check(
      'package p\ndef x = { "x-y": "\\u00e9\\/\\u0007" }\ndef y = r has "x-y"\n',
      lines("package p", "", 'def x = { "x-y": "é/\\u0007" }', 'def y = r has "x-y"'),
    );
  });

  it("keeps parentheses and spaces unary minus from a nested minus", () => {
    check("package p\ndef x = -(-1) - - 2 * ((3)) + - -y\n", lines("package p", "", "def x = -(-1) - -2 * ((3)) + - -y"));
  });

  it("writes template braces escaped and interpolations as written, minus spaces", () => {
    check('package p\npermit r { reason "{ a.b } \\{x\\} {c}" }\n', lines("package p", "", "permit r {", '  reason "{a.b} \\{x\\} {c}"', "}"));
  });

  it("keeps a template with comment-like text verbatim", () => {
    check('package p\npermit r { reason "see http://x {a /* b */}" }\n', lines("package p", "", "permit r {", '  reason "see http://x {a /* b */}"', "}"));
  });

  it("breaks a long when chain before each operator", () => {
    const long = "when principal.department == resource.department and principal.roles.contains(\"editor\") and resource.open";
    check(
      `package p\npermit r {\n${long}\n}\n`,
      lines(
        "package p",
        "",
        "permit r {",
        "  when principal.department == resource.department",
        '    and principal.roles.contains("editor")',
        "    and resource.open",
        "}",
      ),
    );
  });

  it("keeps a trailing comment of a list element on that element's line", () => {
    check("package p\ndef x = [a, // first\n b]\n", lines("package p", "", "def x = [", "  a, // first", "  b,", "]"));
  });

  it("keeps an own-line comment above an and-operand above it", () => {
    check("package p\ndef x = a\n  // why b\n  and b\n", lines("package p", "", "def x =", "  a", "  // why b", "  and b"));
  });

  it("lays out nested record types on one line when they fit, else one field per line", () => {
    const long = "{ aaaaaaaaaaaa: String, bbbbbbbbbbbbbb: Number, cccccccccccccc: Bool, dddddddddddddddddd: Time }";
    check(
      `package p\nrequest { ctx: { mfa: Bool, ip: Ip }, big: ${long} }\n`,
      lines(
        "package p",
        "",
        "request {",
        "  ctx: { mfa: Bool, ip: Ip }",
        "  big: {",
        "    aaaaaaaaaaaa: String",
        "    bbbbbbbbbbbbbb: Number",
        "    cccccccccccccc: Bool",
        "    dddddddddddddddddd: Time",
        "  }",
        "}",
      ),
    );
  });

  it("formats a test block one part per line", () => {
    check(
      'package p\ntest "t" { request { a: 1 } override { by: "x", justification: "y" } expect deny by r1,r2 }\n',
      lines("package p", "", 'test "t" {', "  request { a: 1 }", '  override { by: "x", justification: "y" }', "  expect deny by r1, r2", "}"),
    );
  });
});
