// The audit log format and hash chain, shared by every sink (file, memory).
// Input: PendingRecords captured on the decision hot path (written as bytes by
// audit-capture.ts into the sink's buffer, see LineOut); output: the log's lines. The format (docs/audit.md):
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
import type { PendingRecord } from "./audit-capture.ts";

export const AUDIT_FORMAT = "edict-audit/1";

/**
 * Where encoded lines go: a batch buffer (audit-sink.ts). Lines are written in two steps: on
 * the hot path a record's bytes with its `prev` and `hash` left blank (and a checkpoint's line
 * with its `hash` and `sig` left blank), then, off the hot path and strictly in order,
 * `seal` fills them in from the chain (see BatchBuffer).
 */
export interface LineOut {
  /** Appends record `r`'s line with `seq`, hash and prev blank. Throws (and appends nothing) if it cannot be written. */
  putRecord(r: PendingRecord, seq: number): void;
  /** Appends a checkpoint line with hash and signature blank. */
  putCheckpoint(mark: CheckpointMark): void;
}

/**
 * An unsigned checkpoint line (the chain's `mark`, never a final or resume one): its text with
 * `hash` and `sig` as blanks of their fixed lengths at `hashAt` and `sigAt`, filled in by `seal`.
 */
export interface CheckpointMark {
  readonly seq: number;
  readonly ts: string;
  readonly line: string;
  readonly hashAt: number;
  readonly sigAt: number;
}

/** "sha256:" + 64 hex digits, and an Ed25519 signature in base64: the blanks' fixed lengths. */
export const HASH_LENGTH = 71;
export const SIG_LENGTH = 88;
const HASH_BLANK = "-".repeat(HASH_LENGTH);
const SIG_BLANK = "-".repeat(SIG_LENGTH);

/**
 * A signed checkpoint as `onCheckpoint` reports it, once its line is on disk (fsync'd): the
 * record `seq` it covers and that record's `hash` — an anchor for `edict audit verify --anchor`
 * (`anchor` is the argument ready to pass).
 */
export interface AuditCheckpoint {
  readonly seq: number;
  readonly hash: string;
  readonly ts: string;
  /** The last checkpoint of a clean close. */
  readonly final: boolean;
  /** The first line of a reopened log. */
  readonly resume: boolean;
  /** `SEQ:HASH` */
  readonly anchor: string;
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
  /** Last seq encoded (blank lines written), and last seq sealed (hash known: `prev`). */
  private encoded = 0;
  private sealed = 0;
  // the genesis (seq 0) needs no signature: a quiet new log gets no timed checkpoint over it
  private lastCheckpointSeq = 0;

  constructor(options: ChainOptions) {
    this.key = options.signingKey;
    this.checkpointEvery = options.checkpointEvery;
    this.fingerprint = keyFingerprint(options.signingKey);
    if (options.resume !== undefined) {
      this.prev = options.resume.hash;
      this.encoded = options.resume.seq;
      this.sealed = options.resume.seq;
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

  /**
   * Appends the line for `r` as the next seq, plus the checkpoint when one is due, to `out`
   * (blank: see LineOut). If the record cannot be written (it throws), nothing is appended
   * and the seq is not used.
   */
  encodeOne(r: PendingRecord, out: LineOut): void {
    const seq = this.encoded + 1;
    out.putRecord(r, seq);
    this.encoded = seq;
    if (seq % this.checkpointEvery === 0) out.putCheckpoint(this.mark());
  }

  /** An unsigned checkpoint line over the last encoded record, for `seal` to complete (the line `checkpoint(false)` would give, with blanks). */
  mark(): CheckpointMark {
    this.lastCheckpointSeq = this.encoded;
    const ts = new Date().toISOString();
    const line = JSON.stringify({ ...this.body(this.encoded, HASH_BLANK, ts, false), sig: SIG_BLANK }) + "\n";
    return { seq: this.encoded, ts, line, hashAt: line.indexOf(HASH_BLANK), sigAt: line.indexOf(SIG_BLANK) };
  }

  /** The next `count` records are sealed, the last with `hash` (what the following record's `prev` is). */
  sealRecords(count: number, hash: string): void {
    this.prev = hash;
    this.sealed += count;
  }

  /** Signs a mark once every record before it is sealed: its `sig`, over the body `checkpoint(false)` signs. */
  sign(mark: CheckpointMark): string {
    if (mark.seq !== this.sealed) throw new Error(`edict audit: checkpoint for seq ${mark.seq} sealed after seq ${this.sealed}`);
    const sig = this.signed(this.body(mark.seq, this.prev, mark.ts, false));
    if (sig.length !== SIG_LENGTH || this.prev.length !== HASH_LENGTH) throw new Error("edict audit: unexpected signature or hash length");
    return sig;
  }

  /** The hash of the last sealed record (what the next record's `prev` is). */
  get lastHash(): string {
    return this.prev;
  }

  /**
   * A signed checkpoint line over the last encoded record (seq 0 = the genesis): `true` = the
   * final one (on close), "resume" = the first line of a reopened log (names the new writer).
   */
  checkpoint(kind: boolean | "resume"): string {
    if (this.sealed !== this.encoded) throw new Error(`edict audit: checkpoint over seq ${this.encoded} with records up to seq ${this.sealed} sealed`);
    this.lastCheckpointSeq = this.encoded;
    const body = this.body(this.encoded, this.prev, new Date().toISOString(), kind);
    return JSON.stringify({ ...body, sig: this.signed(body) }) + "\n";
  }

  /** A checkpoint's body without `sig`, in the line's key order. */
  private body(seq: number, hash: string, ts: string, kind: boolean | "resume"): Record<string, unknown> {
    const body: Record<string, unknown> = { type: "checkpoint", seq, hash, ts };
    if (kind === true) body.final = true;
    if (kind === "resume") {
      body.resume = true;
      body.host = hostname();
      body.pid = process.pid;
    }
    body.key = this.fingerprint;
    return body;
  }

  /** Signs a checkpoint body (its canonical JSON) and records the checkpoint for takeCheckpoints. */
  private signed(body: Record<string, unknown>): string {
    const seq = body.seq as number;
    const hash = body.hash as string;
    const sig = sign(null, Buffer.from(canonicalize(body), "utf8"), this.key).toString("base64");
    // seq 0 (the genesis of an empty log) anchors nothing: not reported
    if (seq > 0) this.made.push(Object.freeze({ seq, hash, ts: body.ts as string, final: body.final === true, resume: body.resume === true, anchor: `${seq}:${hash}` }));
    return sig;
  }

  /** Checkpoints made since the last call (the sink reports them once they are on disk). */
  takeCheckpoints(): AuditCheckpoint[] {
    return this.made.length === 0 ? NONE : this.made.splice(0);
  }

  private readonly made: AuditCheckpoint[] = [];

  /** Whether the last encoded record already has a checkpoint. */
  get checkpointed(): boolean {
    return this.lastCheckpointSeq === this.encoded;
  }
}

const NONE: AuditCheckpoint[] = [];

export function sha256(text: string): string {
  return "sha256:" + digest("sha256", text, "hex");
}
