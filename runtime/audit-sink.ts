// The audit sink: what the enforcer hands records to, and the batching writer behind every
// sink. Input: PendingRecords on the hot path (`append`: assign seq, serialise as UTF-8 into
// a reusable buffer — nothing is retained as JS objects, see BatchBuffer); output: batches
// sealed into the hash chain (hashes, checkpoint signatures) and written to a ByteTarget off
// the hot path (setImmediate), fsync'd on an interval and on close, plus timed checkpoints.
// Invariants:
//  - at most one batch write in flight, batches in seq order, so the file is always a chain
//    prefix followed by at most one torn line;
//  - the queue (queued + in flight) never exceeds maxQueue records, nor maxQueueBytes by more
//    than one record: `append` refuses instead (large requests make large records);
//  - once a write, fsync or seal fails the sink is failed for good: it refuses every later record
//    and reports the failure (and how many decided records were lost) to its listener;
//  - `sync: true` writes and fsyncs inside `append`, so an accepted record is on disk.
import { hash as digest } from "node:crypto";
import { AuditChain, HASH_LENGTH, type AuditCheckpoint, type CheckpointMark, type LineOut } from "./audit-chain.ts";
import type { PendingRecord } from "./audit-capture.ts";
import type { ByteOut } from "./canonical-bytes.ts";

/**
 * A reusable byte buffer lines are encoded into: records as bytes straight from their values
 * (audit-capture.ts), checkpoints from strings. No joined batch string, no per-batch Buffer.
 * Two of them alternate, one being written while one fills.
 *
 * Lines go in blank, then are sealed. On the hot path (`decide`) a record is serialised with
 * room for its `prev` and `hash`, and a due checkpoint with room for its `hash` and `sig`
 * (fixed lengths); `seal`, called by the writer after each turn of decisions (off the hot
 * path, and always before the batch is written), walks the new lines in order and fills them
 * in from the chain: SHA-256 (about a quarter of a record's cost) and signing happen outside
 * `decide`, and a decision waits only for its record's serialisation (which cannot wait: the
 * request may change after `decide`).
 * A record is hashed over its bytes in the buffer: the hash input is `prev` followed by the
 * record's canonical JSON, so `prev` is put into the PREV bytes just before the line (the
 * tail of the line before it, or the reserved room at the start), hashed together with the
 * line, and those bytes are put back from the SAVE area at the very start of the buffer.
 */
const INITIAL_BATCH_BYTES = 4 << 20; // a 1000-decision burst (~0.9 MB) several times over: no growth copies
const PREV = HASH_LENGTH; // "sha256:" + 64 hex digits
const SAVE = 0; // [SAVE, SAVE + PREV): the line bytes `prev` covers while a record is hashed
const START = 2 * PREV; // lines start here; [PREV, START) is the room for the first line's prev
const HASH_OPEN = new Uint8Array(Buffer.from(',"hash":"', "latin1"));
const HASH_TAIL = HASH_OPEN.length + PREV + 3; // ,"hash":"sha256:…"}\n
const EMPTY = Buffer.alloc(0);
const LINE_ROOM = 1024; // typical record; the value writers make more room as they need it
const RECORD = 0;
const CHECKPOINT = 1;

class BatchBuffer implements LineOut, ByteOut {
  buf: Buffer = EMPTY; // allocated on first use: many short-lived logs stay small
  view: DataView = new DataView(EMPTY.buffer, 0, 0);
  limit = 0;
  length = START;
  /** Lines to seal, four numbers each: RECORD, its start, where its `prev` goes, where its body ends; or CHECKPOINT, its start, its mark's index, 0. */
  private lines: number[] = [];
  /** Numbers used in `lines` (kept, not truncated, between batches: no regrowing per batch). */
  private used = 0;
  private marks: CheckpointMark[] = [];
  /** Lines sealed (times four). */
  private sealedUpTo = 0;

  /** Bytes of encoded lines waiting. */
  get size(): number {
    return this.length - START;
  }

  room(bytes: number): void {
    if (this.length + bytes > this.limit) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + bytes, INITIAL_BATCH_BYTES));
      this.buf.copy(bigger, 0, 0, this.length);
      this.use(bigger);
    }
  }

  private use(buf: Buffer): void {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    this.limit = buf.length;
  }

  putCheckpoint(mark: CheckpointMark): void {
    const at = this.length;
    this.room(mark.line.length);
    this.length += writeLatin1(this.buf, mark.line, at);
    this.line(CHECKPOINT, at, this.marks.length, 0);
    this.marks.push(mark);
  }

  putRecord(r: PendingRecord, seq: number): void {
    this.room(LINE_ROOM);
    const at = this.length;
    let prevAt: number;
    try {
      prevAt = r.capture.writeBody(this, r, seq, PREV);
    } catch (e) {
      this.length = at;
      throw e;
    }
    if (this.length + HASH_TAIL > this.limit) this.room(HASH_TAIL);
    const buf = this.buf;
    const end = this.length;
    buf.set(HASH_OPEN, end);
    const hashAt = end + HASH_OPEN.length;
    buf[hashAt + PREV] = 0x22; // "
    buf[hashAt + PREV + 1] = 0x7d; // }
    buf[hashAt + PREV + 2] = 0x0a; // \n
    this.length = hashAt + PREV + 3;
    this.line(RECORD, at, prevAt, end);
  }

  private line(kind: number, a: number, b: number, c: number): void {
    const lines = this.lines;
    const i = this.used;
    lines[i] = kind;
    lines[i + 1] = a;
    lines[i + 2] = b;
    lines[i + 3] = c;
    this.used = i + 4;
  }

  /**
   * Fills in every blank line so far, in order, from `chain`: each record's prev and hash,
   * each checkpoint's hash and signature. The bytes from START are then the log's lines.
   */
  seal(chain: AuditChain): void {
    const lines = this.lines;
    const buf = this.buf;
    // The last hash, as the chain has it (a string) or, once a record here is sealed, as the
    // 71 bytes at `prevFrom` (copied with copyWithin, not re-encoded); the chain learns the
    // hashes in runs (before a checkpoint is signed, and at the end).
    let prevFrom = -1;
    let sealed = 0;
    let hex = "";
    const used = this.used;
    for (let i = this.sealedUpTo; i < used; i += 4) {
      if (lines[i] === CHECKPOINT) {
        if (sealed > 0) chain.sealRecords(sealed, "sha256:" + hex);
        sealed = 0;
        const at = lines[i + 1]!;
        const mark = this.marks[lines[i + 2]!]!;
        const sig = chain.sign(mark);
        writeLatin1(buf, chain.lastHash, at + mark.hashAt);
        writeLatin1(buf, sig, at + mark.sigAt);
        continue;
      }
      const from = lines[i + 1]! - PREV;
      const prevAt = lines[i + 2]!;
      const end = lines[i + 3]!;
      if (prevFrom >= 0) buf.copyWithin(prevAt, prevFrom, prevFrom + PREV);
      else if (writeLatin1(buf, chain.lastHash, prevAt) !== PREV) throw new Error(`the audit chain's last hash \`${chain.lastHash}\` is not a sha256 hash`);
      buf.copyWithin(SAVE, from, from + PREV);
      buf.copyWithin(from, prevAt, prevAt + PREV);
      buf[end] = 0x7d; // "}": the canonical JSON's closing brace
      hex = digest("sha256", new Uint8Array(buf.buffer, buf.byteOffset + from, end + 1 - from), "hex");
      buf[end] = 0x2c; // ",": back to `,"hash":"`
      buf.copyWithin(from, SAVE, SAVE + PREV);
      const hashAt = end + HASH_OPEN.length;
      buf[hashAt] = 0x73; // s
      buf[hashAt + 1] = 0x68; // h
      buf[hashAt + 2] = 0x61; // a
      buf[hashAt + 3] = 0x32; // 2
      buf[hashAt + 4] = 0x35; // 5
      buf[hashAt + 5] = 0x36; // 6
      buf[hashAt + 6] = 0x3a; // :
      writeLatin1(buf, hex, hashAt + 7);
      prevFrom = hashAt;
      sealed++;
    }
    if (sealed > 0) chain.sealRecords(sealed, "sha256:" + hex);
    this.sealedUpTo = used;
  }

  bytes(): Buffer {
    return this.buf.subarray(START, this.length);
  }

  /** Empties it for reuse; a buffer grown by a burst goes back to its initial size. */
  reset(): void {
    this.length = START;
    this.used = 0;
    if (this.lines.length > 1 << 16) this.lines = [];
    this.marks.length = 0;
    this.sealedUpTo = 0;
    if (this.buf.length > 8 * INITIAL_BATCH_BYTES) this.use(Buffer.allocUnsafe(INITIAL_BATCH_BYTES));
  }
}

// Buffer's own latin1Write when present (every Node.js release has it): what
// `buf.write(s, offset, "latin1")` calls after normalising its arguments.
type RawWrite = (this: Buffer, text: string, offset: number) => number;
const rawLatin1 = (Buffer.prototype as unknown as { latin1Write?: RawWrite }).latin1Write;
function writeLatin1(buf: Buffer, text: string, offset: number): number {
  return rawLatin1 !== undefined ? rawLatin1.call(buf, text, offset) : buf.write(text, offset, "latin1");
}

export interface AuditSink {
  /** Hot path: assigns `record.seq` and queues it, or returns why it cannot be recorded. */
  append(record: PendingRecord): Error | undefined;
  /** Set once the sink has failed for good. */
  readonly failure: Error | undefined;
  /** `listener(error, lost)` is called once when the sink fails; `lost` = accepted records not written. */
  onFailure(listener: (error: Error, lost: number) => void): void;
  /** Resolves when everything accepted so far has been written (not necessarily fsync'd). */
  flush(): Promise<void>;
  /** Writes the final signed checkpoint, fsyncs and closes. Idempotent. */
  close(): Promise<void>;
}

/** Where a batching sink puts bytes. `write` may keep `bytes` until `done`. */
export interface ByteTarget {
  writeSync(bytes: string | Buffer): void;
  write(bytes: Buffer, done: (error: Error | null) => void): void;
  syncSync(): void;
  sync(done: (error: Error | null) => void): void;
  closeSync(): void;
}

export interface BatchingOptions {
  readonly sync: boolean;
  readonly flushIntervalMs: number;
  readonly maxQueue: number;
  /** Most bytes of records waiting (queued + in flight) before `append` refuses. */
  readonly maxQueueBytes: number;
  /** Also checkpoint when this long passed since the last one and records are unsigned (0 = only by count). */
  readonly checkpointIntervalMs: number;
  /** Called with each checkpoint once its line is fsync'd (ship it elsewhere as an anchor). */
  readonly onCheckpoint?: (checkpoint: AuditCheckpoint) => void;
}

export class AuditUnavailableError extends Error {}

export class BatchingSink implements AuditSink {
  /** Encoded records waiting for the next write, and how many. */
  private filling = new BatchBuffer();
  private spare = new BatchBuffer();
  private pending = 0;
  private inFlight = 0;
  /** Bytes of the batch being written. */
  private inFlightBytes = 0;
  private writing = false;
  private scheduled = false;
  private dirty = false;
  private syncing = false;
  private closed = false;
  /** A record is being written into the buffer (see append). */
  private encoding = false;
  private closing: Promise<void> | undefined;
  private failed: Error | undefined;
  private readonly listeners: ((error: Error, lost: number) => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private readonly fullError: Error;
  private readonly fullBytesError: Error;
  private readonly timer: ReturnType<typeof setInterval> | undefined;
  private lastCheckpointAt = Date.now();
  /**
   * Checkpoints on their way to the disk, for onCheckpoint (signed when their batch is
   * sealed): in the batch being written, written but not yet fsync'd (reported after the next fsync).
   */
  private checkpointsWriting: AuditCheckpoint[] = [];
  private checkpointsWritten: AuditCheckpoint[] = [];

  constructor(
    protected readonly chain: AuditChain,
    private readonly target: ByteTarget,
    private readonly options: BatchingOptions,
    openError?: Error,
  ) {
    this.fullError = new AuditUnavailableError(`audit queue full (${options.maxQueue} records waiting to be written)`);
    this.fullBytesError = new AuditUnavailableError(`audit queue full (${options.maxQueueBytes} bytes of records waiting to be written)`);
    if (openError) {
      this.failed = openError;
      return;
    }
    try {
      target.writeSync(chain.opening);
      target.syncSync();
      this.report(chain.takeCheckpoints());
    } catch (e) {
      this.failed = asError(e);
      try {
        target.closeSync(); // the descriptor (and a file log's lock) are not kept for a failed log
      } catch {
        // the first error is the one reported
      }
      return;
    }
    if (!options.sync) {
      this.timer = setInterval(() => this.tick(), options.flushIntervalMs);
      this.timer.unref();
    }
  }

  get failure(): Error | undefined {
    return this.failed;
  }

  /** Records accepted but not yet written. */
  get queued(): number {
    return this.pending + this.inFlight;
  }

  onFailure(listener: (error: Error, lost: number) => void): void {
    this.listeners.push(listener);
    if (this.failed) {
      const error = this.failed;
      queueMicrotask(() => listener(error, 0));
    }
  }

  append(record: PendingRecord): Error | undefined {
    if (this.failed !== undefined) return this.failed;
    if (this.closed) return closedError;
    if (this.options.sync) return this.appendSync(record);
    if (this.pending + this.inFlight >= this.options.maxQueue) return this.fullError;
    if (this.filling.size + this.inFlightBytes >= this.options.maxQueueBytes) return this.fullBytesError;
    // Serialise now, into bytes (hashing and signing wait for the writer: see BatchBuffer): the record
    // must be serialised inside `decide` anyway (a later mutation of the request must not change
    // it), and a record kept as objects until the writer runs would survive young-generation GCs.
    // A getter of the request that decides again (on an enforcer sharing this sink) would
    // interleave two records in the buffer: that inner decision is refused instead.
    if (this.encoding) return reentrantError;
    this.encoding = true;
    try {
      this.chain.encodeOne(record, this.filling);
    } finally {
      this.encoding = false;
    }
    this.pending++;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.drain);
    }
    return undefined;
  }

  private appendSync(record: PendingRecord): Error | undefined {
    if (this.encoding) return reentrantError;
    const out = this.spare; // unused in sync mode (nothing is batched)
    this.encoding = true;
    try {
      this.chain.encodeOne(record, out);
    } finally {
      this.encoding = false;
    }
    try {
      out.seal(this.chain);
      this.target.writeSync(out.bytes());
      out.reset();
      this.target.syncSync();
      this.report(this.chain.takeCheckpoints());
      return undefined;
    } catch (e) {
      this.fail(asError(e), 1);
      return this.failed;
    }
  }

  private readonly drain = (): void => {
    this.scheduled = false;
    if (this.failed) return;
    const out = this.filling;
    // Seal what the decisions of this turn added (hashes, signatures: see BatchBuffer), even
    // while a write is in flight: the work stays spread over turns as the decisions were,
    // instead of piling up into one long pause when a slow write ends.
    try {
      out.seal(this.chain);
    } catch (e) {
      this.fail(asError(e), 0); // counts the pending records as lost
      return;
    }
    if (this.writing) return; // the write's completion drains again
    if (out.size === 0) {
      this.notifyIdle();
      return;
    }
    this.filling = this.spare;
    this.spare = out;
    this.inFlight = this.pending;
    this.inFlightBytes = out.size;
    this.pending = 0;
    this.writing = true;
    this.checkpointsWriting = this.chain.takeCheckpoints();
    this.target.write(out.bytes(), (error) => {
      this.writing = false;
      out.reset();
      const written = this.inFlight;
      this.inFlight = 0;
      this.inFlightBytes = 0;
      if (error) {
        this.fail(error, written);
        return;
      }
      if (this.checkpointsWriting.length > 0) {
        this.checkpointsWritten.push(...this.checkpointsWriting);
        this.checkpointsWriting = [];
      }
      this.dirty = true;
      if (this.filling.size > 0) {
        if (!this.scheduled) {
          this.scheduled = true;
          setImmediate(this.drain);
        }
      } else this.notifyIdle();
    });
  };

  private tick(): void {
    this.timedCheckpoint();
    if (this.failed || this.syncing || !this.dirty) return;
    this.dirty = false;
    this.syncing = true;
    const synced = this.checkpointsWritten.splice(0);
    this.target.sync((error) => {
      this.syncing = false;
      if (error) this.fail(error, 0);
      else this.report(synced);
    });
  }

  /** Hands checkpoints now on disk to onCheckpoint (a failing handler is reported, never fatal). */
  private report(checkpoints: readonly AuditCheckpoint[]): void {
    const handler = this.options.onCheckpoint;
    if (handler === undefined) return;
    for (const cp of checkpoints) {
      try {
        handler(cp);
      } catch (e) {
        process.emitWarning(`edict audit: onCheckpoint threw for seq ${cp.seq}: ${asError(e).message}`);
      }
    }
  }

  /** A quiet service still gets its recent records signed within checkpointIntervalMs. */
  private timedCheckpoint(): void {
    const every = this.options.checkpointIntervalMs;
    if (every <= 0 || this.failed || this.closed || this.chain.checkpointed) return;
    const now = Date.now();
    if (now - this.lastCheckpointAt < every) return;
    this.lastCheckpointAt = now;
    this.filling.putCheckpoint(this.chain.mark());
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.drain);
    }
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters.splice(0);
    for (const w of waiters) w();
  }

  private fail(error: Error, lostInFlight: number): void {
    if (this.failed) return;
    this.failed = error;
    const lost = lostInFlight + this.pending;
    this.pending = 0;
    this.filling.reset();
    if (this.timer) clearInterval(this.timer);
    for (const l of this.listeners) {
      try {
        l(error, lost);
      } catch {
        // a listener's failure must not stop the others
      }
    }
    this.notifyIdle();
    try {
      this.target.closeSync();
    } catch {
      // already failing; the first error is the one reported
    }
  }

  flush(): Promise<void> {
    if (this.failed || (!this.writing && this.filling.size === 0)) return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      if (!this.scheduled && !this.writing) {
        this.scheduled = true;
        setImmediate(this.drain);
      }
    });
  }

  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    this.closed = true; // later decisions are refused: the final checkpoint must be last
    while (!this.failed && (this.writing || this.filling.size > 0)) await this.flush();
    if (this.timer) clearInterval(this.timer);
    if (this.failed) return;
    try {
      this.target.writeSync(this.chain.checkpoint(true));
      this.target.syncSync();
      this.target.closeSync();
      this.report([...this.checkpointsWritten.splice(0), ...this.chain.takeCheckpoints()]);
    } catch (e) {
      this.fail(asError(e), 0);
    }
  }
}

const closedError = new AuditUnavailableError("audit log closed");
const reentrantError = new AuditUnavailableError("a decision made while another decision's record was being written (from a getter of its request) cannot be recorded");

export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
