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
const SUPPORT = new Set(["Out", "$U", "$ALL", "$tag", "$ga", "$t", "$call1", "$call2", "$call3", "$iter", "$rv", "$bound", "$fin", "$key", "$err", "$errOut", "$assemble", "TrieNode", "$done", "$slow", "$package", "$crash", "$some", "$every", "$count", "$field", "$fail", "$matchesDyn", "$inPlain"]);

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

const cache = new Map<string, Prelude>();

// One esbuild context per process: rebuilds reuse the parsed builtins (a fresh build per
// compile costs ~100 ms, a rebuild a few). The entry is a virtual module whose text the plugin
// returns; rebuilds run one at a time.
// An idle context is disposed after a moment: a live one keeps the process from exiting.
type Ctx = { rebuild(): Promise<{ outputFiles?: { text: string }[] }>; dispose(): Promise<void> };
let context: Promise<Ctx> | undefined;
let idle: ReturnType<typeof setTimeout> | undefined;
let pending = 0;
const IDLE_MS = 300;
let entryText = "";
let queue: Promise<unknown> = Promise.resolve();

async function bundle(base: string, entry: string): Promise<{ outputFiles: { text: string }[] }> {
  if (idle !== undefined) clearTimeout(idle);
  idle = undefined;
  pending++;
  const run = queue.then(async () => {
    context ??= import("esbuild").then((esbuild) =>
      esbuild.context({
        entryPoints: ["edict-prelude-entry"],
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
        plugins: [
          {
            name: "edict-prelude-entry",
            setup(b) {
              b.onResolve({ filter: /^edict-prelude-entry$/ }, () => ({ path: "edict-prelude-entry", namespace: "edict" }));
              b.onLoad({ filter: /.*/, namespace: "edict" }, () => ({ contents: entryText, loader: "ts", resolveDir: base }));
            },
          },
        ],
      }) as Promise<Ctx>,
    );
    const ctx = await context;
    entryText = entry;
    const r = await ctx.rebuild();
    return { outputFiles: r.outputFiles ?? [] };
  });
  queue = run.catch(() => undefined);
  void queue.then(() => {
    if (--pending > 0) return;
    if (idle !== undefined) clearTimeout(idle);
    idle = setTimeout(() => {
      if (pending > 0) return;
      const c = context;
      context = undefined;
      idle = undefined;
      void c?.then((x) => x.dispose()).catch(() => undefined);
    }, IDLE_MS);
  });
  return run;
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
