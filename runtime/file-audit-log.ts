// `fileAuditLog(path, options)`: an append-only JSONL audit file. Input: a path and an
// Ed25519 signing key; output: an AuditSink (audit-sink.ts) writing to a descriptor opened
// with O_APPEND, batches via fs.write off the hot path, fsync every `flushIntervalMs` and on
// close. Invariant: a log file is written by exactly one sink, from its header on; an
// existing non-empty file is never appended to (a second writer would fork the chain), so
// opening one fails the sink (and with it, by default, every decision) with a clear message.
import { closeSync, fstatSync, fsync, fsyncSync, openSync, write, writeSync } from "node:fs";
import { AuditChain } from "./audit-chain.ts";
import { loadPrivateKey, type KeyInput } from "./audit-keys.ts";
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
}

export interface FileAuditLog extends AuditSink {
  readonly path: string;
  /** `sha256:<hex>` of the public key that verifies this log. */
  readonly keyFingerprint: string;
}

export function fileAuditLog(path: string, options: FileAuditLogOptions): FileAuditLog {
  const chain = new AuditChain({ signingKey: loadPrivateKey(options.signingKey), checkpointEvery: positiveInt(options.checkpointEvery, 1000, "checkpointEvery") });
  let fd = -1;
  let openError: Error | undefined;
  try {
    fd = openSync(path, "a", options.mode ?? 0o600);
    if (fstatSync(fd).size > 0) {
      closeSync(fd);
      fd = -1;
      throw new Error(`\`${path}\` already holds an audit log; each enforcer writes a new file (put the date or pid in its name)`);
    }
  } catch (e) {
    openError = asError(e);
  }
  const sink = new BatchingSink(chain, fdTarget(() => fd, () => (fd = -1)), {
    sync: options.sync ?? false,
    flushIntervalMs: positiveInt(options.flushIntervalMs, 100, "flushIntervalMs"),
    maxQueue: positiveInt(options.maxQueue, 50_000, "maxQueue"),
    checkpointIntervalMs: options.checkpointIntervalMs === 0 ? 0 : positiveInt(options.checkpointIntervalMs, 60_000, "checkpointIntervalMs"),
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
