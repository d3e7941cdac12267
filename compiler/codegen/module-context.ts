// What every emitter shares while one module is generated. Owns: references to prelude
// functions (by their exported names: compile.ts binds exactly those names at module level),
// the location table (expressions' `file:line:col`, referred to by number), module-level
// constants (hoisted literal values: durations, globs, regexes, sets), and fresh identifiers.
// INVARIANT: generated identifiers are a prefix + a counter (never user text as-is), so they
// cannot clash with the prelude's exported names (`$tag`, `equals`...).
import type { Span } from "../source/span.ts";
import type { SourceFile } from "../source/source-file.ts";
import { jsLiteral, sanitizeIdentifier } from "./js-literal.ts";

export class ModuleContext {
  readonly used = new Set<string>();
  /** Hoisted constants in creation order: [name, initializer]. */
  readonly constants: [string, string][] = [];
  private readonly constByKey = new Map<string, string>();
  private readonly ids = new Map<string, number>();
  /** Location table: file → span start → entry number; entries as `fileIndex:line:col`. */
  private readonly locIds = new Map<string, Map<number, number>>();
  private readonly locFiles: string[] = [];
  private readonly locEntries: string[] = [];

  /** `sourceOf`: the file of a span; `displayName`: how a file is named in messages. */
  constructor(
    private readonly sourceOf: (file: string) => SourceFile | undefined,
    private readonly displayName: (file: string) => string = (f) => f,
  ) {}

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

  /** The wrapper functions' code. */
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

  /** A prelude function or value, by its exported name (compile.ts binds it at module level). */
  use(name: string): string {
    this.used.add(name);
    return name;
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

  /**
   * The location of a span, as the number of its entry in the module's location table (passed
   * to located operations; support/located.ts's `locText` turns it into `file:line:col` when an
   * error needs it).
   */
  loc(span: Span): string {
    let byStart = this.locIds.get(span.file);
    if (!byStart) this.locIds.set(span.file, (byStart = new Map()));
    let id = byStart.get(span.start);
    if (id === undefined) {
      id = this.locEntries.length;
      byStart.set(span.start, id);
      let fileIndex = this.locFiles.indexOf(span.file);
      if (fileIndex < 0) fileIndex = this.locFiles.push(span.file) - 1;
      const source = this.sourceOf(span.file);
      const p = source ? source.position(span.start) : { line: 0, column: 0 };
      this.locEntries.push(`${fileIndex}:${p.line + 1}:${p.column + 1}`);
    }
    return String(id);
  }

  /** The statement registering the location table (`$locs(files, entries)`), or "" without locations. */
  locationTable(): string {
    if (this.locEntries.length === 0) return "";
    const files = this.locFiles.map((f) => jsLiteral(this.displayName(f))).join(", ");
    return `${this.use("$locs")}([${files}], ${jsLiteral(this.locEntries.join(","))});`;
  }

  /** A context to write code into that is then thrown away (a dry run: nothing reaches this module). */
  dry(): ModuleContext {
    return new ModuleContext(this.sourceOf, this.displayName);
  }

  /** A new identifier `prefix` + counter (+ `_` + sanitized hint): never user text as-is. */
  fresh(prefix: string, hint?: string): string {
    const n = this.ids.get(prefix) ?? 0;
    this.ids.set(prefix, n + 1);
    return hint === undefined ? `${prefix}${n}` : `${prefix}${n}_${sanitizeIdentifier(hint)}`;
  }
}
