// Benchmark: decisions on the documents example (examples/documents), five engines:
//   compiled Edict        `edict compile` output (bench/out/documents.mjs)
//   hand-written JS       bench/baseline/documents.mjs, the floor
//   interpreter           compiler/eval (the reference semantics)
//   cedar-wasm            bench/cedar/documents.cedar, preparsePolicySet + statefulIsAuthorized
//   casbin                bench/casbin/documents.{conf,csv}, ABAC with eval() matchers
// First every engine decides the same 10,000 seeded random requests and must agree on allow/deny
// (compiled, hand-written and interpreter on the whole decision: reasons, messages, advisories,
// notifications); any disagreement prints the request and exits 1. Then ns per decision over the
// same requests (median of rounds) and the ratio to the hand-written floor.
// Usage: node bench/decide.mjs [--json]   (after `npm run build`)
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { makeDecide as makeBaseline } from "./baseline/documents.mjs";
import { makeCasbinDecide } from "./lib/casbin-engine.mjs";
import { makeCedarDecide } from "./lib/cedar-engine.mjs";
import { compileAndLoad, interpreterFor } from "./lib/edict.mjs";
import { fmtNs, measure } from "./lib/measure.mjs";
import { randomRequests } from "./lib/requests.mjs";

export const REQUESTS = 10_000;

/** One engine's figure, measured by lib/engine-child.mjs in a fresh process. */
function measureInChild(name) {
  const child = spawnSync(process.execPath, [fileURLToPath(new URL("./lib/engine-child.mjs", import.meta.url)), name], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`measuring ${name} failed (exit ${child.status ?? child.signal}):\n${(child.stderr || child.stdout).slice(-2000)}`);
  return JSON.parse(child.stdout.trim().split("\n").pop());
}

/** JSON with object keys sorted: decisions compare by content, not key order. */
function canon(v) {
  return JSON.stringify(v, (_k, x) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
}

export async function engines() {
  const compiled = await compileAndLoad(["examples/documents"], "documents");
  const version = compiled.manifest.version;
  return {
    version,
    full: {
      "compiled Edict": compiled.decide,
      "hand-written JS": makeBaseline(version),
      "interpreter": await interpreterFor("examples/documents", version),
    },
    boolean: { "cedar-wasm": makeCedarDecide(), "casbin": await makeCasbinDecide() },
  };
}

/** Checks that every engine agrees on every request; returns the count; throws on the first disagreement. */
export function checkAgreement(e, requests) {
  let agreed = 0;
  const names = [...Object.keys(e.full), ...Object.keys(e.boolean)];
  for (const req of requests) {
    const full = Object.entries(e.full).map(([name, d]) => [name, d(req)]);
    const ref = canon(full[0][1]);
    for (const [name, d] of full.slice(1)) {
      if (canon(d) !== ref) throw new Error(`${name} disagrees with compiled Edict on ${JSON.stringify(req)}\n  compiled: ${ref}\n  ${name}: ${canon(d)}`);
    }
    const allowed = full[0][1].allowed;
    for (const [name, d] of Object.entries(e.boolean)) {
      const got = d(req);
      if (got !== allowed) throw new Error(`${name} says ${got ? "allow" : "deny"}, compiled Edict ${allowed ? "allow" : "deny"} on ${JSON.stringify(req)}`);
    }
    agreed++;
  }
  return { agreed, engines: names };
}

export async function runDecide(log = console.log) {
  const e = await engines();
  const requests = randomRequests(REQUESTS, 42);
  const { agreed, engines: names } = checkAgreement(e, requests);
  const allows = requests.filter((r) => e.full["compiled Edict"](r).allowed).length;
  log(`agreement: ${agreed.toLocaleString("en-US")} / ${requests.length.toLocaleString("en-US")} requests, ${names.length} engines (${names.join(", ")}); ${allows} allow, ${requests.length - allows} deny`);

  // The fast engines are measured in interleaved rounds (compiled, floor, compiled, floor...)
  // so that load from other work on the machine hits both alike; the figure is the median
  // round, and the ratio the median of the per-round ratios. The slow engines run once each.
  const ROUNDS = 7;
  const fast = ["compiled Edict", "hand-written JS"];
  const perRound = new Map(fast.map((n) => [n, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of fast) {
      const fn = e.full[name];
      perRound.get(name).push(measure((r) => fn(r).allowed, requests, { rounds: 3, roundMs: 100, warmupMs: round === 0 ? 500 : 50 }).ns);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const roundRatios = perRound.get(fast[0]).map((c, i) => c / perRound.get(fast[1])[i]);
  const rows = fast.map((name) => ({ engine: name, ns: median(perRound.get(name)) }));
  // The slow engines each run in a process of their own (see lib/engine-child.mjs).
  for (const name of ["interpreter", ...Object.keys(e.boolean)]) rows.push({ engine: name, ...measureInChild(name) });
  const floor = rows[1].ns;
  for (const r of rows) r.ratio = r.ns / floor;
  rows[0].ratio = median(roundRatios);
  rows[1].ratio = 1;

  // Where the time goes: requests whose decision needs no rendered message (both Edict and the
  // floor return a frozen shared decision) versus those that render messages.
  const base = e.full["hand-written JS"];
  const cached = requests.filter((r) => Object.isFrozen(base(r)));
  const rendered = requests.filter((r) => !Object.isFrozen(base(r)));
  const split = [];
  for (const [label, set] of [["no message (shared frozen decision)", cached], ["renders messages", rendered]]) {
    const c = [];
    const f = [];
    for (let round = 0; round < 5; round++) {
      c.push(measure((r) => e.full["compiled Edict"](r).allowed, set, { rounds: 3, roundMs: 60, warmupMs: round === 0 ? 300 : 30 }).ns);
      f.push(measure((r) => base(r).allowed, set, { rounds: 3, roundMs: 60, warmupMs: round === 0 ? 300 : 30 }).ns);
    }
    split.push({ label, count: set.length, compiled: median(c), floor: median(f), ratio: median(c.map((x, i) => x / f[i])) });
  }
  return { agreed, total: requests.length, allows, rows, split };
}

export function decideTable(res) {
  const lines = ["| engine | ns / decision (median) | × hand-written |", "| --- | ---: | ---: |"];
  for (const r of res.rows) lines.push(`| ${r.engine} | ${fmtNs(r.ns)} | ${r.ratio.toFixed(2)}× |`);
  lines.push("", "| request mix (compiled Edict vs hand-written) | requests | compiled ns | hand-written ns | × |", "| --- | ---: | ---: | ---: | ---: |");
  for (const s of res.split) lines.push(`| ${s.label} | ${s.count.toLocaleString("en-US")} | ${fmtNs(s.compiled)} | ${fmtNs(s.floor)} | ${s.ratio.toFixed(2)}× |`);
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const res = await runDecide();
    console.log(process.argv.includes("--json") ? JSON.stringify(res, null, 2) : decideTable(res));
  } catch (err) {
    console.error(`DISAGREEMENT: ${err.message}`);
    process.exit(1);
  }
}
