// Verifying an audit log: the hash chain, the signed checkpoints and the log's shape.
// Input: the log's lines in order (streamed: logs can be larger than memory) and the public
// key the auditor trusts — or no key (chain-only: hashes, order and shape, signatures NOT
// checked, `signaturesChecked: false`); output: "intact" (cleanly closed, everything signed),
// "incomplete" (intact, but records after the last checkpoint are unsigned or the last line is
// torn — what a crash leaves) or "tampered" with the first bad line and what is wrong with it
// (gzip-compressed files are read through gunzip; damaged compressed data is a problem at the
// first line it makes unreadable).
// Invariants: the first problem wins; a line without its end-of-line is never accepted as a
// record; after a final checkpoint only a signed resume checkpoint (`"resume":true`, written
// when a log is reopened, same seq and hash) is accepted; a checkpoint is required right after
// every record whose seq is a multiple of the header's `checkpointEvery` (timed checkpoints
// may come in between, one per record at most; a resume checkpoint may follow any line).
import { closeSync, createReadStream, openSync, readSync } from "node:fs";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { verify as verifySignature, type KeyObject } from "node:crypto";
import { AUDIT_FORMAT, sha256 } from "./audit-chain.ts";
import { keyFingerprint, loadPublicKey, type KeyInput } from "./audit-keys.ts";
import { canonicalize } from "./canonical-json.ts";

export type VerifyStatus = "intact" | "incomplete" | "tampered";

export interface VerifyResult {
  readonly status: VerifyStatus;
  /** Records read (up to the first problem). */
  readonly records: number;
  readonly checkpoints: number;
  /** seq of the last record read. */
  readonly lastSeq: number;
  /** seq covered by the last valid signed checkpoint (0 = none). */
  readonly signedThrough: number;
  /** 1-based line of the first problem (tampered) or of the torn/unsigned part (incomplete). */
  readonly line?: number;
  /** What is wrong (tampered) or missing (incomplete). */
  readonly problem?: string;
  /** false in chain-only mode (no public key given): checkpoint signatures were not checked. */
  readonly signaturesChecked: boolean;
  /** Resume checkpoints seen (one per time the log was reopened by a new process). */
  readonly resumes: number;
  /** `hash` of the record `lastSeq` ("" before the first): with `lastSeq`, an anchor for the next verification. */
  readonly lastHash: string;
}

/**
 * A point of the chain the auditor learned elsewhere (a checkpoint shipped by `onCheckpoint`,
 * or `lastSeq`/`lastHash` of an earlier verification): the log must contain record `seq` with
 * this `hash`. It catches what the file alone cannot show: a log cut back to an earlier clean
 * end, or rewritten (even re-signed by the key holder) before the anchor.
 */
export interface VerifyAnchor {
  readonly seq: number;
  readonly hash: string;
}

const HEADER_START = '{"type":"header"';
const RECORD_FIELDS = ["seq", "ts", "decisionId", "instance", "policy", "who", "action", "resource", "decision", "reasons", "errors", "request", "durationNs", "prev", "hash"] as const;

/** A record line's facts: the first contract field it lacks, its seq/prev/hash, and the hash its content gives. */
export interface RecordFacts {
  readonly missing: string | undefined;
  readonly seq: unknown;
  readonly prev: unknown;
  readonly hash: unknown;
  /** sha256(prev + canonical JSON of the record without `hash`); "" when `prev` is not a string. */
  readonly computed: string;
}

/**
 * What one line says on its own, before the chain's state is consulted: the costly part of
 * verifying (parsing, canonical JSON, hashing, checking a signature). It depends on nothing but
 * the line and the key, so lines can be examined in any order, anywhere; AuditVerifier.advance
 * then checks the facts against the chain in order. (Measured: worker threads fed lines by one
 * reading thread, sending these facts back, gained nothing on two cores: that thread's copying
 * was the limit. A parallel verifier needs workers that read their own byte ranges and return
 * compact facts.)
 */
export interface LineFacts {
  readonly crlf?: true;
  readonly bom?: true;
  /** Not JSON, or not an object. */
  readonly problem?: string;
  /** The parsed line when it has a `type` (header, checkpoint, or an unknown kind). */
  readonly obj?: Record<string, unknown>;
  /** A header's text hash: the chain's genesis. */
  readonly textHash?: string;
  /** A checkpoint's `sig` is exactly the base64 the writer writes (a decoder skips spaces and spare bits: other texts could decode to the same signature, and the line be edited unseen). */
  readonly sigShape?: boolean;
  /** With a key: the checkpoint's signature verifies. */
  readonly sigOk?: boolean;
  /** A line without `type`: a record. */
  readonly record?: RecordFacts;
}

export function examineLine(text: string, key: KeyObject | undefined): LineFacts {
  const crlf = text.endsWith("\r") ? true : undefined;
  const bom = text.startsWith("\ufeff") ? true : undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { crlf, bom, problem: "not valid JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { crlf, bom, problem: "not a JSON object" };
  const obj = value as Record<string, unknown>;
  if (obj.type === undefined) {
    const missing = RECORD_FIELDS.find((f) => !Object.hasOwn(obj, f));
    const { hash, ...body } = obj;
    const computed = missing === undefined && typeof obj.prev === "string" ? sha256(obj.prev + canonicalize(body)) : "";
    return { crlf, bom, record: { missing, seq: obj.seq, prev: obj.prev, hash, computed } };
  }
  if (obj.type === "header") return { crlf, bom, obj, textHash: sha256(text) };
  if (obj.type !== "checkpoint" || typeof obj.sig !== "string") return { crlf, bom, obj };
  const { sig, ...body } = obj;
  const sigShape = sig.length === 88 && Buffer.from(sig, "base64").toString("base64") === sig;
  let sigOk: boolean | undefined;
  if (key !== undefined && sigShape) {
    try {
      sigOk = verifySignature(null, Buffer.from(canonicalize(body), "utf8"), key, Buffer.from(sig, "base64"));
    } catch {
      sigOk = false;
    }
  }
  return { crlf, bom, obj, sigShape, sigOk };
}

export class AuditVerifier {
  private readonly key: KeyObject | undefined;
  private readonly fingerprint: string | undefined;
  private lineNo = 0;
  private every = 0;
  private prev = "";
  private lastSeq = 0;
  private records = 0;
  private checkpoints = 0;
  private resumes = 0;
  private signedThrough = 0;
  private checkpointedSeq = -1;
  private final = false;
  private firstUnsignedLine = 0;
  private bad: { line: number; problem: string } | undefined;

  /** Without `publicKey`: chain-only (signatures and the header's key are not checked). */
  constructor(
    publicKey: KeyInput | undefined,
    private readonly anchor?: VerifyAnchor,
  ) {
    this.key = publicKey === undefined ? undefined : loadPublicKey(publicKey);
    this.fingerprint = this.key === undefined ? undefined : keyFingerprint(this.key);
  }

  /**
   * Starts mid-log (after `line(header)`): from a checkpoint line found near the end of a log
   * being reopened, trusted once its signature verifies. Returns false if it does not.
   */
  startAt(checkpointLine: string): boolean {
    const n = ++this.lineNo;
    const facts = examineLine(checkpointLine, this.key);
    if (facts.problem !== undefined) return this.fail(n, facts.problem);
    const obj = facts.obj;
    if (obj === undefined || obj.type !== "checkpoint" || !Number.isInteger(obj.seq) || (obj.seq as number) < 0 || typeof obj.hash !== "string") return this.fail(n, "not a checkpoint");
    this.lastSeq = obj.seq as number;
    this.prev = obj.hash;
    return this.checkpoint(n, obj, facts, true);
  }

  /** Where the chain stands: the last record's seq and hash (genesis and 0 before any). */
  get position(): { readonly seq: number; readonly hash: string; readonly checkpointEvery: number } {
    return { seq: this.lastSeq, hash: this.prev, checkpointEvery: this.every };
  }

  /** Feeds one complete line (without its newline). Returns false once a problem is found. */
  line(text: string): boolean {
    if (this.bad) return false;
    return this.advance(examineLine(text, this.key));
  }

  /** Feeds the facts of the next line (examineLine, perhaps run in another thread). Returns false once a problem is found. */
  advance(facts: LineFacts): boolean {
    if (this.bad) return false;
    const n = ++this.lineNo;
    // What tools do to text files in transit, named as such rather than as a broken chain:
    // the bytes did change (the header's hash covers them), but nobody edited a decision.
    if (facts.crlf) return this.fail(n, "the line ends with CR LF: the file's line endings were converted (a Windows tool, git's autocrlf); an audit log is LF-only — verify the original file");
    if (n === 1 && facts.bom) return this.fail(n, "the file starts with a byte order mark: it was re-saved by an editor; verify the original file");
    if (facts.problem !== undefined) return this.fail(n, facts.problem);
    const obj = facts.obj;
    if (n === 1) return this.header(obj, facts.textHash);
    if (obj?.type === "checkpoint") return this.checkpoint(n, obj, facts);
    if (this.final) return this.fail(n, "text after the final checkpoint");
    if (obj !== undefined) return this.fail(n, `unexpected \`${String(obj.type)}\` line`);
    return this.record(n, facts.record!);
  }

  private header(obj: Record<string, unknown> | undefined, textHash: string | undefined): boolean {
    if (obj === undefined || textHash === undefined || obj.type !== "header" || obj.format !== AUDIT_FORMAT) return this.fail(1, `not an edict audit log header (expected \`"format":"${AUDIT_FORMAT}"\`)`);
    if (typeof obj.checkpointEvery !== "number" || !Number.isInteger(obj.checkpointEvery) || obj.checkpointEvery < 1) return this.fail(1, "the header's `checkpointEvery` is not a positive integer");
    if (this.fingerprint !== undefined && obj.key !== this.fingerprint) return this.fail(1, `the log names signing key \`${String(obj.key)}\`, not the given public key \`${this.fingerprint}\``);
    this.every = obj.checkpointEvery;
    this.prev = textHash;
    return true;
  }

  private checkpoint(n: number, obj: Record<string, unknown>, facts: LineFacts, start = false): boolean {
    const final = obj.final === true;
    const resume = (obj.resume === true && !final) || start;
    if (this.final && !resume) return this.fail(n, "text after the final checkpoint");
    // Checkpoints are required after every seq % every == 0 record (see record()), may also
    // come in between (timed ones), but never twice for the same record unless the second is
    // final or a resume (a reopened log: after a final checkpoint, a crash, or nothing at all).
    if (!final && !resume && (this.lastSeq === 0 || this.checkpointedSeq === this.lastSeq)) return this.fail(n, `unexpected checkpoint after seq ${this.lastSeq} (duplicated or moved)`);
    if (obj.seq !== this.lastSeq) return this.fail(n, `checkpoint for seq ${String(obj.seq)} follows record seq ${this.lastSeq}`);
    if (obj.hash !== this.prev) return this.fail(n, "checkpoint `hash` is not the hash of the record before it");
    if (typeof obj.sig !== "string") return this.fail(n, "checkpoint has no signature");
    if (!facts.sigShape) return this.fail(n, "checkpoint `sig` is not an Ed25519 signature in base64 (64 bytes, 88 characters)");
    if (this.key !== undefined && !facts.sigOk) return this.fail(n, "checkpoint signature does not verify with the given public key");
    this.checkpoints++;
    if (resume && !start) this.resumes++;
    this.checkpointedSeq = this.lastSeq;
    this.signedThrough = this.lastSeq;
    this.firstUnsignedLine = 0;
    this.final = final;
    return true;
  }

  private record(n: number, r: RecordFacts): boolean {
    if (this.lastSeq > 0 && this.lastSeq % this.every === 0 && this.checkpointedSeq !== this.lastSeq) {
      return this.fail(n, `the checkpoint due after seq ${this.lastSeq} is missing (deleted?)`);
    }
    if (r.missing !== undefined) return this.fail(n, `record lacks \`${r.missing}\``);
    if (r.seq !== this.lastSeq + 1) {
      return this.fail(n, `seq ${JSON.stringify(r.seq)} where ${this.lastSeq + 1} was expected (a record was deleted, inserted, duplicated or reordered)`);
    }
    if (r.prev !== this.prev) return this.fail(n, "`prev` is not the hash of the record before it (a record was removed or replaced)");
    const expected = r.computed; // over `prev`, which is this.prev
    if (r.hash !== expected) return this.fail(n, "`hash` does not match the record's content (the record was edited)");
    if (this.anchor !== undefined && r.seq === this.anchor.seq && expected !== this.anchor.hash) {
      return this.fail(n, `record seq ${this.anchor.seq} is not the anchored one (hash ${expected}, anchor ${this.anchor.hash}): the log was rewritten`);
    }
    this.prev = expected;
    this.lastSeq = r.seq as number;
    this.records++;
    if (this.firstUnsignedLine === 0) this.firstUnsignedLine = n;
    return true;
  }

  private fail(line: number, problem: string): false {
    this.bad = { line, problem };
    return false;
  }

  /** The verdict when the rest of the log cannot be read (damaged compressed data): a problem at the next line, unless one came first. */
  unreadable(problem: string): VerifyResult {
    if (!this.bad) this.fail(this.lineNo + 1, problem);
    return this.finish();
  }

  /** The verdict; `tornTail` is any text after the last newline. */
  finish(tornTail = ""): VerifyResult {
    const lastHash = this.lastSeq > 0 ? this.prev : "";
    const base = { records: this.records, checkpoints: this.checkpoints, lastSeq: this.lastSeq, signedThrough: this.signedThrough, signaturesChecked: this.key !== undefined, resumes: this.resumes, lastHash };
    if (this.bad) return { status: "tampered", ...base, ...this.bad };
    if (this.anchor !== undefined && this.lastSeq < this.anchor.seq) {
      const problem = `the log ends at seq ${this.lastSeq}, before the anchor's seq ${this.anchor.seq}: records were cut off (the file was truncated back to an earlier end, or replaced)`;
      return { status: "tampered", ...base, line: this.lineNo + 1, problem };
    }
    // A torn line is the start of a line the writer wrote: of the header (`{"type":"header"…`),
    // of a record or checkpoint (`{"…`). Other text without an end of line is not a crash's trace.
    if (this.lineNo === 0) {
      if (tornTail.length > 0 && (HEADER_START.startsWith(tornTail) || tornTail.startsWith(HEADER_START))) return { status: "incomplete", ...base, line: 1, problem: "the header line is torn (an interrupted write)" };
      if (tornTail.length > 0) return { status: "tampered", ...base, line: 1, problem: "not an edict audit log: no header line" };
      return { status: "tampered", ...base, line: 1, problem: "empty file: no audit log header" };
    }
    if (tornTail.length > 0 && !(tornTail === "{" || tornTail.startsWith('{"'))) {
      return { status: "tampered", ...base, line: this.lineNo + 1, problem: `line ${this.lineNo + 1} is not a line of the log (text without an end of line that does not start like one)` };
    }
    if (tornTail.length > 0) {
      return { status: "incomplete", ...base, line: this.lineNo + 1, problem: `line ${this.lineNo + 1} is torn (${Buffer.byteLength(tornTail)} bytes without an end of line: an interrupted write); it is not a record` };
    }
    if (!this.final) {
      const unsigned = this.lastSeq - this.signedThrough;
      return {
        status: "incomplete",
        ...base,
        line: this.firstUnsignedLine || this.lineNo,
        problem:
          unsigned > 0
            ? `no final checkpoint: the last ${unsigned} record(s) (seq ${this.signedThrough + 1}..${this.lastSeq}) are not covered by a signature (the log was not closed)`
            : "no final checkpoint (the log was not closed)",
      };
    }
    return { status: "intact", ...base };
  }
}

/** Verifies a whole log held in memory (without `publicKey`: chain-only, signatures not checked). */
export function verifyAuditLog(text: string, publicKey: KeyInput | undefined, anchor?: VerifyAnchor): VerifyResult {
  const v = new AuditVerifier(publicKey, anchor);
  let start = 0;
  for (;;) {
    const nl = text.indexOf("\n", start);
    if (nl < 0) break;
    if (!v.line(text.slice(start, nl))) return v.finish();
    start = nl + 1;
  }
  return v.finish(text.slice(start));
}

/** Verifies a log file, streaming it (without `publicKey`: chain-only, signatures not checked); gzip-compressed logs too. */
export async function verifyAuditFile(path: string, publicKey: KeyInput | undefined, anchor?: VerifyAnchor): Promise<VerifyResult> {
  const v = new AuditVerifier(publicKey, anchor);
  let tail = "";
  try {
    for await (const line of readLines(path)) {
      if (line.torn) tail = line.text;
      else if (!v.line(line.text)) return v.finish();
    }
  } catch (e) {
    if (e instanceof CompressedLogError) return v.unreadable(e.message);
    throw e;
  }
  return v.finish(tail);
}

/** A gzip-compressed log whose compressed data is corrupt or cut short: the lines before the damage were read. */
export class CompressedLogError extends Error {}

/**
 * The lines of a log file, streamed; the last one is `torn` when it has no newline. A file in
 * gzip format (a rotated log compressed by logrotate's `compress`, say) is read through
 * gunzip: an auditor verifies the file as it was archived. Damaged gzip data ends the lines
 * with a CompressedLogError.
 */
export async function* readLines(path: string): AsyncGenerator<{ text: string; torn: boolean }> {
  // The pieces of a line that spans chunks, joined once at its end: a line of many megabytes
  // (a large request; a file that is not a log at all) costs its length, not its length squared.
  let rest: Buffer[] = [];
  for await (const chunk of logBytes(path)) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      const piece = chunk.subarray(start, nl);
      yield { text: (rest.length > 0 ? Buffer.concat([...rest, piece]) : piece).toString("utf8"), torn: false };
      rest = [];
      start = nl + 1;
    }
    if (start < chunk.length) rest.push(Buffer.from(chunk.subarray(start)));
  }
  if (rest.length > 0) yield { text: Buffer.concat(rest).toString("utf8"), torn: true };
}

/** The file's bytes, decompressed when it starts with the gzip magic number (1f 8b: never the start of a log line). */
async function* logBytes(path: string): AsyncGenerator<Buffer> {
  const gzip = isGzip(path);
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  if (!gzip) {
    yield* file as AsyncIterable<Buffer>;
    return;
  }
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  pipeline(file, gunzip, () => {}); // a read error of the file reaches the loop below through gunzip
  try {
    yield* gunzip as AsyncIterable<Buffer>;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === "string" && code.startsWith("Z_")) throw new CompressedLogError(`the gzip data is corrupt or cut short here (${(e as Error).message}): nothing after this point can be read`);
    throw e;
  }
}

function isGzip(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}
