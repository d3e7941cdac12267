// Renderers: the text code frame (golden), the JSON contract (exact keys, 1-based, exclusive
// end column) and the SARIF 2.1.0 shape.
import { describe, expect, it } from "vitest";
import { CODES } from "../../compiler/diagnostics/codes.ts";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.ts";
import { renderJson, toJsonDiagnostic } from "../../compiler/diagnostics/render-json.ts";
import { sourceLookup } from "../../compiler/diagnostics/render-location.ts";
import { pathToUri, renderSarif } from "../../compiler/diagnostics/render-sarif.ts";
import { renderText } from "../../compiler/diagnostics/render-text.ts";
import { SourceFile } from "../../compiler/source/source-file.ts";

const text = [
  "package docs",
  "",
  "type User { id: String, role: String }",
  "request { principal: User }",
  "",
  "permit admins {",
  '  when principal.rol == "admin"',
  "}",
  "",
].join("\n");
const file = "policies/docs.edict";
const source = new SourceFile(file, text);
const sources = sourceLookup([source]);
const at = (needle: string, from = 0) => text.indexOf(needle, from);

const unknownAttr: Diagnostic = {
  code: "E0301",
  severity: "error",
  message: "unknown attribute `rol` on `User`",
  span: { file, start: at("rol =="), end: at("rol ==") + 3 },
  help: "did you mean `role`?",
  related: [{ span: { file, start: at("User"), end: at("User") + 4 }, message: "`User` is declared here" }],
};
const unused: Diagnostic = {
  code: "W0001",
  severity: "warning",
  message: "`x` is never used",
  span: { file, start: at("permit"), end: at("permit") },
};
const missing: Diagnostic = {
  code: "E0001",
  severity: "error",
  message: "cannot read `nope.edict`: no such file or folder",
  span: { file: "nope.edict", start: 0, end: 0 },
};

describe("text renderer", () => {
  it("shows a long line (minified, generated, not a policy) as a window around the span, marked where cut", () => {
    const long = "package p\ndef v = " + "1 + ".repeat(500) + "oops + " + "2 + ".repeat(500) + "3\n";
    const f = "long.edict";
    const d: Diagnostic = { code: "E0201", severity: "error", message: "unknown name `oops`", span: { file: f, start: long.indexOf("oops"), end: long.indexOf("oops") + 4 } };
    const lines = renderText([d], sourceLookup([new SourceFile(f, long)])).split("\n");
    expect(lines[0]).toBe("long.edict:2:2009: error[E0201]: unknown name `oops`");
    expect(lines[2]).toBe(`2 | …${"1 + ".repeat(10)}oops + ${"2 + ".repeat(28)}2…`); // 40 characters before the span, 160 in all
    expect(lines[3]).toBe(`  | ${" ".repeat(41)}^^^^`);
    // a span longer than the window: underlined to the window's end, and said so
    const whole: Diagnostic = { ...d, span: { file: f, start: long.indexOf("def"), end: long.length - 1 } };
    const frame = renderText([whole], sourceLookup([new SourceFile(f, long)])).split("\n");
    expect(frame[3]).toBe(`  | ${"^".repeat(160)} (continues past the shown part of the line)`);
  });

  it("prints file:line:col, a code frame with an underline, help and notes", () => {
    expect(renderText([unknownAttr], sources)).toBe(
      [
        "policies/docs.edict:7:18: error[E0301]: unknown attribute `rol` on `User`",
        "  |",
        '7 |   when principal.rol == "admin"',
        "  |                  ^^^",
        "  = help: did you mean `role`?",
        "  = note: policies/docs.edict:3:6: `User` is declared here",
        "",
        "",
      ].join("\n"),
    );
  });

  it("underlines an empty span with one caret, and a file without source in one line", () => {
    expect(renderText([unused, missing], sources)).toBe(
      [
        "policies/docs.edict:6:1: warning[W0001]: `x` is never used",
        "  |",
        "6 | permit admins {",
        "  | ^",
        "",
        "nope.edict: error[E0001]: cannot read `nope.edict`: no such file or folder",
        "",
        "",
      ].join("\n"),
    );
  });

  it("keeps the underline aligned after tabs and marks spans running over lines", () => {
    const src = new SourceFile("t.edict", "package t\n\tdef x = \t[1,\n2]\n");
    const start = src.text.indexOf("[");
    const d: Diagnostic = { code: "E0302", severity: "error", message: "m", span: { file: "t.edict", start, end: src.text.indexOf("]") + 1 } };
    const out = renderText([d], sourceLookup([src])).split("\n");
    expect(out[2]).toBe("2 |     def x =     [1,");
    expect(out[3]).toBe("  |                 ^^^ (continues to line 3)");
  });

  it("colours only when asked", () => {
    expect(renderText([unknownAttr], sources)).not.toContain("\x1b[");
    const coloured = renderText([unknownAttr], sources, { color: true });
    expect(coloured).toContain("\x1b[31m");
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, "")).toBe(renderText([unknownAttr], sources));
  });
});

describe("JSON renderer (contract)", () => {
  it("emits the contract keys first, in order, 1-based, end column exclusive", () => {
    const [j] = JSON.parse(renderJson([unknownAttr], sources)) as Record<string, unknown>[];
    expect(Object.keys(j!).slice(0, 8)).toEqual(["file", "line", "column", "endLine", "endColumn", "severity", "code", "message"]);
    expect(j).toMatchObject({
      file,
      line: 7,
      column: 18,
      endLine: 7,
      endColumn: 21,
      severity: "error",
      code: "E0301",
      message: "unknown attribute `rol` on `User`",
      help: "did you mean `role`?",
      related: [{ file, line: 3, column: 6, endLine: 3, endColumn: 10, message: "`User` is declared here" }],
    });
  });

  it("puts files without source at 1:1 and prints [] for no diagnostics", () => {
    expect(toJsonDiagnostic(missing, sources)).toEqual({
      file: "nope.edict",
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
      severity: "error",
      code: "E0001",
      message: missing.message,
    });
    expect(JSON.parse(renderJson([], sources))).toEqual([]);
  });
});

describe("SARIF renderer", () => {
  const log = JSON.parse(renderSarif([unknownAttr, unused, missing], sources, { toolVersion: "1.2.3" }));

  it("has the SARIF 2.1.0 log shape with every code as a rule", () => {
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0].tool.driver;
    expect(driver).toMatchObject({ name: "edict", version: "1.2.3" });
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules.map((r: { id: string }) => r.id)).toEqual(Object.keys(CODES));
    for (const r of driver.rules) expect(r.shortDescription.text).toBe(CODES[r.id as keyof typeof CODES].title);
    expect(driver.rules.find((r: { id: string }) => r.id === "W0001").defaultConfiguration.level).toBe("warning");
  });

  it("maps each diagnostic to a result with ruleId, level, message and a region", () => {
    const [first, second, third] = log.runs[0].results;
    expect(first).toMatchObject({
      ruleId: "E0301",
      level: "error",
      message: { text: "unknown attribute `rol` on `User`\nhelp: did you mean `role`?" },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: "policies/docs.edict" },
            region: { startLine: 7, startColumn: 18, endLine: 7, endColumn: 21 },
          },
        },
      ],
      relatedLocations: [{ id: 0, message: { text: "`User` is declared here" } }],
    });
    expect(log.runs[0].tool.driver.rules[first.ruleIndex].id).toBe("E0301");
    expect(second).toMatchObject({ ruleId: "W0001", level: "warning" });
    expect(third.locations[0].physicalLocation.region).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 });
  });

  it("turns paths into URIs", () => {
    expect(pathToUri("a b/c#d.edict")).toBe("a%20b/c%23d.edict");
    expect(pathToUri("/abs/x.edict")).toBe("file:///abs/x.edict");
    expect(pathToUri("C:\\x\\y.edict")).toBe("file:///C:/x/y.edict");
  });
});
