// `edict fmt` through the real binary: printing one file, listing files that would change,
// `--check` exit codes, `--write` rewriting only what changes, standard input, syntax errors
// and usage errors (never a stack trace).
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, runCli, stackTraceLines } from "../helpers/run-cli.ts";

const messy = 'package demo\ndef   x =  [1,2]\npermit p { when x.size() > 1 }\n';
const tidy = "package demo\n\ndef x = [1, 2]\n\npermit p {\n  when x.size() > 1\n}\n";
const broken = "package demo\npermit p { when }\n";

let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "edict-fmt-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fresh(files: Record<string, string>): string {
  const d = mkdtempSync(join(dir, "case-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(d, name, ".."), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  return d;
}

describe("edict fmt", () => {
  it("prints one file formatted and leaves it alone", () => {
    const d = fresh({ "a.edict": messy });
    const r = runCli(["fmt", "a.edict"], { cwd: d });
    expect(r).toMatchObject({ code: 0, stdout: tidy, stderr: "" });
    expect(readFileSync(join(d, "a.edict"), "utf8")).toBe(messy);
  });

  it("lists the files that would change when given several", () => {
    const d = fresh({ "a.edict": messy, "sub/b.edict": tidy, "sub/c.edict": messy });
    const r = runCli(["fmt", "."], { cwd: d });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("a.edict\nsub/c.edict\n");
  });

  it("--check exits 1 and lists unformatted files, 0 when all are formatted", () => {
    const d = fresh({ "a.edict": messy, "b.edict": tidy });
    const bad = runCli(["fmt", "--check", "."], { cwd: d });
    expect(bad).toMatchObject({ code: 1, stdout: "a.edict\n" });
    const good = runCli(["fmt", "--check", "b.edict"], { cwd: d });
    expect(good).toMatchObject({ code: 0, stdout: "" });
  });

  it("--write rewrites only the files that change and names them", () => {
    const d = fresh({ "a.edict": messy, "b.edict": tidy });
    const before = statSync(join(d, "b.edict")).mtimeMs;
    const r = runCli(["fmt", "--write", "."], { cwd: d });
    expect(r).toMatchObject({ code: 0, stdout: "a.edict\n" });
    expect(readFileSync(join(d, "a.edict"), "utf8")).toBe(tidy);
    expect(statSync(join(d, "b.edict")).mtimeMs).toBe(before);
    expect(runCli(["fmt", "--check", "."], { cwd: d }).code).toBe(0);
  });

  it("formats standard input with `-`", () => {
    const r = runCli(["fmt", "-"], { input: messy });
    expect(r).toMatchObject({ code: 0, stdout: tidy });
  });

  it("reports syntax errors with file:line:col, formats nothing of that file, exits 1", () => {
    const d = fresh({ "bad.edict": broken, "a.edict": messy });
    const r = runCli(["fmt", "--write", "."], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.edict:2:\d+: error\[E01\d\d\]/);
    expect(readFileSync(join(d, "bad.edict"), "utf8")).toBe(broken);
    expect(readFileSync(join(d, "a.edict"), "utf8")).toBe(tidy);
    expect(stackTraceLines(r.stderr)).toEqual([]);
  });

  it("usage errors exit 2 with one clear line", () => {
    const both = runCli(["fmt", "--check", "--write", "x.edict"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("cannot be used together");
    const none = runCli(["fmt"]);
    expect(none.code).toBe(2);
    const unknown = runCli(["fmt", "--frobnicate", "x.edict"]);
    expect(unknown.code).toBe(2);
    for (const r of [both, none, unknown]) expect(stackTraceLines(r.stderr)).toEqual([]);
  });

  it("a missing path is one line and exit 1", () => {
    const r = runCli(["fmt", "--check", "nope.edict"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("nope.edict");
    expect(stackTraceLines(r.stderr)).toEqual([]);
  });
});
