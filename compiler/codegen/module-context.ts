// What every emitter shares while one module is generated. Owns: references to prelude
// functions (as placeholders, resolved once the prelude is bundled and its local names are
// known), module-level constants (locations, hoisted literal values: durations, globs,
// regexes, sets), and fresh identifiers.
// INVARIANT: placeholders are `\u0001name\u0002`; no other raw control character can appear in
// generated code (jsLiteral escapes them in strings, jsComment replaces them in comments).
import type { Span } from "../source/span.ts";
import { jsLiteral, sanitizeIdentifier } from "./js-literal.ts";

export class ModuleContext {
  readonly used = new Set<string>();
  /** Hoisted constants in creation order: [name, initializer]. */
  readonly constants: [string, string][] = [];
  private readonly constByKey = new Map<string, string>();
  private readonly ids = new Map<string, number>();

  constructor(private readonly locationOf: (span: Span) => string) {}

  /** Located wrappers to emit: name → [builtin, arity]. */
  readonly wrappers = new Map<string, readonly [string, number]>();

  /**
   * A located call of a builtin: `$w_fn(a, b, L)` calls `fn(a, b)` and stamps the location on
   * an error. One small wrapper per builtin keeps each call site monomorphic (V8 inlines it).
   */
  wrapper(fn: string, arity: number): string {
    const name = `$w${arity}_${fn.replace(/[^A-Za-z0-9_$]/g, "_")}`;
    if (!this.wrappers.has(name)) {
      this.wrappers.set(name, [fn, arity]);
      this.use(fn);
      this.use("$tag");
    }
    return name;
  }

  /** The wrapper functions' code (placeholders unresolved). */
  wrapperCode(): string[] {
    const out: string[] = [];
    for (const [name, [fn, arity]] of [...this.wrappers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const params = ["a", "b", "c"].slice(0, arity);
      out.push(`function ${name}(${[...params, "l"].join(", ")}) {
  try {
    return ${this.use(fn)}(${params.join(", ")});
  } catch (e) {
    throw ${this.use("$tag")}(e, l);
  }
}`);
    }
    return out;
  }

  /** A prelude function or value, by its exported name. */
  use(name: string): string {
    this.used.add(name);
    return `\u0001${name}\u0002`;
  }

  /** A module-level constant holding `init`, shared by every use with the same key. */
  hoist(key: string, prefix: string, init: () => string): string {
    const hit = this.constByKey.get(key);
    if (hit) return hit;
    const name = this.fresh(prefix);
    this.constByKey.set(key, name);
    this.constants.push([name, init()]);
    return name;
  }

  /** The constant holding `file:line:col` of a span (passed to located operations). */
  loc(span: Span): string {
    const text = this.locationOf(span);
    return this.hoist(`loc:${text}`, "L", () => jsLiteral(text));
  }

  /** A new identifier `prefix` + counter (+ `_` + sanitized hint): never user text as-is. */
  fresh(prefix: string, hint?: string): string {
    const n = this.ids.get(prefix) ?? 0;
    this.ids.set(prefix, n + 1);
    return hint === undefined ? `${prefix}${n}` : `${prefix}${n}_${sanitizeIdentifier(hint)}`;
  }

  /** Replaces placeholders with the bundle's local names. */
  static resolve(code: string, names: ReadonlyMap<string, string>): string {
    // split/indexOf rather than a regex replace with a callback: a 10,000-rule module has
    // hundreds of thousands of placeholders.
    const parts = code.split("\u0001");
    for (let i = 1; i < parts.length; i++) {
      const part = parts[i]!;
      const end = part.indexOf("\u0002");
      const n = part.slice(0, end);
      parts[i] = (names.get(n) ?? n) + part.slice(end + 1);
    }
    return parts.join("");
  }
}
