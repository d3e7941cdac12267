// The JUnit writer on its own: escaping, and well-formedness on hostile strings (fast-check).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TestRun } from "../../compiler/run-tests.ts";
import { renderJunit, xmlAttr, xmlText } from "../../cli/test-report.ts";
import { checkWellFormedXml } from "./well-formed-xml.ts";

function runWith(name: string, pkg: string, message: string): TestRun {
  const reason = { rule: `${pkg}.r`, effect: "forbid" as const, message, location: "p.edict:1:1" };
  return {
    passed: 1,
    failed: 1,
    packages: [
      {
        package: pkg,
        coverage: [],
        tests: [
          { package: pkg, name: "ok", location: "p.edict:3:1", file: "p.edict", line: 3, passed: true, expected: { decision: "allow", by: [] }, problems: [] },
          {
            package: pkg,
            name,
            location: "p.edict:9:1",
            file: "p.edict",
            line: 9,
            passed: false,
            expected: { decision: "allow", by: [] },
            problems: ["expected allow, got deny"],
            decision: {
              allowed: false,
              decision: "deny",
              reasons: [reason],
              errors: [{ rule: `${pkg}.r`, message, location: "p.edict:2:3" }],
              advisories: [],
              notifications: [],
              policy: { package: pkg, version: "sha256:0" },
            },
          },
        ],
      },
    ],
  };
}

describe("JUnit report", () => {
  it("escapes markup, quotes and characters XML forbids", () => {
    expect(xmlText("a<b>&c ]]>")).toBe("a&lt;b&gt;&amp;c ]]&gt;");
    expect(xmlAttr(`"'\n\t`)).toBe("&quot;&apos;&#10;&#9;");
    expect(xmlText("\u0000\u0008\uFFFE\uD800x")).toBe("\uFFFD\uFFFD\uFFFD\uFFFDx");
    expect(xmlText("emoji \u{1F600}")).toBe("emoji \u{1F600}");
  });

  it("renders suites, cases and failures", () => {
    const xml = renderJunit(runWith("denied", "docs", "document d1 is under legal hold"));
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="edict" tests="2" failures="1" errors="0">',
        '  <testsuite name="docs" tests="2" failures="1" errors="0" skipped="0">',
        '    <testcase name="ok" classname="docs" file="p.edict" line="3"/>',
        '    <testcase name="denied" classname="docs" file="p.edict" line="9">',
        '      <failure message="expected allow, got deny" type="AssertionError">✗ docs: denied (p.edict:9:1)',
        "    expected: allow",
        "    actual:   deny",
        "    reasons:",
        "      forbid docs.r (p.edict:1:1): document d1 is under legal hold",
        "    errors:",
        "      docs.r at p.edict:2:3: document d1 is under legal hold</failure>",
        "    </testcase>",
        "  </testsuite>",
        "</testsuites>",
        "",
      ].join("\n"),
    );
    expect(checkWellFormedXml(xml)).toEqual([]);
  });

  it("is well-formed whatever the names and messages", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), (name, message, pkg) => {
        expect(checkWellFormedXml(renderJunit(runWith(name, pkg, message)))).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it("the checker itself rejects broken XML", () => {
    expect(checkWellFormedXml("<a><b></a>")).not.toEqual([]);
    expect(checkWellFormedXml('<a x="1 & 2"/>')).not.toEqual([]);
    expect(checkWellFormedXml("<a>1 < 2</a>")).not.toEqual([]);
    expect(checkWellFormedXml("<a/><b/>")).not.toEqual([]);
    expect(checkWellFormedXml("<a>\u0001</a>")).not.toEqual([]);
  });
});
