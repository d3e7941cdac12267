// Running a policy's `test` blocks. Owns: what a test means (language.md §7) and rule
// coverage; `edict test` (cli/commands/test.ts) prints what this returns, and the examples'
// tests call it directly.
// Input: checked packages without errors. Output: one TestOutcome per `test` block (in source
// order, packages sorted by name) and, per package with tests, the coverage of every rule.
// Semantics of a test: the `request` expression (and the optional `override` expression) is
// evaluated like any Edict expression (it may use the package's defs, `with`, `ip()`/`time()`);
// the value is turned into plain JSON (Time -> ISO string, Duration -> "15m", Ip -> its text),
// exactly what a service would send; then the COMPILED module decides it (the artifact a
// service ships, not the interpreter). `expect allow|deny` compares the outcome; every rule
// named after `by` must be among the decision's reasons or advisories.
// Coverage: a rule is "matched" by a test when it matched for that test's request (a forbid in
// reasons, advisories or the override's bypassed list; a permit among the reasons of an allow).
// When forbids decide a deny, the permits that also matched are hidden from the decision, so
// the reference interpreter evaluates the permits alone to find them.
// INVARIANT (never throws for a test): a request that cannot be evaluated or a decide that
// throws makes that test fail with a message; other tests still run.
import type { Decision, Manifest, Override, PolicyModule } from "../runtime/decision.ts";
import { compilePackages, loadCompiled } from "./codegen/compile.ts";
import { evaluatePackage } from "./eval/evaluate.ts";
import { evaluateExpression } from "./eval/evaluate-test-request.ts";
import type { CheckedPackage } from "./semantics/check.ts";
import type { PackageModel } from "./semantics/package-model.ts";
import type { Expr, TestDecl } from "./syntax/ast.ts";

export interface ExpectedOutcome {
  readonly decision: "allow" | "deny" | undefined;
  /** Full rule ids (`pkg.rule`) named after `by`. */
  readonly by: readonly string[];
}

export interface TestOutcome {
  readonly package: string;
  readonly name: string;
  /** `file:line:col` of the `test` keyword. */
  readonly location: string;
  readonly file: string;
  readonly line: number;
  readonly passed: boolean;
  readonly expected: ExpectedOutcome;
  /** The compiled module's decision; absent when the request could not be evaluated. */
  readonly decision?: Decision;
  /** Why the test failed, one sentence each (empty when it passed). */
  readonly problems: readonly string[];
}

export interface RuleCoverage {
  /** `pkg.rule` */
  readonly rule: string;
  readonly effect: "permit" | "forbid";
  readonly location: string;
  /** Some test's request made the rule match. */
  readonly matched: boolean;
  /** Some test's request left the rule not matching. */
  readonly notMatched: boolean;
}

export interface PackageTestRun {
  readonly package: string;
  readonly tests: readonly TestOutcome[];
  readonly coverage: readonly RuleCoverage[];
}

export interface TestRun {
  readonly packages: readonly PackageTestRun[];
  readonly passed: number;
  readonly failed: number;
}

export interface RunTestsOptions {
  /** `compiled` (default): decide with the compiled module; `interpreter`: with evaluatePackage. */
  readonly engine?: "compiled" | "interpreter";
}

type Decide = (request: unknown, options?: { override?: Override }) => Decision;

/** Runs every test of every package that has tests. The packages must have no errors. */
export async function runTests(packages: readonly CheckedPackage[], options: RunTestsOptions = {}): Promise<TestRun> {
  const tested = packages.filter((p) => p.pkg.tests.length > 0);
  if (tested.length === 0) return { packages: [], passed: 0, failed: 0 };
  const engine = options.engine ?? "compiled";

  let deciders: Map<string, Decide>;
  let manifests: Map<string, Manifest>;
  if (engine === "compiled") {
    const compiled = await compilePackages([...tested], { outFile: "edict-tests.mjs" });
    const module = await loadCompiled(compiled.code);
    manifests = new Map(compiled.manifests.map((m) => [m.package, m]));
    deciders = new Map(tested.map((p) => [p.pkg.name, deciderOf(module, p.pkg.name, tested.length)]));
  } else {
    manifests = new Map();
    deciders = new Map(tested.map((p) => [p.pkg.name, (req: unknown, o?: { override?: Override }) => evaluatePackage(p.pkg, req, { trace: false, ...o })]));
  }

  const runs: PackageTestRun[] = [];
  let passed = 0;
  let failed = 0;
  for (const checked of tested) {
    const pkg = checked.pkg;
    const decide = deciders.get(pkg.name)!;
    const matched = new Set<string>();
    const notMatched = new Set<string>();
    const ruleIds = pkg.rules.flatMap((r) => (r.name ? [`${pkg.name}.${r.name.name}`] : []));
    // Made once per package: the interpreter prepares each PackageModel object once.
    const permitsOnly: PackageModel = { ...pkg, defaultAllow: false, rules: pkg.rules.filter((r) => r.effect === "permit"), source: (f) => pkg.source(f) };
    const outcomes: RunOne[] = [];
    for (const test of pkg.tests) {
      const outcome = runOne(pkg, test, decide);
      outcomes.push(outcome);
      if (outcome.passed) passed++;
      else failed++;
      if (outcome.decision) {
        const hit = matchedRules(outcome.decision, permitsOnly, outcome.requestValue, outcome.overrideValue);
        for (const id of ruleIds) (hit.has(id) ? matched : notMatched).add(id);
      }
    }
    runs.push({
      package: pkg.name,
      tests: outcomes.map(({ requestValue: _r, overrideValue: _o, ...rest }) => rest),
      coverage: coverageOf(pkg, manifests.get(pkg.name), matched, notMatched),
    });
  }
  return { packages: runs, passed, failed };
}

function deciderOf(module: PolicyModule & { packages?: Record<string, PolicyModule> }, name: string, count: number): Decide {
  const own = module.packages?.[name];
  if (own) return (req, o) => own.decide(req, o);
  if (count === 1) return (req, o) => module.decide(req, o);
  throw new Error(`the compiled module has no package \`${name}\``);
}

interface RunOne extends TestOutcome {
  readonly requestValue?: unknown;
  readonly overrideValue?: Override;
}

function runOne(pkg: PackageModel, test: TestDecl, decide: Decide): RunOne {
  const source = pkg.source(test.span.file);
  const position = source?.position(test.span.start);
  const line = position ? position.line + 1 : 1;
  const location = source ? source.location(test.span.start) : `${test.span.file}:1:1`;
  const expected: ExpectedOutcome = {
    decision: test.expect?.outcome,
    by: (test.expect?.by ?? []).map((id) => `${pkg.name}.${id.name}`),
  };
  const base = { package: pkg.name, name: test.name?.value ?? "(unnamed test)", location, file: test.span.file, line, expected };
  const fail = (problem: string): RunOne => ({ ...base, passed: false, problems: [problem] });

  if (!test.request) return fail("the test has no `request`");
  if (!expected.decision) return fail("the test has no `expect allow` or `expect deny`");
  let requestValue: unknown;
  let overrideValue: Override | undefined;
  try {
    requestValue = toJson(evaluateExpression(pkg, test.request));
  } catch (e) {
    return fail(`the request could not be evaluated: ${messageOf(e)}`);
  }
  if (test.override) {
    try {
      overrideValue = toJson(evaluateExpression(pkg, test.override as Expr)) as Override;
    } catch (e) {
      return fail(`the override could not be evaluated: ${messageOf(e)}`);
    }
  }
  let decision: Decision;
  try {
    decision = decide(requestValue, overrideValue ? { override: overrideValue } : undefined);
  } catch (e) {
    return fail(`decide threw (a bug in edict): ${messageOf(e)}`);
  }
  const problems: string[] = [];
  if (decision.decision !== expected.decision) problems.push(`expected ${expected.decision}, got ${decision.decision}`);
  const cited = new Set([...decision.reasons, ...decision.advisories].map((r) => r.rule));
  for (const rule of expected.by) {
    if (!pkg.rules.some((r) => `${pkg.name}.${r.name?.name}` === rule)) problems.push(`\`${rule}\` is not a rule of package \`${pkg.name}\``);
    else if (!cited.has(rule)) problems.push(`expected \`${rule}\` among the reasons`);
  }
  return { ...base, passed: problems.length === 0, decision, problems, requestValue, overrideValue };
}

/** Rule ids that matched for one request (see the header for how permits are found). */
function matchedRules(decision: Decision, permitsOnly: PackageModel, request: unknown, override: Override | undefined): Set<string> {
  const hit = new Set<string>();
  for (const r of decision.advisories) hit.add(r.rule);
  for (const r of decision.override?.bypassed ?? []) hit.add(r.rule);
  const forbidsDecided = decision.reasons.some((r) => r.effect === "forbid");
  for (const r of decision.reasons) hit.add(r.rule);
  if (forbidsDecided && permitsOnly.rules.length > 0) {
    try {
      const permits = evaluatePackage(permitsOnly, request, { trace: false, ...(override ? { override } : {}) });
      for (const r of permits.reasons) hit.add(r.rule);
    } catch {
      // The interpreter never throws by contract; coverage simply stays incomplete if it did.
    }
  }
  return hit;
}

function coverageOf(pkg: PackageModel, manifest: Manifest | undefined, matched: Set<string>, notMatched: Set<string>): RuleCoverage[] {
  const seen = new Set<string>();
  const out: RuleCoverage[] = [];
  for (const rule of pkg.rules) {
    if (!rule.name) continue;
    const id = `${pkg.name}.${rule.name.name}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const location =
      manifest?.rules.find((r) => r.id === id)?.location ?? pkg.source(rule.span.file)?.location(rule.span.start) ?? `${rule.span.file}:1:1`;
    out.push({ rule: id, effect: rule.effect, location, matched: matched.has(id), notMatched: notMatched.has(id) });
  }
  return out;
}

/**
 * The plain JSON a service would send: Time/Duration/Ip wrappers become their text (their
 * `toJSON`), records lose any prototype. Values come from evaluating Edict expressions, so
 * they are finite and acyclic.
 */
export function toJson(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(toJson);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return toJSON.call(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    Object.defineProperty(out, key, { value: toJson((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
