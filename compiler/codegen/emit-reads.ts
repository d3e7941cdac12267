// Reading the request in generated code. Owns: one getter function per attribute name (a
// named property load V8 caches per shape, with the own-property test), the per-decision memo
// slots of the package being emitted and their accessor functions, and memoized request paths.
// INVARIANT (the interpreter's semantics): an attribute is only ever an own property; a memo
// slot stores only successful evaluations, so every use that fails reports its own location.
import { jsLiteral } from "./js-literal.ts";
import type { ModuleContext } from "./module-context.ts";

export class ReadEmitter {
  constructor(readonly m: ModuleContext) {}

  /**
   * Per-decision memo slots of the package being emitted (set by emitPackage): request paths
   * (`resource`, `resource.owner`) and parameterless defs, each read or evaluated at most once
   * per decision. A slot holds `undefined` until its first successful evaluation (a compared
   * constant, ~15 % faster than comparing with the `$U` sentinel, a module variable to load at
   * every use; no read or def yields `undefined`, and if one did it would only be evaluated
   * again, with the same result); an error is never stored, so every use that fails reports its
   * own location, as the interpreter does.
   */
  slots: Map<string, string> | undefined;
  slotPrefix = "S";

  /** The memo slot of a request path (what `resource.owner` reads), when slots are on. */
  pathSlot(path: readonly string[]): string | undefined {
    return this.slot(`path:${JSON.stringify(path)}`);
  }

  private slot(key: string): string | undefined {
    if (!this.slots) return undefined;
    let v = this.slots.get(key);
    if (!v) {
      v = `${this.slotPrefix}_s${this.slots.size}`;
      this.slots.set(key, v);
    }
    return v;
  }

  /**
   * Memo accessor functions of the package being emitted (emitPackage writes them out): one per
   * slot, `P_mN($r[, l])` returning the slot's value or computing and storing it. A use is then
   * a short call (V8 inlines it) instead of the whole check-compute-store expression written
   * out at every use, which made a 10,000-rule module twice as large.
   */
  readonly accessors: string[] = [];

  /** `compute(l)`, memoized per decision under `key` (`loc`: the use's location, passed as `l`). */
  memo(key: string, compute: (l: string) => string, loc?: string): string {
    const v = this.slot(key);
    if (!v) return compute(loc ?? "undefined");
    const fn = `${this.slotPrefix}_m${v.slice(v.lastIndexOf("_s") + 2)}`;
    if (!this.written.has(v)) {
      this.written.add(v);
      this.accessors.push(`function ${fn}($r${loc === undefined ? "" : ", l"}) {\n  return ${v} !== undefined ? ${v} : (${v} = ${compute("l")});\n}`);
    }
    return loc === undefined ? `${fn}($r)` : `${fn}($r, ${loc})`;
  }

  private readonly written = new Set<string>();

  /** Starts a package: no slots or accessors carried over from the previous one. */
  resetSlots(slots: Map<string, string> | undefined, prefix: string): void {
    this.slots = slots;
    this.slotPrefix = prefix;
    this.accessors.length = 0;
    this.written.clear();
  }

  /**
   * The read of a request path (at most 3 steps), memoized: `["resource", "owner"]` reads
   * `resource` (a declared request field, or an attribute of `input`) then its `owner`. Every
   * step reports an error at `loc`, the start of the whole path expression (which is also where
   * each of its prefixes starts).
   */
  pathRead(path: readonly string[], root: "field" | "input", loc: string): string {
    if (path.length === 0) return "$r";
    const last = path[path.length - 1]!;
    return this.memo(
      `path:${JSON.stringify(path)}`,
      (l) => (path.length === 1 && root === "field" ? `${this.fieldGetter(last)}($r, ${l})` : `${this.getter(last)}(${this.pathRead(path.slice(0, -1), root, l)}, ${l})`),
      loc,
    );
  }

  /**
   * `o.k` for one constant attribute name: a module function with the name written out (a
   * named property load V8 can cache per shape; `$ga`'s `o[k]` with a variable key is a
   * megamorphic keyed load). Anything but the plain case goes to `$ga` (same errors).
   */
  getter(k: string): string {
    return this.reader("get", "G", "o", k, "$ga");
  }

  /** A request field read (`$field` with the name written out, as `getter`). */
  private fieldGetter(k: string): string {
    return this.reader("field", "F", "r", k, "$field");
  }

  /** The hoisted read function of attribute `k`; anything but a plain own value goes to `fallback` (errors). */
  private reader(kind: string, prefix: string, o: string, k: string, fallback: string): string {
    const m = this.m;
    const key = jsLiteral(k);
    return m.hoist(`${kind}:${k}`, prefix, () => `function (${o}, l) {\n  if (typeof ${o} === "object" && ${o} !== null && !Array.isArray(${o})) {\n    const v = ${o}[${key}];\n    if (v !== undefined && ${this.own(o, key)}) return v;\n  }\n  return ${m.use(fallback)}(${o}, ${key}, l);\n}`);
  }

  /**
   * Whether the value just read as `o[key]` is an own property (JS source). For a plain record
   * — whose prototype is Object.prototype, which does not define `key` (a polluted prototype
   * does) — it can be nothing else, and this test is cheaper than `Object.hasOwn`, a builtin
   * call per read (~20 % of a decision that renders no message). Other objects ask
   * `Object.hasOwn`. The read comes first: on a class instance an inherited getter runs before
   * its value is refused (the decision is the same), and a Proxy is read through its `get` trap.
   */
  own(o: string, key: string): string {
    const OP = this.m.hoist("Object.prototype", "OP", () => "Object.prototype");
    return `(Object.getPrototypeOf(${o}) === ${OP} ? ${OP}[${key}] === undefined : Object.hasOwn(${o}, ${key}))`;
  }

}
