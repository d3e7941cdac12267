// casbin engine for the documents benchmark: bench/casbin/documents.conf (ABAC, eval() matchers)
// and documents.csv (one line per Edict rule). Decides with enforceSync(principal, resource,
// action, context). Helpers the matchers call: has, hasAny, inCorporateNetwork (10.0.0.0/8).
// Deviations (bench/README.md): allow/deny only (no reasons); the advisory rule is left out;
// `has(undefined, x)` is false, standing in for Edict's `resource has shared_with and ...`.
import { newEnforcer, newModel, FileAdapter } from "casbin";
import { fileURLToPath } from "node:url";

const here = (f) => fileURLToPath(new URL(`../casbin/${f}`, import.meta.url));

function inCorporateNetwork(ip) {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  return m !== null && m[1] === "10" && m.slice(2).every((x) => +x <= 255 && (x === "0" || x[0] !== "0"));
}

export async function makeCasbinDecide() {
  const e = await newEnforcer(newModel(await import("node:fs").then((fs) => fs.readFileSync(here("documents.conf"), "utf8"))), new FileAdapter(here("documents.csv")));
  e.addFunction("has", (list, x) => Array.isArray(list) && list.includes(x));
  e.addFunction("hasAny", (list, a, b) => Array.isArray(list) && (list.includes(a) || list.includes(b)));
  e.addFunction("inCorporateNetwork", inCorporateNetwork);
  return (req) => e.enforceSync(req.principal, req.resource, req.action, req.context);
}
