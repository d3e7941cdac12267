// Benchmark: does decision cost grow with rules that cannot apply? The documents example plus
// 10, 100 and 1,000 generated rules for other tenants (bench/lib/extra-rules.mjs), compiled with
// `edict compile` into bench/out/scale-N.mjs, timed on the same 10,000 seeded requests as
// bench/decide.mjs (none of which comes from those tenants). Target: cost at 1,000 ≤ 1.5× cost at 10.
// Usage: node bench/scaling.mjs   (after `npm run build`)
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileAndLoad, outDir, root } from "./lib/edict.mjs";
import { extraRules } from "./lib/extra-rules.mjs";
import { fmtNs, measure } from "./lib/measure.mjs";
import { randomRequests } from "./lib/requests.mjs";

export const SIZES = [10, 100, 1000];

export async function runScaling() {
  const requests = randomRequests(10_000, 42);
  const mods = [];
  for (const n of SIZES) {
    const dir = join(outDir, `scale-${n}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const f of ["model.edict", "grants.edict", "restrictions.edict"]) cpSync(join(root, "examples", "documents", f), join(dir, f));
    writeFileSync(join(dir, "extra.edict"), extraRules(n));
    mods.push({ n, mod: await compileAndLoad([`bench/out/scale-${n}`], `scale-${n}`) });
  }
  // Same decisions whatever the number of extra rules (they cannot apply).
  for (const req of requests) {
    const a = mods[0].mod.decide(req).allowed;
    for (const m of mods.slice(1)) if (m.mod.decide(req).allowed !== a) throw new Error(`scale-${m.n} disagrees on ${JSON.stringify(req)}`);
  }
  // Interleave the sizes over several rounds so machine load hits them alike; median per size.
  const samples = new Map(SIZES.map((n) => [n, []]));
  for (let round = 0; round < 5; round++) {
    for (const { n, mod } of mods) samples.get(n).push(measure((r) => mod.decide(r).allowed, requests, { rounds: 5, roundMs: 100, warmupMs: round === 0 ? 400 : 100 }).ns);
  }
  const rows = SIZES.map((n) => {
    const s = samples.get(n).sort((a, b) => a - b);
    return { extra: n, ns: s[s.length >> 1] };
  });
  const base = rows[0].ns;
  for (const r of rows) r.ratio = r.ns / base;
  return rows;
}

export function scalingTable(rows) {
  const lines = ["| extra rules (other tenants) | compiled Edict ns / decision | × at 10 |", "| ---: | ---: | ---: |"];
  for (const r of rows) lines.push(`| ${r.extra.toLocaleString("en-US")} | ${fmtNs(r.ns)} | ${r.ratio.toFixed(2)}× |`);
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(scalingTable(await runScaling()));
