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
import { dirname } from "node:path";
import { AuditChain, type AuditCheckpoint, type ChainOptions } from "./audit-chain.ts";
import { loadPrivateKey, type KeyInput } from "./audit-keys.ts";
import { acquireLogLock } from "./audit-file-lock.ts";
import { ioReason } from "./io-reason.ts";
import { readChainEnd } from "./audit-reopen.ts";
import { asError, BatchingSink, type AuditSink, type ByteTarget } from "./audit-sink.ts";
import { checkOptions, describe, isAny, isBoolean, isFunction, isPositiveInt, type OptionCheck } from "./options.ts";

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
  /** Most bytes of records waiting to be written before `decide` applies the failure policy (default 64 MiB): large requests make large records. */
  readonly maxQueueBytes?: number;
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

/** The options both logs take (memoryAuditLog adds its own). */
export const LOG_OPTION_CHECKS: Readonly<Record<string, OptionCheck>> = {
  signingKey: isAny, // loadPrivateKey says what is wrong with a key
  checkpointEvery: isPositiveInt,
  checkpointIntervalMs: (v) => (v === 0 || isPositiveInt(v) === undefined ? undefined : "0 (only every checkpointEvery records) or a positive integer"),
  sync: isBoolean,
  flushIntervalMs: isPositiveInt,
  maxQueue: isPositiveInt,
  maxQueueBytes: isPositiveInt,
  onCheckpoint: isFunction,
};
/** Names people reach for, and the option they mean. */
export const LOG_OPTION_ALIASES: Readonly<Record<string, string>> = { key: "signingKey", privateKey: "signingKey", signingKeyPem: "signingKey", privateKeyPem: "signingKey" };

export function fileAuditLog(path: string, options: FileAuditLogOptions): FileAuditLog {
  if (typeof path !== "string" || path === "") throw new TypeError(`fileAuditLog: the log's path must be a non-empty string, not ${describe(path)}`);
  checkOptions("fileAuditLog", options, { ...LOG_OPTION_CHECKS, mode: isPositiveInt }, LOG_OPTION_ALIASES);
  if (options?.signingKey === undefined) {
    throw new TypeError("fileAuditLog: `signingKey` is required: the Ed25519 private key (PEM text or a KeyObject) that signs the log's checkpoints; `edict audit keygen --out DIR` makes a key pair");
  }
  const signingKey = loadPrivateKey(options.signingKey);
  const chainOptions: { -readonly [K in keyof ChainOptions]: ChainOptions[K] } = { signingKey, checkpointEvery: options.checkpointEvery ?? 1000 };
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
    openError = openFailure(e, path);
  }
  const chain = new AuditChain(chainOptions);
  const sink = new BatchingSink(chain, fdTarget(() => fd, () => {
    fd = -1;
    release?.();
  }), {
    sync: options.sync ?? false,
    flushIntervalMs: options.flushIntervalMs ?? 100,
    maxQueue: options.maxQueue ?? 50_000,
    maxQueueBytes: options.maxQueueBytes ?? 64 << 20,
    checkpointIntervalMs: options.checkpointIntervalMs ?? 60_000,
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

/** Why a log could not be opened, in the deployment's terms (the errno code kept in the message and on `code`). */
function openFailure(e: unknown, path: string): Error {
  const error = asError(e);
  const code = (error as NodeJS.ErrnoException).code;
  const denied = "permission denied: the process's user may not create or append to it (check the owner and mode of the file and its directory)";
  // what to do about it, where the shared wording (io-reason.ts) cannot say
  const specific: Record<string, string> = {
    ENOENT: `its directory \`${dirname(path)}\` does not exist: create it, or give another path`,
    EISDIR: "it is a directory: give the path of the log file in it",
    EACCES: denied,
    EPERM: denied,
  };
  const why = code !== undefined && Object.hasOwn(specific, code) ? specific[code] : ioReason(error);
  if (why === undefined) return error;
  return Object.assign(new Error(`cannot open the audit log \`${path}\` (${code}): ${why}`, { cause: error }), { code });
}
