// Canonical JSON (RFC 8785) written as UTF-8 bytes straight into a byte buffer: the audit
// record writer's form of canonical-json.ts. Input: a ByteOut (buffer + write position) and a
// value; output: the bytes of exactly `Buffer.from(canonicalizeRequest(value, mask, masker))`
// appended at `out.length` (property-tested against the string serialiser, which stays the
// definition and what verification uses). Invariants:
//  - byte-identical to the string serialiser, including its treatment of hostile input: cycles,
//    throwing getters/toJSON/Proxy traps, BigInt, dropped members, the 100,000-object budget;
//  - never leaves partial output behind: an object whose serialisation throws is rewound and
//    written as "[unreadable]", as the string form does.
// Why: building a request's JSON as a string and then encoding it made V8 allocate a rope of
// dozens of pieces, flatten it into a copy and collect both; here plain ASCII (nearly all of a
// request) is stored byte by byte, key literals are pre-encoded per object shape and copied
// with one `set`, and only a string needing escapes or non-ASCII goes through `quote` and the
// native UTF-8 encoder. A request whose shape recurs is written by a writer compiled for it
// (compiled-request-writer.ts), which hands any subtree it does not expect back to the generic
// writer here (writeObject / writeArray / writeMembers / member, each from a given step).
import { rootWriter, type WriterKit } from "./compiled-request-writer.ts";
import { chunk, MAX_NODES, quote, serializeUnmasked, shapeOf, type Chunk, type Masker, type MaskTree, type Shape } from "./canonical-json.ts";

/**
 * A growable byte buffer with a write position and a DataView of the same bytes; `room(n)`
 * guarantees n free bytes after `length` (it may replace `buf` and `view`).
 */
export interface ByteOut {
  buf: Buffer;
  view: DataView;
  length: number;
  /** buf.length, as a plain field (read before every store). */
  limit: number;
  room(bytes: number): void;
}

/** A masker that can also give a masked string value's bytes (mask.ts caches them). */
export interface ByteMasker extends Masker {
  bytes?(value: string): Chunk;
}

// Strings longer than this are scanned by `quote` and encoded natively (one call, ~50 ns)
// instead of stored char by char (~2 ns a char).
const NATIVE_STRING = 48;

const utf8Write = (Buffer.prototype as unknown as { utf8Write?: (this: Buffer, s: string, at: number) => number }).utf8Write;

/** Writes the UTF-8 bytes of `text` (any string) at out.length. */
export function writeText(out: ByteOut, text: string): void {
  const need = text.length * 3;
  if (out.length + need > out.limit) out.room(need);
  out.length += utf8Write !== undefined ? utf8Write.call(out.buf, text, out.length) : out.buf.write(text, out.length, "utf8");
}

/** Writes `bytes` at out.length: four at a time (DataView stores, inlined by the compiler), padding included. */
export function writeBytes(out: ByteOut, bytes: Chunk): void {
  const w = bytes.words;
  const n = w.length;
  if (out.length + n * 4 > out.limit) out.room(n * 4);
  let p = out.length;
  out.length = p + bytes.length;
  if (n > 12) {
    out.buf.set(bytes.bytes, p); // one call (~13 ns) beats 13+ stores
    return;
  }
  const view = out.view;
  for (let i = 0; i < n; i++, p += 4) view.setUint32(p, w[i]!, true);
}

/** Writes an ASCII string (numbers, hex, ISO times) at out.length, char by char. */
export function writeAscii(out: ByteOut, s: string): void {
  const n = s.length;
  if (out.length + n > out.limit) out.room(n);
  const u = out.buf;
  let p = out.length;
  for (let i = 0; i < n; i++) u[p++] = s.charCodeAt(i);
  out.length = p;
}

/** Writes a non-negative safe integer's decimal digits (what String(n) gives), without a string. */
export function writeUint(out: ByteOut, n: number): void {
  if (!(n >= 0 && n <= Number.MAX_SAFE_INTEGER && Math.floor(n) === n)) {
    writeAscii(out, Number.isFinite(n) ? String(n) : "null");
    return;
  }
  let digits = 1;
  for (let pow = 10; n >= pow && digits < 16; pow *= 10) digits++;
  if (out.length + digits > out.limit) out.room(digits);
  const u = out.buf;
  let p = out.length + digits;
  out.length = p;
  for (; n >= 0x80000000; n = Math.floor(n / 10)) u[--p] = 48 + (n % 10);
  let m = n | 0; // int32 arithmetic from here on
  do {
    const q = (m / 10) | 0;
    u[--p] = 48 + (m - q * 10);
    m = q;
  } while (m > 0);
}

/** Writes the JSON string literal of `s` (identical to the bytes of quote(s)). */
export function writeString(out: ByteOut, s: string): void {
  const n = s.length;
  if (n > NATIVE_STRING) {
    writeText(out, quote(s));
    return;
  }
  if (out.length + n * 3 + 6 > out.limit) out.room(n * 3 + 6);
  const u = out.buf;
  const view = out.view;
  const start = out.length;
  let p = start;
  u[p++] = 0x22;
  let i = 0;
  // four chars at a time: one table test and one 32-bit store
  for (; i + 4 <= n; i += 4) {
    const c0 = s.charCodeAt(i);
    const c1 = s.charCodeAt(i + 1);
    const c2 = s.charCodeAt(i + 2);
    const c3 = s.charCodeAt(i + 3);
    if ((c0 | c1 | c2 | c3) >= 0x80 || (PLAIN[c0]! & PLAIN[c1]! & PLAIN[c2]! & PLAIN[c3]!) === 0) {
      out.length = start;
      writeText(out, quote(s));
      return;
    }
    view.setUint32(p, c0 | (c1 << 8) | (c2 << 16) | (c3 << 24), true);
    p += 4;
  }
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || PLAIN[c] === 0) {
      // escapes or non-ASCII: the string serialiser's own form, natively encoded
      out.length = start;
      writeText(out, quote(s));
      return;
    }
    u[p++] = c;
  }
  u[p++] = 0x22;
  out.length = p;
}

// 1 for the ASCII chars a JSON string holds as they are (not controls, `"` or `\\`)
const PLAIN = new Uint8Array(128).map((_, c) => (c >= 0x20 && c !== 0x22 && c !== 0x5c ? 1 : 0));

const NULL = chunk("null");
const TRUE = chunk("true");
const FALSE = chunk("false");
const CIRCULAR = chunk('"[circular]"');
const UNREADABLE = chunk('"[unreadable]"');
const TOO_LARGE = chunk('"[too large]"');

// Objects this serialisation may still visit (see MAX_NODES in canonical-json.ts); an object
// so that compiled writers (compiled-request-writer.ts) share it.
const budget = { n: MAX_NODES };

/** Writes canonicalizeRequest(value, mask, masker) (a fresh node budget); `null` for a dropped value. */
export function writeRequest(out: ByteOut, value: unknown, mask: MaskTree | undefined, masker: ByteMasker): void {
  budget.n = MAX_NODES;
  // One ancestor stack reused across calls (no array allocated and grown per record); a call
  // nested in another (a getter that records a decision on another sink) gets its own.
  if (stackInUse) {
    if (!writeRoot(out, value, mask, masker, [])) writeBytes(out, NULL);
    return;
  }
  stackInUse = true;
  try {
    if (!writeRoot(out, value, mask, masker, sharedStack)) writeBytes(out, NULL);
  } finally {
    if (sharedStack.length !== 0) sharedStack.length = 0; // (setting an array's length is a runtime call)
    stackInUse = false;
  }
}
const sharedStack: object[] = [];
let stackInUse = false;

// `write` for the request itself (`stack` empty): a plain object root of a recurring shape is
// written by its compiled writer (compiled-request-writer.ts), after the same steps as `write`.
function writeRoot(out: ByteOut, value: unknown, mask: MaskTree | undefined, masker: ByteMasker, stack: object[]): boolean {
  if (typeof value !== "object" || value === null) return write(out, value, mask, masker, stack);
  const start = out.length;
  try {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function" || budget.n <= 0) {
      writeObject(out, value, toJSON, mask, masker, stack);
      return true;
    }
    budget.n--;
    stack.push(value);
    if (Array.isArray(value)) writeArray(out, value, mask, masker, stack);
    else {
      const keys = Object.keys(value);
      const shape = shapeOf(keys);
      const compiled = rootWriter(shape, mask, value, KIT);
      if (compiled !== undefined) compiled.write(out, value, masker);
      else writeShaped(out, value, keys, shape, mask, masker, stack);
    }
    stack.pop();
    return true;
  } catch {
    stack.length = 0;
    out.length = start;
    writeBytes(out, UNREADABLE);
    return true;
  }
}

// Returns false (and writes nothing) for values an object member drops (undefined, functions, symbols).
function write(out: ByteOut, value: unknown, mask: MaskTree | undefined, masker: ByteMasker | undefined, stack: object[]): boolean {
  switch (typeof value) {
    case "string":
      writeString(out, value);
      return true;
    case "number":
      if (Number.isFinite(value)) writeAscii(out, String(value));
      else writeBytes(out, NULL);
      return true;
    case "boolean":
      writeBytes(out, value ? TRUE : FALSE);
      return true;
    case "bigint":
      writeAscii(out, `"${value.toString()}"`);
      return true;
    case "object":
      break;
    default:
      return false;
  }
  if (value === null) {
    writeBytes(out, NULL);
    return true;
  }
  if (stack.includes(value)) {
    writeBytes(out, CIRCULAR);
    return true;
  }
  const start = out.length;
  try {
    writeObject(out, value, (value as { toJSON?: unknown }).toJSON, mask, masker, stack);
    return true;
  } catch {
    // A throwing getter, toJSON or Proxy trap: record that the value could not be read.
    const i = stack.indexOf(value);
    if (i >= 0) stack.length = i;
    out.length = start;
    writeBytes(out, UNREADABLE);
    return true;
  }
}

/** An object after its `toJSON` was read (`stack`: its ancestors); throws for the caller to rewind. */
function writeObject(out: ByteOut, value: object, toJSON: unknown, mask: MaskTree | undefined, masker: ByteMasker | undefined, stack: object[]): void {
  if (typeof toJSON === "function") {
    // the masks apply to what is recorded: the toJSON result (a class instance, a database document)
    if (!write(out, toJSON.call(value), mask, masker, stack)) writeBytes(out, NULL);
    return;
  }
  if (--budget.n < 0) {
    writeBytes(out, TOO_LARGE);
    return;
  }
  stack.push(value);
  if (Array.isArray(value)) writeArray(out, value, mask, masker, stack);
  else writeMembers(out, value, Object.keys(value), mask, masker, stack);
  stack.pop();
}

/** An array's `[...]` (`stack`: its ancestors and itself). */
function writeArray(out: ByteOut, value: unknown[], mask: MaskTree | undefined, masker: ByteMasker | undefined, stack: object[]): void {
  writeByte(out, 0x5b);
  const any = mask?.["*"];
  for (let i = 0; i < value.length; i++) {
    if (i > 0) writeByte(out, 0x2c);
    const sub = mask === undefined ? undefined : (mask[String(i)] ?? any);
    if (!member(out, value[i], sub, masker, stack)) writeBytes(out, NULL);
  }
  writeByte(out, 0x5d);
}

/** An object's `{...}` given its own keys (`stack`: its ancestors and itself). */
function writeMembers(out: ByteOut, value: object, keys: string[], mask: MaskTree | undefined, masker: ByteMasker | undefined, stack: object[]): void {
  writeShaped(out, value, keys, shapeOf(keys), mask, masker, stack);
}

function writeShaped(out: ByteOut, value: object, keys: string[], shape: Shape, mask: MaskTree | undefined, masker: ByteMasker | undefined, stack: object[]): void {
  const order = shape.order;
  const quoted = shape.quotedBytes;
  const quotedComma = shape.quotedCommaBytes;
  const subs = mask === undefined ? undefined : maskSubs(shape, mask);
  writeByte(out, 0x7b);
  let first = true;
  for (let j = 0; j < order.length; j++) {
    const k = keys[order[j]!]!;
    const sub = subs === undefined ? undefined : subs[j];
    let raw: unknown;
    try {
      raw = (value as Record<string, unknown>)[k];
    } catch {
      raw = "[unreadable]"; // a throwing getter: record that this one value could not be read
    }
    // The member's key goes first; a member that turns out to be dropped is rewound.
    const at = out.length;
    writeBytes(out, first ? quoted[j]! : quotedComma[j]!);
    if (typeof raw === "string" && sub === undefined) writeString(out, raw);
    else if (!member(out, raw, sub, masker, stack)) {
      out.length = at;
      continue;
    }
    first = false;
  }
  writeByte(out, 0x7d);
}

function member(out: ByteOut, v: unknown, sub: MaskTree | true | undefined, masker: ByteMasker | undefined, stack: object[]): boolean {
  if (sub === true && masker !== undefined) {
    if (typeof v === "string") {
      if (masker.bytes !== undefined) writeBytes(out, masker.bytes(v));
      else writeText(out, masker.string !== undefined ? masker.string(v) : masker(quote(v)));
      return true;
    }
    // a masked subtree: its canonical string is what the HMAC covers (same node budget)
    const r = serializeUnmasked(v, stack, budget.n);
    budget.n = r.nodes;
    if (r.json === undefined) return false;
    writeText(out, masker(r.json));
    return true;
  }
  return write(out, v, sub === true ? undefined : sub, masker, stack);
}

/** Each member's mask subtree, in canonical order (cached on the shape for the last mask node). */
function maskSubs(shape: Shape, mask: MaskTree): readonly (MaskTree | true | undefined)[] {
  if (shape.maskFor !== mask) {
    const any = mask["*"];
    shape.maskSubs = shape.order.map((i) => {
      const k = shape.keys[i]!;
      return Object.hasOwn(mask, k) ? mask[k] : any;
    });
    shape.maskFor = mask;
  }
  return shape.maskSubs;
}

const KIT: WriterKit = { budget, writeBytes, writeString, writeUint, writeByte, member, writeObject, writeArray, writeMembers, TRUE, FALSE, NULL, TOO_LARGE, UNREADABLE };

function writeByte(out: ByteOut, b: number): void {
  if (out.length + 1 > out.limit) out.room(1);
  out.buf[out.length++] = b;
}
