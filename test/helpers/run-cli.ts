// Runs the REAL `edict` binary (`node bin/edict.mjs`) for CLI tests. Owns: building the bundle
// once per test run and spawning it.
// Usage in a test file:
//   import { ensureBuilt, runCli } from "../helpers/run-cli.ts";
//   beforeAll(ensureBuilt);
//   const r = runCli(["check", "x.edict"], { cwd: dir });   // { code, stdout, stderr }
// INVARIANT (fresh bundle): `ensureBuilt` rebuilds dist/cli.mjs when any source under cli/,
// compiler/, runtime/ or lsp/ is newer than it (so `npx vitest run test/cli` after an edit
// tests the edit). Test files run in parallel processes: a lock directory makes one of them
// build while the others wait, so no one runs a half-written bundle. `npm test` builds first,
// so there the check is all that happens.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

export const repoRoot = join(import.meta.dirname, "..", "..");
export const edictBin = join(repoRoot, "bin", "edict.mjs");
const bundle = join(repoRoot, "dist", "cli.mjs");
const lockDir = join(repoRoot, "dist", ".build-lock");

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly cwd?: string;
  /** Text for standard input. */
  readonly input?: string;
  readonly env?: Record<string, string | undefined>;
}

function newestSource(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.(ts|mjs|js|json)$/.test(entry.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  if (!existsSync(bundle)) return false;
  const built = statSync(bundle).mtimeMs;
  const sources = Math.max(...["cli", "compiler", "runtime", "lsp"].map((d) => newestSource(join(repoRoot, d))), statSync(join(repoRoot, "package.json")).mtimeMs);
  return built >= sources;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds dist/ with scripts/build.mjs unless it is up to date. Safe to call from many files. */
export function ensureBuilt(): void {
  if (isFresh()) return;
  mkdirSync(join(repoRoot, "dist"), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lockDir); // atomic: whoever creates it builds
      break;
    } catch {
      // Another test process is building; a lock older than two minutes is stale.
      try {
        if (Date.now() - statSync(lockDir).mtimeMs > 120_000) rmSync(lockDir, { recursive: true, force: true });
      } catch {
        /* it went away: try again */
      }
      if (Date.now() > deadline) throw new Error("timed out waiting for another test process to build dist/");
      sleep(100);
      if (isFresh()) return;
    }
  }
  try {
    if (isFresh()) return;
    const r = spawnSync(process.execPath, [join(repoRoot, "scripts", "build.mjs")], { cwd: repoRoot, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}\n${r.stderr}`);
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function childEnv(extra: CliOptions["env"]): NodeJS.ProcessEnv {
  // Plain, deterministic output: no colours, no debug stacks, unless a test asks.
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", EDICT_DEBUG: undefined, FORCE_COLOR: undefined };
  for (const [k, v] of Object.entries(extra ?? {})) env[k] = v;
  return env;
}

/** Runs `node bin/edict.mjs ...args` and waits for it. */
export function runCli(args: readonly string[], options: CliOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [edictBin, ...args], {
    cwd: options.cwd ?? repoRoot,
    input: options.input,
    encoding: "utf8",
    env: childEnv(options.env),
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The same, without blocking (to run several commands concurrently). */
export function runCliAsync(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [edictBin, ...args], { cwd: options.cwd ?? repoRoot, env: childEnv(options.env) });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** Lines that look like a JavaScript stack trace (`    at fn (file:1:2)`): none may reach users. */
export function stackTraceLines(text: string): string[] {
  return text.split("\n").filter((l) => /^\s+at\s/.test(l));
}

/** Runs many invocations, a few at a time, and returns their results in order. */
export async function runCliAll(invocations: readonly (readonly string[])[], options: CliOptions = {}, concurrency = 4): Promise<CliResult[]> {
  const out = new Array<CliResult>(invocations.length);
  let next = 0;
  const worker = async () => {
    while (next < invocations.length) {
      const i = next++;
      out[i] = await runCliAsync(invocations[i]!, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, invocations.length) }, worker));
  return out;
}
