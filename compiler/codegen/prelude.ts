// The builtins prelude of a compiled module. Owns: bundling, at compile time, exactly the
// run-time functions a module uses — from runtime/builtins (the library the interpreter uses
// too) and ./support/decide-support.ts — into one block of plain JavaScript, with esbuild
// (tree shaking, no minification, ES2022). Input: the set of names the emitters asked for.
// Output: the code (its `export {...}` line removed) and the local name of each export (esbuild
// may rename to avoid clashes). INVARIANT (byte-stable): esbuild runs with absWorkingDir at the
// repository root, so its path comments never contain a machine's absolute path.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface Prelude {
  readonly code: string;
  /** Exported name → the name to call in the bundle's scope. */
  readonly names: ReadonlyMap<string, string>;
}

/** Exports of decide-support.ts (everything else comes from runtime/builtins). */
const SUPPORT = new Set(["Out", "$U", "$ALL", "$BAIL", "$bail", "$tag", "$locs", "$ga", "$t", "$call1", "$call2", "$call3", "$iter", "$rv", "$bound", "$fin", "$key", "$err", "$errOut", "$assemble", "TrieNode", "$done", "$slow", "$more", "$why", "$EMPTY", "$finish", "$run", "$package", "$crash", "$some", "$every", "$count", "$field", "$fail", "$matchesDyn", "$inPlain", "$inArr", "$contains"]);

let root: string | undefined;

/** The folder holding runtime/builtins (the repository, or the installed package). */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, "runtime", "builtins", "index.ts"))) return (root = dir);
    dir = dirname(dir);
  }
  throw new Error("edict: cannot find runtime/builtins (is the package installed completely?)");
}

/** Bundled preludes by the set of names used (one bundle per distinct set per process). */
const cache = new Map<string, Prelude>();

// esbuild bundles through its service: a child process esbuild keeps unref'd while idle, so it
// never keeps a process alive (and it exits with its parent). `warmPrelude` starts it in the
// background: a command that compiles calls it first, and the child starts up on the other
// core while the policies are parsed and checked (a cold start is ~150 ms). The entry is
// passed as stdin text, so no temporary file is written.
type Esbuild = {
  build(options: object): Promise<{ outputFiles?: { text: string }[] }>;
  transform(input: string): Promise<unknown>;
};
let esbuildModule: Promise<Esbuild> | undefined;

function esbuild(): Promise<Esbuild> {
  return (esbuildModule ??= import("esbuild") as unknown as Promise<Esbuild>);
}

/** Starts esbuild's service now, so that the first `buildPrelude` does not wait for it. */
export function warmPrelude(): void {
  esbuild()
    .then((e) => e.transform(""))
    .catch(() => undefined); // a real failure is reported by buildPrelude
}

async function bundle(base: string, entry: string): Promise<{ outputFiles: { text: string }[] }> {
  const r = await (await esbuild()).build({
    stdin: { contents: entry, resolveDir: base, loader: "ts", sourcefile: "edict-prelude-entry.ts" },
    absWorkingDir: base,
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    treeShaking: true,
    minify: false,
    legalComments: "none",
    charset: "utf8",
    logLevel: "silent",
  });
  return { outputFiles: r.outputFiles ?? [] };
}

export async function buildPrelude(used: ReadonlySet<string>): Promise<Prelude> {
  const sorted = [...used].sort();
  const key = sorted.join(",");
  const hit = cache.get(key);
  if (hit) return hit;
  const base = packageRoot();
  const builtins = sorted.filter((n) => !SUPPORT.has(n));
  const support = sorted.filter((n) => SUPPORT.has(n));
  const lines: string[] = [];
  if (builtins.length) lines.push(`export { ${builtins.join(", ")} } from "./runtime/builtins/index.ts";`);
  if (support.length) lines.push(`export { ${support.join(", ")} } from "./compiler/codegen/support/decide-support.ts";`);
  const result = await bundle(base, lines.join("\n"));
  const text = result.outputFiles[0]!.text;
  const m = /\nexport\s*\{([^}]*)\};?\s*$/.exec(text);
  const names = new Map<string, string>();
  let code = text;
  if (m) {
    code = text.slice(0, m.index + 1);
    for (const part of m[1]!.split(",")) {
      const p = part.trim();
      if (!p) continue;
      const as = /^(\S+)\s+as\s+(\S+)$/.exec(p);
      if (as) names.set(as[2]!, as[1]!);
      else names.set(p, p);
    }
  }
  for (const n of sorted) if (!names.has(n)) throw new Error(`edict: the builtins prelude does not export \`${n}\``);
  const prelude: Prelude = { code: code.trimEnd() + "\n", names };
  cache.set(key, prelude);
  return prelude;
}
