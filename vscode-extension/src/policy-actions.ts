// What the extension's commands do, without VS Code. Owns: loading the package of one file
// (from its folder on disk, with the editor's unsaved texts laid over), running that file's
// tests with the reference interpreter, evaluating a JSON request with the explain trace, and
// finding an `edict` executable for `Edict: Compile policy…`.
// Input: absolute paths and texts; output: plain data and report text that extension.ts shows
// (output channel, diagnostics, status bar). Kept free of the `vscode` module so that
// test/vscode/ can run it under vitest.
// Why the interpreter: compiling (codegen) runs esbuild at compile time, a native package that
// cannot be bundled into the extension; the interpreter is the reference semantics and is what
// the language server's "Run test" lens uses too.
// INVARIANT: nothing here throws for bad policies or bad input; problems come back as text.
import { existsSync, statSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join, relative, sep } from "node:path";
import { loadProgram, type ProgramSnapshot } from "../../compiler/program.ts";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.ts";
import { renderText } from "../../compiler/diagnostics/render-text.ts";
import { runTests, type TestOutcome } from "../../compiler/run-tests.ts";
import type { CheckedPackage } from "../../compiler/semantics/check.ts";
import { explainPackage, formatTrace } from "../../compiler/eval/index.ts";
import { failureLines, printable } from "../../cli/test-report.ts";
import { parseRequestJson } from "../../cli/commands/eval-request.ts";
import type { Decision } from "../../runtime/decision.ts";

export interface Overlay {
  /** Absolute path of an open document. */
  readonly file: string;
  readonly text: string;
}

export interface LoadedPackage {
  readonly snapshot: ProgramSnapshot;
  /** Display path of the file (relative to `root`, forward slashes). */
  readonly path: string;
  /** The folder the package was loaded from (display paths are relative to it). */
  readonly root: string;
  readonly checked: CheckedPackage | undefined;
  /** Error diagnostics of the package's files (and of the file itself). */
  readonly errors: readonly Diagnostic[];
}

function isInside(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

/** Display path of `file` under `root`, as loadProgram names it. */
export function displayPathOf(root: string, file: string): string {
  const rel = relative(root, file);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return file.split(sep).join("/");
  return rel.split(sep).join("/");
}

/**
 * Loads the package of `file` the way `edict test FOLDER` would: from the file's folder
 * (recursively); when the package has errors there (say its rules live in a sibling folder),
 * from each parent folder in turn up to `root` (the workspace folder), keeping the first load
 * without errors, else the nearest one. Why not the whole workspace at once: a workspace often
 * holds several copies of a package (fixtures, generated output) that would clash.
 */
export async function loadPackageOf(file: string, root: string | undefined, overlays: readonly Overlay[] = []): Promise<LoadedPackage> {
  const inside = root !== undefined && isInside(root, file);
  const folders: string[] = [];
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    folders.push(dir);
    if (!inside || dir === root || dirname(dir) === dir) break;
  }
  let first: LoadedPackage | undefined;
  for (const folder of folders) {
    const loaded = await loadFrom(folder, file, overlays);
    if (loaded.errors.length === 0) return loaded;
    first ??= loaded;
  }
  return first!;
}

async function loadFrom(base: string, file: string, overlays: readonly Overlay[]): Promise<LoadedPackage> {
  const { program } = await loadProgram([base], base);
  for (const o of overlays) {
    if (isInside(base, o.file) && o.file.endsWith(".edict")) program.update(displayPathOf(base, o.file), o.text);
  }
  const path = displayPathOf(base, file);
  // A file not named .edict still counts: it is the one the user looks at.
  if (!program.has(path)) {
    const own = overlays.find((o) => o.file === file);
    if (own) program.update(path, own.text);
  }
  const snapshot = program.snapshot();
  const checked = snapshot.packageOf(path);
  const files = new Set(checked ? checked.pkg.files.map((f) => f.source.path) : [path]);
  files.add(path);
  const errors = snapshot.check().diagnostics.filter((d) => d.severity === "error" && files.has(d.span.file));
  return { snapshot, path, root: base, checked, errors };
}

export interface TestFailure {
  /** 0-based line of the failing test's `test` keyword. */
  readonly line: number;
  readonly message: string;
}

export interface FileTestReport {
  readonly passed: number;
  readonly failed: number;
  /** One entry per failed test of the file. */
  readonly failures: readonly TestFailure[];
  /** What the output channel shows. */
  readonly text: string;
  /** The package has errors, so no test ran. */
  readonly blocked: boolean;
}

/** Runs the tests written in `loaded.path` (the whole package is evaluated). */
export async function runFileTests(loaded: LoadedPackage): Promise<FileTestReport> {
  const { snapshot, path, checked, errors } = loaded;
  if (errors.length > 0) {
    const text =
      renderText(errors, (f) => snapshot.source(f), { color: false }) +
      `the package has ${errors.length} error${errors.length === 1 ? "" : "s"}; no tests were run\n`;
    return { passed: 0, failed: 0, failures: [], text, blocked: true };
  }
  if (!checked) return { passed: 0, failed: 0, failures: [], text: `${path} declares no package (start it with \`package NAME\`)\n`, blocked: true };
  const mine = checked.pkg.tests.filter((t) => t.span.file === path);
  if (mine.length === 0) {
    return { passed: 0, failed: 0, failures: [], text: `no tests in ${path} (write \`test "name" { request { ... } expect allow }\` blocks)\n`, blocked: false };
  }
  let outcomes: readonly TestOutcome[];
  try {
    const run = await runTests([checked], { engine: "interpreter" });
    outcomes = (run.packages[0]?.tests ?? []).filter((t) => t.file === path);
  } catch (e) {
    return { passed: 0, failed: 0, failures: [], text: `edict: the tests could not run: ${e instanceof Error ? e.message : String(e)}\n`, blocked: true };
  }
  const lines: string[] = [];
  const failures: TestFailure[] = [];
  let passed = 0;
  for (const t of outcomes) {
    if (t.passed) {
      passed++;
      lines.push(`✓ ${t.package}: ${printable(t.name)}`);
    } else {
      lines.push(...failureLines(t));
      failures.push({ line: t.line - 1, message: `test \`${t.name}\` fails: ${t.problems.join("; ") || "unexpected decision"}` });
    }
  }
  lines.push(`${passed} passed, ${failures.length} failed`);
  return { passed, failed: failures.length, failures, text: lines.join("\n") + "\n", blocked: false };
}

export interface EvaluationReport {
  readonly ok: boolean;
  readonly decision?: Decision;
  /** Decision summary, reasons, the decision as JSON and the explain trace. */
  readonly text: string;
}

/** Decides `requestText` (JSON) with the package of the loaded file, with the explain trace. */
export function evaluateRequest(loaded: LoadedPackage, requestText: string, requestName: string): EvaluationReport {
  const { snapshot, path, checked, errors } = loaded;
  if (errors.length > 0) {
    return { ok: false, text: renderText(errors, (f) => snapshot.source(f), { color: false }) + `the package has errors; fix them before evaluating a request\n` };
  }
  if (!checked) return { ok: false, text: `${path} declares no package (start it with \`package NAME\`)\n` };
  const parsed = parseRequestJson(requestText);
  if (!parsed.ok) return { ok: false, text: `${requestName}: not JSON: ${parsed.message}\n` };
  let result;
  try {
    result = explainPackage(checked.pkg, parsed.value);
  } catch (e) {
    return { ok: false, text: `edict: the request could not be evaluated: ${e instanceof Error ? e.message : String(e)}\n` };
  }
  const { decision, trace } = result;
  const lines = [`${requestName} → ${decision.decision.toUpperCase()} (package ${checked.pkg.name})`];
  if (decision.reasons.length === 0) lines.push("  no rule decided: the package default applies");
  for (const r of decision.reasons) lines.push(`  ${r.effect} ${r.rule}${r.message ? `: ${r.message}` : ""}  (${r.location})`);
  for (const r of decision.advisories) lines.push(`  advisory ${r.rule}${r.message ? `: ${r.message}` : ""}  (${r.location})`);
  for (const e of decision.errors) lines.push(`  error in ${e.rule} at ${e.location}: ${e.message}`);
  lines.push("", "decision:", JSON.stringify(decision, null, 2), "", "trace:", formatTrace(trace).trimEnd());
  return { ok: true, decision, text: lines.join("\n") + "\n" };
}

/**
 * The `edict` executable for compiling: the `edict.server.path` setting, else the workspace's
 * node_modules/.bin/edict, else `edict` on PATH. Undefined when none exists.
 */
export function findEdictExecutable(setting: string | undefined, roots: readonly string[], pathEnv = process.env.PATH ?? ""): string | undefined {
  const isFile = (p: string) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (setting !== undefined && setting.trim() !== "") return isFile(setting) ? setting : undefined;
  const names = process.platform === "win32" ? ["edict.cmd", "edict.exe", "edict"] : ["edict"];
  for (const root of roots) {
    for (const n of names) {
      const p = join(root, "node_modules", ".bin", n);
      if (existsSync(p)) return p;
    }
  }
  for (const dir of pathEnv.split(delimiter)) {
    if (dir === "") continue;
    for (const n of names) if (isFile(join(dir, n))) return join(dir, n);
  }
  return undefined;
}

export interface Invocation {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly shell: boolean;
}

/**
 * How to run an `edict` executable with `args`. A script (`bin/edict.mjs`) runs under the
 * editor's own Node.js (`process.execPath`; in VS Code that is Electron, made to act as Node by
 * ELECTRON_RUN_AS_NODE), so no `node` on PATH is needed; a Windows `.cmd` needs a shell.
 */
export function invocation(executable: string, args: readonly string[]): Invocation {
  if (/\.(m|c)?js$/.test(executable)) return { command: process.execPath, args: [executable, ...args], env: { ELECTRON_RUN_AS_NODE: "1" }, shell: false };
  return { command: executable, args, shell: /\.(cmd|bat)$/i.test(executable) };
}

/** The arguments of `edict compile` for the package of the loaded file. */
export function compileArguments(loaded: LoadedPackage, outFile: string): string[] {
  const files = loaded.checked ? loaded.checked.pkg.files.map((f) => join(loaded.root, f.source.path)) : [join(loaded.root, loaded.path)];
  return ["compile", ...files, "--out", outFile];
}

export interface Health {
  readonly errors: number;
  readonly warnings: number;
  readonly tests?: { readonly passed: number; readonly failed: number };
}

/** The status bar text (codicons) and whether it should draw attention. */
export function healthText(h: Health): { text: string; tooltip: string; bad: boolean } {
  const parts = [`$(error) ${h.errors}`, `$(warning) ${h.warnings}`];
  const tip = [`${h.errors} error${h.errors === 1 ? "" : "s"}, ${h.warnings} warning${h.warnings === 1 ? "" : "s"} in Edict files`];
  if (h.tests) {
    const total = h.tests.passed + h.tests.failed;
    parts.push(h.tests.failed === 0 ? `$(pass) ${total}/${total}` : `$(testing-failed-icon) ${h.tests.passed}/${total}`);
    tip.push(`tests of this file: ${h.tests.passed} passed, ${h.tests.failed} failed`);
  }
  tip.push("click to run this file's tests");
  return { text: `Edict ${parts.join(" ")}`, tooltip: tip.join("\n"), bad: h.errors > 0 || (h.tests?.failed ?? 0) > 0 };
}
