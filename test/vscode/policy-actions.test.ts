// What the extension's commands do (vscode-extension/src/policy-actions.ts), without VS Code:
// run a file's tests (with unsaved texts laid over the disk), evaluate a JSON request with the
// explain trace, find the `edict` executable and compile through it, and the status text.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileArguments, evaluateRequest, findEdictExecutable, healthText, invocation, loadPackageOf, runFileTests } from "../../vscode-extension/src/policy-actions.ts";

const root = join(import.meta.dirname, "..", "..");
const documents = join(root, "examples", "documents");
const temp = mkdtempSync(join(tmpdir(), "edict-vscode-actions-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const policy = `package shop

request {
  user: String
  amount: Number
}

permit small {
  when amount < 100
  reason "{user} spends {amount}"
}

test "small amounts pass" {
  request { user: "ann", amount: 5 }
  expect allow by small
}

test "big amounts pass too (wrong)" {
  request { user: "ann", amount: 500 }
  expect allow
}
`;

function workspace(name: string, files: Record<string, string>): string {
  const dir = join(temp, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, ".."), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

describe("run tests in this file", () => {
  it("runs an example's tests, all passing", async () => {
    const file = join(documents, "tests.edict");
    const report = await runFileTests(await loadPackageOf(file, root));
    expect(report.blocked).toBe(false);
    expect(report.failed).toBe(0);
    expect(report.passed).toBeGreaterThan(3);
    expect(report.text.trimEnd().split("\n").at(-1)).toBe(`${report.passed} passed, 0 failed`);
  });

  it("reports a failing test on its `test` line", async () => {
    const dir = workspace("fail", { "shop.edict": policy });
    const report = await runFileTests(await loadPackageOf(join(dir, "shop.edict"), dir));
    expect([report.passed, report.failed]).toEqual([1, 1]);
    expect(report.failures).toEqual([{ line: 17, message: expect.stringContaining("test `big amounts pass too (wrong)` fails: expected allow, got deny") }]);
    expect(report.text).toContain("✗ shop: big amounts pass too (wrong)");
    expect(report.text).toContain("✓ shop: small amounts pass");
  });

  it("sees the editor's unsaved text, not the disk", async () => {
    const dir = workspace("overlay", { "shop.edict": policy });
    const file = join(dir, "shop.edict");
    const fixed = policy.replace("expect allow\n}\n", "expect deny\n}\n");
    const report = await runFileTests(await loadPackageOf(file, dir, [{ file, text: fixed }]));
    expect([report.passed, report.failed]).toEqual([2, 0]);
  });

  it("runs only the tests of the file, but with the whole package", async () => {
    const [rules, tests] = policy.split('test "small');
    const dir = workspace("split", { "rules.edict": rules!, "tests.edict": `package shop\n\ntest "small${tests}` });
    const onRules = await runFileTests(await loadPackageOf(join(dir, "rules.edict"), dir));
    expect(onRules.text).toContain("no tests in rules.edict");
    const onTests = await runFileTests(await loadPackageOf(join(dir, "tests.edict"), dir));
    expect([onTests.passed, onTests.failed]).toEqual([1, 1]);
  });

  it("finds rules in a parent folder when the file's own folder lacks them", async () => {
    const [rules, tests] = policy.split('test "small');
    const dir = workspace("nested", { "policy/rules.edict": rules!, "policy/tests/shop-tests.edict": `package shop\n\ntest "small${tests}`, "copy/rules.edict": rules! });
    const loaded = await loadPackageOf(join(dir, "policy", "tests", "shop-tests.edict"), dir);
    expect(loaded.root).toBe(join(dir, "policy"));
    const report = await runFileTests(loaded);
    expect([report.passed, report.failed]).toEqual([1, 1]);
    expect(report.failures[0]!.line).toBe(7);
  });

  it("runs no test while the package has errors, and says why with file:line:col", async () => {
    const dir = workspace("broken", { "shop.edict": policy.replace("amount < 100", "amount < \"lots\"") });
    const report = await runFileTests(await loadPackageOf(join(dir, "shop.edict"), dir));
    expect(report.blocked).toBe(true);
    expect(report.text).toMatch(/shop\.edict:9:\d+/);
    expect(report.text).toContain("no tests were run");
  });

  it("says so for a file without a package declaration", async () => {
    const dir = workspace("nopkg", { "x.edict": "permit p { when true }\n" });
    const report = await runFileTests(await loadPackageOf(join(dir, "x.edict"), dir));
    expect(report.blocked).toBe(true);
    expect(report.failures).toEqual([]);
  });
});

describe("evaluate request", () => {
  it("decides an example request and shows reasons, the decision JSON and the trace", async () => {
    const loaded = await loadPackageOf(join(documents, "grants.edict"), root);
    const text = readFileSync(join(documents, "requests", "allow-editor-write.json"), "utf8");
    const report = evaluateRequest(loaded, text, "allow-editor-write.json");
    expect(report.ok).toBe(true);
    expect(report.decision?.decision).toBe("allow");
    expect(report.text.split("\n")[0]).toBe("allow-editor-write.json → ALLOW (package documents)");
    expect(report.text).toContain('"decision": "allow"');
    expect(report.text).toContain("trace:");
    expect(report.text).toMatch(/matched/);
  });

  it("shows a deny with the forbid's message", async () => {
    const loaded = await loadPackageOf(join(documents, "grants.edict"), root);
    const report = evaluateRequest(loaded, readFileSync(join(documents, "requests", "deny-legal-hold-delete.json"), "utf8"), "r.json");
    expect(report.decision?.decision).toBe("deny");
    expect(report.text).toMatch(/^ {2}forbid documents\.\w+/m);
  });

  it("names line and column of a request that is not JSON", async () => {
    const dir = workspace("eval", { "shop.edict": policy });
    const report = evaluateRequest(await loadPackageOf(join(dir, "shop.edict"), dir), '{\n  "user": "ann",\n}', "bad.json");
    expect(report.ok).toBe(false);
    expect(report.text).toMatch(/^bad\.json: not JSON: line 3, column 1/);
  });

  it("fails closed on a request of the wrong shape, without throwing", async () => {
    const dir = workspace("eval2", { "shop.edict": policy });
    const report = evaluateRequest(await loadPackageOf(join(dir, "shop.edict"), dir), "[1, 2]", "array.json");
    expect(report.decision?.decision).toBe("deny");
    expect(report.decision?.errors.length).toBeGreaterThan(0);
  });
});

describe("compile policy", () => {
  it("prefers the setting, then the workspace's node_modules/.bin, then PATH", () => {
    const dir = workspace("exe", { "node_modules/.bin/edict": "#!/bin/sh\n", "bin/edict": "#!/bin/sh\n" });
    chmodSync(join(dir, "bin", "edict"), 0o755);
    expect(findEdictExecutable(join(dir, "bin", "edict"), [dir], "")).toBe(join(dir, "bin", "edict"));
    expect(findEdictExecutable("  ", [dir], "")).toBe(join(dir, "node_modules", ".bin", "edict"));
    expect(findEdictExecutable(undefined, [temp], join(dir, "bin"))).toBe(join(dir, "bin", "edict"));
    expect(findEdictExecutable(undefined, [temp], `${join(temp, "nowhere")}${delimiter}`)).toBeUndefined();
    // A setting naming a missing file is not silently replaced by another executable.
    expect(findEdictExecutable(join(dir, "missing"), [dir], join(dir, "bin"))).toBeUndefined();
  });

  it("runs executables directly and scripts under the editor's Node.js", () => {
    expect(invocation("/usr/bin/edict", ["compile"])).toEqual({ command: "/usr/bin/edict", args: ["compile"], shell: false });
    expect(invocation("C:\\tools\\edict.cmd", ["compile"]).shell).toBe(true);
    expect(invocation("/repo/bin/edict.mjs", ["compile"]).args).toEqual(["/repo/bin/edict.mjs", "compile"]);
  });

  it("compiles the package of the file through `edict compile`", async () => {
    const dir = workspace("compile", { "shop.edict": policy.replace("expect allow\n}\n", "expect deny\n}\n") });
    const loaded = await loadPackageOf(join(dir, "shop.edict"), dir);
    const out = join(dir, "dist", "shop.mjs");
    const args = compileArguments(loaded, out);
    expect(args).toEqual(["compile", join(dir, "shop.edict"), "--out", out]);
    const run = invocation(join(root, "bin", "edict.mjs"), [...args, "--no-git"]);
    expect(run).toMatchObject({ command: process.execPath, shell: false, env: { ELECTRON_RUN_AS_NODE: "1" } });
    execFileSync(run.command, run.args, { cwd: dir, stdio: "pipe", env: { ...process.env, ...run.env } });
    expect(existsSync(out)).toBe(true);
    const mod = await import(out);
    const pkg = mod.decide ? mod : mod.packages.shop;
    expect(pkg.decide({ user: "bo", amount: 3 }).decision).toBe("allow");
    expect(pkg.decide({ user: "bo", amount: 300 }).decision).toBe("deny");
  });
});

describe("status bar", () => {
  it("shows errors, warnings and the tests of the active file", () => {
    expect(healthText({ errors: 0, warnings: 1 })).toMatchObject({ text: "Edict $(error) 0 $(warning) 1", bad: false });
    expect(healthText({ errors: 2, warnings: 0, tests: { passed: 3, failed: 0 } })).toMatchObject({ text: "Edict $(error) 2 $(warning) 0 $(pass) 3/3", bad: true });
    const failing = healthText({ errors: 0, warnings: 0, tests: { passed: 1, failed: 2 } });
    expect(failing.text).toBe("Edict $(error) 0 $(warning) 0 $(testing-failed-icon) 1/3");
    expect(failing.bad).toBe(true);
    expect(failing.tooltip).toContain("1 passed, 2 failed");
  });
});
