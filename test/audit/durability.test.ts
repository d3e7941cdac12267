// Durability and failure: a process killed mid-stream leaves a valid chain prefix that verifies
// as incomplete (never tampered, never intact); a sink that cannot write (full disk, no
// permission, file-size limit) fails closed; masked secrets never reach the file's bytes.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEnforcer, fileAuditLog, generateAuditKeyPair, verifyAuditLog } from "../../runtime/index.ts";
import { fakePolicy, request, runtimeBundle } from "./fake-policy.ts";

let dir: string;
let runtime: string;
const keys = generateAuditKeyPair();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "edict-durability-"));
  runtime = runtimeBundle(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const records = (text: string) => text.split("\n").filter((l) => l.startsWith("{") && !l.startsWith('{"type"')).map((l) => JSON.parse(l) as Record<string, unknown>);

/** A child script: a policy like fakePolicy, an enforcer on a file log, then `body`. */
function childScript(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `import { createEnforcer, fileAuditLog } from ${JSON.stringify(runtime)};
const policyInfo = { package: "docs", version: "sha256:v1" };
const policy = { manifest: { package: "docs", version: "sha256:v1" }, decide(r) {
  const ok = r.action === "read";
  return { allowed: ok, decision: ok ? "allow" : "deny", reasons: [], errors: [], advisories: [], notifications: [], policy: policyInfo };
} };
const [logPath, keyPem] = [process.argv[2], process.env.KEY];
${body}
`,
  );
  return path;
}

describe("crash", () => {
  it("SIGKILL while deciding leaves an intact prefix: incomplete (exit 3 contract), not tampered", async () => {
    const script = childScript(
      "crash-child.mjs",
      `const e = createEnforcer(policy, { audit: fileAuditLog(logPath, { signingKey: keyPem, checkpointEvery: 100 }) });
let n = 0;
for (;;) {
  for (let i = 0; i < 500; i++) e.decide({ principal: { id: "u" + (n % 7) }, action: n++ % 3 ? "read" : "edit", resource: { id: "d" + n }, pad: "x".repeat(n % 300) });
  await new Promise((r) => setImmediate(r));
  if (n === 2500) process.stdout.write("ready\\n");
}`,
    );
    for (const extraDelay of [0, 15]) {
      const logPath = join(dir, `crash-${extraDelay}.jsonl`);
      const child = spawn(process.execPath, [script, logPath], { env: { ...process.env, KEY: keys.privateKeyPem }, stdio: ["ignore", "pipe", "inherit"] });
      await new Promise<void>((resolve) => child.stdout.on("data", (d: Buffer) => d.toString().includes("ready") && resolve()));
      await new Promise((r) => setTimeout(r, extraDelay));
      child.kill("SIGKILL");
      await new Promise((r) => child.on("exit", r));
      const text = readFileSync(logPath, "utf8");
      const r = verifyAuditLog(text, keys.publicKeyPem);
      expect(r.status).toBe("incomplete");
      expect(r.records).toBeGreaterThanOrEqual(2000);
      expect(r.signedThrough).toBeGreaterThan(0);
      if (!text.endsWith("\n")) expect(r.problem).toMatch(/torn/);
      // every complete record line is part of the verified prefix
      expect(r.records).toBe(records(text.slice(0, text.lastIndexOf("\n") + 1)).length);
    }
  });
});

describe("sink failure fails closed", () => {
  it("disk full (/dev/full): every decision denies with `audit log unavailable`", async () => {
    for (const sync of [false, true]) {
      const e = createEnforcer(fakePolicy(), { audit: fileAuditLog("/dev/full", { signingKey: keys.privateKeyPem, sync }), onAuditError: () => {} });
      const d = e.decide(request(1));
      expect(request(1).action).toBe("read");
      expect(d).toMatchObject({ allowed: false, decision: "deny" });
      expect(d.reasons[0]!.message).toMatch(/^audit log unavailable: ENOSPC/);
      await e.close();
    }
  });

  it("a directory it may not write in (or, as root, a path under a file) denies", async () => {
    let path: string;
    let code: RegExp;
    const isRoot = process.getuid?.() === 0;
    if (isRoot) {
      // root ignores directory permissions: make opening fail another way.
      writeFileSync(join(dir, "a-file"), "");
      path = join(dir, "a-file", "audit.jsonl");
      code = /ENOTDIR/;
    } else {
      const ro = join(dir, "read-only");
      mkdirSync(ro);
      chmodSync(ro, 0o500);
      path = join(ro, "audit.jsonl");
      code = /EACCES/;
    }
    const errors: string[] = [];
    const e = createEnforcer(fakePolicy(), { audit: fileAuditLog(path, { signingKey: keys.privateKeyPem }), onAuditError: (err) => errors.push(err.message) });
    const d = e.decide(request(1));
    expect(d.allowed).toBe(false);
    expect(d.reasons[0]!.message).toMatch(code);
    expect(errors[0]).toMatch(code);
    await e.close();
  });

  it("a disk that fills up mid-stream (file size limit): later decisions deny; with sync every allow is on disk", () => {
    const script = childScript(
      "fsize-child.mjs",
      `process.on("SIGXFSZ", () => {}); // so write() returns EFBIG instead of killing us
const sync = process.argv[3] === "sync";
const e = createEnforcer(policy, { audit: fileAuditLog(logPath, { signingKey: keyPem, sync }), onAuditError: () => {} });
const out = [];
for (let i = 0; i < 60; i++) {
  const d = e.decide({ principal: { id: "u1" }, action: "read", resource: { id: "d" + i } });
  out.push({ id: d.decisionId, allowed: d.allowed, message: d.reasons[0]?.message });
  await new Promise((r) => setImmediate(r));
}
await e.flush(); // async mode: the failure surfaces when a batch write fails
const after = e.decide({ principal: { id: "u1" }, action: "read", resource: { id: "after" } });
out.push({ id: after.decisionId, allowed: after.allowed, message: after.reasons[0]?.message });
await e.close();
console.log(JSON.stringify({ out, stats: e.stats }));`,
    );
    for (const mode of ["async", "sync"]) {
      const logPath = join(dir, `fsize-${mode}.jsonl`);
      const r = spawnSync("bash", ["-c", `ulimit -f 8 && exec "${process.execPath}" "${script}" "${logPath}" ${mode}`], { env: { ...process.env, KEY: keys.privateKeyPem }, encoding: "utf8" });
      expect(r.stderr).not.toMatch(/Error/);
      const { out, stats } = JSON.parse(r.stdout) as { out: { id: string; allowed: boolean; message?: string }[]; stats: { lost: number } };
      const firstDeny = out.findIndex((d) => !d.allowed);
      // sync: the first record past the limit is refused in decide; async: a later one (timing)
      expect(firstDeny).toBeGreaterThan(mode === "sync" ? 0 : -1);
      expect(out.slice(firstDeny).every((d) => !d.allowed && /^audit log unavailable: EFBIG/.test(d.message ?? ""))).toBe(true);
      const text = readFileSync(logPath, "utf8");
      const recorded = new Set(records(text.slice(0, text.lastIndexOf("\n") + 1)).map((x) => x.decisionId));
      const allowedIds = out.filter((d) => d.allowed).map((d) => d.id);
      if (mode === "sync") expect(allowedIds.every((id) => recorded.has(id))).toBe(true);
      // async: allows decided before the failure surfaced are either recorded or counted as lost
      else expect(allowedIds.filter((id) => !recorded.has(id)).length).toBeLessThanOrEqual(stats.lost);
      expect(verifyAuditLog(text, keys.publicKeyPem).status).toBe("incomplete");
    }
  });
});

describe("file logs", () => {
  it("masked secrets never appear in the file's bytes", async () => {
    const path = join(dir, "masked.jsonl");
    const e = createEnforcer(fakePolicy(), { audit: fileAuditLog(path, { signingKey: keys.privateKeyPem }), mask: ["context.token", "principal.email"] });
    for (let i = 0; i < 50; i++) e.decide(request(i));
    await e.close();
    const bytes = readFileSync(path);
    for (const secret of ["tok-SECRET-0", "tok-SECRET-1", "tok-SECRET-2", "SECRET", "user0@example.com", "example.com"]) {
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
    expect(bytes.includes(Buffer.from('"token":"hmac:'))).toBe(true);
    expect(verifyAuditLog(bytes.toString("utf8"), keys.publicKeyPem).status).toBe("intact");
  });

  it("two enforcers write two independent logs, each intact", async () => {
    const a = createEnforcer(fakePolicy("sha256:a"), { audit: fileAuditLog(join(dir, "two-a.jsonl"), { signingKey: keys.privateKeyPem, checkpointEvery: 10 }), instance: "a" });
    const b = createEnforcer(fakePolicy("sha256:b"), { audit: fileAuditLog(join(dir, "two-b.jsonl"), { signingKey: keys.privateKeyPem, checkpointEvery: 7 }), instance: "b" });
    for (let i = 0; i < 100; i++) {
      a.decide(request(i));
      if (i % 2) b.decide(request(i));
      if (i % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    await Promise.all([a.close(), b.close()]);
    const ta = readFileSync(join(dir, "two-a.jsonl"), "utf8");
    const tb = readFileSync(join(dir, "two-b.jsonl"), "utf8");
    expect(verifyAuditLog(ta, keys.publicKeyPem)).toMatchObject({ status: "intact", records: 100 });
    expect(verifyAuditLog(tb, keys.publicKeyPem)).toMatchObject({ status: "intact", records: 50 });
    expect(records(ta).every((r) => r.instance === "a")).toBe(true);
    expect(records(tb).every((r) => r.instance === "b")).toBe(true);
  });

  it("rotation as docs/audit.md shows it (switch enforcers, close the old one) splits the decisions between two files, each intact, none lost", async () => {
    const anchors: { seq: number; hash: string }[] = [];
    const open = (name: string) => createEnforcer(fakePolicy(), { audit: fileAuditLog(join(dir, name), { signingKey: keys.privateKeyPem, checkpointEvery: 16, onCheckpoint: (c) => c.final && anchors.push({ seq: c.seq, hash: c.hash }) }) });
    let enforcer = open("rot-1.jsonl");
    let closing: Promise<void> | undefined;
    for (let i = 0; i < 120; i++) {
      if (i === 70) {
        const old = enforcer;
        enforcer = open("rot-2.jsonl"); // mid-burst: the old log still has records waiting to be sealed and written
        closing = old.close();
      }
      enforcer.decide(request(i));
      if (i % 25 === 0) await new Promise((r) => setImmediate(r));
    }
    await Promise.all([closing, enforcer.close()]);
    const [one, two] = ["rot-1.jsonl", "rot-2.jsonl"].map((f) => readFileSync(join(dir, f), "utf8"));
    expect(verifyAuditLog(one!, keys.publicKeyPem, anchors[0])).toMatchObject({ status: "intact", records: 70 });
    expect(verifyAuditLog(two!, keys.publicKeyPem, anchors[1])).toMatchObject({ status: "intact", records: 50 });
    expect([...records(one!), ...records(two!)].map((r) => r.resource)).toEqual(Array.from({ length: 120 }, (_, i) => `doc-${i}`));
    expect(anchors.map((a) => a.seq)).toEqual([70, 50]);
  });

  it("sync mode: each accepted record is in the file when decide returns", async () => {
    const path = join(dir, "sync.jsonl");
    const e = createEnforcer(fakePolicy(), { audit: fileAuditLog(path, { signingKey: keys.privateKeyPem, sync: true }) });
    const d = e.decide(request(1));
    expect(records(readFileSync(path, "utf8")).map((r) => r.decisionId)).toEqual([d.decisionId]);
    await e.close();
  });
});

describe("timed checkpoints", () => {
  it("a quiet log gets its recent records signed after checkpointIntervalMs", async () => {
    const path = join(dir, "timed.jsonl");
    const e = createEnforcer(fakePolicy(), { audit: fileAuditLog(path, { signingKey: keys.privateKeyPem, checkpointIntervalMs: 50, flushIntervalMs: 10 }) });
    e.decide(request(1));
    e.decide(request(2));
    await new Promise((r) => setTimeout(r, 300));
    const mid = verifyAuditLog(readFileSync(path, "utf8"), keys.publicKeyPem);
    expect(mid).toMatchObject({ status: "incomplete", records: 2, signedThrough: 2 });
    e.decide(request(3));
    await e.close();
    expect(verifyAuditLog(readFileSync(path, "utf8"), keys.publicKeyPem)).toMatchObject({ status: "intact", records: 3, signedThrough: 3 });
  });
});
