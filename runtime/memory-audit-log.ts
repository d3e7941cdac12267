// `memoryAuditLog()`: the same log format and batching as fileAuditLog, kept in memory.
// For tests and for embedding in other stores. Input: optional signing key (a fresh key
// pair otherwise, exposed as `publicKey`); output: an AuditSink with `text()`/`lines()`.
// `failAfterBytes` makes writes fail once that many bytes are stored, like a full disk.
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { AuditChain, type AuditCheckpoint } from "./audit-chain.ts";
import { loadPrivateKey, loadPublicKey, type KeyInput } from "./audit-keys.ts";
import { BatchingSink, type AuditSink, type ByteTarget } from "./audit-sink.ts";
import { LOG_OPTION_ALIASES, LOG_OPTION_CHECKS } from "./file-audit-log.ts";
import { checkOptions } from "./options.ts";

export interface MemoryAuditLogOptions {
  readonly signingKey?: KeyInput;
  readonly checkpointEvery?: number;
  /** Also write a checkpoint when records have waited this long unsigned (default 60,000 ms; 0 = only every N). */
  readonly checkpointIntervalMs?: number;
  readonly maxQueue?: number;
  /** Most bytes of records waiting to be written (default 64 MiB). */
  readonly maxQueueBytes?: number;
  readonly sync?: boolean;
  /** How often the "fsync" (a no-op here) and the timed-checkpoint check run (default 100 ms). */
  readonly flushIntervalMs?: number;
  /** Simulate a full disk: writes fail with ENOSPC once this many bytes are stored. */
  readonly failAfterBytes?: number;
  /**
   * Called with each signed checkpoint once its line is fsync'd: ship `checkpoint.anchor` where
   * this host cannot write, and pass it to `edict audit verify --anchor` (a log cut back or
   * rewritten before it is then tampered). A handler that throws is reported, never fatal.
   */
  readonly onCheckpoint?: (checkpoint: AuditCheckpoint) => void;
}

export interface MemoryAuditLog extends AuditSink {
  readonly publicKey: KeyObject;
  text(): string;
  /** Lines without their newline (a torn last line is not possible in memory). */
  lines(): string[];
}

export function memoryAuditLog(options: MemoryAuditLogOptions = {}): MemoryAuditLog {
  checkOptions("memoryAuditLog", options, { ...LOG_OPTION_CHECKS, failAfterBytes: (v) => (Number.isInteger(v) && (v as number) >= 0 ? undefined : "a byte count (an integer ≥ 0)") }, LOG_OPTION_ALIASES);
  const signingKey = options.signingKey === undefined ? generateKeyPairSync("ed25519").privateKey : loadPrivateKey(options.signingKey);
  const chain = new AuditChain({ signingKey, checkpointEvery: options.checkpointEvery ?? 1000 });
  const chunks: string[] = [];
  let size = 0;
  const store = (bytes: string | Buffer): void => {
    const text = typeof bytes === "string" ? bytes : bytes.toString("utf8");
    if (options.failAfterBytes !== undefined && size + text.length > options.failAfterBytes) {
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    }
    chunks.push(text);
    size += text.length;
  };
  const target: ByteTarget = {
    writeSync: store,
    write(bytes, done) {
      const text = bytes.toString("utf8"); // copy now: the sink reuses its buffer after `done`
      setImmediate(() => {
        try {
          store(text);
          done(null);
        } catch (e) {
          done(e as Error);
        }
      });
    },
    syncSync() {},
    sync(done) {
      queueMicrotask(() => done(null));
    },
    closeSync() {},
  };
  const sink = new BatchingSink(chain, target, {
    sync: options.sync ?? false,
    flushIntervalMs: options.flushIntervalMs ?? 100,
    maxQueue: options.maxQueue ?? 50_000,
    maxQueueBytes: options.maxQueueBytes ?? 64 << 20,
    checkpointIntervalMs: options.checkpointIntervalMs ?? 60_000,
    onCheckpoint: options.onCheckpoint,
  });
  return Object.assign(sink, {
    publicKey: loadPublicKey(signingKey),
    text: () => chunks.join(""),
    lines: () => chunks.join("").split("\n").slice(0, -1),
  });
}
