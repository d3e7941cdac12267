// The test runner in-process (compiler/run-tests.ts): what a test means, on small policies.
import { describe, expect, it } from "vitest";
import { Program } from "../../compiler/program.ts";
import { runTests, toJson, type TestRun } from "../../compiler/run-tests.ts";
import { Duration, Ip, Time } from "../../runtime/builtins/index.ts";

async function run(files: Record<string, string>, engine: "compiled" | "interpreter" = "compiled"): Promise<TestRun> {
  const program = Program.fromTexts(Object.entries(files).map(([path, text]) => ({ path, text })));
  const { packages, diagnostics } = program.snapshot().check();
  expect(diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return runTests(packages, { engine });
}

const outcomes = (r: TestRun) => r.packages.flatMap((p) => p.tests.map((t) => ({ name: t.name, passed: t.passed, problems: t.problems })));

describe("runTests", () => {
  it("sends Time, Duration and Ip values as the JSON strings a service would send", async () => {
    const r = await run({
      "a.edict": `package a
request { t: Any, d: Any, i: Any }
permit strings { when t == "2026-01-05T10:00:00Z" and d == "90m" and i == "10.0.0.0/8" }
test "wrappers become strings" {
  request { t: time("2026-01-05T10:00:00Z"), d: 90m, i: ip("10.0.0.0/8") }
  expect allow by strings
}
`,
    });
    expect(outcomes(r)).toEqual([{ name: "wrappers become strings", passed: true, problems: [] }]);
  });

  it("fails a test whose request cannot be evaluated, with the error and its location", async () => {
    const r = await run({
      "b.edict": `package b
request { user: String }
def who = user
permit any { when user == "x" }
test "reads a request field" {
  request { user: who }
  expect allow
}
test "still runs" {
  request { user: "x" }
  expect allow by any
}
`,
    });
    const [bad, good] = r.packages[0]!.tests;
    expect(bad!.passed).toBe(false);
    expect(bad!.decision).toBeUndefined();
    expect(bad!.problems).toHaveLength(1);
    expect(bad!.problems[0]).toMatch(/^the request could not be evaluated: request field `user` is missing \(at b\.edict:3:11\)$/);
    expect(bad!.location).toBe("b.edict:5:1");
    expect(good!.passed).toBe(true);
    expect([r.passed, r.failed]).toEqual([1, 1]);
  });

  it("checks the outcome and every `by` rule, and passes the override to decide", async () => {
    const policy = `package c
request { action: String }
permit read { when action == "read" }
@enforce("soft")
forbid risky { when action == "read" }
test "soft forbid denies" {
  request { action: "read" }
  expect deny by risky
}
test "override bypasses it" {
  request { action: "read" }
  override { by: "ops", justification: "incident" }
  expect allow by read
}
test "wrong outcome" {
  request { action: "read" }
  expect allow
}
test "wrong by" {
  request { action: "write" }
  expect deny by risky
}
`;
    for (const engine of ["compiled", "interpreter"] as const) {
      const r = await run({ "c.edict": policy }, engine);
      expect(outcomes(r)).toEqual([
        { name: "soft forbid denies", passed: true, problems: [] },
        { name: "override bypasses it", passed: true, problems: [] },
        { name: "wrong outcome", passed: false, problems: ["expected allow, got deny"] },
        { name: "wrong by", passed: false, problems: ["expected `c.risky` among the reasons"] },
      ]);
      // Coverage sees the permit matching even where the soft forbid denied.
      expect(r.packages[0]!.coverage.map((c) => [c.rule, c.matched, c.notMatched])).toEqual([
        ["c.read", true, true],
        ["c.risky", true, true],
      ]);
    }
  });

  it("runs several packages through one compiled module", async () => {
    const r = await run({
      "x.edict": `package x\nrequest { a: Number }\npermit p { when a > 1 }\ntest "x" {\n  request { a: 2 }\n  expect allow by p\n}\n`,
      "y.edict": `package y default allow\nrequest { b: Bool }\nforbid f { when b }\ntest "y" {\n  request { b: true }\n  expect deny by f\n}\n`,
      "z.edict": `package z\npermit all { when true }\n`,
    });
    expect(r.packages.map((p) => p.package)).toEqual(["x", "y"]);
    expect([r.passed, r.failed]).toEqual([2, 0]);
  });

  it("reports nothing to run when there are no tests", async () => {
    const r = await run({ "z.edict": `package z\npermit all { when true }\n` });
    expect(r).toEqual({ packages: [], passed: 0, failed: 0 });
  });
});

describe("toJson", () => {
  it("turns wrappers into text and keeps plain JSON", () => {
    const value = { t: new Time(Date.UTC(2026, 0, 5, 10)), d: new Duration(90_000), i: [new Ip(false, new Uint8Array([10, 0, 0, 1]), 32)], n: null, s: "x" };
    expect(toJson(value)).toEqual({ t: "2026-01-05T10:00:00Z", d: "90s", i: ["10.0.0.1"], n: null, s: "x" });
  });

  it("keeps an own `__proto__` key as data", () => {
    const input = JSON.parse('{"__proto__": {"admin": true}}') as unknown;
    const out = toJson(input) as Record<string, unknown>;
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});
