// Benchmark: parsing alone (lexer + parser + lowering + templates) of a generated 10,000-rule
// package, in process, so the figure excludes process start and the checker. Bundles
// compiler/syntax/parse.ts with esbuild on the fly (no build step needed).
// Usage: node bench/parse-10k.mjs [--rules N] [--runs K]
import { build } from "esbuild";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { numberOption } from "./lib/options.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const RULES = numberOption("rules", 10_000);
const RUNS = numberOption("runs", 5);

const actions = ["read", "write", "delete", "share", "admin"];
function rule(i) {
  const a = actions[i % actions.length];
  switch (i % 4) {
    case 0:
      return `/// Rule ${i}.\n@owner("team-${i % 17}")\npermit r${i} {\n  when action == "${a}" and resource.kind == "doc"\n  when has_role("role_${i % 97}") and same_department\n  reason "{principal.id} may ${a} {resource.id} (rule ${i})"\n}\n`;
    case 1:
      return `@id("CTRL-${i}") @severity("high")\nforbid r${i} {\n  when action == "${a}" and resource.classification == "secret"\n  unless is_admin or senior(${i % 9})\n  reason "secret needs a senior approver"\n}\n`;
    case 2:
      return `permit r${i} {\n  for t in resource.tags\n  let n = count(x in principal.roles where x.startsWith("p${i % 31}"))\n  when t like "tmp-*" and n < ${1 + (i % 5)}\n  unless every r in principal.roles: r != "blocked"\n}\n`;
    default:
      return `forbid r${i} {\n  when some t in resource.tags: t matches "^x-[a-z]+$"\n  when context.now - resource.created < 30d or resource.id.lower().endsWith("-${i}")\n  reason "blocked on {resource.id}"\n}\n`;
  }
}

const dir = mkdtempSync(join(tmpdir(), "edict-parse-bench-"));
try {
  const entry = join(dir, "entry.ts");
  writeFileSync(entry, `export { parseFile } from ${JSON.stringify(join(root, "compiler/syntax/parse.ts"))};\nexport { SourceFile } from ${JSON.stringify(join(root, "compiler/source/source-file.ts"))};\n`);
  const out = join(dir, "parse.mjs");
  await build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", outfile: out, logLevel: "error", nodePaths: [join(root, "node_modules")] });
  const t0 = performance.now();
  const { parseFile, SourceFile } = await import(pathToFileURL(out).href);
  const loadMs = performance.now() - t0;

  let text = "package bench\n\n";
  for (let i = 0; i < RULES; i++) text += rule(i) + "\n";
  const times = [];
  const cpu = [];
  let result;
  for (let r = 0; r < RUNS; r++) {
    const s = performance.now();
    const c = process.cpuUsage();
    result = parseFile(new SourceFile("bench.edict", text));
    const u = process.cpuUsage(c);
    times.push(performance.now() - s);
    cpu.push((u.user + u.system) / 1000);
  }
  console.log(`parseFile: ${RULES} rules, ${(text.length / 1024).toFixed(0)} KiB, ${text.split("\n").length} lines`);
  // The chevrotain grammar is built only when a declaration needs it (a clean file never does).
  console.log(`  module load: ${loadMs.toFixed(0)} ms`);
  console.log(`  decls: ${result.ast.decls.length}, diagnostics: ${result.diagnostics.length}`);
  console.log(`  runs: ${times.map((t) => `${t.toFixed(0)} ms`).join(", ")}  (first run includes JIT warm-up)`);
  console.log(`  cpu:  ${cpu.map((t) => `${t.toFixed(0)} ms`).join(", ")}  (process CPU time, includes GC threads)`);
  console.log(`  best: ${Math.min(...times).toFixed(0)} ms wall`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
