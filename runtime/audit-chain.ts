// The audit log format and hash chain, shared by every sink (file, memory).
// Input: PendingRecords captured on the decision hot path (every field already canonical
// JSON, see audit-capture.ts); output: the log's lines. The format (docs/audit.md):
//   line 1        {"type":"header","format":"edict-audit/1",...}   genesis = sha256(line 1)
//   record lines  {"action":…,…,"prev":"sha256:…",…,"who":…,"hash":"sha256:…"} (no `type` key)
//   checkpoints   {"type":"checkpoint","seq":N,"hash":…,"sig":…}     after every seq % every == 0
//                                                                     and, with "final":true, on close
//   resume        {"type":"checkpoint",…,"resume":true,…}           first line of a reopened log
// hash = "sha256:" + hex(SHA-256(prev + JCS(record without `hash`))). A record line is that JCS
// form with `,"hash":…` added before the closing brace, so each value is serialised once and
// the bytes hashed are the bytes written (a verifier still re-canonicalises the parsed line, so
// logs written in another key order by earlier versions verify the same way).
// Invariant: records are encoded strictly in seq order and each chains to the one before; a
// checkpoint signs (seq, hash) of the record before it.
import { hash as digest, randomBytes, sign, type KeyObject } from "node:crypto";
import { hostname } from "node:os";
import { canonicalize } from "./canonical-json.ts";
import { keyFingerprint } from "./audit-keys.ts";

export const AUDIT_FORMAT = "edict-audit/1";

/**
 * A record as captured on the hot path: values are canonical JSON (ts/decisionId raw).
 * `middle` is `,"errors":…,"instance":…[,"override":…],"policy":…,"prev":"` — the fields
 * between durationNs and prev's value, one string (the same one, cached, for every decision
 * without errors or override): every piece concatenated is a string node V8 must allocate,
 * walk when the line is written, and collect.
 */
export interface PendingRecord {
  seq: number;
  readonly ts: string;
  readonly decisionId: string;
  readonly who: string;
  readonly action: string;
  readonly resource: string;
  readonly decision: "allow" | "deny";
  readonly reasons: string;
  readonly middle: string;
  readonly request: string;
  readonly durationNs: number;
}

/** Where encoded lines go: a batch buffer (audit-sink.ts) or a string. */
export interface LineOut {
  put(line: string): void;
  /**
   * Appends the record line `body + ',"hash":"' + h + '"}\n'` and returns h =
   * sha256(prev + body + "}") (`body` is the record's canonical JSON without its closing brace).
   */
  putRecord(prev: string, body: string): string;
}

/** putRecord on strings (the sync path, and any LineOut without a byte buffer). */
export function recordLine(prev: string, body: string): { line: string; hash: string } {
  const hash = sha256(prev + body + "}");
  return { line: body + ',"hash":"' + hash + '"}\n', hash };
}

export interface ChainOptions {
  readonly signingKey: KeyObject;
  readonly checkpointEvery: number;
  /** Continue an existing log (file-audit-log.ts checked its tail) instead of starting one. */
  readonly resume?: { readonly seq: number; readonly hash: string };
}

export class AuditChain {
  readonly checkpointEvery: number;
  readonly fingerprint: string;
  /**
   * The first line this chain writes (with its newline): the header of a new log, or for a
   * reopened one a signed resume checkpoint over the last record (which also signs records
   * a crash left unsigned: they were checked to chain from the last valid checkpoint).
   */
  readonly opening: string;
  private readonly key: KeyObject;
  private prev: string;
  /** Last seq handed out by `nextSeq` (hot path). */
  private assigned = 0;
  /** Last seq encoded. */
  private encoded = 0;
  private lastCheckpointSeq = -1;

  constructor(options: ChainOptions) {
    this.key = options.signingKey;
    this.checkpointEvery = options.checkpointEvery;
    this.fingerprint = keyFingerprint(options.signingKey);
    if (options.resume !== undefined) {
      this.prev = options.resume.hash;
      this.assigned = this.encoded = options.resume.seq;
      this.opening = this.checkpoint("resume");
      return;
    }
    const header = JSON.stringify({
      type: "header",
      format: AUDIT_FORMAT,
      created: new Date().toISOString(),
      host: hostname(),
      pid: process.pid,
      key: this.fingerprint,
      checkpointEvery: this.checkpointEvery,
      nonce: randomBytes(16).toString("hex"),
    });
    this.opening = header + "\n";
    this.prev = sha256(header);
  }

  nextSeq(): number {
    return ++this.assigned;
  }

  get lastSeq(): number {
    return this.encoded;
  }

  get lastHash(): string {
    return this.prev;
  }

  /** Appends the lines for `records` (in seq order), plus any checkpoint due, to `out`. */
  encode(records: readonly PendingRecord[], out: LineOut): void {
    for (const r of records) this.encodeOne(r, out);
  }

  /** Appends the line for `r` (the next seq), plus the checkpoint when one is due, to `out`. */
  encodeOne(r: PendingRecord, out: LineOut): void {
    const prev = this.prev;
    // The line IS the record's canonical form (keys in JCS order) with `hash` added before the
    // closing brace: one serialisation serves the hash and the file.
    const body =
      '{"action":' + r.action + (r.decision === "allow" ? ',"decision":"allow","decisionId":"' : ',"decision":"deny","decisionId":"') +
      r.decisionId + '","durationNs":' + r.durationNs + r.middle + prev + '","reasons":' + r.reasons + ',"request":' + r.request +
      ',"resource":' + r.resource + ',"seq":' + r.seq + ',"ts":"' + r.ts + '","who":' + r.who;
    const h = out.putRecord(prev, body);
    this.prev = h;
    this.encoded = r.seq;
    if (r.seq % this.checkpointEvery === 0) out.put(this.checkpoint(false));
  }

  /**
   * A signed checkpoint line over the last encoded record (seq 0 = the genesis): `true` = the
   * final one (on close), "resume" = the first line of a reopened log (names the new writer).
   */
  checkpoint(kind: boolean | "resume"): string {
    this.lastCheckpointSeq = this.encoded;
    const body: Record<string, unknown> = { type: "checkpoint", seq: this.encoded, hash: this.prev, ts: new Date().toISOString() };
    if (kind === true) body.final = true;
    if (kind === "resume") {
      body.resume = true;
      body.host = hostname();
      body.pid = process.pid;
    }
    body.key = this.fingerprint;
    body.sig = sign(null, Buffer.from(canonicalize(body), "utf8"), this.key).toString("base64");
    return JSON.stringify(body) + "\n";
  }

  /** Whether the last encoded record already has a checkpoint. */
  get checkpointed(): boolean {
    return this.lastCheckpointSeq === this.encoded;
  }
}

export function sha256(text: string): string {
  return "sha256:" + digest("sha256", text, "hex");
}
