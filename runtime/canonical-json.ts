// Canonical JSON (RFC 8785, JCS): the byte form every audit hash is computed over.
// Input: any JavaScript value; output: one string. Invariants:
//  - object keys sorted by UTF-16 code units (Array.prototype.sort's default order);
//  - numbers as ECMAScript Number::toString (what JCS prescribes); non-finite numbers, which
//    JSON cannot express, become `null` as in JSON.stringify;
//  - strings escaped exactly as JSON.stringify does (`\b \t \n \f \r \" \\`, other controls as
//    lowercase `\u00xx`); lone surrogates are escaped as `\udxxx` rather than rejected, so a
//    hostile request can never make serialisation fail;
//  - it never throws: cycles become "[circular]", values JSON cannot hold (functions, symbols,
//    undefined) are dropped from objects and become null in arrays, BigInt becomes its decimal
//    string, a throwing getter or toJSON becomes "[unreadable]", and past 100,000 objects
//    the rest becomes "[too large]".
// The same function serialises requests on the decision hot path (with masking, see mask.ts),
// so it is written for speed: one pass, string concatenation, key order and key literals
// cached per object shape.

/** A mask tree: key -> subtree, `true` = mask this value, "*" matches any key or index. */
export interface MaskTree {
  readonly [key: string]: MaskTree | true;
}

/** Turns a value's canonical JSON into its mask; `string(s)` does the same for a string value `s` (= masker(quote(s))). */
export interface Masker {
  (canonicalValue: string): string;
  string?(value: string): string;
}

/** A JSON string literal for `s`, identical to JSON.stringify(s). */
export function quote(s: string): string {
  // Most values are short and plain: a char scan beats a regex or JSON.stringify there.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return '"' + s + '"';
}

// Object shapes: for a list of keys as Object.keys gives it, the canonical (sorted) order as
// indices into that list, and each key's quoted `"key":` literal in that order. Requests of a
// service come in a handful of shapes, so sorting and quoting keys is done once per shape,
// not per object. Looked up by first key, then matched key by key (interned property names
// compare by pointer); bounded, and very wide objects are sorted each time instead.
export interface Shape {
  readonly keys: readonly string[];
  readonly order: readonly number[];
  /** `"key":` per position in canonical order, and the same after a comma (`,"key":`). */
  readonly quoted: readonly string[];
  readonly quotedComma: readonly string[];
  /** The same as UTF-8 bytes, for the byte writer (canonical-bytes.ts). */
  readonly quotedBytes: readonly Chunk[];
  readonly quotedCommaBytes: readonly Chunk[];
  /** The byte writer's one-entry cache: the mask subtree of each member (canonical order) under `maskFor`. */
  maskFor: MaskTree | undefined;
  maskSubs: readonly (MaskTree | true | undefined)[];
  /**
   * For the byte writer's compiled request writers (compiled-request-writer.ts): how often a
   * request root of this shape was written generically, at which count a writer is compiled,
   * and the writers compiled for it (one per mask tree).
   */
  rootsSeen: number;
  learnAt: number;
  writers: RootWriter[] | undefined;
}
/** A compiled writer for request roots of one shape under one mask (opaque here). */
export interface RootWriter {
  readonly mask: MaskTree | undefined;
}
const MAX_SHAPES = 4096;
const MAX_SHAPE_KEYS = 64;
const MAX_SHAPES_PER_FIRST_KEY = 16; // keeps a lookup short whatever the requests look like
const shapes = new Map<string, Shape[]>();
let shapeCount = 0;

export function shapeOf(keys: readonly string[]): Shape {
  if (keys.length === 0) return EMPTY_SHAPE;
  const first = keys[0]!;
  let list = shapes.get(first);
  if (list !== undefined) {
    next: for (let s = 0; s < list.length; s++) {
      const shape = list[s]!;
      const known = shape.keys;
      if (known.length !== keys.length) continue;
      for (let i = 1; i < known.length; i++) if (known[i] !== keys[i]) continue next;
      return shape;
    }
  }
  const order = keys.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
  const quoted = order.map((i) => quote(keys[i]!) + ":");
  const quotedComma = quoted.map((q) => "," + q);
  const shape: Shape = { keys: keys.slice(), order, quoted, quotedComma, quotedBytes: quoted.map(chunk), quotedCommaBytes: quotedComma.map(chunk), maskFor: undefined, maskSubs: [], rootsSeen: 0, learnAt: 3, writers: undefined };
  if (keys.length <= MAX_SHAPE_KEYS && (list === undefined || list.length < MAX_SHAPES_PER_FIRST_KEY)) {
    if (shapeCount >= MAX_SHAPES) {
      shapes.clear();
      shapeCount = 0;
      list = undefined;
    }
    if (list === undefined) shapes.set(first, (list = []));
    list.push(shape);
    shapeCount++;
  }
  return shape;
}
const EMPTY_SHAPE: Shape = { keys: [], order: [], quoted: [], quotedComma: [], quotedBytes: [], quotedCommaBytes: [], maskFor: undefined, maskSubs: [], rootsSeen: 0, learnAt: 3, writers: undefined };

/**
 * Pre-encoded UTF-8 bytes for the byte writer (canonical-bytes.ts), kept as little-endian
 * 32-bit words (zero-padded) so that they are stored four bytes at a time.
 */
export interface Chunk {
  readonly length: number;
  readonly words: Uint32Array;
  /** The bytes themselves (long chunks are copied with one `set`). */
  readonly bytes: Uint8Array;
}

export function chunk(text: string | Uint8Array): Chunk {
  const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes);
  const words = new Uint32Array(padded.length / 4);
  const view = new DataView(padded.buffer);
  for (let i = 0; i < words.length; i++) words[i] = view.getUint32(i * 4, true);
  return { length: bytes.length, words, bytes: new Uint8Array(bytes) };
}

/** Canonical JSON of `value` (no masking, no size limit: what verification recomputes). */
export function canonicalize(value: unknown): string {
  budget = Number.POSITIVE_INFINITY;
  return serialize(value, undefined, undefined, []) ?? "null";
}

/**
 * Canonical JSON of a request as recorded: values under `mask` replaced by
 * `masker(canonical)`, and at most MAX_NODES objects (the rest "[too large]").
 */
export function canonicalizeRequest(value: unknown, mask: MaskTree | undefined, masker: Masker): string {
  budget = MAX_NODES;
  return serialize(value, mask, masker, []) ?? "null";
}

// Objects and arrays one serialisation may visit: a request built in code can share one
// object many times (a DAG), and its JSON grows exponentially with the nesting; past the
// budget the rest is recorded as "[too large]" instead of stalling `decide`.
export const MAX_NODES = 100_000;
let budget = MAX_NODES;

/**
 * `serialize(value)` without a mask, on a node budget shared with the caller: the byte writer
 * (canonical-bytes.ts) serialises a masked subtree with it, and the subtree's objects count
 * against the same request budget as they do in `canonicalizeRequest`.
 */
export function serializeUnmasked(value: unknown, stack: object[], nodes: number): { json: string | undefined; nodes: number } {
  budget = nodes;
  const json = serialize(value, undefined, undefined, stack);
  return { json, nodes: budget };
}

// Returns undefined for values an object member drops (undefined, functions, symbols).
function serialize(value: unknown, mask: MaskTree | undefined, masker: Masker | undefined, stack: object[]): string | undefined {
  switch (typeof value) {
    case "string":
      return quote(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return `"${value.toString()}"`;
    case "object":
      break;
    default:
      return undefined;
  }
  if (value === null) return "null";
  // Checked at every level (cheap: requests are shallow): deferring it would let an object
  // with many references to itself expand exponentially before the cycle is seen.
  if (stack.includes(value)) return '"[circular]"';
  try {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") {
      // the masks apply to what is recorded: the toJSON result (a class instance, a database document)
      return serialize(toJSON.call(value), mask, masker, stack) ?? "null";
    }
    if (--budget < 0) return '"[too large]"';
    stack.push(value);
    let out: string;
    if (Array.isArray(value)) {
      out = "[";
      const any = mask?.["*"];
      for (let i = 0; i < value.length; i++) {
        if (i > 0) out += ",";
        const sub = mask === undefined ? undefined : (mask[String(i)] ?? any);
        out += member(value[i], sub, masker, stack) ?? "null";
      }
      out += "]";
    } else {
      const keys = Object.keys(value);
      const shape = shapeOf(keys);
      const order = shape.order;
      const quoted = shape.quoted;
      const quotedComma = shape.quotedComma;
      out = "{";
      let first = true;
      const any = mask?.["*"];
      for (let j = 0; j < order.length; j++) {
        const k = keys[order[j]!]!;
        const sub = mask === undefined ? undefined : (Object.hasOwn(mask, k) ? mask[k] : any);
        let raw: unknown;
        try {
          raw = (value as Record<string, unknown>)[k];
        } catch {
          raw = "[unreadable]"; // a throwing getter: record that this one value could not be read
        }
        // Strings are most members: quoted inline, without the generic member/serialize calls.
        const v = typeof raw === "string" && sub === undefined ? quote(raw) : member(raw, sub, masker, stack);
        if (v === undefined) continue;
        out += (first ? quoted[j]! : quotedComma[j]!) + v;
        first = false;
      }
      out += "}";
    }
    stack.pop();
    return out;
  } catch {
    // A throwing getter, toJSON or Proxy trap: record that the value could not be read.
    const i = stack.indexOf(value);
    if (i >= 0) stack.length = i;
    return '"[unreadable]"';
  }
}

function member(v: unknown, sub: MaskTree | true | undefined, masker: Masker | undefined, stack: object[]): string | undefined {
  if (sub === true && masker !== undefined) {
    // a masked string (the usual case: a token, an e-mail): looked up by the value itself,
    // without building its quoted form first
    if (typeof v === "string" && masker.string !== undefined) return masker.string(v);
    const plain = serialize(v, undefined, undefined, stack);
    return plain === undefined ? undefined : masker(plain);
  }
  return serialize(v, sub === true ? undefined : sub, masker, stack);
}
