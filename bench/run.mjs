// `npm run bench`: every benchmark in one run, one report (printed, and written to
// bench/out/report.md for pasting into README.md / bench/README.md).
//   1. decide     bench/decide.mjs     five engines on the documents example, agreement first
//   2. scaling    bench/scaling.mjs    compiled Edict with 10 / 100 / 1,000 extra rules
//   3. compile    bench/compile-10k.mjs  `edict compile` of 10,000 rules
//   4. check      bench/check-10k.mjs  `edict check` of 10,000 rules (its own generator)
// Exit 1 when engines disagree or a benchmark fails; a missed target is reported, not fatal.
// About 1–1.5 minutes on the 2-core machine (64–89 s measured).
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { runCompile10k } from "./compile-10k.mjs";
import { decideTable, runDecide } from "./decide.mjs";
import { outDir, root } from "./lib/edict.mjs";
import { runScaling, scalingTable } from "./scaling.mjs";

const t0 = Date.now();
const out = [];
const say = (s = "") => {
  console.log(s);
  out.push(s);
};
const mark = (ok) => (ok ? "met" : "**missed**");

say(`# Edict benchmarks — ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}`);
say("Medians over several rounds (the machine may be shared: expect ±20 % between runs).");
say();

let failed = false;
say("## Decisions: documents example, 10,000 seeded random requests");
let decide;
try {
  decide = await runDecide(say);
  say();
  say(decideTable(decide));
  const c = decide.rows.find((r) => r.engine === "compiled Edict");
  say();
  say(`target: compiled Edict within 1.5× of hand-written JS — ${c.ratio.toFixed(2)}×, ${mark(c.ratio <= 1.5)}`);
} catch (err) {
  failed = true;
  say(`DISAGREEMENT or failure: ${err.message}`);
}
say();

say("## Scaling: rules for other tenants that cannot apply");
try {
  const rows = await runScaling();
  say(scalingTable(rows));
  const last = rows[rows.length - 1];
  say();
  say(`target: cost at 1,000 extra rules ≤ 1.5× cost at 10 — ${last.ratio.toFixed(2)}×, ${mark(last.ratio <= 1.5)}`);
} catch (err) {
  failed = true;
  say(`failed: ${err.message}`);
}
say();

say("## `edict compile` of 10,000 rules");
try {
  const r = await runCompile10k();
  say(`${r.rules.toLocaleString("en-US")} generated rules + the documents example in ${r.files} files → ${(r.bytes / 1e6).toFixed(1)} MB module`);
  say(`runs: ${r.runs.map((x) => `${(x / 1000).toFixed(2)} s`).join(", ")} (wall, process start included); median ${(r.median / 1000).toFixed(2)} s`);
  say(`target: < 3 s — ${mark(r.median < 3000)}`);
} catch (err) {
  failed = true;
  say(`failed: ${err.message}`);
}
say();

say("## `edict check` of 10,000 rules (bench/check-10k.mjs)");
const check = spawnSync(process.execPath, [join(root, "bench", "check-10k.mjs"), "--runs", "3"], { cwd: root, encoding: "utf8" });
for (const line of `${check.stdout}${check.stderr}`.trim().split("\n")) say(line);
if (check.status !== 0) failed = true;
say();
say(`total ${((Date.now() - t0) / 1000).toFixed(0)} s`);

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "report.md"), out.join("\n") + "\n");
process.exit(failed ? 1 : 0);
