// The byte writer (canonical-bytes.ts) against its definition, the string serialiser: for
// random JSON-ish and hostile values — unicode, lone surrogates, controls, -0, 1e21, BigInt,
// nesting, masked paths, throwing getters, toJSON, cycles, Proxies, `__proto__` keys,
// null-prototype objects — the bytes written are the UTF-8 of `canonicalizeRequest`'s string.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { writeRequest, writeString, writeUint, type ByteOut } from "../../runtime/canonical-bytes.ts";
import { canonicalizeRequest, quote, shapeOf } from "../../runtime/canonical-json.ts";
import { hmacMasker, maskTree } from "../../runtime/mask.ts";

/** A ByteOut that starts tiny, so that values grow it in the middle of being written. */
function smallOut(): ByteOut {
  const out: ByteOut = {
    buf: Buffer.alloc(8),
    view: new DataView(new ArrayBuffer(8)),
    length: 0,
    limit: 8,
    room(bytes: number) {
      if (out.length + bytes <= out.limit) return;
      const bigger = Buffer.alloc(Math.max(out.limit * 2, out.length + bytes));
      out.buf.copy(bigger, 0, 0, out.length);
      out.buf = bigger;
      out.view = new DataView(bigger.buffer, bigger.byteOffset, bigger.length);
      out.limit = bigger.length;
    },
  };
  out.view = new DataView(out.buf.buffer, out.buf.byteOffset, out.buf.length);
  return out;
}

const masker = hmacMasker(Buffer.alloc(32, 7));
const plainMasker = (() => {
  // a masker without the string/bytes shortcuts: the generic path
  const m = hmacMasker(Buffer.alloc(32, 7));
  return (canonical: string) => m(canonical);
})();

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
/** An object with exactly these own enumerable keys (`__proto__` included as an own key). */
function objectOf(pairs: readonly (readonly [string, unknown])[], nullProto: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = nullProto ? Object.create(null) : {};
  for (const [k, v] of pairs) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

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

// ---- compiled request writers (compiled-request-writer.ts) ----------------------------------
// A request shape written three times under one mask gets a compiled writer; every guard of it
// failing (and every hostile value under it) must give the generic writer's bytes.

type Template =
  | { kind: "string" | "number" | "boolean" }
  | { kind: "list" }
  | { kind: "object"; entries: readonly (readonly [string, Template])[] }
  | { kind: "records"; of: Template }; // a list of values of one template
const HOSTILE_KEYS = ['"]);process.exit(1)//', "constructor", "__proto__", "toString", "*/", "${x}", "\u2028", "\\", "0"];
const templateKey = fc.oneof(fc.constantFrom("a", "b", "id", "role", "é", ...HOSTILE_KEYS), fc.string({ unit: "binary", maxLength: 4 }));
const template: fc.Arbitrary<Template> = fc.letrec<{ t: Template }>((tie) => ({
  t: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom<Template>({ kind: "string" }, { kind: "number" }, { kind: "boolean" }, { kind: "list" }),
    fc.uniqueArray(fc.tuple(templateKey, tie("t")), { minLength: 1, maxLength: 5, selector: ([k]) => k }).map((entries): Template => ({ kind: "object", entries })),
    tie("t").map((of): Template => ({ kind: "records", of })),
  ),
})).t;
const rootTemplate = fc.uniqueArray(fc.tuple(templateKey, template), { minLength: 1, maxLength: 5, selector: ([k]) => k }).map((entries): Template => ({ kind: "object", entries }));

/** A fresh request of the template's shape, its values varied by `i`. */
function instance(t: Template, i: number): unknown {
  switch (t.kind) {
    case "string":
      return i % 5 === 4 ? `é"\n${i}` : `v${i}`;
    case "number":
      return [i, -i / 3, 1e21, -0][i % 4];
    case "boolean":
      return i % 2 === 0;
    case "list":
      return i % 3 === 0 ? [] : ["x", `y${i}`];
    case "object":
      return objectOf(t.entries.map(([k, v]) => [k, instance(v, i)] as const), false);
    case "records":
      return Array.from({ length: 1 + (i % 3) }, (_, j) => instance(t.of, i + j));
  }
}

/** Every object and array of `value` (the root first), with its parent. */
function objectsOf(value: unknown, parent: object | undefined = undefined, found: [Record<string, unknown>, object | undefined][] = []): [Record<string, unknown>, object | undefined][] {
  if (typeof value !== "object" || value === null) return found;
  found.push([value as Record<string, unknown>, parent]);
  for (const k of Object.keys(value)) objectsOf((value as Record<string, unknown>)[k], value, found);
  return found;
}

const revoked = (() => {
  const r = Proxy.revocable({}, {});
  r.revoke();
  return r.proxy;
})();

/** Breaks one guard (or plants one hostile value) in object `o` of `root` (`parent`: its parent). */
const MUTATIONS: ((o: Record<string, unknown>, root: object, parent: object | undefined, k: string) => unknown)[] = [
  (o, _r, _p, k) => delete o[k], // a member missing
  (o) => Object.defineProperty(o, "extra", { value: 1, enumerable: true, configurable: true, writable: true }), // an extra member
  (o, _r, _p, k) => { // a member renamed (as many keys, one different)
    const v = o[k];
    delete o[k];
    Object.defineProperty(o, k + "'", { value: v, enumerable: true, configurable: true, writable: true });
  },
  (o, _r, _p, k) => { // the same keys in another order
    const v = o[k];
    delete o[k];
    Object.defineProperty(o, k, { value: v, enumerable: true, configurable: true, writable: true });
  },
  (o, _r, p, k) => p === undefined ? (o[k] = [1, "x"]) : replaceIn(p, o, [1, "x", { a: 1 }]), // an object becomes an array
  (o, _r, p, k) => p === undefined ? (o[k] = null) : replaceIn(p, o, null),
  (o, _r, p, k) => p === undefined ? (o[k] = "s") : replaceIn(p, o, "s"),
  (o, _r, p, k) => p === undefined ? (o[k] = undefined) : replaceIn(p, o, undefined), // dropped
  (o, _r, _p, k) => Object.defineProperty(o, k, { get: () => { throw new Error("getter"); }, enumerable: true, configurable: true }),
  (o) => Object.setPrototypeOf(o, { toJSON: () => ({ replaced: true }) }),
  (o) => Object.setPrototypeOf(o, { toJSON: () => undefined }),
  (o) => Object.setPrototypeOf(o, { get toJSON() { throw new Error("toJSON"); } }),
  (o) => Object.setPrototypeOf(o, { toJSON: 7 }), // not a function: written as a plain object
  (o, r, _p, k) => (o[k] = r), // a cycle to the root
  (o, _r, p, k) => (o[k] = p ?? o), // a cycle to the parent (or itself)
  (o, _r, _p, k) => (o[k] = Symbol("s")),
  (o, _r, _p, k) => (o[k] = () => 1),
  (o, _r, _p, k) => (o[k] = 12n),
  (o, _r, _p, k) => (o[k] = Number.NaN),
  (o, _r, _p, k) => (o[k] = new Date(0)),
  (o, _r, _p, k) => (o[k] = { nested: [o, "z"] }),
  (o, _r, p) => p !== undefined && replaceIn(p, o, new Proxy(o, {})), // a transparent Proxy: the guards pass
  (o, _r, p) => p !== undefined && replaceIn(p, o, new Proxy(o, { ownKeys: () => { throw new Error("trap"); } })),
  (o, _r, p) => p !== undefined && replaceIn(p, o, revoked),
  (o, _r, _p, k) => (o[k] = deepDag(12)), // 4,096 paths: counted against the budget, not too large
];
function replaceIn(parent: object, child: object, by: unknown): void {
  for (const k of Object.keys(parent)) if ((parent as Record<string, unknown>)[k] === child) Object.defineProperty(parent, k, { value: by, enumerable: true, configurable: true, writable: true });
}
function deepDag(levels: number): unknown {
  let level: unknown = { x: 1 };
  for (let i = 0; i < levels; i++) level = { l: level, r: level };
  return level;
}

/** Mask paths over the template's keys (and `*`, and list indices). */
function maskPaths(t: Template, picks: readonly number[]): string[] {
  const all: string[] = [];
  const walk = (node: Template, path: string[]) => {
    if (node.kind === "list" || node.kind === "records") all.push([...path, "0"].join("."), [...path, "*"].join("."));
    if (node.kind === "records") walk(node.of, [...path, "*"]);
    if (node.kind !== "object") return;
    for (const [k, v] of node.entries) {
      if (k.includes(".") || k === "") continue;
      all.push([...path, k].join("."));
      walk(v, [...path, k]);
    }
    all.push([...path, "*"].join("."));
  };
  walk(t, []);
  return picks.map((p) => all[p % all.length]!).filter((p) => p !== "");
}

function bytesWith(value: unknown, tree: ReturnType<typeof maskTree>, m = masker): string {
  const out = smallOut();
  out.length = 5;
  writeRequest(out, value, tree, m);
  return out.buf.subarray(5, out.length).toString("hex");
}
const expectedWith = (value: unknown, tree: ReturnType<typeof maskTree>, m = masker) => Buffer.from(canonicalizeRequest(value, tree, m), "utf8").toString("hex");

describe("compiled request writers = the generic writer", () => {
  it("random shapes repeated until compiled, then each guard broken", () => {
    let runs = 0;
    let compiled = 0;
    fc.assert(
      fc.property(rootTemplate, fc.array(fc.nat(), { maxLength: 3 }), fc.nat(), fc.nat(), fc.nat(), fc.boolean(), (t0, picks, which, mutation, member, plain) => {
        // a first root key of its own per run: a shape new to the writer (and to shapeOf's cache, which
        // holds 16 shapes per first key), compiled after three writes
        const t: Template = { kind: "object", entries: [[`run ${runs}`, { kind: "string" }], ...(t0 as Extract<Template, { kind: "object" }>).entries] };
        const tree = maskTree(maskPaths(t, picks)); // one mask object for all the writes, as a sink has
        const m = plain ? plainMasker : masker;
        for (let i = 0; i < 4; i++) {
          const r = instance(t, i);
          expect(bytesWith(r, tree, m)).toBe(expectedWith(r, tree, m));
        }
        runs++;
        if (shapeOf(Object.keys(instance(t, 0) as object)).writers?.some((w) => w.mask === tree)) compiled++;
        const r = instance(t, 7) as object;
        const objects = objectsOf(r);
        const [o, parent] = objects[which % objects.length]!;
        const keys = Object.keys(o);
        MUTATIONS[mutation % MUTATIONS.length]!(o, r, parent, keys[member % keys.length]!);
        expect(bytesWith(r, tree, m)).toBe(expectedWith(r, tree, m));
        // and the shape as learned still writes right afterwards
        const again = instance(t, 8);
        expect(bytesWith(again, tree, m)).toBe(expectedWith(again, tree, m));
      }),
      { numRuns: 600 },
    );
    expect(compiled).toBeGreaterThan(runs * 0.8); // the writes above did go through compiled writers
  });

  it("a recurring shape is compiled, and keys in it are data, never code", () => {
    const tree = maskTree(["principal.token", "resource.tags.1", "items.*"]);
    const make = (i: number) => {
      const r: Record<string, unknown> = {
        principal: { id: `u${i}`, token: `t${i}`, '"]);process.exit(1)//': i, "`${process.exit(2)}`": true },
        resource: objectOf([["__proto__", { constructor: `c${i}` }], ["constructor", "k"], ["tags", ["a", `b${i}`]]], false),
        "*/ process.exit(3) /*": { "\u2028": "x", "\\": "y" },
        items: [1, 2],
      };
      return r;
    };
    for (let i = 0; i < 5; i++) {
      const r = make(i);
      expect(bytesWith(r, tree)).toBe(expectedWith(r, tree));
      const parsed = JSON.parse(Buffer.from(bytesWith(r, tree), "hex").toString("utf8")) as Record<string, Record<string, unknown>>;
      expect(Object.keys(parsed.principal!)).toContain('"]);process.exit(1)//');
      expect(Object.hasOwn(parsed.resource!, "__proto__")).toBe(true);
    }
    expect(shapeOf(Object.keys(make(0))).writers?.length).toBe(1);
  });

  it("a getter in a compiled shape that writes another request meanwhile, and a Proxy root", () => {
    const tree = maskTree(["reenterP.secret"]);
    const inner = { reenterP: { id: "inner", secret: "s" }, reenterQ: 1 };
    let nested = "";
    let reads = 0;
    const make = (i: number) => {
      const p = objectOf([["id", `u${i}`], ["secret", "t"]], false);
      Object.defineProperty(p, "late", {
        enumerable: true,
        get() {
          reads++;
          nested = bytesWith(inner, tree); // a decision recorded on another sink from inside a getter
          return i;
        },
      });
      return { reenterP: p, reenterQ: [i, { x: i }] };
    };
    for (let i = 0; i < 6; i++) {
      const r = make(i);
      const before = reads;
      const got = bytesWith(r, tree);
      expect(reads - before).toBe(1); // the getter is asked once per record
      expect(got).toBe(expectedWith(make(i), tree));
      expect(nested).toBe(expectedWith(inner, tree));
    }
    expect(shapeOf(["reenterP", "reenterQ"]).writers?.length).toBe(1);
    const logged: string[] = [];
    const proxy = new Proxy(make(9), { get: (t, k, rcv) => (logged.push(String(k)), Reflect.get(t, k, rcv)) });
    expect(bytesWith(proxy, tree)).toBe(expectedWith(make(9), tree));
    expect(logged).toEqual(["toJSON", "reenterP", "reenterQ"]); // each read once, in the generic order
  });

  it("the node budget runs out inside a compiled writer exactly where the generic writer's does", () => {
    // keys of their own: the random shapes above may have used up the writers of {a, b, c}
    const tree = maskTree(["budgetB.secret"]);
    const make = (a: unknown) => ({ budgetA: a, budgetB: { c: { d: 1 }, list: ["x"], secret: { s: 1 } }, budgetC: { e: "f" } });
    for (let i = 0; i < 4; i++) expect(bytesWith(make(i), tree)).toBe(expectedWith(make(i), tree));
    for (const levels of [15, 16, 17]) {
      // `a` spends (nearly) all of the 100,000 objects: what comes after it is "[too large]" in part or whole
      const r = make(deepDag(levels));
      expect(bytesWith(r, tree)).toBe(expectedWith(r, tree));
    }
    expect(shapeOf(["budgetA", "budgetB", "budgetC"]).writers?.length).toBe(1);
  });

  it("without code generation (--disallow-code-generation-from-strings) the generic writer writes the same bytes", async () => {
    const { buildSync } = await import("esbuild");
    const { execFileSync } = await import("node:child_process");
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "edict-nocodegen-"));
    const root = new URL("../../runtime/", import.meta.url).pathname;
    writeFileSync(
      join(dir, "entry.ts"),
      `import { writeRequest } from ${JSON.stringify(root + "canonical-bytes.ts")};
       import { hmacMasker, maskTree } from ${JSON.stringify(root + "mask.ts")};
       const buf = Buffer.alloc(1 << 16);
       const out = { buf, view: new DataView(buf.buffer, buf.byteOffset, buf.length), length: 0, limit: buf.length, room() { throw new Error("room"); } };
       const tree = maskTree(["p.token"]); const m = hmacMasker(Buffer.alloc(32, 7));
       for (let i = 0; i < 6; i++) writeRequest(out, { p: { id: "u" + i, token: "t" }, n: i }, tree, m);
       process.stdout.write(buf.subarray(0, out.length).toString("hex"));`,
    );
    buildSync({ entryPoints: [join(dir, "entry.ts")], bundle: true, platform: "node", format: "esm", outfile: join(dir, "out.mjs"), logLevel: "error" });
    const hex = execFileSync(process.execPath, ["--disallow-code-generation-from-strings", join(dir, "out.mjs")], { encoding: "utf8" });
    const tree = maskTree(["p.token"]);
    let want = "";
    for (let i = 0; i < 6; i++) want += expectedWith({ p: { id: `u${i}`, token: "t" }, n: i }, tree);
    expect(hex).toBe(want);
  });
});
