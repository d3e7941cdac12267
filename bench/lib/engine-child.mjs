// Measures one engine of the decide benchmark in a process of its own and prints its figure as
// JSON. bench/decide.mjs runs the slow engines (interpreter, cedar-wasm, casbin) through this:
// each gets a fresh V8 (no JIT feedback left by the others on shared builtins), and a V8 fault
// inside one engine's glue code — cedar-wasm's once took the whole benchmark down with a fatal
// deoptimizer error — fails that engine's row instead of the run.
// Usage: node bench/lib/engine-child.mjs NAME   (NAME as in engines(): "interpreter", "cedar-wasm", "casbin")
import { engines, REQUESTS } from "../decide.mjs";
import { measure } from "./measure.mjs";
import { randomRequests } from "./requests.mjs";

const name = process.argv[2];
const e = await engines();
const fn = e.full[name] ?? e.boolean[name];
if (!fn) {
  console.error(`unknown engine ${name}`);
  process.exit(2);
}
const call = e.full[name] ? (r) => fn(r).allowed : fn;
const requests = randomRequests(REQUESTS, 42);
console.log(JSON.stringify(measure(call, requests, { rounds: 5, roundMs: 300, warmupMs: 600 })));
