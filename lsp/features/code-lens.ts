// Code lenses. Owns: "▶ Run test" on every test (with its last result in the title once the
// package's tests ran: "✓ passes" / "✗ fails: expected allow, got deny") and "covered by N
// tests" on every rule. Tests run with compiler/run-tests.ts (the interpreter engine: no
// bundling step, so it is fast enough to run on demand); results are cached per checked
// package, which Program replaces when (and only when) one of its files changes.
// Input: (snapshot, file). Output: spans, titles and commands.
import type { ProgramSnapshot } from "../../compiler/program.ts";
import { runTests, type TestOutcome, type TestRun } from "../../compiler/run-tests.ts";
import type { CheckedPackage } from "../../compiler/semantics/check.ts";
import type { Span } from "../../compiler/source/span.ts";

export const RUN_TEST_COMMAND = "edict.runTest";

export interface LensData {
  readonly span: Span;
  readonly title: string;
  /** The command to run when clicked (the test's file and name), if any. */
  readonly command?: { readonly name: string; readonly args: unknown[] };
}

const runs = new WeakMap<CheckedPackage, Promise<TestRun | undefined>>();

/** Runs (once per checked package) the tests of a package without errors. */
export function testRun(snapshot: ProgramSnapshot, checked: CheckedPackage): Promise<TestRun | undefined> {
  let p = runs.get(checked);
  if (!p) {
    const files = new Set(checked.pkg.files.map((f) => f.source.path));
    const broken = snapshot.check().diagnostics.some((d) => d.severity === "error" && files.has(d.span.file));
    p = broken || checked.pkg.tests.length === 0 ? Promise.resolve(undefined) : runTests([checked], { engine: "interpreter" }).catch(() => undefined);
    runs.set(checked, p);
  }
  return p;
}

export function outcomeText(o: TestOutcome): string {
  return o.passed ? "✓ passes" : `✗ fails: ${o.problems.join("; ")}`;
}

export async function codeLenses(snapshot: ProgramSnapshot, file: string): Promise<LensData[]> {
  const parsed = snapshot.parsed(file);
  const checked = snapshot.packageOf(file);
  if (!parsed || !checked) return [];
  const run = await testRun(snapshot, checked);
  const outcomes = run?.packages[0]?.tests ?? [];
  const out: LensData[] = [];
  const pkgName = checked.pkg.name;
  // How many tests cite each rule in their decision (reasons, advisories, bypassed soft forbids).
  const cover = new Map<string, number>();
  for (const o of outcomes) {
    const d = o.decision;
    if (!d) continue;
    const rules = new Set([...d.reasons, ...d.advisories, ...(d.override?.bypassed ?? [])].map((r) => r.rule));
    for (const r of rules) cover.set(r, (cover.get(r) ?? 0) + 1);
  }
  for (const d of parsed.ast.decls) {
    if (d.kind === "TestDecl" && d.name) {
      const name = d.name.value;
      const o = outcomes.find((x) => x.name === name && x.file === file && x.line === parsed.source.position(d.span.start).line + 1);
      out.push({
        span: { file, start: d.span.start, end: d.span.start },
        title: `▶ Run test${o ? ` · ${outcomeText(o)}` : ""}`,
        command: { name: RUN_TEST_COMMAND, args: [file, name] },
      });
    }
    if (d.kind === "RuleDecl" && d.name && run) {
      const n = cover.get(`${pkgName}.${d.name.name}`) ?? 0;
      out.push({ span: { file, start: d.span.start, end: d.span.start }, title: n === 0 ? "not covered by any test" : `covered by ${n} test${n === 1 ? "" : "s"}` });
    }
  }
  return out;
}

/** Runs one test (the `edict.runTest` command): its outcome, or why it could not run. */
export async function runOneTest(snapshot: ProgramSnapshot, file: string, name: string): Promise<{ passed: boolean; message: string }> {
  const checked = snapshot.packageOf(file);
  if (!checked) return { passed: false, message: "the file belongs to no package" };
  const run = await testRun(snapshot, checked);
  if (!run) return { passed: false, message: `package \`${checked.pkg.name}\` has errors: fix them to run its tests` };
  const o = run.packages[0]?.tests.find((t) => t.name === name && t.file === file);
  if (!o) return { passed: false, message: `no test \`${name}\`` };
  return { passed: o.passed, message: `test "${name}" ${outcomeText(o)}` };
}
