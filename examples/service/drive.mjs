// Drives the example service: starts it on a fresh audit log, sends a series of requests
// (allowed, denied, a break-glass override), restarts it — the log continues where it stopped —
// sends more (and a hot reload), stops it (which writes the final signed checkpoint), then shows
// the log with `edict audit show` and proves it with `edict audit verify`.
// Run: node examples/service/drive.mjs
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runEdict } from "./setup.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const auditPath = `${here}audit/drive-${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}.jsonl`;
let base = "";
let server;

async function start() {
  server = spawn(process.execPath, [`${here}server.mjs`, "--port", "0", "--audit", auditPath], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  base = await new Promise((resolve, reject) => {
    server.stdout.setEncoding("utf8").on("data", (chunk) => {
      process.stdout.write(chunk.replace(/^/gm, "  service | ").replace(/  service \| $/, ""));
      output += chunk;
      const m = /on (http:\/\/[\d.:]+)/.exec(output);
      if (m) resolve(m[1]);
    });
    server.on("exit", (code) => reject(new Error(`the service exited (${code}) before listening`)));
  });
}

async function stop() {
  const exited = new Promise((resolve) => server.on("exit", resolve));
  server.kill("SIGTERM");
  await exited;
}

async function call(method, path, user, headers = {}) {
  const res = await fetch(base + path, { method, headers: { "x-user": user, authorization: `Bearer session-of-${user}`, "x-forwarded-for": "10.1.2.3", ...headers }, body: method === "PUT" || method === "POST" ? "text" : undefined });
  const body = await res.json();
  const why = body.reasons?.map((r) => `${r.rule}${r.message ? `: ${r.message}` : ""}`).join("; ");
  console.log(`${String(res.status).padEnd(3)} ${method.padEnd(6)} ${path.padEnd(28)} as ${user.padEnd(5)} ${why ? `(${why})` : ""}`);
}

await start();
console.log("\n# requests");
await call("GET", "/docs/design-1", "bob");
await call("PUT", "/docs/design-1", "alice");
await call("PUT", "/docs/design-1", "bob");
await call("DELETE", "/docs/contract-7", "root");
await call("DELETE", "/docs/contract-7", "erin", { "x-override-by": "erin", "x-override-why": "ticket LEGAL-42" });
await call("GET", "/docs/contract-7", "erin", { "x-forwarded-for": "203.0.113.9" });
await call("GET", "/docs/launch-codes", "root");
console.log("\n# restart: the service continues the same log");
await stop();
await start();
await call("GET", "/docs/launch-codes", "root", { "x-mfa": "true" });
await call("POST", "/docs/design-1/share", "bob");
console.log("POST /admin/reload →", (await (await fetch(base + "/admin/reload", { method: "POST" })).json()).policy);
const health = await fetch(base + "/healthz");
console.log(`GET /healthz → ${health.status} ${JSON.stringify(await health.json())}`);
await call("GET", "/docs/design-1", "bob");
await call("POST", "/docs/design-1/comments", "bob");

await stop();

console.log(`\n# edict audit show ${auditPath}`);
await runEdict(["audit", "show", auditPath]);
console.log("\n# edict audit show --decision deny --rule legal_hold");
await runEdict(["audit", "show", auditPath, "--decision", "deny", "--rule", "legal_hold"]);
console.log("\n# edict audit verify --public-key keys/audit-signing.pub.pem");
const code = await runEdict(["audit", "verify", auditPath, "--public-key", "keys/audit-signing.pub.pem"]);
console.log(`exit ${code}`);
process.exitCode = code;
