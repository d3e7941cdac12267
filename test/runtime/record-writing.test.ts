// How records are written (canonical-bytes.ts / audit-capture.ts write each record's bytes
// inside decide; the batch writer seals them — hashes, checkpoint signatures — just before
// writing): the request as it was at decide time, a decision made while another record is
// being written, a record that cannot be written, records larger than the batch buffer,
// memoized reasons of frozen (compiled) decisions that must not go stale, and sealing across
// batches, checkpoints and refused records.
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { AuditChain } from "../../runtime/audit-chain.ts";
import { createEnforcer, memoryAuditLog, verifyAuditLog, type AuditCheckpoint } from "../../runtime/index.ts";
import { fakePolicy } from "../audit/fake-policy.ts";

const records = (log: { lines(): string[] }) => log.lines().map((l) => JSON.parse(l) as Record<string, unknown>).filter((o) => o.type === undefined);

describe("record writing", () => {
  it("record the request as it was at decide time, not after a later mutation", async () => {
    const log = memoryAuditLog();
    const e = createEnforcer(fakePolicy(), { audit: log });
    const req = { action: "read", principal: { id: "alice" }, resource: { id: "doc-1" }, tags: ["a"] };
    e.decide(req);
    req.principal.id = "mallory";
    req.tags.push("b");
    await e.close();
    expect(records(log)[0]).toMatchObject({ who: "alice", request: { principal: { id: "alice" }, tags: ["a"] } });
  });

  it("a decision made from a getter of the request while its record is written is refused (fails closed), the outer one is recorded", async () => {
    const log = memoryAuditLog();
    const e = createEnforcer(fakePolicy(), { audit: log, onAuditError: () => {} });
    let inner: { allowed: boolean; reasons: readonly { message?: string }[] } | undefined;
    const req = {
      action: "read",
      get nested() {
        inner ??= e.decide({ action: "read" });
        return "x";
      },
    };
    expect(e.decide(req).allowed).toBe(true);
    expect(inner?.allowed).toBe(false);
    expect(inner?.reasons[0]?.message).toMatch(/^audit log unavailable: .*getter/);
    expect(e.decide({ action: "read" }).allowed).toBe(true); // the sink is fine afterwards
    await e.close();
    expect(records(log).map((r) => r.request)).toEqual([{ action: "read", nested: "x" }, { action: "read" }]);
    expect(verifyAuditLog(log.text(), log.publicKey).status).toBe("intact");
  });

  it("a record that cannot be written (a malformed decision) is refused whole: the log stays a valid chain and later records go on", async () => {
    let bad = true;
    const good = fakePolicy();
    const policy = { ...good, decide: (r: unknown) => (bad ? { ...good.decide(r), reasons: [null] } : good.decide(r)) } as never;
    const log = memoryAuditLog();
    const e = createEnforcer(policy, { audit: log, onAuditError: () => {} });
    e.decide({ action: "read", pad: "x".repeat(5000) });
    expect(e.stats.unrecorded).toBe(1);
    bad = false;
    expect(e.decide({ action: "read" }).allowed).toBe(true);
    await e.close();
    expect(records(log).map((r) => r.seq)).toEqual([1]);
    expect(verifyAuditLog(log.text(), log.publicKey).status).toBe("intact");
  });

  it("records larger than the batch buffer (a 5 MB request) grow it in the middle of the record and still chain", async () => {
    const log = memoryAuditLog();
    const e = createEnforcer(fakePolicy(), { audit: log });
    const big = { action: "read", blob: "é".repeat(2_500_000), many: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, i])) };
    for (let i = 0; i < 3; i++) e.decide(i === 1 ? big : { action: "read", i });
    await e.close();
    const rs = records(log);
    expect(rs.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect((rs[1]!.request as { blob: string }).blob.length).toBe(2_500_000);
    expect(verifyAuditLog(log.text(), log.publicKey).status).toBe("intact");
  });

  it("reasons arrays shared by many decisions (frozen, as compiled modules return them) are recorded as they are", async () => {
    const reasons = Object.freeze([Object.freeze({ rule: "docs.r", effect: "permit" as const, message: "ok \u00e9 \"q\"", id: "R-1", location: "a:1:1" })]);
    const policy = { ...fakePolicy(), decide: () => Object.freeze({ allowed: true, decision: "allow" as const, reasons, errors: [], advisories: [], notifications: [], policy: { package: "docs", version: "sha256:v1" } }) };
    const log = memoryAuditLog();
    const e = createEnforcer(policy, { audit: log });
    for (let i = 0; i < 3; i++) e.decide({ action: "read" });
    await e.close();
    for (const r of records(log)) expect(r.reasons).toEqual([{ rule: "docs.r", message: "ok \u00e9 \"q\"", id: "R-1" }]);
    expect(verifyAuditLog(log.text(), log.publicKey).status).toBe("intact");
  });

  it("a frozen reasons array whose reasons can still change (not frozen, or a getter) is recorded as it is at each decision", async () => {
    const mutable = { rule: "docs.m", effect: "permit" as const, message: "first", location: "a:1:1" };
    let n = 0;
    const getter = Object.freeze({ rule: "docs.g", effect: "permit" as const, location: "a:2:1", get message() { return `call ${++n}`; } });
    const reasons = Object.freeze([mutable, getter]);
    const policy = { ...fakePolicy(), decide: () => ({ allowed: true, decision: "allow" as const, reasons, errors: [], advisories: [], notifications: [], policy: { package: "docs", version: "sha256:v1" } }) };
    const log = memoryAuditLog();
    const e = createEnforcer(policy, { audit: log });
    e.decide({ action: "read" });
    mutable.message = "second";
    e.decide({ action: "read" });
    await e.close();
    expect(records(log).map((r) => (r.reasons as { message: string }[]).map((x) => x.message))).toEqual([["first", "call 1"], ["second", "call 2"]]);
  });

  it("a batch that cannot be sealed fails the log like a failed write: its records are reported lost and later decisions deny", async () => {
    const log = memoryAuditLog({ checkpointEvery: 5 });
    const errors: { message: string; lost: number }[] = [];
    const e = createEnforcer(fakePolicy(), { audit: log, onAuditError: (error, { lost }) => errors.push({ message: error.message, lost }) });
    const sign = vi.spyOn(AuditChain.prototype, "sign").mockImplementation(() => {
      throw new Error("the signing device is gone");
    });
    try {
      for (let i = 0; i < 7; i++) expect(e.decide({ action: "read", i }).allowed).toBe(true); // accepted: sealing comes later
      await e.flush();
      expect(errors).toEqual([{ message: "the signing device is gone", lost: 7 }]);
      const later = e.decide({ action: "read" });
      expect(later.allowed).toBe(false);
      expect(later.reasons[0]?.message).toBe("audit log unavailable: the signing device is gone");
      expect(e.stats).toMatchObject({ lost: 7, unrecorded: 1 });
    } finally {
      sign.mockRestore();
      await e.close();
    }
  });

  it("a new log that stays quiet past checkpointIntervalMs and is then closed verifies as intact (no timed checkpoint over the genesis)", async () => {
    const log = memoryAuditLog({ checkpointIntervalMs: 1, flushIntervalMs: 1 });
    const e = createEnforcer(fakePolicy(), { audit: log });
    await new Promise((r) => setTimeout(r, 10));
    await e.close();
    expect(log.lines().map((l) => (JSON.parse(l) as { type?: string; seq?: number }).type)).toEqual(["header", "checkpoint"]);
    expect(verifyAuditLog(log.text(), log.publicKey).status).toBe("intact");
  });

  it("sealing: any mix of batch sizes, checkpoint spacing, timed checkpoints, refused records and sync mode gives a chain where every checkpoint signs its record's hash", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          every: fc.integer({ min: 1, max: 9 }),
          sync: fc.boolean(),
          // per batch: how many decisions, whether one of them cannot be recorded, whether a timed checkpoint follows
          batches: fc.array(fc.record({ n: fc.integer({ min: 0, max: 25 }), bad: fc.option(fc.nat(24), { nil: undefined }), timed: fc.boolean() }), { minLength: 1, maxLength: 6 }),
        }),
        async ({ every, sync, batches }) => {
          const reported: AuditCheckpoint[] = [];
          const log = memoryAuditLog({ checkpointEvery: every, sync, checkpointIntervalMs: 1, flushIntervalMs: 1, onCheckpoint: (c) => reported.push(c) });
          const good = fakePolicy();
          let bad = false;
          const policy = { ...good, decide: (r: unknown) => (bad ? { ...good.decide(r), reasons: [null] } : good.decide(r)) } as never;
          const e = createEnforcer(policy, { audit: log, onAuditError: () => {} });
          let recorded = 0;
          for (const b of batches) {
            for (let i = 0; i < b.n; i++) {
              bad = b.bad === i;
              e.decide({ action: "read", principal: { id: `u${i}` }, i, text: "é\u0001".repeat(i) });
              if (!bad) recorded++;
            }
            bad = false;
            if (b.timed) await new Promise((r) => setTimeout(r, 4)); // the writer runs, then a timed checkpoint (1 ms) starts the next batch
            else await e.flush();
          }
          await e.close();
          const lines = log.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
          const hashBySeq = new Map(lines.filter((l) => l.type === undefined).map((l) => [l.seq as number, l.hash as string]));
          expect([...hashBySeq.keys()]).toEqual(Array.from({ length: recorded }, (_, i) => i + 1));
          for (const cp of lines.filter((l) => l.type === "checkpoint" && (l.seq as number) > 0)) expect(cp.hash).toBe(hashBySeq.get(cp.seq as number));
          for (const cp of reported) expect(cp.anchor).toBe(`${cp.seq}:${hashBySeq.get(cp.seq)}`);
          expect(reported.at(-1)?.final ?? false).toBe(recorded > 0); // nothing recorded: only the genesis, which anchors nothing
          expect(verifyAuditLog(log.text(), log.publicKey).status).toBe("intact");
        },
      ),
      { numRuns: 40 },
    );
  });
});
