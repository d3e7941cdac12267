// Benchmark: `edict compile` of a generated 10,000-rule package (target < 3 s): the documents
// example plus 10,000 tenant rules (bench/lib/extra-rules.mjs) over 20 files in bench/out/compile-10k/,
// compiled by the real binary (process start included) into bench/out/compile-10k.mjs.
// Reports wall time per run (median and best of K) (the machine is shared: the median is the figure).
// Usage: node bench/compile-10k.mjs [--rules N] [--runs K]   (after `npm run build`)
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { outDir, root } from "./lib/edict.mjs";
import { extraRules } from "./lib/extra-rules.mjs";

export async function runCompile10k({ rules = 10_000, runs = 3 } = {}) {
  const dir = join(outDir, "compile-10k");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of ["model.edict", "grants.edict", "restrictions.edict"]) cpSync(join(root, "examples", "documents", f), join(dir, f));
  const FILES = 20;
  const per = Math.ceil(rules / FILES);
  for (let i = 0; i < FILES; i++) {
    // Distinct rule names per file: offset the generated names.
    const text = extraRules(Math.min(per, rules - i * per), i * 1000).replace(/extra_(\d+)/g, (_m, n) => `extra_${i}_${n}`);
    writeFileSync(join(dir, `tenants-${String(i).padStart(2, "0")}.edict`), text);
  }
  const out = join(outDir, "compile-10k.mjs");
  const wall = [];
  const cpu = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    const res = spawnSync(process.execPath, [join(root, "bin", "edict.mjs"), "compile", "bench/out/compile-10k", "--out", out], { cwd: root, encoding: "utf8", maxBuffer: 1 << 26 });
    wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (res.status !== 0) throw new Error(`edict compile failed (exit ${res.status}):\n${res.stdout}\n${res.stderr}`.slice(0, 4000));
  }
  const sorted = [...wall].sort((a, b) => a - b);
  return { rules, files: FILES + 3, runs: wall, median: sorted[sorted.length >> 1], best: sorted[0], bytes: statSync(out).size };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const opt = (n, d) => (argv.includes(`--${n}`) ? Number(argv[argv.indexOf(`--${n}`) + 1]) : d);
  const r = await runCompile10k({ rules: opt("rules", 10_000), runs: opt("runs", 3) });
  console.log(`edict compile: ${r.rules.toLocaleString("en-US")} extra rules in ${r.files} files → ${(r.bytes / 1e6).toFixed(1)} MB module`);
  console.log(`  runs: ${r.runs.map((x) => `${Math.round(x)} ms`).join(", ")}; median ${(r.median / 1000).toFixed(2)} s, best ${(r.best / 1000).toFixed(2)} s (target < 3 s)`);
}
