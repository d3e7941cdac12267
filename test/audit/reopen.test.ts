// Reopening a file log: a restarted service continues the chain (seq and prev go on, a signed
// resume checkpoint marks the new writer and signs what a crash left unsigned), and the whole
// file verifies; a log whose end cannot be vouched for (torn last line, edited tail, another
// key, not an audit log) is refused with a clear reason, fail closed, the file untouched.
// One writer at a time: a lock file refuses a second writer, and a dead writer's lock is taken over.
// Also: `verify` without a key (chain-only) checks hashes and order but says signatures were not checked.
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEnforcer, fileAuditLog, generateAuditKeyPair, verifyAuditLog } from "../../runtime/index.ts";
import { fakePolicy, request, runtimeBundle } from "./fake-policy.ts";

let dir: string;
const keys = generateAuditKeyPair();
const other = generateAuditKeyPair();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "edict-reopen-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (path: string) => readFileSync(path, "utf8").split("\n").slice(0, -1);
const parsed = (path: string) => lines(path).map((l) => JSON.parse(l) as Record<string, unknown>);
const recordsOf = (path: string) => parsed(path).filter((o) => o.type === undefined);

async function session(path: string, n: number, from = 0, options: { checkpointEvery?: number; signingKey?: string } = {}) {
  const e = createEnforcer(fakePolicy(), { audit: fileAuditLog(path, { signingKey: keys.privateKeyPem, ...options }), onAuditError: () => {} });
  const ds = Array.from({ length: n }, (_, i) => e.decide(request(from + i)));
  await e.close();
  return ds;
}

describe("reopening a file log continues its chain", () => {
  it("after a clean close: seq and prev go on, one resume checkpoint, the whole file verifies intact", async () => {
    const path = join(dir, "restart.jsonl");
    await session(path, 5, 0, { checkpointEvery: 3 });
    // the header's checkpointEvery (3) wins over the option: verifiers check the header's
    const second = await session(path, 4, 5, { checkpointEvery: 1000 });
    await session(path, 0); // a restart that decides nothing
    const recs = recordsOf(path);
    expect(recs.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(recs[5]!.prev).toBe(recs[4]!.hash);
    expect(recs.slice(5).map((r) => r.decisionId)).toEqual(second.map((d) => d.decisionId));
    const resumes = parsed(path).filter((o) => o.resume === true);
    expect(resumes).toHaveLength(2);
    expect(resumes[0]).toMatchObject({ type: "checkpoint", seq: 5, hash: recs[4]!.hash, pid: process.pid });
    expect(parsed(path).filter((o) => o.type === "header")).toHaveLength(1);
    expect(verifyAuditLog(readFileSync(path, "utf8"), keys.publicKeyPem)).toMatchObject({ status: "intact", records: 9, resumes: 2, signaturesChecked: true });
  });

  it("a tail longer than one read chunk (1 MiB) after the last checkpoint, as after a crash", async () => {
    const path = join(dir, "long-tail.jsonl");
    const e = createEnforcer(fakePolicy(), { audit: fileAuditLog(path, { signingKey: keys.privateKeyPem, checkpointEvery: 1500 }) });
    for (let i = 0; i < 2000; i++) e.decide({ ...request(i), pad: "x".repeat(2500) });
    await e.close();
    writeFileSync(path, lines(path).slice(0, -1).join("\n") + "\n"); // drop the final checkpoint: 500 unsigned records, ~1.3 MB
    await session(path, 1, 2000, { checkpointEvery: 1500 });
    expect(verifyAuditLog(readFileSync(path, "utf8"), keys.publicKeyPem)).toMatchObject({ status: "intact", records: 2001, resumes: 1 });
  });

  it("a log with only its header (closed before any decision) continues from the genesis", async () => {
    const path = join(dir, "empty.jsonl");
    await session(path, 0);
    await session(path, 2);
    expect(recordsOf(path).map((r) => r.seq)).toEqual([1, 2]);
    expect(verifyAuditLog(readFileSync(path, "utf8"), keys.publicKeyPem)).toMatchObject({ status: "intact", records: 2 });
  });

  it("after SIGKILL without a torn line: the unsigned records are checked, signed by the resume checkpoint, and the chain goes on", async () => {
    const path = join(dir, "killed.jsonl");
    const runtime = runtimeBundle(dir);
    const script = join(dir, "killed-child.mjs");
    writeFileSync(
      script,
      `import { createEnforcer, fileAuditLog } from ${JSON.stringify(runtime)};
const policyInfo = { package: "docs", version: "sha256:v1" };
const policy = { manifest: policyInfo, decide: () => ({ allowed: true, decision: "allow", reasons: [], errors: [], advisories: [], notifications: [], policy: policyInfo }) };
const e = createEnforcer(policy, { audit: fileAuditLog(process.argv[2], { signingKey: process.env.KEY, checkpointEvery: 10 }) });
for (let i = 0; i < 25; i++) e.decide({ principal: { id: "u" + i }, action: "read" });
await e.flush();
process.stdout.write("ready\\n");
setInterval(() => {}, 1000);
`,
    );
    const child = spawn(process.execPath, [script, path], { env: { ...process.env, KEY: keys.privateKeyPem }, stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve) => child.stdout.on("data", (d: Buffer) => d.toString().includes("ready") && resolve()));
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));
    expect(verifyAuditLog(readFileSync(path, "utf8"), keys.publicKeyPem)).toMatchObject({ status: "incomplete", records: 25, signedThrough: 20 });
    await session(path, 3, 0, { checkpointEvery: 10 });
    expect(recordsOf(path).map((r) => r.seq)).toEqual(Array.from({ length: 28 }, (_, i) => i + 1));
    expect(verifyAuditLog(readFileSync(path, "utf8"), keys.publicKeyPem)).toMatchObject({ status: "intact", records: 28, resumes: 1 });
  });
});

describe("a log whose end cannot be vouched for is refused, fail closed, the file untouched", () => {
  async function refused(path: string, signingKey = keys.privateKeyPem): Promise<string> {
    const before = readFileSync(path);
    const e = createEnforcer(fakePolicy(), { audit: fileAuditLog(path, { signingKey }), onAuditError: () => {} });
    const d = e.decide(request(1));
    await e.close();
    expect(d.allowed).toBe(false);
    expect(readFileSync(path)).toEqual(before);
    return d.reasons[0]!.message!;
  }

  async function logWith(name: string, n = 5): Promise<string> {
    const path = join(dir, name);
    await session(path, n, 0, { checkpointEvery: 2 });
    return path;
  }

  it("a torn last line (kill -9 mid-write): refused, with the recovery path in the message", async () => {
    const path = await logWith("torn.jsonl");
    const text = readFileSync(path, "utf8");
    truncateSync(path, Buffer.byteLength(text) - 40);
    expect(await refused(path)).toMatch(/^audit log unavailable: cannot continue the audit log `.*torn\.jsonl`: its last line is torn .*move it aside and start a new file/);
    expect(verifyAuditLog(readFileSync(path, "utf8"), keys.publicKeyPem).status).toBe("incomplete");
  });

  it("an edited record after the last checkpoint (a crashed log: no final checkpoint)", async () => {
    const path = join(dir, "edited.jsonl");
    await session(path, 5, 0, { checkpointEvery: 4 });
    const ls = lines(path).slice(0, -1); // the final checkpoint: records after seq 4 are unsigned, as after a crash
    const i = ls.findIndex((l) => l.includes('"seq":5,'));
    ls[i] = ls[i]!.replace('"who":"u4"', '"who":"u9"');
    writeFileSync(path, ls.join("\n") + "\n");
    expect(await refused(path)).toMatch(/`hash` does not match the record's content/);
  });

  it("a forged last checkpoint (signature does not verify)", async () => {
    const path = await logWith("forged.jsonl");
    const ls = lines(path);
    ls[ls.length - 1] = ls[ls.length - 1]!.replace(/"sig":"[^"]+"/, `"sig":"${Buffer.alloc(64, 7).toString("base64")}"`);
    writeFileSync(path, ls.join("\n") + "\n");
    expect(await refused(path)).toMatch(/signature does not verify/);
  });

  it("records appended after the final checkpoint without a resume", async () => {
    const path = await logWith("appended.jsonl");
    const recs = lines(path).filter((l) => l.startsWith('{"action"'));
    appendFileSync(path, recs[0] + "\n");
    expect(await refused(path)).toMatch(/text after the final checkpoint/);
  });

  it("a log signed with another key, and a file that is not an audit log", async () => {
    const path = await logWith("other-key.jsonl");
    expect(await refused(path, other.privateKeyPem)).toMatch(/names signing key/);
    const notALog = join(dir, "not-a-log.jsonl");
    writeFileSync(notALog, '{"type":"header"}\n');
    expect(await refused(notALog)).toMatch(/not an edict audit log header/);
  });
});

describe("an anchor kept elsewhere catches what the file alone cannot show", () => {
  it("a reopened log cut back to an earlier session's final checkpoint: intact alone, tampered against the anchor", async () => {
    const path = join(dir, "anchored.jsonl");
    await session(path, 4);
    const firstEnd = readFileSync(path, "utf8");
    await session(path, 3, 4);
    const whole = readFileSync(path, "utf8");
    const full = verifyAuditLog(whole, keys.publicKeyPem);
    expect(full).toMatchObject({ status: "intact", lastSeq: 7 });
    const anchor = { seq: full.lastSeq, hash: full.lastHash };
    expect(anchor.hash).toBe(recordsOf(path)[6]!.hash);
    expect(verifyAuditLog(whole, keys.publicKeyPem, anchor)).toMatchObject({ status: "intact" });
    // The second session dropped: on its own the file is a clean, signed end...
    expect(verifyAuditLog(firstEnd, keys.publicKeyPem)).toMatchObject({ status: "intact", lastSeq: 4 });
    // ...which the anchor shows to be cut off.
    const cut = verifyAuditLog(firstEnd, keys.publicKeyPem, anchor);
    expect(cut.status).toBe("tampered");
    expect(cut.problem).toMatch(/ends at seq 4, before the anchor's seq 7/);
  });

  it("a log rewritten and re-signed by the key holder before the anchor: tampered at the anchored record", async () => {
    const path = join(dir, "rewritten.jsonl");
    await session(path, 5);
    const original = verifyAuditLog(readFileSync(path, "utf8"), keys.publicKeyPem);
    const anchor = { seq: 3, hash: String(recordsOf(path)[2]!.hash) };
    rmSync(path);
    await session(path, 5, 100); // same key, other decisions: a valid log on its own
    expect(verifyAuditLog(readFileSync(path, "utf8"), keys.publicKeyPem)).toMatchObject({ status: "intact", lastSeq: 5 });
    const r = verifyAuditLog(readFileSync(path, "utf8"), keys.publicKeyPem, anchor);
    expect(r.status).toBe("tampered");
    expect(r.problem).toMatch(/record seq 3 is not the anchored one/);
    expect(original.status).toBe("intact");
  });
});

describe("onCheckpoint ships anchors once they are on disk", () => {
  it("reports every checkpoint after its fsync, in order, each an anchor the file verifies against", async () => {
    const path = join(dir, "shipped.jsonl");
    const shipped: { seq: number; hash: string; final: boolean; resume: boolean; anchor: string }[] = [];
    const onCheckpoint = (cp: (typeof shipped)[number]) => void shipped.push(cp);
    const log = fileAuditLog(path, { signingKey: keys.privateKeyPem, checkpointEvery: 3, onCheckpoint });
    const e = createEnforcer(fakePolicy(), { audit: log, onAuditError: () => {} });
    for (let i = 0; i < 7; i++) e.decide(request(i));
    // encoded into the batch, not yet written and fsync'd: nothing reported
    expect(shipped).toEqual([]);
    await e.close();
    expect(shipped.map((c) => [c.seq, c.final])).toEqual([[3, false], [6, false], [7, true]]);
    const text = readFileSync(path, "utf8");
    for (const c of shipped) {
      expect(c.anchor).toBe(`${c.seq}:${c.hash}`);
      expect(verifyAuditLog(text, keys.publicKeyPem, c)).toMatchObject({ status: "intact" });
    }
    // reopened: the resume checkpoint is reported as soon as the log is open
    const again: (typeof shipped)[number][] = [];
    const reopened = fileAuditLog(path, { signingKey: keys.privateKeyPem, onCheckpoint: (cp) => void again.push(cp) });
    expect(again.map((c) => [c.seq, c.resume])).toEqual([[7, true]]);
    await reopened.close();
  });

  it("with sync: true, right after the decision whose record it signs", async () => {
    const path = join(dir, "shipped-sync.jsonl");
    const seqs: number[] = [];
    const e = createEnforcer(fakePolicy(), { audit: fileAuditLog(path, { signingKey: keys.privateKeyPem, checkpointEvery: 2, sync: true, onCheckpoint: (cp) => void seqs.push(cp.seq) }), onAuditError: () => {} });
    e.decide(request(0));
    expect(seqs).toEqual([]);
    e.decide(request(1));
    expect(seqs).toEqual([2]);
    await e.close();
  });

  it("a handler that throws is reported as a warning and changes nothing", async () => {
    const path = join(dir, "throwing-handler.jsonl");
    const warnings: string[] = [];
    const onWarning = (w: Error) => void warnings.push(w.message);
    process.on("warning", onWarning);
    try {
      const e = createEnforcer(fakePolicy(), { audit: fileAuditLog(path, { signingKey: keys.privateKeyPem, checkpointEvery: 2, onCheckpoint: () => { throw new Error("store down"); } }), onAuditError: () => {} });
      for (let i = 0; i < 4; i++) expect(e.decide(request(i)).errors).toEqual([]);
      await e.close();
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.some((w) => /onCheckpoint threw for seq 2: store down/.test(w))).toBe(true);
    expect(verifyAuditLog(readFileSync(path, "utf8"), keys.publicKeyPem)).toMatchObject({ status: "intact", lastSeq: 4 });
  });
});

describe("one writer per file", () => {
  it("a second log on a file being written is refused (lock file); after close it continues the chain", async () => {
    const path = join(dir, "locked.jsonl");
    const first = createEnforcer(fakePolicy(), { audit: fileAuditLog(path, { signingKey: keys.privateKeyPem }) });
    first.decide(request(0));
    const second = createEnforcer(fakePolicy(), { audit: fileAuditLog(path, { signingKey: keys.privateKeyPem }), onAuditError: () => {} });
    const refused = second.decide(request(1));
    expect(refused.allowed).toBe(false);
    expect(refused.reasons[0]!.message).toMatch(/is already open in this process \(another fileAuditLog on the same file\): pass that log to every enforcer that should write to it, or close it first$/);
    await second.close();
    first.decide(request(2));
    await first.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
    await session(path, 1, 3);
    expect(recordsOf(path).map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(verifyAuditLog(readFileSync(path, "utf8"), keys.publicKeyPem)).toMatchObject({ status: "intact", records: 3, resumes: 1 });
  });

  it("a file another live process writes is refused, naming it", async () => {
    const path = join(dir, "other-writer.jsonl");
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: process.ppid, host: hostname(), since: "now" }) + "\n"); // a live process that is not us
    const e = createEnforcer(fakePolicy(), { audit: fileAuditLog(path, { signingKey: keys.privateKeyPem }), onAuditError: () => {} });
    expect(e.decide(request(1)).reasons[0]!.message).toMatch(new RegExp(`is being written by pid ${process.ppid} on .* \\(lock file \`.*other-writer\\.jsonl\\.lock\`\\): one writer per audit log`));
    await e.close();
    rmSync(`${path}.lock`);
  });

  it("a lock left by a process that is gone (same host) is taken over", async () => {
    const path = join(dir, "stale.jsonl");
    await session(path, 2);
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: Number(gone.stdout), host: hostname(), since: "then" }) + "\n");
    await session(path, 1, 2);
    expect(recordsOf(path).map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});

describe("chain-only verification (no public key)", () => {
  it("checks hashes and order, says signatures were not checked, still catches edits", async () => {
    const path = join(dir, "chain-only.jsonl");
    await session(path, 5, 0, { checkpointEvery: 2 });
    const text = readFileSync(path, "utf8");
    expect(verifyAuditLog(text, undefined)).toMatchObject({ status: "intact", records: 5, signaturesChecked: false });
    // a forged signature passes chain-only (that is what the key is for) ...
    const forged = text.replace(/"sig":"[^"]+"/, `"sig":"${Buffer.alloc(64, 7).toString("base64")}"`);
    expect(verifyAuditLog(forged, undefined).status).toBe("intact");
    expect(verifyAuditLog(forged, keys.publicKeyPem).status).toBe("tampered");
    // ... as long as it has a signature's shape: anything else is caught either way
    const malformed = text.replace(/"sig":"[^"]+"/, '"sig":"AAAA"');
    expect(verifyAuditLog(malformed, undefined)).toMatchObject({ status: "tampered", problem: "checkpoint `sig` is not an Ed25519 signature in base64 (64 bytes, 88 characters)" });
    // ... but an edit does not
    expect(verifyAuditLog(text.replace('"who":"u2"', '"who":"u7"'), undefined)).toMatchObject({ status: "tampered", problem: expect.stringMatching(/edited/) });
  });
});
