// `edict audit` on the real binary: keygen, verify's exit-code contract (0 intact, 1 tampered
// with the first bad line, 2 usage, 3 incomplete; the worst of several files), show's timeline
// and filters.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEnforcer, fileAuditLog } from "../../runtime/index.ts";
import { ensureBuilt, runCli, stackTraceLines } from "../helpers/run-cli.ts";
import { fakePolicy } from "./fake-policy.ts";

let dir: string;
let log: string;
let lines: string[];

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "edict-audit-cli-"));
  const r = runCli(["audit", "keygen", "--out", "keys"], { cwd: dir });
  expect(r.code).toBe(0);
  log = join(dir, "audit.jsonl");
  const e = createEnforcer(fakePolicy(), { audit: fileAuditLog(log, { signingKey: readFileSync(join(dir, "keys/audit-signing.pem"), "utf8"), checkpointEvery: 3 }), instance: "cli-test" });
  e.decide({ principal: { id: "alice" }, action: "read", resource: { id: "d1" } });
  e.decide({ principal: { id: "bob" }, action: "delete", resource: { id: "d2", held: true } });
  e.decide({ principal: { id: "bob" }, action: "delete", resource: { id: "d2", held: true } }, { override: { by: "carol", justification: "ticket 9" } });
  e.decide({ principal: { id: "alice" }, action: "edit", resource: { id: "d3" } });
  await e.close();
  lines = readFileSync(log, "utf8").split("\n").slice(0, -1);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const verify = (file: string, ...extra: string[]) => runCli(["audit", "verify", file, "--public-key", "keys/audit-signing.pub.pem", ...extra], { cwd: dir });
const variant = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return name;
};

describe("edict audit keygen", () => {
  it("writes a private key readable only by its owner and a public key", () => {
    expect(statSync(join(dir, "keys/audit-signing.pem")).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, "keys/audit-signing.pub.pem"), "utf8")).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });
  it("--force replaces both keys, and the private one is owner-only even if the old file was world-readable", () => {
    const d = join(dir, "rekey");
    mkdirSync(d);
    writeFileSync(join(d, "audit-signing.pem"), "old private");
    chmodSync(join(d, "audit-signing.pem"), 0o644);
    writeFileSync(join(d, "audit-signing.pub.pem"), "old public");
    const r = runCli(["audit", "keygen", "--out", "rekey", "--force"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(statSync(join(d, "audit-signing.pem")).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(d, "audit-signing.pem"), "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(readFileSync(join(d, "audit-signing.pub.pem"), "utf8")).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(readdirSync(d).sort()).toEqual(["audit-signing.pem", "audit-signing.pub.pem"]); // no temporary files
  });

  it("refuses to replace an existing key", () => {
    const r = runCli(["audit", "keygen", "--out", "keys"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already exists; refusing to replace a signing key \(use --force\)/);
  });
});

describe("edict audit verify", () => {
  it("exit 0: intact and cleanly closed", () => {
    const r = verify("audit.jsonl");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^audit\.jsonl: intact: 4 record\(s\), 2 signed checkpoint\(s\), closed cleanly/);
  });

  it("exit 1: tampered, naming the first bad line", () => {
    const edited = lines.map((l, i) => (i === 2 ? l.replace('"decision":"deny"', '"decision":"allow"') : l));
    const r = verify(variant("edited.jsonl", edited.join("\n") + "\n"));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^edited\.jsonl:3: tampered: `hash` does not match the record's content/);
    const deleted = verify(variant("deleted.jsonl", [...lines.slice(0, 2), ...lines.slice(3)].join("\n") + "\n"));
    expect(deleted.code).toBe(1);
    expect(deleted.stdout).toMatch(/^deleted\.jsonl:3: tampered: seq 3 where 2 was expected/);
  });

  it("exit 3: incomplete (final checkpoint cut, or a torn last line)", () => {
    const cut = verify(variant("cut.jsonl", lines.slice(0, -1).join("\n") + "\n"));
    expect(cut.code).toBe(3);
    expect(cut.stdout).toMatch(/incomplete: no final checkpoint/);
    const torn = verify(variant("torn.jsonl", lines.join("\n").slice(0, -30)));
    expect(torn.code).toBe(3);
    expect(torn.stdout).toMatch(/torn\.jsonl:\d+: incomplete: line \d+ is torn/);
  });

  it("exit 1 with another key; --json gives the result as data", () => {
    runCli(["audit", "keygen", "--out", "other"], { cwd: dir });
    const r = runCli(["audit", "verify", "audit.jsonl", "--public-key", "other/audit-signing.pub.pem", "--json"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "tampered", line: 1, exitCode: 1 });
  });

  it("without --public-key: chain only, exit 4 when the chain is intact and closed, saying signatures were not checked; 1 and 3 as with a key", () => {
    const r = runCli(["audit", "verify", "audit.jsonl"], { cwd: dir });
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^audit\.jsonl: chain intact: 4 record\(s\), 2 checkpoint\(s\), closed cleanly; signatures NOT checked/);
    const edited = variant("edited-chain-only.jsonl", lines.map((l, i) => (i === 2 ? l.replace('"decision":"deny"', '"decision":"allow"') : l)).join("\n") + "\n");
    const bad = runCli(["audit", "verify", edited], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/tampered: `hash` does not match[\s\S]*signatures NOT checked/);
    const cut = runCli(["audit", "verify", variant("cut-chain-only.jsonl", lines.slice(0, -1).join("\n") + "\n"), "--json"], { cwd: dir });
    expect(cut.code).toBe(3);
    expect(JSON.parse(cut.stdout)).toMatchObject({ status: "incomplete", signaturesChecked: false, exitCode: 3 });
  });

  it("prints an anchor; --anchor SEQ:HASH fails a log that ends before it or differs at it (exit 1)", () => {
    const r = verify("audit.jsonl");
    const anchor = /--anchor (\d+:sha256:[0-9a-f]{64})/.exec(r.stdout)?.[1];
    expect(anchor).toMatch(/^4:sha256:/);
    expect(verify("audit.jsonl", "--anchor", anchor!).code).toBe(0);
    // the log cut back to before record 4 (here: its last record and checkpoints dropped)
    const cut = verify(variant("anchor-cut.jsonl", lines.slice(0, 4).join("\n") + "\n"), "--anchor", anchor!);
    expect(cut.code).toBe(1);
    expect(cut.stdout).toMatch(/tampered: the log ends at seq \d, before the anchor's seq 4/);
    const other = verify("audit.jsonl", "--anchor", `4:sha256:${"0".repeat(64)}`);
    expect(other.code).toBe(1);
    expect(other.stdout).toMatch(/tampered: record seq 4 is not the anchored one/);
  });

  it("several files (rotated logs): each reported in order, the exit code is the worst (1 over 3 over 0); --json gives an array", () => {
    const torn = variant("torn-r.jsonl", lines.slice(0, -1).join("\n") + "\n" + lines.at(-1)!.slice(0, 20));
    const edited = variant("edited-r.jsonl", lines.map((l, i) => (i === 2 ? l.replace('"decision":"deny"', '"decision":"allow"') : l)).join("\n") + "\n");
    const both = verify("audit.jsonl", "audit.jsonl");
    expect(both.code).toBe(0);
    expect(both.stdout.match(/^audit\.jsonl: intact/gm)).toHaveLength(2);
    const mixed = verify("audit.jsonl", torn, edited);
    expect(mixed.code).toBe(1);
    expect(mixed.stdout.split("\n").filter((l) => /^\S/.test(l))).toEqual([
      expect.stringMatching(/^audit\.jsonl: intact/),
      expect.stringMatching(/^torn-r\.jsonl:\d+: incomplete/),
      expect.stringMatching(/^edited-r\.jsonl:3: tampered/),
    ]);
    expect(verify(torn, "audit.jsonl").code).toBe(3);
    const json = JSON.parse(verify("audit.jsonl", torn, "--json").stdout) as { file: string; status: string; exitCode: number }[];
    expect(json.map((r) => [r.file, r.status, r.exitCode])).toEqual([["audit.jsonl", "intact", 0], [torn, "incomplete", 3]]);
  });

  it("exit 2: usage errors, without stack traces", () => {
    for (const args of [["audit", "verify", "audit.jsonl", "audit.jsonl", "--anchor", "4:sha256:" + "0".repeat(64)], ["audit", "verify", "audit.jsonl", "missing.jsonl"], ["audit", "verify", "audit.jsonl", "--anchor", "4:nope"], ["audit", "verify", "audit.jsonl", "--anchor", "0:sha256:" + "0".repeat(64)], ["audit", "verify", "--public-key", "keys/audit-signing.pub.pem"], ["audit", "verify", "missing.jsonl", "--public-key", "keys/audit-signing.pub.pem"], ["audit", "verify", "audit.jsonl", "--public-key", "audit.jsonl"], ["audit", "frobnicate"], ["audit"], ["audit", "show", "audit.jsonl", "--since", "yesterday"]]) {
      const r = runCli(args, { cwd: dir });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^edict audit: /);
      expect(stackTraceLines(r.stderr + r.stdout)).toEqual([]);
    }
  });
  it("verifying with the private key works, with a note that auditors need only the public key", () => {
    const r = runCli(["audit", "verify", "audit.jsonl", "--public-key", "keys/audit-signing.pem"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("edict audit: note: `keys/audit-signing.pem` is the private signing key; verifying needs only the public key (audit-signing.pub.pem): keep the private key with the service alone\n");
  });

  it("a --public-key file that is not a key says what it is and how to get one", () => {
    const r = runCli(["audit", "verify", "audit.jsonl", "--public-key", "audit.jsonl"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^edict audit: `audit.jsonl`: the audit public key cannot be read: it is not PEM text \(no -----BEGIN \.\.\.----- line\) \(.*\); `edict audit keygen --out DIR` makes a key pair\n/);
  });
});

describe("large and odd files", () => {
  it("a record larger than a read chunk (a 3 MB request, across several 1 MB reads) verifies and shows", async () => {
    const path = join(dir, "large.jsonl");
    const e = createEnforcer(fakePolicy(), { audit: fileAuditLog(path, { signingKey: readFileSync(join(dir, "keys/audit-signing.pem"), "utf8") }) });
    e.decide({ principal: { id: "alice" }, action: "read", resource: { id: "d1", body: "b".repeat(3 << 20) } });
    e.decide({ principal: { id: "bob" }, action: "read", resource: { id: "d2" } });
    await e.close();
    const r = verify("large.jsonl");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^large\.jsonl: intact: 2 record\(s\)/);
    expect(runCli(["audit", "show", "large.jsonl", "--who", "bob"], { cwd: dir }).stdout).toMatch(/1 of 2 decision\(s\) shown/);
  });

  it("a file that is not a log (one long line without a newline) is exit 1, not 'incomplete'", () => {
    writeFileSync(join(dir, "not-a-log.bin"), "x".repeat(3 << 20));
    const r = verify("not-a-log.bin");
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^not-a-log\.bin:1: tampered: not an edict audit log: no header line/);
  });
});

describe("compressed (rotated) logs", () => {
  const gz = (name: string, bytes: Buffer) => {
    writeFileSync(join(dir, name), bytes);
    return name;
  };

  it("a gzip-compressed log verifies and shows exactly as the plain one (an archived log as it was archived)", () => {
    const name = gz("audit.jsonl.gz", gzipSync(readFileSync(log)));
    const plain = verify("audit.jsonl", "--json");
    const packed = verify(name, "--json");
    expect(packed.code).toBe(0);
    expect(JSON.parse(packed.stdout)).toEqual({ ...JSON.parse(plain.stdout), file: name });
    const shown = runCli(["audit", "show", name], { cwd: dir });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe(runCli(["audit", "show", "audit.jsonl"], { cwd: dir }).stdout);
  });

  it("tampering inside the compressed file is caught like in the plain one", () => {
    const edited = lines.map((l, i) => (i === 2 ? l.replace('"decision":"deny"', '"decision":"allow"') : l));
    const r = verify(gz("edited.jsonl.gz", gzipSync(edited.join("\n") + "\n")));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^edited\.jsonl\.gz:3: tampered: `hash` does not match/);
  });

  it("compressed data cut short: exit 1 at the first line that cannot be read, the lines before it verified", () => {
    const whole = gzipSync(readFileSync(log));
    const r = verify(gz("cut.jsonl.gz", whole.subarray(0, whole.length - 12)), "--json");
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout) as { status: string; line: number; problem: string; records: number };
    expect(result.status).toBe("tampered");
    expect(result.problem).toMatch(/^the gzip data is corrupt or cut short here \(unexpected end of file\)/);
    expect(result.line).toBeLessThanOrEqual(lines.length + 1);
    const shown = runCli(["audit", "show", "cut.jsonl.gz"], { cwd: dir });
    expect(shown.code).toBe(1);
    expect(shown.stdout).toMatch(/── line \d+: the gzip data is corrupt or cut short here/);
    expect(stackTraceLines(r.stdout + r.stderr + shown.stdout + shown.stderr)).toEqual([]);
  });

  it("a directory given as the log: exit 2, what to give instead", () => {
    mkdirSync(join(dir, "logs"), { recursive: true });
    for (const cmd of ["verify", "show"]) {
      const r = runCli(["audit", cmd, "logs"], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe("edict audit: cannot read `logs`: it is a directory; give the log file in it\n");
    }
  });
});

describe("edict audit show", () => {
  it("prints a readable timeline with reasons, overrides and checkpoints", () => {
    const r = runCli(["audit", "show", "audit.jsonl"], { cwd: dir });
    expect(r.code).toBe(0);
    const out = r.stdout.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "TS").replace(/[0-9a-f]{16}-(\d+)/g, "ID-$1").replace(/sha256:[0-9a-f]{64}/g, "KEY").replace(/on \S+ \(pid \d+\)/, "on HOST (pid N)");
    expect(out).toBe(
      [
        "── audit log created TS on HOST (pid N), signing key KEY",
        "── policy docs sha256:v1",
        "TS  #1  ALLOW  alice read d1  ID-1",
        "    ✓ docs.readers: anyone may read",
        "TS  #2  DENY   bob delete d2  ID-2",
        "    ✗ docs.legal_hold [DOC-7, high]: document d2 is under legal hold",
        "TS  #3  ALLOW  bob delete d2  ID-3",
        "    no rule matched: package default allow",
        "    ⚑ override by carol: ticket 9 (bypassed docs.legal_hold)",
        "── checkpoint through seq 3 (signed TS)",
        "TS  #4  DENY   alice edit d3  ID-4",
        "    no rule matched: package default deny",
        "── final checkpoint through seq 4 (signed TS)",
        "── 4 of 4 decision(s) shown",
        "",
      ].join("\n"),
    );
  });

  it("escapes control characters from requests (no terminal escape injection)", async () => {
    const path = join(dir, "hostile.jsonl");
    const e = createEnforcer(fakePolicy(), { audit: fileAuditLog(path, { signingKey: readFileSync(join(dir, "keys/audit-signing.pem"), "utf8") }) });
    e.decide({ principal: { id: "\u001b[2Jevil\nforged line" }, action: "read", resource: { id: "d" } });
    await e.close();
    const r = runCli(["audit", "show", "hostile.jsonl"], { cwd: dir });
    expect(r.stdout).not.toContain("\u001b");
    expect(r.stdout).toContain("\\u001b[2Jevil\\u000aforged line read d");
  });

  it("filters by who, action, rule, decision and time", () => {
    const seqs = (...args: string[]) => [...runCli(["audit", "show", "audit.jsonl", ...args], { cwd: dir }).stdout.matchAll(/ #(\d+) /g)].map((m) => Number(m[1]));
    expect(seqs("--who", "bob")).toEqual([2, 3]);
    expect(seqs("--action", "delete", "--decision", "allow")).toEqual([3]);
    expect(seqs("--rule", "legal_hold")).toEqual([2]);
    expect(seqs("--rule", "docs.readers")).toEqual([1]);
    expect(seqs("--since", "1h")).toEqual([1, 2, 3, 4]);
    expect(seqs("--until", "2000-01-01T00:00:00Z")).toEqual([]);
    const json = runCli(["audit", "show", "audit.jsonl", "--decision", "deny", "--json"], { cwd: dir }).stdout.trim().split("\n").map((l) => JSON.parse(l).seq);
    expect(json).toEqual([2, 4]);
  });

  it("several files (rotated logs): one after the other under their names, filters and totals across all", () => {
    const copy = variant("audit-2.jsonl", lines.join("\n") + "\n");
    const r = runCli(["audit", "show", "audit.jsonl", copy, "--who", "bob"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").filter((l) => /^── audit[-.\w]*$/.test(l) || / #\d+ /.test(l)).map((l) => l.replace(/^\S+\s+#(\d+) .*$/, "#$1"))).toEqual(["── audit.jsonl", "#2", "#3", "── audit-2.jsonl", "#2", "#3"]);
    expect(r.stdout).toMatch(/── 4 of 8 decision\(s\) shown\n$/);
    const json = runCli(["audit", "show", "audit.jsonl", copy, "--decision", "deny", "--json"], { cwd: dir }).stdout.trim().split("\n").map((l) => JSON.parse(l).seq);
    expect(json).toEqual([2, 4, 2, 4]);
  });
});
