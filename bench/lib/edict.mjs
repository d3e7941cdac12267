// Edict engines for the benchmarks: compiled (the real `edict compile` CLI into bench/out/) and
// the reference interpreter (bundled from source with esbuild into bench/out/interpreter.mjs).
// Paths are relative to the repository root so locations match across engines.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

export const root = fileURLToPath(new URL("../..", import.meta.url));
export const outDir = join(root, "bench", "out");

/** Runs `node bin/edict.mjs ARGS` in the repository root; returns stdout; throws with its output on failure. */
export function edict(args, opts = {}) {
  return execFileSync(process.execPath, [join(root, "bin", "edict.mjs"), ...args], { cwd: root, encoding: "utf8", maxBuffer: 1 << 28, ...opts });
}

/** Compiles PATHS (relative to the root) into bench/out/NAME.mjs and imports it. */
export async function compileAndLoad(paths, name) {
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, `${name}.mjs`);
  edict(["compile", ...paths, "--out", out]);
  return import(`${pathToFileURL(out).href}?t=${Date.now()}`);
}

let interp;
/** The interpreter for the package in DIR (relative to the root): decide(request) with the given version. */
export async function interpreterFor(dir, version) {
  if (!interp) {
    const file = join(outDir, "interpreter.mjs");
    mkdirSync(outDir, { recursive: true });
    await build({ entryPoints: [join(root, "bench", "lib", "interpreter-entry.ts")], outfile: file, bundle: true, platform: "node", format: "esm", target: "node20", logLevel: "warning" });
    interp = await import(pathToFileURL(file).href);
  }
  const files = readdirSync(join(root, dir)).filter((f) => f.endsWith(".edict")).sort();
  const parsed = files.map((f) => {
    const path = `${dir}/${f}`;
    return interp.parseFile(new interp.SourceFile(path, readFileSync(join(root, path), "utf8")));
  });
  const [pkg] = interp.buildPackages(parsed);
  return (req) => interp.evaluatePackage(pkg, req, { version });
}
