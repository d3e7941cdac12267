// The runtime with a real compiled module (examples/documents through the code generator)
// and the example service end to end: decisions, notifications and records match the
// policy, and the service's log verifies intact.
import { spawnSync } from "node:child_process";
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
    expect(r.stdout).toMatch(/: intact: 11 record\(s\), 4 signed checkpoint\(s\), reopened 1 time\(s\), closed cleanly/);
    // the masked session token never reaches the log's bytes
    const logPath = /# edict audit show (\S+)/.exec(r.stdout)![1]!;
    const bytes = readFileSync(logPath);
    expect(bytes.includes(Buffer.from("session-of-"))).toBe(false);
    expect(bytes.includes(Buffer.from('"session":"hmac:'))).toBe(true);
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
