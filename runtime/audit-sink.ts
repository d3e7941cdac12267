// The audit sink: what the enforcer hands records to, and the batching writer behind every
// sink. Input: PendingRecords on the hot path (`append`: assign seq, hash into the chain,
// UTF-8 encode into a reusable buffer — nothing is retained as JS objects, see BatchBuffer);
// output: batches written to a ByteTarget off the hot path (setImmediate), fsync'd on an
// interval and on close, plus timed checkpoints. Invariants:
//  - at most one batch write in flight, batches in seq order, so the file is always a chain
//    prefix followed by at most one torn line;
//  - the queue (queued + in flight) never exceeds maxQueue: `append` refuses instead;
//  - once a write or fsync fails the sink is failed for good: it refuses every later record
//    and reports the failure (and how many decided records were lost) to its listener;
//  - `sync: true` writes and fsyncs inside `append`, so an accepted record is on disk.
import { hash as digest } from "node:crypto";
import { AuditChain, recordLine, type LineOut, type PendingRecord } from "./audit-chain.ts";

/**
 * A reusable byte buffer lines are UTF-8 encoded into, straight from the record strings:
 * no joined batch string, no per-batch Buffer (measured: the join + Buffer.from path costs
 * several times the hashing). Two of them alternate, one being written while one fills.
 *
 * A record is hashed over its bytes in the buffer, not over a string: the hash input is
 * `prev` followed by the record's canonical JSON, so `prev` is written into the PREV_ROOM bytes
 * just before the line (the tail of the line before it, or the reserved room at the start),
 * hashed together with the line, and those bytes are put back. Hashing a string instead made
 * V8 copy the record into a flat string twice (hash input, then the line), which the garbage
 * collector then had to clear.
 */
const INITIAL_BATCH_BYTES = 4 << 20; // a 1000-decision burst (~0.9 MB) several times over: no growth copies
const PREV_ROOM = 71; // "sha256:" + 64 hex digits
const HASH_SUFFIX_ROOM = 80; // ',"hash":"' + prev-sized hash + '"}\n'

class BatchBuffer implements LineOut {
  private buf = Buffer.alloc(0); // allocated on first use: many short-lived logs stay small
  length = PREV_ROOM;

  /** Bytes of encoded lines waiting. */
  get size(): number {
    return this.length - PREV_ROOM;
  }

  private room(bytes: number): void {
    if (this.length + bytes > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + bytes, INITIAL_BATCH_BYTES));
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
  }

  put(line: string): void {
    this.room(line.length * 3);
    this.length += this.buf.write(line, this.length, "utf8");
  }

  putRecord(prev: string, body: string): string {
    if (prev.length !== PREV_ROOM) {
      const { line, hash } = recordLine(prev, body);
      this.put(line);
      return hash;
    }
    // room for the line, and PREV_ROOM bytes at the very end of the buffer where the bytes
    // `prev` covers are kept meanwhile (copyWithin: no wrapper, no view objects)
    this.room(body.length * 3 + 1 + HASH_SUFFIX_ROOM + PREV_ROOM);
    const buf = this.buf;
    const keep = buf.length - PREV_ROOM;
    const at = this.length;
    const from = at - PREV_ROOM;
    buf.copyWithin(keep, from, at);
    writeLatin1(buf, prev, from);
    let end = at + writeUtf8(buf, body, at);
    buf[end] = 0x7d; // "}"
    const h = "sha256:" + digest("sha256", new Uint8Array(buf.buffer, buf.byteOffset + from, end + 1 - from), "hex");
    buf.copyWithin(from, keep, keep + PREV_ROOM);
    end += writeLatin1(buf, ',"hash":"' + h + '"}\n', end);
    this.length = end;
    return h;
  }

  bytes(): Buffer {
    return this.buf.subarray(PREV_ROOM, this.length);
  }

  /** Empties it for reuse; a buffer grown by a burst goes back to its initial size. */
  reset(): void {
    this.length = PREV_ROOM;
    if (this.buf.length > 8 * INITIAL_BATCH_BYTES) this.buf = Buffer.allocUnsafe(INITIAL_BATCH_BYTES);
  }
}

// Buffer's own latin1Write/utf8Write when present (every Node.js release has them): what
// `buf.write(s, offset, encoding)` calls after normalising its arguments, three times per record.
type RawWrite = (this: Buffer, text: string, offset: number) => number;
const proto = Buffer.prototype as unknown as { latin1Write?: RawWrite; utf8Write?: RawWrite };
const rawLatin1 = typeof proto.latin1Write === "function" ? proto.latin1Write : undefined;
const rawUtf8 = typeof proto.utf8Write === "function" ? proto.utf8Write : undefined;
function writeLatin1(buf: Buffer, text: string, offset: number): number {
  return rawLatin1 !== undefined ? rawLatin1.call(buf, text, offset) : buf.write(text, offset, "latin1");
}
function writeUtf8(buf: Buffer, text: string, offset: number): number {
  return rawUtf8 !== undefined ? rawUtf8.call(buf, text, offset) : buf.write(text, offset, "utf8");
}

class StringLines implements LineOut {
  text = "";
  put(line: string): void {
    this.text += line;
  }
  putRecord(prev: string, body: string): string {
    const { line, hash } = recordLine(prev, body);
    this.text += line;
    return hash;
  }
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
  /** Also checkpoint when this long passed since the last one and records are unsigned (0 = only by count). */
  readonly checkpointIntervalMs: number;
}

export class AuditUnavailableError extends Error {}

export class BatchingSink implements AuditSink {
  /** Encoded records waiting for the next write, and how many. */
  private filling = new BatchBuffer();
  private spare = new BatchBuffer();
  private pending = 0;
  private inFlight = 0;
  private writing = false;
  private scheduled = false;
  private dirty = false;
  private syncing = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  private failed: Error | undefined;
  private readonly listeners: ((error: Error, lost: number) => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private readonly fullError: Error;
  private readonly timer: ReturnType<typeof setInterval> | undefined;
  private lastCheckpointAt = Date.now();

  constructor(
    protected readonly chain: AuditChain,
    private readonly target: ByteTarget,
    private readonly options: BatchingOptions,
    openError?: Error,
  ) {
    this.fullError = new AuditUnavailableError(`audit queue full (${options.maxQueue} records waiting to be written)`);
    if (openError) {
      this.failed = openError;
      return;
    }
    try {
      target.writeSync(chain.opening);
      target.syncSync();
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
    record.seq = this.chain.nextSeq();
    // Encode (hash, and sign when a checkpoint is due) now, into bytes: a record kept as
    // strings until the writer runs survives young-generation GCs, and copying those strings
    // cost more than the hashing itself (measured: GC was 40% of the audited run).
    this.chain.encodeOne(record, this.filling);
    this.pending++;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.drain);
    }
    return undefined;
  }

  private appendSync(record: PendingRecord): Error | undefined {
    record.seq = this.chain.nextSeq();
    const out = new StringLines();
    this.chain.encodeOne(record, out);
    try {
      this.target.writeSync(out.text);
      this.target.syncSync();
      return undefined;
    } catch (e) {
      this.fail(asError(e), 1);
      return this.failed;
    }
  }

  private readonly drain = (): void => {
    this.scheduled = false;
    if (this.writing || this.failed) return;
    if (this.filling.size === 0) {
      this.notifyIdle();
      return;
    }
    const out = this.filling;
    this.filling = this.spare;
    this.spare = out;
    this.inFlight = this.pending;
    this.pending = 0;
    this.writing = true;
    this.target.write(out.bytes(), (error) => {
      this.writing = false;
      out.reset();
      const written = this.inFlight;
      this.inFlight = 0;
      if (error) {
        this.fail(error, written);
        return;
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
    this.target.sync((error) => {
      this.syncing = false;
      if (error) this.fail(error, 0);
    });
  }

  /** A quiet service still gets its recent records signed within checkpointIntervalMs. */
  private timedCheckpoint(): void {
    const every = this.options.checkpointIntervalMs;
    if (every <= 0 || this.failed || this.closed || this.chain.checkpointed) return;
    const now = Date.now();
    if (now - this.lastCheckpointAt < every) return;
    this.lastCheckpointAt = now;
    this.filling.put(this.chain.checkpoint(false));
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
    } catch (e) {
      this.fail(asError(e), 0);
    }
  }
}

const closedError = new AuditUnavailableError("audit log closed");

export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
