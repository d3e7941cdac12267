// `edict eval` end to end through the real binary: decision JSON, --explain, --package,
// overrides, --fail-on-deny, and clear one-line errors for bad requests and policies.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, runCli, stackTraceLines } from "../helpers/run-cli.ts";

let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "edict-eval-"));
  writeFileSync(
    join(dir, "db.edict"),
    `package db

permit engineers {
  when "engineer" in input.roles
  reason "engineers may"
}

@enforce("soft")
forbid ddl {
  when input.statement == "ddl"
  reason "no ddl"
}
`,
  );
  writeFileSync(join(dir, "other.edict"), "package other default allow\n");
  writeFileSync(join(dir, "ok.json"), JSON.stringify({ roles: ["engineer"], statement: "select" }));
  writeFileSync(join(dir, "ddl.json"), JSON.stringify({ roles: ["engineer"], statement: "ddl" }));
  writeFileSync(join(dir, "bad.json"), '{\n  "roles": ["engineer"],\n  "statement": }\n');
  writeFileSync(join(dir, "broken.edict"), "package broken\npermit x {\n  when input.a ==\n}\n");
});

describe("edict eval", () => {
  it("prints the decision as JSON and exits 0 on allow", () => {
    const r = runCli(["eval", "db.edict", "--request", "ok.json"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d).toEqual({
      allowed: true,
      decision: "allow",
      reasons: [{ rule: "db.engineers", effect: "permit", message: "engineers may", location: "db.edict:3:1" }],
      errors: [],
      advisories: [],
      notifications: [],
      policy: { package: "db", version: "sha256:dev" },
    });
    expect(r.stdout).toContain('\n  "decision": "allow",\n');
  });

  it("exits 0 on deny too, and 1 with --fail-on-deny", () => {
    const r = runCli(["eval", "db.edict", "--request", "ddl.json"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).decision).toBe("deny");
    expect(runCli(["eval", "db.edict", "--request", "ddl.json", "--fail-on-deny"], { cwd: dir }).code).toBe(1);
    expect(runCli(["eval", "db.edict", "--request", "ok.json", "--fail-on-deny"], { cwd: dir }).code).toBe(0);
  });

  it("reads the request from standard input", () => {
    const r = runCli(["eval", "db.edict", "--request", "-"], { cwd: dir, input: '{"roles": [], "statement": "select"}' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).reasons).toEqual([]);
  });

  it("records an override that bypasses a soft forbid", () => {
    const r = runCli(["eval", "db.edict", "--request", "ddl.json", "--override-by", "bob", "--justification", "INC-1"], { cwd: dir });
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.decision).toBe("allow");
    expect(d.override).toEqual({ by: "bob", justification: "INC-1", bypassed: [{ rule: "db.ddl", effect: "forbid", message: "no ddl", location: "db.edict:8:1" }] });
  });

  it("--explain prints the trace and the decision", () => {
    const r = runCli(["eval", "db.edict", "--request", "ddl.json", "--explain"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("forbid (soft) db.ddl  [db.edict:8:1]  → matched");
    expect(r.stdout).toContain('  when input.statement == "ddl": `input.statement` was "ddl" → true');
    expect(r.stdout).toContain("decision: deny\n  because db.ddl: no ddl  [db.edict:8:1]");
  });

  it("needs --package when the paths hold several packages", () => {
    const r = runCli(["eval", "db.edict", "other.edict", "--request", "ok.json"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the paths hold several packages (`db`, `other`); choose one with `--package NAME`");
    const ok = runCli(["eval", "db.edict", "other.edict", "--request", "ok.json", "--package", "other"], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).decision).toBe("allow");
    const unknown = runCli(["eval", "db.edict", "--request", "ok.json", "--package", "nope"], { cwd: dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("edict eval: no package `nope`; the paths hold `db`\n");
  });

  it("invalid request JSON: one line with the position", () => {
    const r = runCli(["eval", "db.edict", "--request", "bad.json"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("edict eval: the request `bad.json` is not valid JSON: line 3, column 16: expected a value, found `}`\n");
    const stdin = runCli(["eval", "db.edict", "--request", "-"], { cwd: dir, input: "[1, 2,]" });
    expect(stdin.stderr).toBe("edict eval: the request standard input is not valid JSON: line 1, column 7: a trailing comma before `]` is not allowed in JSON\n");
  });

  it("a missing request file is one line", () => {
    const r = runCli(["eval", "db.edict", "--request", "nope.json"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("edict eval: cannot read the request `nope.json`: no such file\n");
  });

  it("a policy with errors is not evaluated: diagnostics and exit 1", () => {
    const r = runCli(["eval", "broken.edict", "--request", "ok.json"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("broken.edict:");
    expect(r.stderr).toContain("edict eval: the policy has");
    expect(stackTraceLines(r.stderr)).toEqual([]);
  });

  it("usage errors exit 2", () => {
    expect(runCli(["eval", "db.edict"], { cwd: dir }).code).toBe(2);
    expect(runCli(["eval", "--request", "ok.json"], { cwd: dir }).code).toBe(2);
    const half = runCli(["eval", "db.edict", "--request", "ok.json", "--override-by", "bob"], { cwd: dir });
    expect(half.code).toBe(2);
    expect(half.stderr).toContain("`--override-by` and `--justification` go together");
    expect(runCli(["eval", "db.edict", "--request", "ok.json", "--override-by", " ", "--justification", "x"], { cwd: dir }).code).toBe(2);
  });
});
