// The byte writer (canonical-bytes.ts) against its definition, the string serialiser: for
// random JSON-ish and hostile values — unicode, lone surrogates, controls, -0, 1e21, BigInt,
// nesting, masked paths, throwing getters, toJSON, cycles, Proxies, `__proto__` keys,
// null-prototype objects — the bytes written are the UTF-8 of `canonicalizeRequest`'s string.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { writeRequest, writeString, writeUint } from "../../runtime/canonical-bytes.ts";
import { canonicalizeRequest, quote } from "../../runtime/canonical-json.ts";
import { maskTree } from "../../runtime/mask.ts";
import { masker, objectOf, plainMasker, smallOut } from "./byte-writer-fixtures.ts";

function bytesOf(value: unknown, mask: readonly string[], m = masker): string {
  const out = smallOut();
  out.length = 3; // not at the start of the buffer
  writeRequest(out, value, maskTree(mask), m);
  return out.buf.subarray(3, out.length).toString("hex");
}
function expected(value: unknown, mask: readonly string[], m = masker): string {
  return Buffer.from(canonicalizeRequest(value, maskTree(mask), m), "utf8").toString("hex");
}

const KEYS = ["a", "b", "id", "0", "1", "__proto__", "constructor", "toJSON", "é", "\u0000", "\ud800", "😀", "z"];
const key = fc.oneof(fc.constantFrom(...KEYS), fc.string({ unit: "binary", maxLength: 6 }));
const text = fc.oneof(fc.string({ unit: "binary", maxLength: 12 }), fc.string({ unit: "grapheme", maxLength: 8 }), fc.constantFrom("", "x".repeat(60), "é".repeat(50), "a\"b\\c\n\u2028", "\udc00x\ud800"));
const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(-0, 1e21, 1e-7, 123456789012345680000, Number.NaN, Infinity, -Infinity, 0.1, 5e-324));
const leaf = fc.oneof(
  text,
  number,
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
  fc.constant(() => 1),
  fc.constant(Symbol("s")),
);

type Built = unknown;
const entries = <T>(v: fc.Arbitrary<T>) => fc.array(fc.tuple(key, v), { maxLength: 5 });
const value: fc.Arbitrary<Built> = fc.letrec<{ v: Built }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("v"), { maxLength: 4 }),
    fc.tuple(entries(tie("v")), fc.boolean()).map(([pairs, nullProto]) => objectOf(pairs, nullProto)),
    // hostile objects
    fc.tuple(entries(tie("v")), key).map(([pairs, k]) => {
      const o = objectOf(pairs, false);
      Object.defineProperty(o, k, { get: () => { throw new Error("getter"); }, enumerable: true, configurable: true });
      return o;
    }),
    tie("v").map((inner) => ({ toJSON: () => inner })),
    fc.constant({ toJSON: () => { throw new Error("toJSON"); } }),
    fc.constant({ get toJSON() { throw new Error("toJSON getter"); } }),
    entries(tie("v")).map((pairs) => {
      const o = objectOf(pairs, false);
      o.self = o; // a cycle
      o.list = [o, 1];
      return o;
    }),
    fc.constant(new Proxy({}, { ownKeys: () => { throw new Error("trap"); } })),
    fc.constant(new Proxy([1, 2], { get: (t, k) => (k === "1" ? (() => { throw new Error("trap"); })() : Reflect.get(t, k)) })),
    fc.constant(new Date(0)),
  ),
})).v;

const maskPath = fc.array(fc.constantFrom("a", "b", "id", "0", "*", "__proto__", "constructor", "é"), { minLength: 1, maxLength: 3 }).map((p) => p.join("."));

describe("byte writer = UTF-8 of the string serialiser (property)", () => {
  it("random values, with and without masks", () => {
    fc.assert(
      fc.property(value, fc.array(maskPath, { maxLength: 3 }), (v, mask) => {
        expect(bytesOf(v, mask)).toBe(expected(v, mask));
        expect(bytesOf(v, mask, plainMasker)).toBe(expected(v, mask, plainMasker));
      }),
      { numRuns: 1500 },
    );
  });

  it("strings of every kind", () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ unit: "binary", maxLength: 200 })), (s) => {
        const out = smallOut();
        writeString(out, s);
        expect(out.buf.subarray(0, out.length).toString("utf8")).toBe(quote(s));
      }),
      { numRuns: 1000 },
    );
  });

  it("integers as String(n) gives them", () => {
    fc.assert(
      fc.property(fc.oneof(fc.nat(), fc.maxSafeNat(), number), (n) => {
        const out = smallOut();
        writeUint(out, n);
        expect(out.buf.subarray(0, out.length).toString("latin1")).toBe(Number.isFinite(n) ? String(n) : "null");
      }),
      { numRuns: 1000 },
    );
  });

  it("fixed hostile cases", () => {
    const shared = { x: 1 };
    const dag: unknown[] = [];
    let level: unknown = shared;
    for (let i = 0; i < 30; i++) level = { l: level, r: level }; // 2^30 paths: the node budget stops it
    dag.push(level);
    const cases: unknown[] = [
      undefined,
      () => 1,
      { b: 1, a: [undefined, () => 1, Symbol("s")], c: undefined },
      Object.assign(Object.create(null), { __proto__: 1, z: "\u0000\u001f\u007f\u0080" }),
      { big: 10n, neg: -10n, d: new Date(0), n: -0, e: 1e21 },
      dag,
      new Proxy({}, { get: () => { throw new Error("get"); }, ownKeys: () => ["a"], getOwnPropertyDescriptor: () => ({ value: 1, enumerable: true, configurable: true }) }),
    ];
    for (const c of cases) for (const mask of [[], ["a"], ["*"], ["l.r"], ["__proto__"]]) expect(bytesOf(c, mask)).toBe(expected(c, mask));
  });
});
