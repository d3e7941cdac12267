// Compiled request writers (compiled-request-writer.ts) against the string serialiser: a
// request shape written three times under one mask gets a compiled writer; written again with
// every guard of it failing (and every hostile value under it), it must give the generic
// writer's bytes, which are `canonicalizeRequest`'s UTF-8. Also: keys are data, never code;
// a getter is asked once; the node budget; and no code generation at all.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { writeRequest } from "../../runtime/canonical-bytes.ts";
import { canonicalizeRequest, shapeOf } from "../../runtime/canonical-json.ts";
import { maskTree } from "../../runtime/mask.ts";
import { masker, objectOf, plainMasker, smallOut } from "./byte-writer-fixtures.ts";

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
