// Reopening an existing audit log file: where its chain stands at the end, checked before a
// new process continues it. Input: a descriptor open for reading, the file's size and the
// public half of the signing key; output: the last record's seq and hash and the header's
// checkpointEvery, or an Error saying plainly why the log cannot be continued.
// What is checked (the tail, not the whole file: a service must start in bounded time):
//  - line 1 is an `edict-audit/1` header naming this signing key;
//  - the file ends with a complete line (a torn last line, left by a crash, is refused: the
//    recovery is to move the file aside, where it verifies as `incomplete`, and start anew);
//  - the last checkpoint verifies with the key, and every line after it chains from it (seq,
//    prev, hash) — the records a crash left unsigned are then signed by the resume checkpoint.
// The whole file is verified by `edict audit verify`; this only makes sure a new writer never
// extends a chain whose end it cannot vouch for.
import { readSync } from "node:fs";
import type { KeyObject } from "node:crypto";
import { AuditVerifier } from "./audit-verify.ts";

export interface ChainPosition {
  readonly seq: number;
  readonly hash: string;
  readonly checkpointEvery: number;
}

const CHUNK = 1 << 20;
const MAX_HEADER = 64 << 10;

export function readChainEnd(fd: number, size: number, publicKey: KeyObject, path: string): ChainPosition {
  const refuse = (why: string): Error =>
    new Error(`cannot continue the audit log \`${path}\`: ${why}; check it with \`edict audit verify\`, or move it aside and start a new file`);

  // Line 1: the header.
  const head = Buffer.alloc(Math.min(size, MAX_HEADER));
  readAt(fd, head, 0);
  const nl = head.indexOf(10);
  if (nl < 0) throw refuse(size <= MAX_HEADER ? "its header line is torn (an interrupted write)" : "line 1 is not an edict audit log header");
  const headerEnd = nl + 1;
  const v = new AuditVerifier(publicKey);
  if (!v.line(head.subarray(0, nl).toString("utf8"))) throw refuse(problemOf(v));

  // A crash can leave a torn last line: never continue after one.
  const last = Buffer.alloc(1);
  readAt(fd, last, size - 1);
  if (last[0] !== 10) throw refuse("its last line is torn (an interrupted write, e.g. after kill -9)");

  // Read back from the end until the last checkpoint line (or the header): chunks are searched
  // as bytes (only the new chunk, plus the bytes of a marker it may cut), text is decoded once.
  const marker = Buffer.from('\n{"type":"checkpoint"');
  const chunks: Buffer[] = []; // from the end backwards
  let from = size;
  let at = -1; // offset in chunks[last] (the earliest) of the last checkpoint line's first byte
  while (from > headerEnd && at < 0) {
    const n = Math.min(CHUNK, from - headerEnd);
    from -= n;
    const chunk = Buffer.alloc(n);
    readAt(fd, chunk, from);
    const next = chunks[chunks.length - 1];
    chunks.push(chunk);
    // the marker may straddle this chunk and the one after it
    const window = next === undefined ? chunk : Buffer.concat([chunk, next.subarray(0, marker.length - 1)]);
    const hit = window.lastIndexOf(marker);
    if (hit >= 0) at = hit + 1;
    else if (from === headerEnd && window.subarray(0, marker.length - 1).equals(marker.subarray(1))) at = 0; // right after the header
  }
  const tail = Buffer.concat(chunks.reverse());
  // Complete lines from the checkpoint (or, without one, from just after the header).
  const lines = tail.subarray(at < 0 ? 0 : at, tail.length - 1).toString("utf8").split("\n");
  const start = at < 0 ? -1 : 0;
  if (tail.length === 0) lines.length = 0;
  // start < 0: no checkpoint yet, the chain is checked from the header (genesis)
  if (start >= 0 && !v.startAt(lines[start]!)) throw refuse(problemOf(v));
  for (let i = start + 1; i < lines.length; i++) if (!v.line(lines[i]!)) throw refuse(problemOf(v));
  return v.position;
}

function problemOf(v: AuditVerifier): string {
  const r = v.finish();
  return r.problem ?? "it is not a valid audit log";
}

function readAt(fd: number, into: Buffer, position: number): void {
  let off = 0;
  while (off < into.length) {
    const n = readSync(fd, into, off, into.length - off, position + off);
    if (n === 0) throw new Error("the file is shorter than it was a moment ago");
    off += n;
  }
}
