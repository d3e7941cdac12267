// Compiled request writers: for a request shape that recurs, a straight-line writer generated
// (new Function) for the tree of object shapes learned from one request of that shape, used by
// the byte writer (canonical-bytes.ts) instead of its generic recursion. Input: a request root
// whose shape recurs, its mask tree and the generic writer's pieces (a WriterKit); output: a
// RootWriter that writes the root's members exactly as the generic writer would.
// Invariants:
//  - byte-identical output and the same reads in the same order as the generic writer: every
//    expectation learned here is a guard checked per request (typeof object, not null, not an
//    ancestor, `toJSON` read once and undefined, the node budget, Array.isArray, Object.keys
//    equal to the learned list), and on a failed guard the generic writer takes over that
//    subtree from the step the guard stopped at, with what was already read (nothing is read
//    twice); a member read is guarded by its own try (a throwing getter gives "[unreadable]"),
//    each object by one that rewinds it to "[unreadable]" as the generic writer does;
//  - nothing of a request becomes code: the generated text holds only fixed identifiers,
//    numbers and indices; keys, pre-encoded key chunks and mask subtrees are passed as data;
//  - learning reads nothing observable: it walks own data properties by descriptor, never
//    calls a getter or toJSON, and stops at Proxies and non-plain objects;
//  - bounded: at most MAX_WRITERS writers live (oldest dropped first, its shape then waits
//    longer before compiling again), each inlining at most MAX_NODES objects and MAX_MEMBERS
//    members, MAX_DEPTH deep; where code generation is disallowed (EvalError), nothing is
//    compiled and the generic writer is used.
// Why: the generic writer's per-object work (cycle check on a stack, shape lookup, mask
// lookups, the write -> member -> write calls) was most of a request's serialisation time.
import { types } from "node:util";
import { chunk, quote, type Chunk, type MaskTree, type RootWriter, type Shape } from "./canonical-json.ts";
import type { ByteMasker, ByteOut } from "./canonical-bytes.ts";

type Sub = MaskTree | true | undefined;

/** The generic writer's pieces the generated code calls (canonical-bytes.ts builds it). */
export interface WriterKit {
  /** The node budget shared with the generic writer. */
  readonly budget: { n: number };
  readonly writeBytes: (out: ByteOut, bytes: Chunk) => void;
  readonly writeString: (out: ByteOut, s: string) => void;
  readonly writeUint: (out: ByteOut, n: number) => void;
  readonly writeByte: (out: ByteOut, b: number) => void;
  /** An object member's value (false: dropped); `stack` = its ancestors. */
  readonly member: (out: ByteOut, v: unknown, sub: Sub, masker: ByteMasker | undefined, stack: object[]) => boolean;
  /** An object after its toJSON was read (throws: the caller rewinds); `stack` = its ancestors. */
  readonly writeObject: (out: ByteOut, value: object, toJSON: unknown, mask: MaskTree | undefined, masker: ByteMasker | undefined, stack: object[]) => void;
  /** An array's `[...]`, after the budget; `stack` = its ancestors and itself. */
  readonly writeArray: (out: ByteOut, value: unknown[], mask: MaskTree | undefined, masker: ByteMasker | undefined, stack: object[]) => void;
  /** A plain object's `{...}` from its keys, after the budget; `stack` = its ancestors and itself. */
  readonly writeMembers: (out: ByteOut, value: object, keys: string[], mask: MaskTree | undefined, masker: ByteMasker | undefined, stack: object[]) => void;
  readonly TRUE: Chunk;
  readonly FALSE: Chunk;
  readonly NULL: Chunk;
  readonly TOO_LARGE: Chunk;
  readonly UNREADABLE: Chunk;
}

export interface CompiledRootWriter extends RootWriter {
  /** Writes the root's `{...}`; the caller has done the root's toJSON read, budget and keys (equal to the shape's). */
  readonly write: (out: ByteOut, root: object, masker: ByteMasker) => void;
}

const MAX_WRITERS = 128;
const MAX_MASKS_PER_SHAPE = 4;
const MAX_DEPTH = 6;
const MAX_NODES = 48;
const MAX_MEMBERS = 256; // all nodes' members together: keeps the generated function small enough to optimise
const MAX_KEYS = 64;
const INLINE_WORDS = 12; // longer chunks: one writeBytes call (a `set`)

let codegen = true;
const live: Shape[] = []; // shapes holding writers, oldest first

/**
 * The writer for a root of `shape` under `mask`, or undefined (then the generic writer is
 * used and the root counted): compiled when the shape has been seen `learnAt` times.
 */
export function rootWriter(shape: Shape, mask: MaskTree | undefined, root: object, kit: WriterKit): CompiledRootWriter | undefined {
  const writers = shape.writers;
  if (writers !== undefined) for (let i = 0; i < writers.length; i++) if (writers[i]!.mask === mask) return writers[i] as CompiledRootWriter;
  if (++shape.rootsSeen < shape.learnAt || !codegen || shape.keys.length === 0) return undefined;
  if (writers !== undefined && writers.length >= MAX_MASKS_PER_SHAPE) return undefined;
  const tree = learnRoot(root, shape.keys);
  const write = tree === undefined ? undefined : compile(tree, mask, kit);
  if (write === undefined) {
    shape.learnAt = shape.rootsSeen * 4; // a root that cannot be learned or compiled now: try again much later
    return undefined;
  }
  const writer: CompiledRootWriter = { mask, write };
  if (shape.writers === undefined) {
    if (live.length >= MAX_WRITERS) {
      const old = live.shift()!;
      old.writers = undefined;
      old.rootsSeen = 0;
      old.learnAt *= 8; // a shape evicted again and again stops costing a compile every few requests
    }
    live.push(shape);
    shape.writers = [];
  }
  shape.writers!.push(writer);
  return writer;
}

// ---- learning: the expected tree of shapes, from one request --------------------------------

type Learned = LearnedObject | LearnedArray | { readonly kind: "string" | "number" | "boolean" | "any" };
interface LearnedObject {
  readonly kind: "object";
  /** As Object.keys gives them (the guard), and the canonical order with each member's tree. */
  readonly keys: readonly string[];
  readonly sorted: readonly string[];
  readonly members: readonly Learned[];
}
interface LearnedArray {
  readonly kind: "array";
  readonly elem: Learned;
}
const STRING: Learned = { kind: "string" };
const NUMBER: Learned = { kind: "number" };
const BOOLEAN: Learned = { kind: "boolean" };
const ANY: Learned = { kind: "any" };

function learnRoot(root: object, keys: readonly string[]): LearnedObject | undefined {
  try {
    if (types.isProxy(root)) return undefined;
    return learnObject(root, keys, 0, { n: MAX_NODES, members: MAX_MEMBERS - keys.length });
  } catch {
    return undefined; // an exotic object whose descriptors throw: stay generic
  }
}

function learn(v: unknown, depth: number, room: Room): Learned {
  switch (typeof v) {
    case "string":
      return STRING;
    case "number":
      return NUMBER;
    case "boolean":
      return BOOLEAN;
    case "object":
      break;
    default:
      return ANY;
  }
  if (v === null || depth >= MAX_DEPTH || room.n <= 0 || types.isProxy(v)) return ANY;
  const proto = Object.getPrototypeOf(v);
  if (Array.isArray(v)) {
    if (proto !== Array.prototype) return ANY;
    room.n--;
    const first = v.length > 0 ? Object.getOwnPropertyDescriptor(v, "0") : undefined;
    const elem = first !== undefined && "value" in first ? learn(first.value, depth + 1, room) : ANY; // as the first element is
    return { kind: "array", elem };
  }
  if (proto !== Object.prototype && proto !== null) return ANY;
  const keys = Object.keys(v);
  if (keys.length === 0 || keys.length > MAX_KEYS || keys.length > room.members || keys.includes("toJSON")) return ANY;
  room.members -= keys.length;
  return learnObject(v, keys, depth, room);
}

/** What a learned tree may still hold: objects and arrays, members. */
interface Room {
  n: number;
  members: number;
}

function learnObject(v: object, keys: readonly string[], depth: number, room: Room): LearnedObject {
  room.n--;
  // the canonical order, as shapeOf sorts (UTF-16 code units)
  const sorted = keys.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const members = sorted.map((k) => {
    const d = Object.getOwnPropertyDescriptor(v, k);
    return d !== undefined && "value" in d ? learn(d.value, depth + 1, room) : ANY;
  });
  return { kind: "object", keys: keys.slice(), sorted, members };
}

// ---- code generation ------------------------------------------------------------------------

/** Key text not yet written, in two variants chosen by a flag variable (or one, `sel` undefined). */
interface Pending {
  readonly sel: string | undefined;
  readonly a: string;
  readonly b: string;
}

class Gen {
  readonly data: unknown[] = [];
  readonly lines: string[] = [];
  private names = 0;
  constructor(readonly kit: WriterKit) {}

  /** A constant passed as data: its identifier in the generated code. */
  ref(value: unknown): string {
    this.data.push(value);
    return `c${this.data.length - 1}`;
  }
  name(prefix: "f" | "x" | "a" | "t" | "k" | "i" | "e"): string {
    return `${prefix}${this.names++}`;
  }
  emit(line: string): void {
    this.lines.push(line);
  }
  /** Code writing `p` (both variants are pre-encoded chunks). */
  write(p: Pending): string {
    if (p.sel === undefined || p.a === p.b) return p.a === "" ? "" : this.store(p.a);
    return `if (${p.sel}) { ${this.store(p.a)} } else { ${this.store(p.b)} }`;
  }
  /** The same for a path rarely taken (a failed guard): one writeBytes call, less code. */
  writeCold(p: Pending): string {
    if (p.sel === undefined || p.a === p.b) return p.a === "" ? "" : `writeBytes(out, ${this.chunkRef(p.a)});`;
    return `writeBytes(out, ${p.sel} ? ${this.chunkRef(p.a)} : ${this.chunkRef(p.b)});`;
  }
  private chunkRef(text: string): string {
    let id = this.chunks.get(text);
    if (id === undefined) this.chunks.set(text, (id = this.ref(chunk(text))));
    return id;
  }
  /** All inline-stored chunks' words, one array (`W` in the generated code). */
  readonly words: number[] = [];
  private readonly stored = new Map<string, number>();
  private readonly chunks = new Map<string, string>();
  /**
   * Code storing `text`'s bytes: short texts as inline 32-bit stores of words taken from W
   * (no call: the generated function is too big for V8 to inline writeBytes into it), long
   * ones by writeBytes.
   */
  private store(text: string): string {
    const c = chunk(text);
    if (c.words.length > INLINE_WORDS) return `writeBytes(out, ${this.chunkRef(text)});`;
    let at = this.stored.get(text);
    if (at === undefined) {
      at = this.words.length;
      this.words.push(...c.words);
      this.stored.set(text, at);
    }
    const n = c.words.length;
    const stores = Array.from({ length: n }, (_, i) => `v.setUint32(p${i === 0 ? "" : ` + ${i * 4}`}, W[${at + i}], true);`).join(" ");
    return `{ if (out.length + ${n * 4} > out.limit) out.room(${n * 4}); const v = out.view, p = out.length; ${stores} out.length = p + ${c.length}; }`;
  }
  /** Code for the byte length of `p`. */
  length(p: Pending): string {
    const a = Buffer.byteLength(p.a, "utf8");
    const b = Buffer.byteLength(p.b, "utf8");
    return p.sel === undefined || a === b ? String(a) : `(${p.sel} ? ${a} : ${b})`;
  }
}

const NOTHING: Pending = { sel: undefined, a: "", b: "" };
const append = (p: Pending, text: string): Pending => ({ sel: p.sel, a: p.a + text, b: p.b + text });

function compile(tree: LearnedObject, mask: MaskTree | undefined, kit: WriterKit): CompiledRootWriter["write"] | undefined {
  const g = new Gen(kit);
  g.emit("const a0 = out.length;");
  members(g, tree, "o0", ["o0"], mask, { sel: undefined, a: "{", b: "{" }, "a0");
  const consts = g.data.map((_, i) => `c${i} = D[${i}]`).join(", ");
  const code =
    `"use strict";\n` +
    `const { budget: B, writeBytes, writeString, writeUint, writeByte, member, writeObject, writeArray, writeMembers, TRUE, FALSE, NULL, TOO_LARGE, UNREADABLE } = H;\n` +
    (consts === "" ? "" : `const ${consts};\n`) +
    `return function compiledRoot(out, o0, masker) {\n${g.lines.join("\n")}\n};`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from fixed identifiers and indices only
    return new Function("H", "D", "W", code)(kit, g.data, Uint32Array.from(g.words)) as CompiledRootWriter["write"];
  } catch (e) {
    // code generation from strings disallowed (EvalError): the generic writer it is, for good
    if (e instanceof EvalError) codegen = false;
    return undefined;
  }
}

/** The members of object `o` (its keys already checked) and its closing brace; `pend` (at `at`) is written with the first key. */
function members(g: Gen, node: LearnedObject, o: string, anc: readonly string[], mask: MaskTree | undefined, pend: Pending, at: string): void {
  const f = g.name("f");
  g.emit(`let ${f} = true;`);
  for (let j = 0; j < node.sorted.length; j++) {
    const k = node.sorted[j]!;
    const q = quote(k) + ":";
    const x = g.name("x");
    g.emit(`{ let ${x}; try { ${x} = ${o}[${g.ref(k)}]; } catch { ${x} = "[unreadable]"; }`);
    let key: Pending;
    let atJ: string;
    let pre: string; // bytes before this member's own key (kept when it is dropped)
    if (j === 0) {
      key = append(pend, q);
      atJ = at;
      pre = g.length(pend);
    } else {
      atJ = g.name("a");
      g.emit(`const ${atJ} = out.length;`);
      key = { sel: f, a: q, b: "," + q };
      pre = "0";
    }
    const sub: Sub = mask === undefined ? undefined : Object.hasOwn(mask, k) ? mask[k] : mask["*"];
    value(g, node.members[j]!, x, key, atJ, `${f} = false;`, pre === "0" ? `out.length = ${atJ};` : `out.length = ${atJ} + ${pre};`, anc, sub);
    g.emit("}");
  }
  g.emit("writeByte(out, 125);");
}

/**
 * Value `x` (a member, or an array element with an empty key) after `key`, which is written at
 * `at`; then `written`, or `dropped` for a value the generic writer drops.
 */
function value(g: Gen, learned: Learned, x: string, key: Pending, at: string, written: string, dropped: string, anc: readonly string[], sub: Sub): void {
  const stack = `[${anc.join(", ")}]`;
  const subCode = sub === undefined ? "undefined" : sub === true ? "true" : g.ref(sub);
  const generic = `if (member(out, ${x}, ${subCode}, masker, ${stack})) { ${written} } else { ${dropped} }`;
  if (sub === true) {
    g.emit(g.write(key));
    g.emit(`if (typeof ${x} === "string" && masker.bytes !== undefined) { writeBytes(out, masker.bytes(${x})); ${written} }`);
    g.emit(`else ${generic}`);
    return;
  }
  if (learned.kind === "object" || (learned.kind === "array" && sub === undefined)) {
    const t = g.name("t");
    const notAncestor = anc.map((a) => `${x} !== ${a}`).join(" && ");
    const inner = [...anc, x];
    g.emit(`if (typeof ${x} === "object" && ${x} !== null && ${notAncestor}) {`);
    g.emit(`try { const ${t} = ${x}.toJSON;`);
    g.emit(`if (${t} !== undefined) { ${g.writeCold(key)} writeObject(out, ${x}, ${t}, ${subCode}, masker, ${stack}); }`);
    g.emit(`else if (--B.n < 0) { ${g.writeCold(key)} writeBytes(out, TOO_LARGE); }`);
    if (learned.kind === "object") {
      const k = g.name("k");
      const same = learned.keys.map((name, i) => `${k}[${i}] === ${g.ref(name)}`).join(" && ");
      g.emit(`else if (Array.isArray(${x})) { ${g.writeCold(key)} writeArray(out, ${x}, ${subCode}, masker, [${inner.join(", ")}]); }`);
      g.emit(`else { const ${k} = Object.keys(${x});`);
      g.emit(`if (${k}.length !== ${learned.keys.length} || !(${same})) { ${g.writeCold(key)} writeMembers(out, ${x}, ${k}, ${subCode}, masker, [${inner.join(", ")}]); }`);
      g.emit("else {");
      members(g, learned, x, inner, sub as MaskTree | undefined, append(key, "{"), at);
      g.emit("} }");
    } else {
      const i = g.name("i");
      const e = g.name("e");
      g.emit(`else if (!Array.isArray(${x})) { ${g.writeCold(key)} writeMembers(out, ${x}, Object.keys(${x}), undefined, masker, [${inner.join(", ")}]); }`);
      g.emit(`else { ${g.write(append(key, "["))}`);
      g.emit(`for (let ${i} = 0; ${i} < ${x}.length; ${i}++) { if (${i} > 0) writeByte(out, 44); const ${e} = ${x}[${i}];`);
      if (learned.elem.kind === "object" || learned.elem.kind === "array") {
        const atE = g.name("a");
        g.emit(`const ${atE} = out.length;`);
        value(g, learned.elem, e, NOTHING, atE, "", "writeBytes(out, NULL);", inner, undefined);
        g.emit("}");
      } else g.emit(`${leaf(learned.elem, e)} else if (!member(out, ${e}, undefined, masker, [${inner.join(", ")}])) writeBytes(out, NULL); }`);
      g.emit("writeByte(out, 93); }");
    }
    g.emit(`} catch { out.length = ${at}; ${g.writeCold(key)} writeBytes(out, UNREADABLE); }`);
    g.emit(`${written} } else { ${g.writeCold(key)} ${generic} }`);
    return;
  }
  g.emit(g.write(key));
  g.emit(`${leaf(learned, x, written)} else ${generic}`);
}

/** `if (<x is the expected leaf kind>) { <write it> <then> }` (strings checked too); an `else` follows. */
function leaf(learned: Learned, x: string, then = ""): string {
  const str = `if (typeof ${x} === "string") { writeString(out, ${x}); ${then} }`;
  switch (learned.kind) {
    case "number":
      return `if (typeof ${x} === "number") { writeUint(out, ${x}); ${then} } else ${str}`;
    case "boolean":
      return `if (${x} === true) { writeBytes(out, TRUE); ${then} } else if (${x} === false) { writeBytes(out, FALSE); ${then} } else ${str}`;
    default:
      return str;
  }
}
