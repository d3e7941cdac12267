// `edict check` through the REAL binary (node bin/edict.mjs, built once by the helper):
// exit codes, the text/JSON/SARIF outputs, bad paths, usage errors — and never a stack trace.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, ensureBuilt, repoRoot, runCliAll, stackTraceLines } from "../helpers/run-cli.ts";

let dir: string;

const good = `package shop

request {
  user: { id: String, role: "admin" | "clerk" }
  action: "view" | "refund"
}

permit clerks_view {
  when user.role == "clerk" and action == "view"
}
`;
// `user.rol`: a typo the checker must point at (line 5, column 13).
const typo = `package shop2

request { user: { id: String, role: String } }

permit admins {
  when user.rol == "admin"
}
`;

// Only a warning (an unused def): exit 0 unless --max-warnings says otherwise.
const warnOnly = `package shop3

def unused = 1

permit anyone {
  when true
}
`;

// Every invocation this file makes, run concurrently once (spawning node is the slow part).
const usageErrors: [string[], RegExp][] = [
  [["check"], /no paths given/],
  [["check", "--bogus", "clean"], /unknown option `--bogus`/],
  [["check", "--format", "xml", "clean"], /`--format` must be one of `text`, `json`, `sarif`, not `xml`/],
  [["check", "--format"], /`--format` needs a value/],
  [["check", "--max-warnings", "lots", "clean"], /whole number/],
];
const invocations: string[][] = [
  ["check", "clean"],
  ["check", "bad"],
  ["check", "warn"],
  ["check", "--max-warnings", "0", "warn"],
  ["check", "--format", "json", "clean", "bad"],
  ["check", "--format=json", "clean"],
  ["check", "--format", "sarif", "bad"],
  ["check", "clean", "nope.edict"],
  ["check", "--format", "json", "nope.edict"],
  ["check", "empty"],
  ["check", "image.edict"],
  ["check", "--help"],
  ...usageErrors.map(([args]) => args),
];
let results = new Map<string, CliResult>();
let examples: CliResult;
function edict(...args: string[]): CliResult {
  const r = results.get(JSON.stringify(args));
  if (!r) throw new Error(`add ${JSON.stringify(args)} to the invocations list`);
  return r;
}

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "edict-cli-check-"));
  mkdirSync(join(dir, "clean"));
  writeFileSync(join(dir, "clean", "shop.edict"), good);
  mkdirSync(join(dir, "bad"));
  writeFileSync(join(dir, "bad", "typo.edict"), typo);
  mkdirSync(join(dir, "warn"));
  writeFileSync(join(dir, "warn", "unused.edict"), warnOnly);
  mkdirSync(join(dir, "empty"));
  writeFileSync(join(dir, "image.edict"), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a]));
  const [ran, ex] = await Promise.all([runCliAll(invocations, { cwd: dir }), runCliAll([["check", "examples"]], { cwd: repoRoot })]);
  results = new Map(invocations.map((args, i) => [JSON.stringify(args), ran[i]!]));
  examples = ex[0]!;
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  // Whatever happened above, no output ever contained a JavaScript stack trace.
  for (const r of [...results.values(), examples]) {
    expect(stackTraceLines(r.stderr)).toEqual([]);
    expect(stackTraceLines(r.stdout)).toEqual([]);
    expect(r.stderr).not.toContain("internal error");
  }
});

describe("edict check", () => {
  it("exits 0 with a summary on a clean package", () => {
    const r = edict("check", "clean");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("no problems in 1 file\n");
    expect(r.stderr).toBe("");
  });

  it("exits 0 on the shipped examples", () => {
    const r = examples;
    expect(r.stdout).toMatch(/(no problems|warnings?) in \d+ files\n$/);
    expect(r.code).toBe(0);
  });

  it("points at a typo with file:line:col, a code frame and exit 1", () => {
    const r = edict("check", "bad");
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^bad\/typo\.edict:6:13: error\[E0301\]: .*`rol`/m);
    expect(r.stdout).toContain('6 |   when user.rol == "admin"');
    expect(r.stdout).toMatch(/\n\s+\|\s+\^\^\^\n/);
    expect(r.stdout).toContain("`role`"); // the did-you-mean
    expect(r.stdout).toMatch(/\n1 error in 1 file\n$/);
  });

  it("exits 0 on warnings, 1 when they exceed --max-warnings", () => {
    const r = edict("check", "warn");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^warn\/unused\.edict:3:5: warning\[W0001\]: /m);
    expect(r.stdout).toMatch(/\n1 warning in 1 file\n$/);
    const strict = edict("check", "--max-warnings", "0", "warn");
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/too many warnings: 1 \(--max-warnings 0\)\n$/);
  });

  it("prints the JSON contract", () => {
    const r = edict("check", "--format", "json", "clean", "bad");
    expect(r.code).toBe(1);
    const diags = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(Array.isArray(diags)).toBe(true);
    expect(diags.length).toBeGreaterThanOrEqual(1);
    for (const d of diags) {
      expect(Object.keys(d).slice(0, 8)).toEqual(["file", "line", "column", "endLine", "endColumn", "severity", "code", "message"]);
    }
    expect(diags[0]).toMatchObject({ file: "bad/typo.edict", line: 6, column: 13, endLine: 6, endColumn: 16, severity: "error", code: "E0301" });
    expect(JSON.parse(edict("check", "--format=json", "clean").stdout)).toEqual([]);
  });

  it("prints SARIF 2.1.0", () => {
    const r = edict("check", "--format", "sarif", "bad");
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe("2.1.0");
    expect(log.runs[0].tool.driver.name).toBe("edict");
    expect(log.runs[0].tool.driver.rules.length).toBeGreaterThan(10);
    expect(log.runs[0].results[0]).toMatchObject({
      ruleId: "E0301",
      level: "error",
      locations: [{ physicalLocation: { artifactLocation: { uri: "bad/typo.edict" }, region: { startLine: 6, startColumn: 13 } } }],
    });
  });

  it("reports a missing file in one line, still checking the others", () => {
    const r = edict("check", "clean", "nope.edict");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("edict check: nope.edict: error[E0001]: cannot read `nope.edict`: no such file or folder\n");
    expect(r.stdout).toBe("1 error in 1 file\n");
    const json = JSON.parse(edict("check", "--format", "json", "nope.edict").stdout);
    expect(json).toMatchObject([{ file: "nope.edict", line: 1, column: 1, code: "E0001", severity: "error" }]);
  });

  it("reports a folder without .edict files in one line", () => {
    const r = edict("check", "empty");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("edict check: empty: error[E0003]: no `.edict` files in `empty`\n");
  });

  it("reports a binary file in one line", () => {
    const r = edict("check", "image.edict");
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^edict check: image\.edict: error\[E0002\]: .*binary/);
  });

  it.each(usageErrors)("exits 2 on a usage error: %j", (args, message) => {
    const r = edict(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it("prints its usage with --help", () => {
    const r = edict("check", "--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("usage: edict check");
    expect(r.stdout).toContain("--format text|json|sarif");
  });
});
