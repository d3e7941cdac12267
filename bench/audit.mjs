// Audit overhead benchmark: decisions/s with audit off and on in one run, the overhead per
// decision, and memory over many audited decisions (must stay bounded).
// Usage: npm run build && node bench/audit.mjs [--policy compiled.mjs] [--n 1000000] [--rounds 5] [--memory 5000000]
//   e.g. --policy examples/service/build/documents.mjs (made by `node examples/service/setup.mjs`)
// The default policy is a hand-written module shaped like compiled output (a few field reads
// and comparisons); `--policy` benchmarks a real compiled module (see examples/service).
// Decisions run in slices of 1,000 with a macrotask between them, like a server handling
// requests, so the batch writer gets its turn; the "on" time includes closing the log
// (draining, the final signed checkpoint, fsync), so it is the full cost on one core.
// Wall-clock figures depend on what else the machine runs; the CPU-time figures (process.cpuUsage:
// every thread of the process — the deciding thread, libuv's writes and fsyncs, GC helpers) are
// what the decisions cost this process, i.e. what "on one core" means. The n decisions are
// split into `rounds` alternating off/on pairs (so both see the same machine load); the figures
// are the median round, with the range over rounds. Decisions refused by a full queue (a disk
// stall) skip the recording work, so they are counted and reported: a run with refusals
// overstates the throughput.
import { hash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createEnforcer, fileAuditLog, generateAuditKeyPair } from "../dist/runtime.mjs";

const { values } = parseArgs({ options: { policy: { type: "string" }, n: { type: "string" }, rounds: { type: "string" }, memory: { type: "string" }, json: { type: "boolean" } } });
const N = Number(values.n ?? 1_000_000);
const ROUNDS = Math.max(1, Number(values.rounds ?? 5));
const MEM_N = Number(values.memory ?? 5_000_000);
const SLICE = 1000;
let kept = 0; // what floor()'s timed calls return, kept so that they cannot be optimised away

const policy = values.policy ? await import(new URL(values.policy, `file://${process.cwd()}/`).href) : fakePolicy();
// Requests shaped like examples/documents expects (so `--policy` with the compiled documents
// example decides them without errors), plus a session token that is masked.
const requests = Array.from({ length: 64 }, (_, i) => ({
  principal: { id: `u${i % 16}`, roles: i % 3 ? ["editor"] : ["viewer"], department: i % 2 ? "legal" : "eng" },
  action: ["read", "write", "delete", "share"][i % 4],
  resource: { id: `doc-${i}`, owner: `u${(i + 1) % 16}`, department: i % 3 ? "eng" : "legal", classification: i % 5 ? "internal" : "confidential", legal_hold: i % 7 === 0 },
  context: { mfa: i % 2 === 0, ip: `10.0.${i}.1`, now: "2026-11-23T10:15:02Z", session: `secret-token-${i % 8}` },
}));

const yieldNow = () => new Promise((r) => setImmediate(r));

async function run(enforcer, n) {
  let hot = 0n;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let done = 0; done < n; done += SLICE) {
    const h0 = process.hrtime.bigint();
    for (let i = 0; i < SLICE; i++) enforcer.decide(requests[(done + i) & 63]);
    hot += process.hrtime.bigint() - h0;
    await yieldNow();
  }
  await enforcer.close();
  const cpu = process.cpuUsage(c0);
  return { totalNs: Number(process.hrtime.bigint() - t0), hotNs: Number(hot), cpuNs: (cpu.user + cpu.system) * 1000, unrecorded: enforcer.stats.unrecorded };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const keys = generateAuditKeyPair();
const dir = mkdtempSync(join(tmpdir(), "edict-bench-"));
const results = {};
try {
  // Warm up both paths.
  await run(createEnforcer(policy), 200_000);
  await run(createEnforcer(policy, { audit: fileAuditLog(join(dir, "warm.jsonl"), { signingKey: keys.privateKeyPem }), mask: ["context.session"] }), 200_000);

  // Alternating rounds: per round, ns per decision off and on (wall, inside decide, CPU).
  const per = Math.ceil(N / ROUNDS / SLICE) * SLICE;
  const rounds = [];
  let size = 0;
  let unrecorded = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const off = await run(createEnforcer(policy), per);
    const onPath = join(dir, `on-${r}.jsonl`);
    const on = await run(createEnforcer(policy, { audit: fileAuditLog(onPath, { signingKey: keys.privateKeyPem }), mask: ["context.session"] }), per);
    size += statSync(onPath).size;
    unrecorded += on.unrecorded;
    rmSync(onPath);
    rounds.push({ off: { wall: off.totalNs / per, hot: off.hotNs / per, cpu: off.cpuNs / per }, on: { wall: on.totalNs / per, hot: on.hotNs / per, cpu: on.cpuNs / per } });
  }
  const med = (f) => median(rounds.map(f));
  const range = (f) => [Math.min(...rounds.map(f)), Math.max(...rounds.map(f))].map((x) => Math.round(x));
  results.decisions = per * ROUNDS;
  results.rounds = ROUNDS;
  results.offPerSec = Math.round(1e9 / med((r) => r.off.wall));
  results.onPerSec = Math.round(1e9 / med((r) => r.on.wall));
  results.overheadNsPerDecision = Math.round(med((r) => r.on.wall - r.off.wall));
  results.hotPathOverheadNsPerDecision = Math.round(med((r) => r.on.hot - r.off.hot));
  // CPU time of this process (all its threads): what the decisions cost, whatever else runs on the machine.
  results.offPerCpuSec = Math.round(1e9 / med((r) => r.off.cpu));
  results.onPerCpuSec = Math.round(1e9 / med((r) => r.on.cpu));
  results.cpuOverheadNsPerDecision = Math.round(med((r) => r.on.cpu - r.off.cpu));
  results.cpuOverheadNsRange = range((r) => r.on.cpu - r.off.cpu);
  results.onCpuNsPerDecisionRange = range((r) => r.on.cpu);
  results.onUnrecorded = unrecorded;
  results.bytesPerRecord = Math.round(size / (per * ROUNDS));
  results.floor = floor(results.bytesPerRecord);

  if (MEM_N > 0) {
    const memPath = join(dir, "mem.jsonl");
    const enforcer = createEnforcer(policy, { audit: fileAuditLog(memPath, { signingKey: keys.privateKeyPem }), mask: ["context.session"] });
    const samples = [];
    const t0 = process.hrtime.bigint();
    for (let done = 0; done < MEM_N; done += SLICE) {
      for (let i = 0; i < SLICE; i++) enforcer.decide(requests[(done + i) & 63]);
      await yieldNow();
      if ((done + SLICE) % 500_000 === 0) {
        samples.push(Math.round(process.memoryUsage().rss / 2 ** 20));
        rmSync(memPath, { force: true }); // keep the disk small; the open descriptor keeps writing
      }
    }
    await enforcer.close();
    // decisions the log refused (queue full after a disk stall: denied, fail closed)
    results.memoryUnrecorded = enforcer.stats.unrecorded;
    results.memoryDecisions = MEM_N;
    results.memoryPerSec = Math.round(MEM_N / (Number(process.hrtime.bigint() - t0) / 1e9));
    results.rssMiBSamples = samples;
    results.rssMiBMax = Math.max(...samples);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (values.json) console.log(JSON.stringify(results, null, 2));
else {
  console.log(`audit benchmark (${values.policy ?? "hand-written policy"}), node ${process.version}`);
  console.log(`  ${results.decisions.toLocaleString("en")} decisions each way, in ${results.rounds} alternating off/on rounds; median round (range over rounds)`);
  console.log(`  audit off: ${results.offPerSec.toLocaleString("en")} decisions/s`);
  console.log(`  audit on:  ${results.onPerSec.toLocaleString("en")} decisions/s (file log, 1 masked path, fsync every 100 ms, ${results.bytesPerRecord} B/record)`);
  console.log(`  overhead:  ${(results.overheadNsPerDecision / 1000).toFixed(2)} µs/decision total, ${(results.hotPathOverheadNsPerDecision / 1000).toFixed(2)} µs inside decide()`);
  const us = (ns) => (ns / 1000).toFixed(2);
  console.log(`  CPU time:  off ${results.offPerCpuSec.toLocaleString("en")}/s, on ${results.onPerCpuSec.toLocaleString("en")}/s per CPU-second (${us(results.onCpuNsPerDecisionRange[0])}–${us(results.onCpuNsPerDecisionRange[1])} µs CPU per audited decision); overhead ${us(results.cpuOverheadNsPerDecision)} µs CPU/decision (${us(results.cpuOverheadNsRange[0])}–${us(results.cpuOverheadNsRange[1])})`);
  const f = results.floor;
  console.log(`  for scale: on this machine, V8's native JSON.stringify of one of these requests takes ${us(f.stringifyNs)} µs of CPU, one SHA-256 (crypto.hash) of a ${results.bytesPerRecord}-byte record ${us(f.sha256Ns)} µs`);
  console.log(`  refused:   ${results.onUnrecorded.toLocaleString("en")} audited decisions refused by a full queue (disk stall)${results.onUnrecorded > 0 ? ": they skipped the recording work, the figures above are optimistic" : ""}`);
  if (results.rssMiBSamples) console.log(`  memory:    ${results.memoryDecisions.toLocaleString("en")} audited decisions at ${results.memoryPerSec.toLocaleString("en")}/s, RSS MiB every 500k: ${results.rssMiBSamples.join(" ")} (max ${results.rssMiBMax}), ${results.memoryUnrecorded.toLocaleString("en")} refused by a full queue`);
}

// For scale (machines differ several-fold): what V8's native JSON.stringify takes for one of
// the requests, and one SHA-256 over a record-sized buffer (the chain needs one per record).
// Medians of 5 rounds, CPU time.
function floor(bytes) {
  const buf = Buffer.alloc(bytes, 0x61);
  const time = (f) => {
    const xs = [];
    for (let round = 0; round < 5; round++) {
      const c0 = process.cpuUsage();
      for (let i = 0; i < 200_000; i++) f(i);
      const c = process.cpuUsage(c0);
      xs.push(((c.user + c.system) * 1000) / 200_000);
    }
    return Math.round(median(xs));
  };
  const stringifyNs = time((i) => (kept += JSON.stringify(requests[i & 63]).length));
  const sha256Ns = time(() => (kept += hash("sha256", buf, "hex").length));
  return { stringifyNs, sha256Ns };
}

function fakePolicy() {
  const version = "sha256:" + "0".repeat(64);
  const policyInfo = { package: "documents", version };
  const manifest = { package: "documents", version, defaultDecision: "deny", sources: [], rules: [], compiler: { name: "edict", version: "bench" } };
  const empty = [];
  return {
    manifest,
    decide(request) {
      const p = request.principal, r = request.resource, a = request.action;
      if (a === "delete" && r.legal_hold) {
        return { allowed: false, decision: "deny", reasons: [{ rule: "documents.legal_hold", effect: "forbid", message: `document ${r.id} is under legal hold`, id: "DOC-7", severity: "high", location: "documents/rules.edict:12:1" }], errors: empty, advisories: empty, notifications: [{ rule: "documents.legal_hold", channel: "legal" }], policy: policyInfo };
      }
      if (r.owner === p.id || (a === "read" && p.roles.includes("viewer")) || (p.roles.includes("editor") && p.department === r.department)) {
        return { allowed: true, decision: "allow", reasons: [{ rule: "documents.editors_edit", effect: "permit", location: "documents/rules.edict:3:1" }], errors: empty, advisories: empty, notifications: empty, policy: policyInfo };
      }
      return { allowed: false, decision: "deny", reasons: empty, errors: empty, advisories: empty, notifications: empty, policy: policyInfo };
    },
  };
}
