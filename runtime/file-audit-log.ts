// `fileAuditLog(path, options)`: an append-only JSONL audit file. Input: a path and an
// Ed25519 signing key; output: an AuditSink (audit-sink.ts) writing to a descriptor opened
// with O_APPEND, batches via fs.write off the hot path, fsync every `flushIntervalMs` and on
// close. An existing log is continued: its end is checked first (audit-reopen.ts: complete
// last line, last checkpoint signed by this key, the records after it chained), then a signed
// resume checkpoint is written and seq/prev go on from the last record. A log that cannot be
// continued (torn or tampered tail, another key, not an audit log) fails the sink — and with
// it, by default, every decision — with a clear message. Invariant: one writer at a time per
// file (two appending to one log would fork the chain): a lock file is taken before the log is
// read (audit-file-lock.ts) and removed when it closes.
import { createPublicKey } from "node:crypto";
import { closeSync, fstatSync, fsync, fsyncSync, openSync, write, writeSync } from "node:fs";
import { AuditChain, type AuditCheckpoint, type ChainOptions } from "./audit-chain.ts";
import { loadPrivateKey, type KeyInput } from "./audit-keys.ts";
import { acquireLogLock } from "./audit-file-lock.ts";
import { readChainEnd } from "./audit-reopen.ts";
import { asError, BatchingSink, type AuditSink, type ByteTarget } from "./audit-sink.ts";

export interface FileAuditLogOptions {
  /** Ed25519 private key (PEM text or KeyObject) that signs checkpoints. Required. */
  readonly signingKey: KeyInput;
  /** Records between signed checkpoints (default 1000). */
  readonly checkpointEvery?: number;
  /** Also write a checkpoint when records have waited this long unsigned (default 60,000 ms; 0 = only every N). */
  readonly checkpointIntervalMs?: number;
  /** fsync every record inside `decide` (slow: one disk flush per decision). Default false. */
  readonly sync?: boolean;
  /** How often written data is fsync'd (default 100 ms). */
  readonly flushIntervalMs?: number;
  /** Most records waiting to be written before `decide` applies the failure policy (default 50,000). */
  readonly maxQueue?: number;
  /** File mode when the file is created (default 0o600: records hold request data). */
  readonly mode?: number;
  /**
   * Called with each signed checkpoint once its line is fsync'd: ship `checkpoint.anchor` where
   * this host cannot write, and pass it to `edict audit verify --anchor` (a log cut back or
   * rewritten before it is then tampered). A handler that throws is reported, never fatal.
   */
  readonly onCheckpoint?: (checkpoint: AuditCheckpoint) => void;
}

export interface FileAuditLog extends AuditSink {
  readonly path: string;
  /** `sha256:<hex>` of the public key that verifies this log. */
  readonly keyFingerprint: string;
}

export function fileAuditLog(path: string, options: FileAuditLogOptions): FileAuditLog {
  const signingKey = loadPrivateKey(options.signingKey);
  const chainOptions: { -readonly [K in keyof ChainOptions]: ChainOptions[K] } = { signingKey, checkpointEvery: positiveInt(options.checkpointEvery, 1000, "checkpointEvery") };
  let fd = -1;
  let openError: Error | undefined;
  let release: (() => void) | undefined;
  try {
    release = acquireLogLock(path);
    fd = openSync(path, "a+", options.mode ?? 0o600);
    const size = fstatSync(fd).size;
    if (size > 0) {
      // Continue the existing chain; the header's checkpointEvery is what verifiers check.
      const end = readChainEnd(fd, size, createPublicKey(signingKey), path);
      chainOptions.checkpointEvery = end.checkpointEvery;
      chainOptions.resume = { seq: end.seq, hash: end.hash };
    }
  } catch (e) {
    if (fd >= 0) closeSync(fd);
    fd = -1;
    release?.();
    release = undefined;
    openError = asError(e);
  }
  const chain = new AuditChain(chainOptions);
  const sink = new BatchingSink(chain, fdTarget(() => fd, () => {
    fd = -1;
    release?.();
  }), {
    sync: options.sync ?? false,
    flushIntervalMs: positiveInt(options.flushIntervalMs, 100, "flushIntervalMs"),
    maxQueue: positiveInt(options.maxQueue, 50_000, "maxQueue"),
    checkpointIntervalMs: options.checkpointIntervalMs === 0 ? 0 : positiveInt(options.checkpointIntervalMs, 60_000, "checkpointIntervalMs"),
    onCheckpoint: options.onCheckpoint,
  }, openError);
  return Object.assign(sink, { path, keyFingerprint: chain.fingerprint });
}

function fdTarget(fd: () => number, forget: () => void): ByteTarget {
  return {
    writeSync(bytes) {
      const buf = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes;
      let off = 0;
      while (off < buf.length) off += writeSync(fd(), buf, off);
    },
    write(buf, done) {
      const step = (off: number): void => {
        write(fd(), buf, off, buf.length - off, null, (error, n) => {
          if (error) done(error);
          else if (off + n < buf.length) step(off + n);
          else done(null);
        });
      };
      step(0);
    },
    syncSync() {
      fsyncSync(fd());
    },
    sync(done) {
      fsync(fd(), (error) => done(error));
    },
    closeSync() {
      const f = fd();
      if (f < 0) return;
      forget();
      closeSync(f);
    },
  };
}

export function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`\`${name}\` must be a positive integer, not ${value}`);
  return value;
}
