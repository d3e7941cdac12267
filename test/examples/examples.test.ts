// The four example policy sets are part of the product: each must check with zero
// diagnostics (no warnings either), pass every one of its `test` blocks through the compiled
// code with full rule coverage, and decide each sample request in requests/*.json as its file
// name says (`allow-...json`, `deny-...json`) — through the interpreter AND the compiled
// module, which must agree on the whole decision.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compilePackages, loadCompiled } from "../../compiler/codegen/compile.ts";
import { evaluatePackage } from "../../compiler/eval/evaluate.ts";
import { loadProgram } from "../../compiler/program.ts";
import { runTests, type TestRun } from "../../compiler/run-tests.ts";
import type { CheckedPackage } from "../../compiler/semantics/check.ts";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.ts";
import type { Decision, PolicyModule } from "../../runtime/decision.ts";

const repoRoot = join(import.meta.dirname, "..", "..");
const EXAMPLES = ["documents", "deploy-gate", "cloud-compliance", "db-access"] as const;

function describeDiagnostic(d: Diagnostic, source: (f: string) => { location(o: number): string } | undefined): string {
  return `${source(d.span.file)?.location(d.span.start) ?? d.span.file}: ${d.severity}[${d.code}]: ${d.message}`;
}

/** A decision without the bundle version (the interpreter and compiled code hash differently). */
function comparable(d: Decision): unknown {
  const { policy, ...rest } = d;
  return { ...rest, policy: { package: policy.package } };
}

for (const example of EXAMPLES) {
  describe(`examples/${example}`, () => {
    const dir = join("examples", example);
    let packages: readonly CheckedPackage[];
    let diagnostics: string[];
    let run: TestRun;
    let compiled: PolicyModule;

    beforeAll(async () => {
      const { program, loadDiagnostics } = await loadProgram([dir], repoRoot);
      const snapshot = program.snapshot();
      const result = snapshot.check();
      packages = result.packages;
      diagnostics = [...loadDiagnostics, ...result.diagnostics].map((d) => describeDiagnostic(d, (f) => snapshot.source(f)));
      if (diagnostics.length === 0) {
        run = await runTests(packages);
        const out = await compilePackages([...packages], { outFile: `${example}.mjs` });
        compiled = await loadCompiled(out.code);
      }
    });

    it("checks with zero diagnostics", () => {
      expect(diagnostics).toEqual([]);
      expect(packages).toHaveLength(1);
    });

    it("has between 10 and 25 tests and every one passes through the compiled code", () => {
      const tests = run.packages.flatMap((p) => p.tests);
      expect(tests.length).toBeGreaterThanOrEqual(10);
      expect(tests.length).toBeLessThanOrEqual(25);
      const failures = tests.filter((t) => !t.passed).map((t) => `${t.name} (${t.location}): ${t.problems.join("; ")}`);
      expect(failures).toEqual([]);
      expect(run.failed).toBe(0);
      expect(run.passed).toBe(tests.length);
    });

    it("the tests cover every rule both matching and not matching", () => {
      const coverage = run.packages.flatMap((p) => p.coverage);
      expect(coverage.length).toBe(packages[0]!.pkg.rules.length);
      expect(coverage.filter((r) => !r.matched).map((r) => r.rule)).toEqual([]);
      expect(coverage.filter((r) => !r.notMatched).map((r) => r.rule)).toEqual([]);
    });

    it("the interpreter agrees with the compiled code on every test", async () => {
      const interpreted = await runTests(packages, { engine: "interpreter" });
      const summary = (r: TestRun) => r.packages.flatMap((p) => p.tests.map((t) => [t.name, t.passed, t.decision && comparable(t.decision)]));
      expect(summary(interpreted)).toEqual(summary(run));
    });

    const requestDir = join(repoRoot, dir, "requests");
    const requests = readdirSync(requestDir).filter((f) => f.endsWith(".json")).sort();

    it("has sample requests with both outcomes", () => {
      expect(requests.some((f) => f.startsWith("allow-"))).toBe(true);
      expect(requests.some((f) => f.startsWith("deny-"))).toBe(true);
    });

    it.each(requests)("requests/%s decides as its name says, in the interpreter and compiled code alike", (file) => {
      const expected = file.startsWith("allow-") ? "allow" : file.startsWith("deny-") ? "deny" : undefined;
      expect(expected, "sample request names start with allow- or deny-").toBeDefined();
      const request: unknown = JSON.parse(readFileSync(join(requestDir, file), "utf8"));
      const fromInterpreter = evaluatePackage(packages[0]!.pkg, request);
      const fromCompiled = compiled.decide(request);
      expect(fromCompiled.decision).toBe(expected);
      expect(fromInterpreter.decision).toBe(expected);
      expect(comparable(fromInterpreter)).toEqual(comparable(fromCompiled));
      // A deny names its reasons, unless it is the package default.
      if (expected === "deny" && !file.includes("missing-attribute")) expect(fromCompiled.reasons.length).toBeGreaterThan(0);
      if (!file.includes("missing-attribute")) expect(fromCompiled.errors).toEqual([]);
    });
  });
}

describe("sample requests that show particular behaviour", () => {
  it("documents: a missing attribute fails closed with an error that names the rule", async () => {
    const { program } = await loadProgram(["examples/documents"], repoRoot);
    const pkg = program.snapshot().check().packages[0]!.pkg;
    const request: unknown = JSON.parse(readFileSync(join(repoRoot, "examples/documents/requests/deny-missing-attribute.json"), "utf8"));
    const d = evaluatePackage(pkg, request);
    expect(d.decision).toBe("deny");
    expect(d.reasons).toEqual([]);
    expect(d.errors.map((e) => e.rule)).toContain("documents.department_editors");
  });

  it("deploy-gate: one reason per offending container, advisories never deny", async () => {
    const { program } = await loadProgram(["examples/deploy-gate"], repoRoot);
    const pkg = program.snapshot().check().packages[0]!.pkg;
    const request: unknown = JSON.parse(readFileSync(join(repoRoot, "examples/deploy-gate/requests/deny-self-approved-privileged.json"), "utf8"));
    const d = evaluatePackage(pkg, request);
    // Source order: containers.edict sorts before gate.edict.
    expect(d.reasons.map((r) => r.message)).toEqual([
      "container indexer runs privileged",
      "container metrics has no resource limits",
      "container metrics pulls docker.io/prom/statsd-exporter:latest from an untrusted registry",
      "search: a production deploy needs an approval from someone other than its author carol",
    ]);
    expect(d.advisories.map((r) => r.rule)).toEqual(["deploy_gate.latest_tag"]);
  });

  it("db-access: an override bypasses the soft forbid and is recorded; the channel is notified", async () => {
    const { program } = await loadProgram(["examples/db-access"], repoRoot);
    const pkg = program.snapshot().check().packages[0]!.pkg;
    const request: unknown = JSON.parse(readFileSync(join(repoRoot, "examples/db-access/requests/deny-production-ddl.json"), "utf8"));
    const denied = evaluatePackage(pkg, request);
    expect(denied.reasons.map((r) => r.rule)).toEqual(["db_access.production_ddl"]);
    const override = { by: "dora", justification: "INC-2211" };
    const allowed = evaluatePackage(pkg, request, { override });
    expect(allowed.decision).toBe("allow");
    expect(allowed.override?.bypassed.map((r) => r.rule)).toEqual(["db_access.production_ddl"]);
    expect(allowed.notifications).toContainEqual({ rule: "db_access.production_ddl", channel: "dba-oncall" });
  });
});
