// A small document service guarded by the compiled `documents` policy through the Edict
// enforcer. Every decision goes to a hash-chained, signed audit log, audit/decisions.jsonl by
// default, which a restart continues (a log that cannot be continued — e.g. its last line was
// torn by kill -9 — stops the service with the reason, rather than deny every request).
// Run: node examples/service/server.mjs [--port 8080] [--audit FILE]   (runs setup.mjs first if needed)
// Routes: GET /docs/:id (read), PUT /docs/:id (write), DELETE /docs/:id (delete),
//         POST /docs/:id/comments (comment), POST /docs/:id/share (share),
//         POST /admin/reload (recompile and hot-swap the policy), GET /admin/stats,
//         GET /healthz (503 once the audit log has failed: every decision would deny).
// Identity: header `x-user: alice` (a demo directory below); `x-mfa: true`;
// `x-forwarded-for` for the client address; break glass: `x-override-by` + `x-override-why`.
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createEnforcer, fileAuditLog } from "../../dist/runtime.mjs";
import { enforce, send } from "./pep.mjs";
import { setup } from "./setup.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const { values } = parseArgs({ options: { port: { type: "string", default: "8080" }, audit: { type: "string" } } });

const users = {
  alice: { id: "alice", roles: ["editor"], department: "eng" },
  bob: { id: "bob", roles: ["viewer"], department: "eng" },
  erin: { id: "erin", roles: ["editor"], department: "legal" },
  root: { id: "root", roles: ["admin", "cleared"], department: "it" },
};
const docs = {
  "design-1": { id: "design-1", owner: "alice", department: "eng", classification: "internal", legal_hold: false, body: "the plan" },
  "contract-7": { id: "contract-7", owner: "erin", department: "legal", classification: "confidential", legal_hold: true, body: "terms" },
  "launch-codes": { id: "launch-codes", owner: "root", department: "it", classification: "secret", legal_hold: false, body: "0000" },
};

async function loadPolicy() {
  // A fresh URL each time so /admin/reload really imports the recompiled module.
  return import(`${pathToFileURL(`${here}build/documents.mjs`).href}?t=${Date.now()}`);
}

await setup();
const policy = await loadPolicy();
const auditPath = resolve(values.audit ?? `${here}audit/decisions.jsonl`);
mkdirSync(dirname(auditPath), { recursive: true });
const continued = existsSync(auditPath) && statSync(auditPath).size > 0;
const auditLog = fileAuditLog(auditPath, { signingKey: readFileSync(`${here}keys/audit-signing.pem`, "utf8"), checkpointEvery: 10 });
if (auditLog.failure) {
  // Without its log the enforcer would deny every request (fail closed): say why and stop.
  console.error(`cannot open the audit log: ${auditLog.failure.message}`);
  process.exit(1);
}

const enforcer = createEnforcer(policy, {
  audit: auditLog,
  mask: ["context.session"],
  instance: "docs-api-1",
  notify: {
    // `@notify("legal")` on the legal-hold forbid: a real service would page or open a ticket.
    legal: (event) => console.log(`[notify legal] ${event.rule}: ${event.decision.reasons.find((r) => r.rule === event.rule)?.message ?? ""} (decision ${event.decisionId}, by ${event.request.principal.id})`),
    "admin-activity": (event) => console.log(`[notify admin-activity] ${event.request.principal.id} ${event.request.action} ${event.request.resource.id}: ${event.decision.decision} (decision ${event.decisionId})`),
  },
  onError: (event) => console.log(`[policy error] decision ${event.decisionId}: ${event.decision.errors.map((e) => e.message).join("; ")}`),
});

const guard = (action) =>
  enforce(enforcer, {
    action,
    principalOf: (req) => users[String(req.headers["x-user"] ?? "")],
    resourceOf: (params) => {
      const d = docs[params.id];
      if (!d) return undefined;
      const { body: _body, ...attributes } = d;
      return attributes;
    },
  });

const routes = [
  ["GET", /^\/docs\/([\w-]+)$/, guard("read")((req, res, p) => send(res, 200, docs[p.id]))],
  ["PUT", /^\/docs\/([\w-]+)$/, guard("write")(async (req, res, p) => {
    docs[p.id].body = await body(req);
    send(res, 200, { ok: true });
  })],
  ["DELETE", /^\/docs\/([\w-]+)$/, guard("delete")((req, res, p) => {
    delete docs[p.id];
    send(res, 200, { deleted: p.id });
  })],
  ["POST", /^\/docs\/([\w-]+)\/comments$/, guard("comment")(async (req, res) => send(res, 201, { comment: await body(req) }))],
  ["POST", /^\/docs\/([\w-]+)\/share$/, guard("share")((req, res, p) => send(res, 200, { shared: p.id }))],
];

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "GET" && url.pathname === "/admin/stats") return send(res, 200, { ...enforcer.stats, policy: enforcer.policy.manifest.version, auditPath });
    if (req.method === "GET" && url.pathname === "/healthz") {
      // For a readiness probe: an instance whose audit log has failed (disk full, say) denies
      // every request (fail closed), so take it out of service until the log is fixed.
      const error = enforcer.auditError;
      return send(res, error ? 503 : 200, error ? { ok: false, audit: error.message } : { ok: true });
    }
    if (req.method === "POST" && url.pathname === "/admin/reload") {
      await setup();
      enforcer.swap(await loadPolicy());
      return send(res, 200, { policy: enforcer.policy.manifest.version });
    }
    for (const [method, pattern, handler] of routes) {
      const m = pattern.exec(url.pathname);
      if (m && req.method === method) return await handler(req, res, { id: m[1] });
    }
    send(res, 404, { error: "no such route" });
  } catch (e) {
    send(res, 500, { error: String(e?.message ?? e) });
  }
});

function body(req) {
  return new Promise((resolve) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => resolve(text));
  });
}

async function shutdown(signal) {
  console.log(`${signal}: closing the audit log (final signed checkpoint)`);
  server.close();
  await enforcer.close();
  console.log(`audit log: ${auditPath}`);
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

server.listen(Number(values.port), "127.0.0.1", () => {
  console.log(`documents service on http://127.0.0.1:${server.address().port} (policy ${policy.manifest.version})`);
  console.log(`audit log: ${auditPath}${continued ? " (continued)" : ""}`);
});
