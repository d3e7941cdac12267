// The runtime with a real compiled module (examples/documents through the code generator)
// and the example service end to end: decisions, notifications and records match the
// policy, and the service's log verifies intact.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createEnforcer, memoryAuditLog, verifyAuditLog, type NotificationEvent } from "../../runtime/index.ts";
import type { PolicyModule } from "../../runtime/decision.ts";
import { compiledModule } from "../helpers/compiled-engine.ts";
import { ensureBuilt, repoRoot } from "../helpers/run-cli.ts";

const examples = join(repoRoot, "examples", "documents");
let policy: PolicyModule;

beforeAll(async () => {
  const sources = readdirSync(examples)
    .filter((f) => f.endsWith(".edict"))
    .sort()
    .map((f) => ({ path: `examples/documents/${f}`, text: readFileSync(join(examples, f), "utf8") }));
  policy = await compiledModule(sources);
});

describe("enforcer over the compiled documents policy", () => {
  it("records every sample request with its outcome, reasons and notifications", async () => {
    const log = memoryAuditLog({ checkpointEvery: 2 });
    const notified: string[] = [];
    const e = createEnforcer(policy, { audit: log, notify: { "*": (ev: NotificationEvent) => void notified.push(`${ev.channel}:${ev.rule}`) } });
    const files = readdirSync(join(examples, "requests")).sort();
    const decisions = files.map((f) => e.decide(JSON.parse(readFileSync(join(examples, "requests", f), "utf8"))));
    await e.close();
    // the file name starts with the expected outcome
    expect(decisions.map((d) => d.decision)).toEqual(files.map((f) => (f.startsWith("allow") ? "allow" : "deny")));
    const records = log.lines().map((l) => JSON.parse(l)).filter((o) => o.type === undefined);
    expect(records.map((r) => r.decisionId)).toEqual(decisions.map((d) => d.decisionId));
    for (const [i, r] of records.entries()) {
      expect(r.policy).toEqual({ package: "documents", version: policy.manifest.version });
      expect(r.reasons.map((x: { rule: string }) => x.rule)).toEqual(decisions[i]!.reasons.map((x) => x.rule));
    }
    const hold = records.find((r) => r.reasons.some((x: { rule: string }) => x.rule === "documents.legal_hold"));
    expect(hold.reasons.find((x: { rule: string }) => x.rule === "documents.legal_hold")).toEqual({ id: "DOC-7", message: "document contract-7 is under legal hold", rule: "documents.legal_hold", severity: "high" });
    expect(notified).toContain("legal:documents.legal_hold");
    expect(verifyAuditLog(log.text(), log.publicKey).status).toBe("intact");
  });
});

describe("masked attributes in messages", () => {
  it("a masked value that a reason template or an evaluation error puts into a message is recorded as its mask; the caller gets the message as written", async () => {
    const log = memoryAuditLog();
    const e = createEnforcer(policy, { audit: log, mask: ["resource.id", "context.ip"] });
    const hold = JSON.parse(readFileSync(join(examples, "requests", "deny-legal-hold-delete.json"), "utf8")) as { context: Record<string, unknown> };
    const outside = e.decide({ ...hold, action: "read", context: { ...hold.context, ip: "203.0.113.99" } });
    const malformed = e.decide({ ...hold, action: "read", context: { ...hold.context, ip: "ten.twenty.zero.eight" } });
    await e.close();
    // the decisions returned are the policy's own
    expect(outside.reasons.map((r) => r.message)).toContain("confidential document contract-7 requested from 203.0.113.99");
    expect(malformed.errors[0]!.message).toMatch(/^"ten\.twenty\.zero\.eight" is not an ip address/);
    // the records hold masks, the same masks as in their `request`
    expect(log.text()).not.toMatch(/contract-7|203\.0\.113\.99|ten\.twenty/);
    const [r1, r2] = log.lines().map((l) => JSON.parse(l)).filter((o) => o.type === undefined);
    const id = r1.request.resource.id as string;
    expect(id).toMatch(/^hmac:[0-9a-f]{64}$/);
    expect(r1.reasons.map((r: { message: string }) => r.message)).toContain(`confidential document ${id} requested from ${r1.request.context.ip}`);
    expect(r2.errors[0].message).toMatch(new RegExp(`^"${r2.request.context.ip}" is not an ip address`));
    expect(verifyAuditLog(log.text(), log.publicKey).status).toBe("intact");
  });

  it("short masked values (under 8 characters: a role, a flag) are left in messages, where replacing them would garble the text", async () => {
    const log = memoryAuditLog();
    const e = createEnforcer(policy, { audit: log, mask: ["resource.classification"] });
    const hold = JSON.parse(readFileSync(join(examples, "requests", "deny-legal-hold-delete.json"), "utf8")) as { context: Record<string, unknown> };
    e.decide({ ...hold, action: "read", resource: { ...(hold as unknown as { resource: object }).resource, classification: "secret" }, context: { ...hold.context, ip: "203.0.113.99" } });
    await e.close();
    const [r] = log.lines().map((l) => JSON.parse(l)).filter((o) => o.type === undefined);
    expect(r.request.resource.classification).toMatch(/^hmac:/);
    expect(r.reasons.map((x: { message: string }) => x.message)).toContain("secret document contract-7 requested from 203.0.113.99");
  });
});

describe("examples/service", () => {
  it("drive.mjs runs the service, shows the log and verifies it intact", () => {
    ensureBuilt();
    const r = spawnSync(process.execPath, [join(repoRoot, "examples/service/drive.mjs")], { encoding: "utf8", timeout: 120_000 });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/403 DELETE \/docs\/contract-7 +as root +\(documents\.legal_hold: document contract-7 is under legal hold\)/);
    expect(r.stdout).toMatch(/\[notify legal\] documents\.legal_hold/);
    expect(r.stdout).toMatch(/#4 +DENY +root delete contract-7/);
    // restarted halfway: the second run continued the first one's log
    expect(r.stdout).toMatch(/# restart: the service continues the same log/);
    expect(r.stdout).toMatch(/audit log: \S+ \(continued\)/);
    expect(r.stdout).toContain('GET /healthz → 200 {"ok":true}');
    expect(r.stdout).toMatch(/: intact: 11 record\(s\), 4 signed checkpoint\(s\), reopened 1 time\(s\), closed cleanly/);
    // the masked session token never reaches the log's bytes
    const logPath = /# edict audit show (\S+)/.exec(r.stdout)![1]!;
    const bytes = readFileSync(logPath);
    expect(bytes.includes(Buffer.from("session-of-"))).toBe(false);
    expect(bytes.includes(Buffer.from('"session":"hmac:'))).toBe(true);
  });

  it("server.mjs when its disk fills up: once the log has failed requests are denied, and /healthz says 503 with the reason", async () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), "edict-service-full-"));
    // A file size limit (100 KB, in 512-byte blocks) stands in for a full disk: the audit log's
    // writes fail with EFBIG once it reaches it (SIGXFSZ ignored, so writes fail instead of killing).
    const script = `trap '' XFSZ; ulimit -f 200; exec "$0" "$@"`;
    const server = spawn("sh", ["-c", script, process.execPath, join(repoRoot, "examples/service/server.mjs"), "--port", "0", "--audit", join(dir, "decisions.jsonl")], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      let output = "";
      const base = await new Promise<string>((resolve, reject) => {
        server.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          output += chunk;
          const m = /on (http:\/\/[\d.:]+)/.exec(output);
          if (m) resolve(m[1]!);
        });
        server.on("exit", (code) => reject(new Error(`the service exited (${code}) before listening: ${output}`)));
      });
      expect(await (await fetch(base + "/healthz")).json()).toEqual({ ok: true });
      const statuses: number[] = [];
      let health = 200;
      for (let i = 0; i < 400 && health === 200; i++) {
        statuses.push((await fetch(base + "/docs/design-1", { headers: { "x-user": "bob" } })).status);
        if (i % 10 === 9) health = (await fetch(base + "/healthz")).status;
      }
      expect(health).toBe(503);
      const report = (await (await fetch(base + "/healthz")).json()) as { ok: boolean; audit: string };
      expect(report).toEqual({ ok: false, audit: expect.stringMatching(/EFBIG/) });
      // bob may read design-1: allowed while the log recorded, denied once it could not
      expect(statuses[0]).toBe(200);
      const read = await fetch(base + "/docs/design-1", { headers: { "x-user": "bob" } });
      expect(read.status).toBe(403);
      expect(JSON.stringify(await read.json())).toMatch(/audit log unavailable: .*EFBIG/);
    } finally {
      server.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("server.mjs stops with the reason when its log cannot be continued (a torn last line), instead of denying every request", () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), "edict-service-"));
    try {
      const path = join(dir, "decisions.jsonl");
      writeFileSync(path, '{"type":"header","format":"edict-audit/1"}\n{"action":"read","decis');
      const r = spawnSync(process.execPath, [join(repoRoot, "examples/service/server.mjs"), "--port", "0", "--audit", path], { encoding: "utf8", timeout: 60_000 });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/cannot open the audit log: cannot continue the audit log `.*decisions\.jsonl`: /);
      expect(r.stdout).not.toMatch(/documents service on/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
