// Mistakes a service makes when it wires up the runtime, and what it is told: each call fails at
// once (not at the first decision, not silently) with a TypeError naming the function, the
// option, what was given and what to pass — and never the text of a key.
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createEnforcer, fileAuditLog, generateAuditKeyPair, loadPrivateKey, loadPublicKey, memoryAuditLog } from "../../runtime/index.ts";
import { fakePolicy, request } from "../audit/fake-policy.ts";

const keys = generateAuditKeyPair();
const dir = mkdtempSync(join(tmpdir(), "edict-options-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const policy = fakePolicy();
const log = (name: string) => join(dir, name);

// [what the service did, the call, the message it gets]
const mistakes: [string, () => unknown, RegExp][] = [
  ["options not an object", () => createEnforcer(policy, "deny" as never), /^createEnforcer: the options must be an object, not the string "deny"$/],
  ["misspelt hook", () => createEnforcer(policy, { onDenied: () => {} } as never), /^createEnforcer: unknown option `onDenied`: did you mean `onDeny`\?$/],
  ["another name for the sink", () => createEnforcer(policy, { log: memoryAuditLog() } as never), /^createEnforcer: unknown option `log`: did you mean `audit`\?$/],
  ["an option nothing resembles", () => createEnforcer(policy, { colour: "blue" } as never), /^createEnforcer: unknown option `colour`: the options are `audit`, `mask`, .*`maxHookQueue`$/],
  ["a path where the sink goes", () => createEnforcer(policy, { audit: "audit.jsonl" } as never), /option `audit` must be an audit sink: fileAuditLog\(path, \{ signingKey \}\) or memoryAuditLog\(\), not the string "audit.jsonl"$/],
  ["one mask path as a string", () => createEnforcer(policy, { mask: "context.token" } as never), /option `mask` must be an array of dotted request paths like .*, not the string "context.token"$/],
  ["a bad path among good ones", () => createEnforcer(policy, { mask: ["context.token", "a."] }), /option `mask` must be .*, not the string "a\." at \[1\]$/],
  ["a short mask key", () => createEnforcer(policy, { mask: ["context.token"], maskKey: "short" }), /option `maskKey` must be at least 16 bytes, not 5/],
  ["a mask key of the wrong kind", () => createEnforcer(policy, { maskKey: 42 } as never), /option `maskKey` must be a string or a Uint8Array, not number 42$/],
  ["a notify handler that is not a function", () => createEnforcer(policy, { notify: { legal: "pager" } } as never), /option `notify` must be an object of handler functions .*, not the string "pager" for `legal`$/],
  ["an unknown failure policy", () => createEnforcer(policy, { onAuditFailure: "ignore" } as never), /option `onAuditFailure` must be "deny" or "allow", not the string "ignore"$/],
  ["a who path that is not a path", () => createEnforcer(policy, { who: 3 } as never), /option `who` must be a dotted request path like "principal.id", not number 3$/],
  ["a hook timeout of zero", () => createEnforcer(policy, { hookTimeoutMs: 0 }), /option `hookTimeoutMs` must be a positive integer, not number 0$/],
  ["the import promise, not the module", () => createEnforcer(Promise.resolve(policy) as never), /^not a compiled Edict policy module \(got a Promise \(await it first\)\): .*import \* as policy from/],
  ["no options for a file log", () => fileAuditLog(log("a.jsonl"), undefined as never), /^fileAuditLog: `signingKey` is required: .*`edict audit keygen --out DIR` makes a key pair$/],
  ["the key under another name", () => fileAuditLog(log("a.jsonl"), { key: keys.privateKeyPem } as never), /^fileAuditLog: unknown option `key`: did you mean `signingKey`\?$/],
  ["the public key to sign with", () => fileAuditLog(log("a.jsonl"), { signingKey: keys.publicKeyPem }), /^the audit signing key is a public key: checkpoints are signed with the private key \(`audit-signing.pem`/],
  ["a file name for a key", () => fileAuditLog(log("a.jsonl"), { signingKey: "keys/audit-signing.pem" }), /^the audit signing key cannot be read: it is not PEM text \(no -----BEGIN \.\.\.----- line\)/],
  ["a key of another algorithm", () => fileAuditLog(log("a.jsonl"), { signingKey: rsaPrivatePem() }), /^the audit signing key must be an Ed25519 private key, not a rsa private key/],
  ["a number for a key", () => loadPrivateKey(7 as never), /^the audit signing key is a number: pass PEM text \(a string or Buffer\) or a KeyObject/],
  ["garbage for the public key", () => loadPublicKey("-----BEGIN CERTIFICATE-----\nxx\n-----END CERTIFICATE-----\n"), /^the audit public key cannot be read: it is a PEM "CERTIFICATE"/],
  ["a path that is not a string", () => fileAuditLog(5 as never, { signingKey: keys.privateKeyPem }), /^fileAuditLog: the log's path must be a non-empty string, not number 5$/],
  ["a checkpoint interval of a second as a string", () => fileAuditLog(log("b.jsonl"), { signingKey: keys.privateKeyPem, checkpointIntervalMs: "1000" } as never), /option `checkpointIntervalMs` must be 0 \(only every checkpointEvery records\) or a positive integer, not the string "1000"$/],
  ["sync as a string", () => memoryAuditLog({ sync: "true" } as never), /^memoryAuditLog: option `sync` must be true or false, not the string "true"$/],
  ["zero records between checkpoints", () => memoryAuditLog({ checkpointEvery: 0 }), /^memoryAuditLog: option `checkpointEvery` must be a positive integer, not number 0$/],
];

function rsaPrivatePem(): string {
  // a small RSA key is enough to be the wrong kind
  return generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
}

describe("wiring mistakes fail at once with what to do", () => {
  it.each(mistakes)("%s", (_, call, message) => {
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
    // a key's text never appears in a message (a private key is a secret)
    expect((error as Error).message).not.toMatch(/MC4CAQAwBQYDK2Vw|PRIVATE KEY-----\n/);
  });

  it("every accepted option still works as before (nothing valid is refused)", async () => {
    const sink = memoryAuditLog({ signingKey: keys.privateKeyPem, checkpointEvery: 10, checkpointIntervalMs: 0, sync: false, flushIntervalMs: 50, maxQueue: 100, onCheckpoint: () => {}, failAfterBytes: 1 << 20 });
    const e = createEnforcer(policy, {
      audit: sink,
      mask: ["context.token", "users.*.ssn"],
      maskKey: new Uint8Array(32),
      notify: { "*": () => {} },
      onDecision: () => {},
      onDeny: () => {},
      onError: () => {},
      onAuditFailure: "deny",
      onAuditError: () => {},
      onHookError: () => {},
      who: "principal.id",
      action: "action",
      resource: "resource.id",
      instance: "api-7",
      hookTimeoutMs: 500,
      maxHookQueue: 10,
    });
    expect(e.decide(request(1)).decisionId).toMatch(/-1$/);
    await e.close();
    expect(sink.lines().some((l) => l.includes('"instance":"api-7"'))).toBe(true);
    // undefined is "not given", as for any optional setting
    expect(createEnforcer(policy, { audit: undefined, mask: undefined, onDeny: undefined }).decide(request(2)).decisionId).toMatch(/-1$/);
  });
});

describe("a log that cannot be opened says why, in the deployment's terms", () => {
  it("a missing directory: the decision denies and the reason names the directory", async () => {
    const errors: string[] = [];
    const path = join(dir, "no-such-dir", "audit.jsonl");
    const e = createEnforcer(policy, { audit: fileAuditLog(path, { signingKey: keys.privateKeyPem }), onAuditError: (err) => errors.push(err.message) });
    const d = e.decide(request(1));
    expect(d.allowed).toBe(false);
    const expected = `cannot open the audit log \`${path}\` (ENOENT): its directory \`${join(dir, "no-such-dir")}\` does not exist: create it, or give another path`;
    expect(d.reasons[0]!.message).toBe(`audit log unavailable: ${expected}`);
    expect(errors).toEqual([expected]);
    await e.close();
  });

  it("a directory given as the log: EISDIR, and what to give instead", async () => {
    const e = createEnforcer(policy, { audit: fileAuditLog(dir, { signingKey: keys.privateKeyPem }), onAuditError: () => {} });
    expect(e.decide(request(1)).reasons[0]!.message).toBe(`audit log unavailable: cannot open the audit log \`${dir}\` (EISDIR): it is a directory: give the path of the log file in it`);
    await e.close();
  });
});
