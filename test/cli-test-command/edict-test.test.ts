// `edict test` on the real binary: the summary line, failures that say what was expected and
// what happened, rule coverage, JUnit XML that any XML parser accepts, exit codes.
// The binary runs asynchronously so that a hung child fails its test at the timeout instead of
// blocking the whole file.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, repoRoot, runCliAsync, stackTraceLines } from "../helpers/run-cli.ts";
import { checkWellFormedXml } from "./well-formed-xml.ts";

let work: string;

beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), "edict-test-cmd-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const lastLine = (text: string) => text.trimEnd().split("\n").at(-1);

/** A copy of examples/documents whose first test expects the wrong outcome. */
function brokenDocuments(): string {
  const dir = join(work, `documents-${Math.random().toString(36).slice(2)}`);
  cpSync(join(repoRoot, "examples", "documents"), dir, { recursive: true });
  const tests = join(dir, "tests.edict");
  const text = readFileSync(tests, "utf8");
  const wrong = text.replace(
    'request base with { action: "write" }\n  expect allow by department_editors',
    'request base with { action: "write" }\n  expect deny by legal_hold',
  );
  expect(wrong).not.toBe(text);
  writeFileSync(tests, wrong);
  return dir;
}

describe("edict test", () => {
  it("lists passed tests only with --verbose", async () => {
    const quiet = await runCliAsync(["test", "examples/documents"]);
    expect(quiet.stdout).not.toContain("✓");
    const verbose = await runCliAsync(["test", "--verbose", "examples/documents"]);
    expect(verbose.code).toBe(0);
    expect(verbose.stdout).toContain("✓ documents: editors write in their own department\n");
  });

  it("passes on every example at once, with full rule coverage, and ends with the summary line", async () => {
    const r = await runCliAsync(["test", "examples"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("✗");
    expect(r.stdout).toMatch(/^rule coverage: (\d+) of \1 rules matched by a test, \1 of \1 seen not matching$/m);
    const [passed] = lastLine(r.stdout)!.split(" ");
    expect(Number(passed)).toBeGreaterThanOrEqual(40);
    expect(lastLine(r.stdout)).toMatch(/^\d+ passed, 0 failed$/);
  });

  it("reports a failing test with its location, expected and actual decision and the rules that fired; exit 1", async () => {
    const dir = brokenDocuments();
    const r = await runCliAsync(["test", dir]);
    expect(r.code).toBe(1);
    expect(stackTraceLines(r.stdout + r.stderr)).toEqual([]);
    const out = r.stdout;
    expect(out).toMatch(/^✗ documents: editors write in their own department \(.*tests\.edict:\d+:1\)$/m);
    expect(out).toContain("    expected: deny by documents.legal_hold\n");
    expect(out).toContain("    actual:   allow\n");
    expect(out).toContain("expected `documents.legal_hold` among the reasons");
    expect(out).toMatch(/permit documents\.department_editors \(.*grants\.edict:\d+:1\): alice edits eng documents/);
    expect(lastLine(out)).toBe("21 passed, 1 failed");
  });

  it("reports rules that no test matched or saw not matching", async () => {
    const dir = join(work, "coverage");
    cpSync(join(repoRoot, "test", "cli-test-command", "fixtures", "coverage"), dir, { recursive: true });
    writeFileSync(join(dir, "other.edict"), "package other\n\npermit all {\n  when true\n}\n");
    const r = await runCliAsync(["test", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("packages without tests: other\n");
    expect(r.stdout).toContain("rule coverage: 2 of 3 rules matched by a test, 2 of 3 seen not matching");
    expect(r.stdout).toMatch(/rules no test matched:\n {4}cov\.never_matched \(.*policy\.edict:\d+:1\)\n/);
    expect(r.stdout).toMatch(/rules no test saw not matching:\n {4}cov\.always \(.*policy\.edict:\d+:1\)\n/);
    expect(lastLine(r.stdout)).toBe("2 passed, 0 failed");
  });

  it("writes a well-formed JUnit report, escaping every policy string", async () => {
    const dir = join(work, "hostile");
    cpSync(join(repoRoot, "test", "cli-test-command", "fixtures", "hostile"), dir, { recursive: true });
    const report = join(work, "hostile.xml");
    const r = await runCliAsync(["test", dir, "--reporter", "junit", report]);
    expect(r.code).toBe(1);
    expect(lastLine(r.stdout)).toBe("1 passed, 1 failed");
    const xml = readFileSync(report, "utf8");
    expect(checkWellFormedXml(xml)).toEqual([]);
    expect(xml).toContain('<testsuites name="edict" tests="2" failures="1" errors="0">');
    expect(xml).toContain('<testsuite name="hostile" tests="2" failures="1"');
    expect(xml).toContain("name=\"quotes &quot; &apos; &lt;tags&gt; &amp; ]]&gt; \uFFFD\"");
    expect(xml).toMatch(/<failure message="expected allow, got deny" type="AssertionError">/);
  });

  it("writes the JUnit report for passing runs too", async () => {
    const report = join(work, "documents.xml");
    const r = await runCliAsync(["test", "--reporter=junit", report, "examples/documents"]);
    expect(r.code).toBe(0);
    const xml = readFileSync(report, "utf8");
    expect(checkWellFormedXml(xml)).toEqual([]);
    expect(xml).toMatch(/<testsuite name="documents" tests="22" failures="0"/);
    expect(xml.match(/<testcase /g)).toHaveLength(22);
    expect(xml).not.toContain("<failure");
  });

  it("the JUnit report's folder is created; a report that cannot be written is exit 1 with the reason", async () => {
    const nested = join(work, "reports", "ci", "documents.xml");
    expect((await runCliAsync(["test", "--reporter=junit", nested, "examples/documents"])).code).toBe(0);
    expect(readFileSync(nested, "utf8")).toMatch(/<testsuite name="documents"/);
    const blocked = join(nested, "under-a-file.xml"); // documents.xml is a file
    const r = await runCliAsync(["test", "--reporter=junit", blocked, "examples/documents"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`edict test: cannot write the JUnit report \`${blocked}\`: a part of the path is a file, not a directory\n`);
  });

  it("does not run tests of policies with errors: diagnostics as `edict check` prints them, exit 1", async () => {
    const dir = join(work, "broken-policy");
    cpSync(join(repoRoot, "examples", "documents"), dir, { recursive: true });
    const grants = join(dir, "grants.edict");
    writeFileSync(grants, readFileSync(grants, "utf8").replace("when is_admin", "when is_admn"));
    const r = await runCliAsync(["test", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/grants\.edict:\d+:\d+: error\[E0201\]/);
    expect(r.stdout).toContain("no tests were run");
    expect(r.stdout).not.toMatch(/passed, \d+ failed/);
  });

  it.each([
    [["test"], "no paths given"],
    [["test", "examples/documents", "--reporter", "xml", "out.xml"], "`--reporter` must be `junit`"],
    [["test", "examples/documents", "--reporter", "junit"], "needs a file"],
    [["test", "examples/documents", "--engine", "fast"], "`--engine` must be one of"],
    [["test", "examples/documents", "--colour"], "unknown option"],
  ])("usage errors exit 2: %j", async (args, message) => {
    const r = await runCliAsync(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it("a missing path is one clear line and exit 1", async () => {
    const r = await runCliAsync(["test", "no/such/dir"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no/such/dir");
    expect(stackTraceLines(r.stderr)).toEqual([]);
    expect(existsSync(join(repoRoot, "no"))).toBe(false);
  });

  it("--engine interpreter gives the same results", async () => {
    const r = await runCliAsync(["test", "--engine", "interpreter", "examples/db-access"]);
    expect(r.code).toBe(0);
    expect(lastLine(r.stdout)).toBe("22 passed, 0 failed");
  });
});
