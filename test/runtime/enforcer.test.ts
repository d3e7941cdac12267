// The enforcer: decisions pass through unchanged (plus a decisionId), every decision is
// recorded with the contract fields, masking hides values but keeps them correlatable, hooks
// can neither change nor delay a decision, a refused record fails closed, and hot swap is atomic.
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { createEnforcer, memoryAuditLog, verifyAuditLog, type DecisionEvent, type NotificationEvent } from "../../runtime/index.ts";
import { fakePolicy, request, throwingPolicy } from "../audit/fake-policy.ts";
import type { PolicyModule } from "../../runtime/decision.ts";

const records = (log: { lines(): string[] }) => log.lines().map((l) => JSON.parse(l) as Record<string, unknown>).filter((o) => o.type === undefined);
const tick = () => new Promise((r) => setImmediate(r));
const warnings: string[] = [];
const onWarning = (w: Error) => warnings.push(w.message);
process.on("warning", onWarning);
afterEach(() => {
  warnings.length = 0;
});

describe("decide", () => {
  it("returns the policy's decision plus a unique decisionId", () => {
    const policy = fakePolicy();
    const e = createEnforcer(policy);
    const ids = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const d = e.decide(request(i));
      const { decisionId, ...rest } = d;
      expect(rest).toEqual(policy.decide(request(i)));
      ids.add(decisionId);
    }
    expect(ids.size).toBe(100);
    expect(createEnforcer(policy).decide(request(0)).decisionId).not.toBe(e.decide(request(0)).decisionId);
  });

  it("a policy that throws becomes a deny with an error, not an exception", () => {
    const d = createEnforcer(throwingPolicy).decide({});
    expect(d).toMatchObject({ allowed: false, decision: "deny", errors: [{ rule: "boom", message: "the policy module threw: kaboom" }] });
  });

  it("a malformed decision (non-object notification) still returns, the problem is reported", () => {
    const failures: string[] = [];
    const bad = { ...fakePolicy(), decide: () => ({ ...fakePolicy().decide({ action: "read" }), notifications: [null] }) } as never;
    const e = createEnforcer(bad, { notify: { "*": () => {} }, onHookError: (err) => failures.push(err.message) });
    expect(e.decide({ action: "read" }).allowed).toBe(true);
    expect(failures).toHaveLength(1);
  });

  it("rejects something that is not a policy module", () => {
    expect(() => createEnforcer({} as never)).toThrow(/not a compiled Edict policy module/);
    expect(() => createEnforcer(fakePolicy()).swap({ decide: 1 } as never)).toThrow(/not a compiled Edict policy module/);
  });
});

describe("audit records", () => {
  it("hold exactly the contract fields, in a verifiable chain", async () => {
    const log = memoryAuditLog();
    const e = createEnforcer(fakePolicy(), { audit: log, instance: "api-7" });
    const d1 = e.decide({ principal: { id: "alice" }, action: "delete", resource: { id: "d1", held: true } });
    const d2 = e.decide({ principal: { id: "bob" }, action: "delete", resource: { id: "d1", held: true } }, { override: { by: "carol", justification: "court order 12" } });
    await e.close();
    const [r1, r2] = records(log);
    // the line is the record's canonical (JCS) form, keys sorted, with `hash` appended
    expect(Object.keys(r1!)).toEqual(["action", "decision", "decisionId", "durationNs", "errors", "instance", "policy", "prev", "reasons", "request", "resource", "seq", "ts", "who", "hash"]);
    expect(r1).toMatchObject({
      seq: 1,
      decisionId: d1.decisionId,
      instance: "api-7",
      policy: { package: "docs", version: "sha256:v1" },
      who: "alice",
      action: "delete",
      resource: "d1",
      decision: "deny",
      reasons: [{ rule: "docs.legal_hold", message: "document d1 is under legal hold", id: "DOC-7", severity: "high" }],
      errors: [],
      request: { principal: { id: "alice" }, action: "delete", resource: { id: "d1", held: true } },
    });
    expect(r1!.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(r1!.durationNs).toBeGreaterThanOrEqual(0);
    expect(r2).toMatchObject({
      seq: 2,
      decisionId: d2.decisionId,
      decision: "allow",
      override: { by: "carol", justification: "court order 12", bypassed: [{ rule: "docs.legal_hold", id: "DOC-7" }] },
      prev: r1!.hash,
    });
    expect(verifyAuditLog(log.text(), log.publicKey).status).toBe("intact");
  });

  it("who/action/resource come from configurable paths; missing values are null", async () => {
    const log = memoryAuditLog();
    const e = createEnforcer(fakePolicy(), { audit: log, who: "subject.name", action: "op", resource: "object.path" });
    e.decide({ subject: { name: "svc-1" }, op: "read", object: { path: "/a" } });
    e.decide(null);
    e.decide({ subject: "not an object" });
    await e.close();
    expect(records(log).map((r) => [r.who, r.action, r.resource])).toEqual([["svc-1", "read", "/a"], [null, null, null], [null, null, null]]);
  });

  it("records requests JSON cannot express without failing the decision", async () => {
    const log = memoryAuditLog();
    const e = createEnforcer(fakePolicy(), { audit: log });
    const cyclic: Record<string, unknown> = { action: "read" };
    cyclic.self = cyclic;
    const hostile = { action: "read", get boom() { throw new Error("getter"); }, big: 10n, fn: () => 1, when: new Date(0) };
    expect(e.decide(cyclic).allowed).toBe(true);
    expect(e.decide(hostile).allowed).toBe(true);
    await e.close();
    const [a, b] = records(log);
    expect(a!.request).toEqual({ action: "read", self: "[circular]" });
    expect(b!.request).toEqual({ action: "read", big: "10", boom: "[unreadable]", when: "1970-01-01T00:00:00.000Z" });
    expect(verifyAuditLog(log.text(), log.publicKey).status).toBe("intact");
  });

  it("a request sharing one object everywhere (exponential JSON) is cut off, not serialised forever", async () => {
    const log = memoryAuditLog();
    const e = createEnforcer(fakePolicy(), { audit: log });
    let dag: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 40; i++) dag = { a: dag, b: dag };
    expect(e.decide({ action: "read", dag }).allowed).toBe(true);
    await e.close();
    expect(log.text()).toContain('"[too large]"');
    expect(log.text().length).toBeLessThan(5_000_000);
    expect(verifyAuditLog(log.text(), log.publicKey).status).toBe("intact");
  });
});

describe("masking", () => {
  it("replaces masked paths by a keyed HMAC: equal values correlate, plain values never appear", async () => {
    const log = memoryAuditLog();
    const e = createEnforcer(fakePolicy(), { audit: log, mask: ["context.token", "principal"], maskKey: "k".repeat(32) });
    for (let i = 0; i < 6; i++) e.decide(request(i));
    await e.close();
    const text = log.text();
    expect(text).not.toContain("SECRET");
    expect(text).not.toContain("example.com");
    const rs = records(log);
    const tokens = rs.map((r) => (r.request as { context: { token: string } }).context.token);
    for (const t of tokens) expect(t).toMatch(/^hmac:[0-9a-f]{64}$/);
    expect(tokens[0]).toBe(tokens[3]); // request(0) and request(3) share `tok-SECRET-0`
    expect(tokens[0]).not.toBe(tokens[1]);
    // who lies under a masked path, so it is masked too
    expect(rs[0]!.who).toMatch(/^hmac:/);
    expect(verifyAuditLog(text, log.publicKey).status).toBe("intact");
  });

  it("who/action/resource paths at an object keep the masks inside it (a masked secret never reaches the record through them)", async () => {
    const log = memoryAuditLog();
    const e = createEnforcer(fakePolicy(), { audit: log, who: "principal", resource: "resource", mask: ["principal.ssn", "resource.*.key"] });
    e.decide({ principal: { id: "u1", ssn: "123-45-6789" }, action: "read", resource: { a: { key: "KEY-SECRET", name: "a" } } });
    await e.close();
    expect(log.text()).not.toMatch(/123-45-6789|KEY-SECRET/);
    const [r] = records(log);
    expect(r!.who).toEqual((r!.request as { principal: unknown }).principal);
    expect(r!.resource).toEqual({ a: { key: expect.stringMatching(/^hmac:/), name: "a" } });
  });

  it("masks apply to what is recorded for an object with toJSON (a class instance, a database document), in `request` and in who", async () => {
    class User {
      constructor(
        readonly id: string,
        private readonly passwordHash: string,
      ) {}
      toJSON() {
        return { id: this.id, password_hash: this.passwordHash, sessions: [{ token: "TOKEN-SECRET" }] };
      }
    }
    const log = memoryAuditLog();
    const e = createEnforcer(fakePolicy(), { audit: log, who: "principal", mask: ["principal.password_hash", "principal.sessions.*.token"] });
    e.decide({ principal: new User("u1", "HASH-SECRET"), action: "read" });
    e.decide(new (class {
      toJSON() {
        return { principal: { id: "u2", password_hash: "ROOT-HASH-SECRET" }, action: "read" };
      }
    })());
    await e.close();
    expect(log.text()).not.toMatch(/SECRET/);
    const [r1, r2] = records(log);
    expect(r1!.request).toEqual({ action: "read", principal: { id: "u1", password_hash: expect.stringMatching(/^hmac:/), sessions: [{ token: expect.stringMatching(/^hmac:/) }] } });
    expect(r1!.who).toEqual((r1!.request as { principal: unknown }).principal);
    expect(r2!.request).toEqual({ action: "read", principal: { id: "u2", password_hash: expect.stringMatching(/^hmac:/) } });
    expect(verifyAuditLog(log.text(), log.publicKey).status).toBe("intact");
  });

  it("property: who/action/resource are the values at their paths in the recorded (masked) request, or masks of them", async () => {
    // two keys only, so that mask paths, who paths and the request's own paths often meet
    const path = (keys: readonly string[], maxLength: number) => fc.array(fc.constantFrom(...keys), { minLength: 1, maxLength }).map((p) => p.join("."));
    const leafOrTree = fc.letrec((tie) => ({
      node: fc.oneof(
        { maxDepth: 3 },
        { arbitrary: fc.string({ maxLength: 4 }).map((s) => `SECRET-${s}`), weight: 1 },
        { arbitrary: fc.integer(), weight: 1 },
        { arbitrary: fc.dictionary(fc.constantFrom("a", "b"), tie("node"), { minKeys: 1, maxKeys: 2 }), weight: 4 }, // mostly objects: paths meet
      ),
    })).node;
    const at = (v: unknown, p: string): { found: boolean; value?: unknown } => {
      for (const part of p.split(".")) {
        if (typeof v !== "object" || v === null || !Object.hasOwn(v, part)) return { found: false };
        v = (v as Record<string, unknown>)[part];
      }
      return { found: true, value: v };
    };
    await fc.assert(
      fc.asyncProperty(leafOrTree, fc.array(path(["a", "b", "*"], 3), { maxLength: 3 }), path(["a", "b"], 2), async (request, mask, who) => {
        const log = memoryAuditLog();
        const e = createEnforcer(fakePolicy(), { audit: log, mask, who, action: who, resource: who });
        e.decide(request);
        await e.close();
        const [r] = records(log);
        const inRecord = at(r!.request, who);
        const inRequest = at(request, who);
        for (const field of ["who", "action", "resource"] as const) {
          if (inRecord.found) expect(r![field]).toEqual(inRecord.value); // as recorded in `request`, masks and all
          else if (inRequest.found) expect(r![field]).toMatch(/^hmac:[0-9a-f]{64}$/); // under a masked prefix
          else expect(r![field]).toBeNull();
        }
      }),
      { numRuns: 150 },
    );
  });

  it("property: a masked value (8 characters or more) a policy copies into a reason or error message never reaches the log", async () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{8,16}$/);
    const paths = fc.subarray(["a", "b", "b.c", "d.*", "d.1"], { minLength: 1 });
    await fc.assert(
      fc.asyncProperty(secret, secret, secret, secret, paths, async (s1, s2, s3, s4, mask) => {
        const request = { a: s1, b: { c: s2, e: 1 }, d: [s3, s4] };
        const words = [s1, s2, s3, s4].join(" ");
        const echo: PolicyModule = {
          manifest: fakePolicy().manifest,
          decide: () => ({
            allowed: false,
            decision: "deny",
            reasons: [{ rule: "p.echo", effect: "forbid", message: `saw ${words}`, location: "x:1:1" }],
            errors: [{ rule: "p.echo", message: `"${s3}" is not an ip`, location: "x:2:1" }],
            advisories: [],
            notifications: [],
            policy: { package: "docs", version: "sha256:v1" },
          }),
        };
        const log = memoryAuditLog();
        const e = createEnforcer(echo, { audit: log, mask });
        const d = e.decide(request);
        await e.close();
        expect(d.reasons[0]!.message).toBe(`saw ${words}`); // the caller's copy is untouched
        const at = (p: string) => (p === "a" ? [s1] : p === "b" || p === "b.c" ? [s2] : p === "d.*" ? [s3, s4] : [s4]);
        for (const hidden of mask.flatMap(at)) expect(log.text()).not.toContain(hidden);
        expect(verifyAuditLog(log.text(), log.publicKey).status).toBe("intact");
      }),
      { numRuns: 100 },
    );
  });

  it("hooks get maskedRequest(): the request as the record holds it, to send on without the secrets", async () => {
    const log = memoryAuditLog();
    const sent: unknown[] = [];
    const e = createEnforcer(fakePolicy(), {
      audit: log,
      mask: ["context.token", "principal.email"],
      onDecision: (event) => void sent.push(event.maskedRequest()),
      notify: { "*": (event) => void sent.push(event.maskedRequest()) },
    });
    e.decide(request(0));
    await e.close();
    expect(sent.length).toBeGreaterThan(0);
    for (const m of sent) expect(m).toEqual(records(log)[0]!.request); // exactly what was recorded
    expect(JSON.stringify(sent)).not.toMatch(/SECRET|example\.com/);
  });

  it("the same key correlates across enforcers; another key does not", async () => {
    const masks = async (key: string) => {
      const log = memoryAuditLog();
      const e = createEnforcer(fakePolicy(), { audit: log, mask: ["context.token"], maskKey: key });
      e.decide(request(0));
      await e.close();
      return (records(log)[0]!.request as { context: { token: string } }).context.token;
    };
    expect(await masks("a".repeat(32))).toBe(await masks("a".repeat(32)));
    expect(await masks("a".repeat(32))).not.toBe(await masks("b".repeat(32)));
  });

  it("supports `*` path segments and rejects malformed paths", async () => {
    const log = memoryAuditLog();
    const e = createEnforcer(fakePolicy(), { audit: log, mask: ["users.*.ssn"] });
    e.decide({ action: "read", users: [{ name: "a", ssn: "123-45-6789" }, { name: "b", ssn: "987-65-4321" }] });
    await e.close();
    expect(log.text()).not.toMatch(/123-45|987-65/);
    expect(log.text()).toContain('"name":"a"');
    expect(() => createEnforcer(fakePolicy(), { mask: ["a..b"] })).toThrow(/option `mask` must be an array of dotted request paths like .*, not the string "a..b" at \[0\]/);
  });

  it("path parts named like Object.prototype members (`__proto__`, `constructor`) are keys like any other", async () => {
    const log = memoryAuditLog();
    const e = createEnforcer(fakePolicy(), { audit: log, mask: ["__proto__.secret", "constructor"] });
    const req = JSON.parse('{"action":"read","__proto__":{"secret":"s3cr3t","open":"visible"},"constructor":"c0nstr"}') as unknown;
    e.decide(req);
    await e.close();
    expect(log.text()).not.toMatch(/s3cr3t|c0nstr/);
    expect(log.text()).toContain('"open":"visible"');
    expect(verifyAuditLog(log.text(), log.publicKey).status).toBe("intact");
  });
});

describe("hooks", () => {
  it("run after decide returns, with the decision; notify handlers get their channel", async () => {
    const seen: string[] = [];
    const e = createEnforcer(fakePolicy(), {
      onDecision: (ev: DecisionEvent) => void seen.push(`decision ${ev.decision.decision}`),
      onDeny: (ev: DecisionEvent) => void seen.push(`deny ${ev.decisionId === ev.decision.decisionId}`),
      notify: { legal: (ev: NotificationEvent) => void seen.push(`legal ${ev.rule} ${(ev.request as { resource: { id: string } }).resource.id}`) },
    });
    e.decide({ action: "delete", resource: { id: "d9", held: true } });
    expect(seen).toEqual([]); // off the hot path
    await tick();
    expect(seen).toEqual(["decision deny", "deny true", "legal docs.legal_hold d9"]);
  });

  it("a throwing, rejecting or never-settling hook changes nothing and is reported", async () => {
    const failures: string[] = [];
    const policy = fakePolicy();
    const e = createEnforcer(policy, {
      onDecision: () => {
        throw new Error("sync boom");
      },
      onDeny: () => Promise.reject(new Error("async boom")),
      notify: { legal: () => new Promise(() => {}) },
      onHookError: (err, info) => failures.push(`${info.hook}: ${err.message}`),
      hookTimeoutMs: 50,
    });
    const req = { action: "delete", resource: { id: "d1", held: true } };
    const d = e.decide(req);
    expect(d.decision).toBe("deny");
    const { decisionId: _, ...rest } = d;
    expect(rest).toEqual(policy.decide(req));
    await e.close(); // waits at most hookTimeoutMs for the hanging hook
    expect(failures.sort()).toEqual(["notify:legal: did not settle within 50 ms", "onDecision: sync boom", "onDeny: async boom"]);
    expect(e.stats.hookFailures).toBe(3);
  });

  it("without onHookError, a failing hook is a process warning, once per hook", async () => {
    const e = createEnforcer(fakePolicy(), { onDecision: () => { throw new Error("nope"); } });
    for (let i = 0; i < 5; i++) e.decide(request(i));
    await tick();
    await tick();
    expect(warnings.filter((w) => w.includes("hook `onDecision` failed"))).toHaveLength(1);
    expect(e.stats.hookFailures).toBe(5);
  });

  it("a channel without a handler is reported; `*` catches any channel", async () => {
    const failures: string[] = [];
    const e = createEnforcer(fakePolicy(), { notify: { security: () => {} }, onHookError: (err) => failures.push(err.message) });
    e.decide({ action: "delete", resource: { id: "d1", held: true } });
    await tick();
    expect(failures).toEqual(["no handler for notification channel `legal` (rule `docs.legal_hold`)"]);
    const got: string[] = [];
    const e2 = createEnforcer(fakePolicy(), { notify: { "*": (ev: NotificationEvent) => void got.push(ev.channel) } });
    e2.decide({ action: "delete", resource: { id: "d1", held: true } });
    await tick();
    expect(got).toEqual(["legal"]);
  });

  it("the hook queue is bounded: overflow is dropped and counted", async () => {
    let calls = 0;
    const e = createEnforcer(fakePolicy(), { onDecision: () => void calls++, maxHookQueue: 10, onHookError: () => {} });
    for (let i = 0; i < 25; i++) e.decide(request(i));
    await tick();
    expect(calls).toBe(10);
    expect(e.stats.hookEventsDropped).toBe(15);
  });
});

describe("audit failure policy", () => {
  it("deny (default): once the sink fails, decisions deny with `audit log unavailable`", async () => {
    const errors: string[] = [];
    const log = memoryAuditLog({ failAfterBytes: 2000 });
    const e = createEnforcer(fakePolicy(), { audit: log, onAuditError: (err) => errors.push(err.message) });
    const before = e.decide(request(1));
    expect(before.allowed).toBe(true);
    expect(e.auditError).toBeUndefined(); // recording: healthy
    for (let i = 0; i < 20 && !log.failure; i++) {
      e.decide(request(1));
      await tick();
      await tick();
    }
    expect(log.failure?.message).toMatch(/ENOSPC/);
    expect(e.auditError).toBe(log.failure); // what a readiness probe reports
    const after = e.decide(request(1));
    expect(after).toMatchObject({ allowed: false, decision: "deny", reasons: [{ rule: "edict.audit", effect: "forbid" }] });
    expect(after.reasons[0]!.message).toMatch(/^audit log unavailable: ENOSPC/);
    expect(after.errors.at(-1)!.message).toMatch(/^audit log unavailable: ENOSPC/);
    expect(errors[0]).toMatch(/ENOSPC/);
    expect(e.stats.unrecorded).toBeGreaterThan(0);
    expect(e.stats.lost).toBeGreaterThan(0);
    await e.close();
  });

  it("deny: a full queue denies instead of growing memory", async () => {
    const log = memoryAuditLog({ maxQueue: 5 });
    const e = createEnforcer(fakePolicy(), { audit: log, onAuditError: () => {} });
    const ds = Array.from({ length: 8 }, () => e.decide(request(1)));
    expect(ds.map((d) => d.allowed)).toEqual([true, true, true, true, true, false, false, false]);
    expect(e.auditError).toBeUndefined(); // a full queue clears itself: not a failure
    expect(ds[7]!.reasons[0]!.message).toMatch(/^audit log unavailable: audit queue full/);
    await log.flush();
    expect(e.decide(request(1)).allowed).toBe(true); // drained: recording again
    await e.close();
    expect(records(log)).toHaveLength(6);
    expect(verifyAuditLog(log.text(), log.publicKey).status).toBe("intact");
  });

  it("deny: the queue is bounded in bytes too — large requests fill it long before the record count does", async () => {
    const log = memoryAuditLog({ maxQueueBytes: 100_000 });
    const e = createEnforcer(fakePolicy(), { audit: log, onAuditError: () => {} });
    const big = (i: number) => ({ ...request(1), blob: "x".repeat(30_000) + i });
    const ds = Array.from({ length: 6 }, (_, i) => e.decide(big(i)));
    // each record is ~30 KB: the fourth is accepted (the queue held < 100,000 bytes), the fifth is not
    expect(ds.map((d) => d.allowed)).toEqual([true, true, true, true, false, false]);
    expect(ds[4]!.reasons[0]!.message).toBe("audit log unavailable: audit queue full (100000 bytes of records waiting to be written)");
    await log.flush();
    expect(e.decide(big(7)).allowed).toBe(true); // written: room again
    await e.close();
    expect(records(log)).toHaveLength(5);
    expect(verifyAuditLog(log.text(), log.publicKey).status).toBe("intact");
  });

  it("allow: decisions stand, are counted as unrecorded and reported loudly", async () => {
    const log = memoryAuditLog({ maxQueue: 1 });
    const e = createEnforcer(fakePolicy(), { audit: log, onAuditFailure: "allow" });
    e.decide(request(1));
    expect(e.decide(request(1)).allowed).toBe(true);
    expect(e.stats.unrecorded).toBe(1);
    await tick();
    expect(warnings.some((w) => w.includes("ALLOWED UNRECORDED"))).toBe(true);
    await e.close();
  });

  it("after close, decisions deny (nothing can be recorded any more)", async () => {
    const log = memoryAuditLog();
    const e = createEnforcer(fakePolicy(), { audit: log, onAuditError: () => {} });
    await e.close();
    expect(e.decide(request(1))).toMatchObject({ allowed: false, reasons: [{ message: "audit log unavailable: audit log closed" }] });
  });
});

describe("hot swap", () => {
  it("under load: no lost or mixed records, both versions in the trail", async () => {
    const log = memoryAuditLog({ checkpointEvery: 50 });
    const v1 = fakePolicy("sha256:v1");
    const v2 = fakePolicy("sha256:v2");
    const e = createEnforcer(v1, { audit: log });
    const decided: { id: string; version: string }[] = [];
    const load = (async () => {
      for (let slice = 0; slice < 20; slice++) {
        for (let i = 0; i < 50; i++) {
          const d = e.decide(request(i));
          decided.push({ id: d.decisionId, version: d.policy.version });
        }
        await tick();
      }
    })();
    await tick();
    await tick();
    e.swap(v2);
    await load;
    await e.close();
    const rs = records(log);
    expect(rs).toHaveLength(1000);
    expect(rs.map((r) => r.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(rs.map((r) => ({ id: r.decisionId, version: (r.policy as { version: string }).version }))).toEqual(decided);
    const versions = rs.map((r) => (r.policy as { version: string }).version);
    const firstV2 = versions.indexOf("sha256:v2");
    expect(firstV2).toBeGreaterThan(0);
    expect(versions.slice(0, firstV2).every((v) => v === "sha256:v1")).toBe(true);
    expect(versions.slice(firstV2).every((v) => v === "sha256:v2")).toBe(true);
    expect(e.policy).toBe(v2);
    expect(verifyAuditLog(log.text(), log.publicKey).status).toBe("intact");
  });
});
