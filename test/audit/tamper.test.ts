// The tamper matrix: every way of changing a log after the fact is either caught (tampered,
// with the first bad line) or, when it is indistinguishable from a crash (cutting the unsigned
// tail), reported as incomplete — never as intact.
import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalize, createEnforcer, fileAuditLog, keyFingerprint, verifyAuditLog } from "../../runtime/index.ts";
import { fakePolicy, request } from "./fake-policy.ts";

let dir: string;
let lines: string[]; // with their newlines stripped; the file ends with a newline
let otherLines: string[];
let publicKey: KeyObject;
let privateKey: KeyObject;

async function writeLog(path: string, key: KeyObject, n: number, offset = 0): Promise<string[]> {
  const enforcer = createEnforcer(fakePolicy(), { audit: fileAuditLog(path, { signingKey: key, checkpointEvery: 4 }), instance: "test" });
  for (let i = 0; i < n; i++) enforcer.decide(request(i + offset));
  await enforcer.close();
  return readFileSync(path, "utf8").split("\n").slice(0, -1);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "edict-tamper-"));
  ({ publicKey, privateKey } = generateKeyPairSync("ed25519"));
  // 10 records, checkpointEvery 4: line 1 header, 2-5 seq 1-4, 6 checkpoint, 7-10 seq 5-8,
  // 11 checkpoint, 12-13 seq 9-10, 14 final checkpoint.
  lines = await writeLog(join(dir, "a.jsonl"), privateKey, 10);
  otherLines = await writeLog(join(dir, "b.jsonl"), privateKey, 10, 100);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = (ls: readonly string[]) => ls.map((l) => l + "\n").join("");
const sha = (s: string) => "sha256:" + createHash("sha256").update(s).digest("hex");

function edit(ls: string[], line: number, f: (o: Record<string, unknown>) => void): string[] {
  const copy = [...ls];
  const o = JSON.parse(copy[line - 1]!) as Record<string, unknown>;
  f(o);
  copy[line - 1] = JSON.stringify(o);
  return copy;
}

/** What an attacker without the key can do: recompute every prev/hash after an edit. */
function rechain(ls: string[], resignWith?: KeyObject): string[] {
  let prev = sha(ls[0]!);
  return ls.map((l, i) => {
    if (i === 0) return l;
    const o = JSON.parse(l) as Record<string, unknown>;
    if (o.type === "checkpoint") {
      o.hash = prev;
      if (resignWith) {
        delete o.sig;
        o.key = keyFingerprint(resignWith);
        o.sig = sign(null, Buffer.from(canonicalize(o)), resignWith).toString("base64");
      }
      return JSON.stringify(o);
    }
    o.prev = prev;
    delete o.hash;
    o.hash = sha(prev + canonicalize(o));
    prev = o.hash as string;
    return JSON.stringify(o);
  });
}

describe("tamper matrix", () => {
  it("the untouched log is intact", () => {
    expect(lines).toHaveLength(14);
    expect(verifyAuditLog(text(lines), publicKey)).toMatchObject({ status: "intact", records: 10, checkpoints: 3, lastSeq: 10, signedThrough: 10 });
  });

  const cases: { name: string; make: () => string; line: number; problem: RegExp }[] = [
    { name: "edit a decision", make: () => text(edit(lines, 8, (o) => (o.decision = o.decision === "allow" ? "deny" : "allow"))), line: 8, problem: /hash.*does not match.*edited/ },
    { name: "edit a masked request value", make: () => text(edit(lines, 3, (o) => ((o.request as { action: string }).action = "delete"))), line: 3, problem: /edited/ },
    { name: "edit who, keeping the JSON key order", make: () => text(lines.map((l, i) => (i === 2 ? l.replace('"who":"u1"', '"who":"u9"') : l))), line: 3, problem: /edited/ },
    { name: "delete a record", make: () => text(lines.filter((_, i) => i !== 7)), line: 8, problem: /seq 7 where 6 was expected/ },
    { name: "insert a record from another log", make: () => text([...lines.slice(0, 3), otherLines[3]!, ...lines.slice(3)]), line: 4, problem: /seq 3 where 3|prev/ },
    { name: "duplicate a record", make: () => text([...lines.slice(0, 3), lines[2]!, ...lines.slice(3)]), line: 4, problem: /seq 2 where 3 was expected/ },
    { name: "reorder two records", make: () => text([...lines.slice(0, 7), lines[8]!, lines[7]!, ...lines.slice(9)]), line: 8, problem: /seq 7 where 6 was expected/ },
    { name: "delete a middle checkpoint", make: () => text(lines.filter((_, i) => i !== 5)), line: 6, problem: /checkpoint due after seq 4 is missing/ },
    { name: "duplicate a checkpoint", make: () => text([...lines.slice(0, 6), lines[5]!, ...lines.slice(6)]), line: 7, problem: /unexpected checkpoint/ },
    { name: "move a checkpoint", make: () => text([...lines.slice(0, 4), lines[5]!, lines[4]!, ...lines.slice(6)]), line: 5, problem: /checkpoint for seq 4 follows record seq 3/ },
    { name: "edit a record and rewrite the chain", make: () => text(rechain(edit(lines, 2, (o) => (o.decision = "allow")))), line: 6, problem: /signature does not verify/ },
    { name: "rewrite the chain and re-sign with another key", make: () => text(rechain(edit(lines, 2, (o) => (o.decision = "allow")), generateKeyPairSync("ed25519").privateKey)), line: 6, problem: /signature does not verify/ },
    {
      name: "re-sign everything with another key, header included",
      make: () => {
        const attacker = generateKeyPairSync("ed25519").privateKey;
        const forged = edit(lines, 1, (o) => (o.key = keyFingerprint(attacker)));
        return text(rechain(forged, attacker));
      },
      line: 1,
      problem: /names signing key .* not the given public key/,
    },
    { name: "edit the header", make: () => text(edit(lines, 1, (o) => (o.checkpointEvery = 1000))), line: 2, problem: /prev/ },
    { name: "delete the header", make: () => text(lines.slice(1)), line: 1, problem: /not an edict audit log header/ },
    { name: "append a record after the final checkpoint", make: () => text([...lines, lines[2]!]), line: 15, problem: /after the final checkpoint/ },
    { name: "replace a line with garbage", make: () => text(lines.map((l, i) => (i === 4 ? "{not json" : l))), line: 5, problem: /not valid JSON/ },
    // transport accidents: changed bytes, named for what happened
    // text without an end of line is a crash's trace only if it starts like a line the writer writes
    { name: "append text that is not the start of a line", make: () => text(lines.slice(0, 9)) + "garbage", line: 10, problem: /^line 10 is not a line of the log/ },
    { name: "a file that is not a log at all (no newline)", make: () => "x".repeat(5000), line: 1, problem: /^not an edict audit log: no header line$/ },
    { name: "convert the line endings to CR LF", make: () => text(lines).replace(/\n/g, "\r\n"), line: 1, problem: /^the line ends with CR LF: the file's line endings were converted/ },
    { name: "re-save with a byte order mark", make: () => "\ufeff" + text(lines), line: 1, problem: /^the file starts with a byte order mark/ },
    { name: "forge the final checkpoint's signature", make: () => text(edit(lines, 14, (o) => (o.sig = Buffer.alloc(64).toString("base64")))), line: 14, problem: /signature/ },
    // a base64 decoder skips spaces and ignores the last character's spare bits: the same signature, other bytes
    { name: "re-encode a checkpoint's signature", make: () => text(edit(lines, 6, (o) => (o.sig = " " + String(o.sig)))), line: 6, problem: /`sig` is not an Ed25519 signature in base64/ },
    { name: "splice another log's tail", make: () => text([...lines.slice(0, 6), ...otherLines.slice(6)]), line: 7, problem: /prev/ },
    { name: "empty the file", make: () => "", line: 1, problem: /empty file/ },
  ];

  for (const c of cases) {
    it(`${c.name} → tampered at line ${c.line}`, () => {
      const r = verifyAuditLog(c.make(), publicKey);
      expect(r.status).toBe("tampered");
      expect(r.line).toBe(c.line);
      expect(r.problem).toMatch(c.problem);
    });
  }

  const incomplete: { name: string; make: () => string; line: number; problem: RegExp; signedThrough: number }[] = [
    { name: "cut the final checkpoint", make: () => text(lines.slice(0, 13)), line: 12, problem: /no final checkpoint.*seq 9\.\.10/, signedThrough: 8 },
    { name: "cut the tail after a checkpoint", make: () => text(lines.slice(0, 11)), line: 11, problem: /no final checkpoint/, signedThrough: 8 },
    { name: "cut the tail after a record", make: () => text(lines.slice(0, 8)), line: 7, problem: /seq 5\.\.6/, signedThrough: 4 },
    { name: "cut inside the last line", make: () => text(lines).slice(0, -40), line: 14, problem: /line 14 is torn/, signedThrough: 8 },
    { name: "cut inside a record", make: () => text(lines.slice(0, 9)) + lines[9]!.slice(0, 100), line: 10, problem: /torn.*not a record/, signedThrough: 4 },
    { name: "cut after two bytes of a record", make: () => text(lines.slice(0, 9)) + "{\"", line: 10, problem: /torn/, signedThrough: 4 },
    { name: "cut inside the header", make: () => lines[0]!.slice(0, 10), line: 1, problem: /the header line is torn/, signedThrough: 0 },
    { name: "cut inside the header, after its first field", make: () => lines[0]!.slice(0, 60), line: 1, problem: /the header line is torn/, signedThrough: 0 },
  ];
  for (const c of incomplete) {
    it(`${c.name} → incomplete, never intact`, () => {
      const r = verifyAuditLog(c.make(), publicKey);
      expect(r).toMatchObject({ status: "incomplete", line: c.line, signedThrough: c.signedThrough });
      expect(r.problem).toMatch(c.problem);
    });
  }

  it("property: any random edit, deletion, insertion, duplication or reordering of bytes or lines is never verified intact", () => {
    const original = text(lines);
    // the same JSON values in other bytes (`"a"` as `"\u0061"`) change no fact: not an edit to catch
    const sameValue = (a: string, b: string) => {
      try {
        return canonicalize(JSON.parse(a)) === canonicalize(JSON.parse(b));
      } catch {
        return false;
      }
    };
    const sameFacts = (t: string) => {
      const ls = t.split("\n");
      return ls.length === lines.length + 1 && ls[lines.length] === "" && lines.every((l, i) => sameValue(ls[i]!, l));
    };
    const at = fc.nat({ max: original.length - 1 });
    const line = fc.nat({ max: lines.length - 1 });
    const mutation = fc.oneof(
      fc.tuple(at, fc.integer({ min: 32, max: 126 })).map(([i, c]) => original.slice(0, i) + String.fromCharCode(c) + original.slice(i + 1)),
      at.map((i) => original.slice(0, i) + original.slice(i + 1)),
      fc.tuple(at, fc.integer({ min: 32, max: 126 })).map(([i, c]) => original.slice(0, i) + String.fromCharCode(c) + original.slice(i)),
      fc.tuple(line, line).map(([a, b]) => { const ls = [...lines]; [ls[a], ls[b]] = [ls[b]!, ls[a]!]; return text(ls); }),
      fc.tuple(line, line).map(([a, b]) => { const ls = [...lines]; ls.splice(b, 0, lines[a]!); return text(ls); }),
      line.map((a) => text(lines.filter((_, i) => i !== a))),
      fc.tuple(line, fc.nat({ max: 64 })).map(([a, b]) => text(lines.map((l, i) => (i === a ? otherLines[Math.min(i, otherLines.length - 1)]!.slice(0, b) + l.slice(b) : l)))),
    );
    fc.assert(
      fc.property(mutation, (t) => {
        const r = verifyAuditLog(t, publicKey); // never throws, whatever the text
        if (t === original || sameFacts(t)) return;
        expect(r.status).not.toBe("intact");
      }),
      { numRuns: 400 },
    );
  });

  it("verifying with another public key fails at the header", () => {
    const r = verifyAuditLog(text(lines), generateKeyPairSync("ed25519").publicKey);
    expect(r).toMatchObject({ status: "tampered", line: 1 });
  });

  it("two logs written with the same key have different chains (genesis differs)", () => {
    expect(JSON.parse(lines[1]!).prev).not.toBe(JSON.parse(otherLines[1]!).prev);
  });
});
