// Expressions for the fast path of a leaf (emit-fast-leaf.ts). Owns: request paths and
// parameterless defs as leaf-local variables, read once and checked against their declared
// types (declared-types.ts), so that plain JS operators are exact (`principal.department ==
// resource.department` is `===` once both are known strings); which locals every run has
// already read at a point of the leaf (then a use is the bare name); direct builtin calls
// without source locations (any error is a bail-out). Everything else is the exact emitter's.
// INVARIANT: an expression evaluates what the exact code's evaluates, lazily and left to right,
// to the same value, or throws.
import type { DefDecl, Expr } from "../syntax/ast.ts";
import { checkCode, type Check, type Declared, type DeclaredTypes, UNKNOWN } from "./declared-types.ts";
import { ExprEmitter, type Js, type Scope } from "./emit-expr.ts";
import { jsJson, jsLiteral } from "./js-literal.ts";
import type { ModuleContext } from "./module-context.ts";

/** Expressions for the fast path: request paths and parameterless defs as leaf-local values. */
export class FastExprEmitter extends ExprEmitter {
  /** Memo key (`path:[…]`, `def:NAME`) → the local variable of the leaf being written. */
  private locals = new Map<string, string>();

  constructor(
    m: ModuleContext,
    private readonly types: DeclaredTypes,
    /** Parameterless defs by their JS name, with the package scope their bodies resolve in. */
    private readonly defs: ReadonlyMap<string, DefDecl>,
    private readonly pkgScope: Scope,
  ) {
    super(m);
  }

  /**
   * Whether the leaf calls an exact function (a def with parameters), whose memo slots must
   * then be emptied first: decide leaves them as the last exact run left them.
   */
  callsExact = false;

  /** A checked builtin called directly: an error is a bail-out here, its location is not needed. */
  protected override call(fn: string, _node: Expr, ...args: string[]): string {
    return `${this.m.use(fn)}(${args.join(", ")})`;
  }

  /** Starts a leaf function: no local carried over. */
  startLeaf(): void {
    this.locals = new Map();
    this.callsExact = false;
    this.assigned = new Set();
    this.known.clear();
    this.loops = 0;
    this.usesScratch = false;
  }

  /** The locals the leaf's code uses (declared at its top, `undefined` until first read). */
  leafLocals(): string[] {
    return [...this.locals.values()];
  }

  override emit(e: Expr | undefined, scope: Scope, render = false): Js {
    switch (e?.kind) {
      case "MemberExpr": {
        const path = this.requestPath(e, scope);
        if (path) return this.path(path, this.pathRoot(e, scope));
        const obj = this.emit(e.object, scope);
        const name = e.property?.name ?? "";
        if (obj.declared?.check === "rec") {
          const declared = obj.declared.attribute(name);
          return { code: `${this.reader(name, declared.check, true)}(${obj.code})`, kind: declared.kind, declared };
        }
        return { code: `${this.reads.getter(name)}(${obj.code}, ${this.loc(e)})`, kind: "any" };
      }
      case "NameRef": {
        const b = scope.lookup(e.name);
        if (b?.kind === "field") return this.path([b.name], "field");
        if (b?.kind === "def" && b.arity === undefined) {
          const def = this.defs.get(b.js);
          if (!def) break;
          const constant = this.constantDefs.get(b.js);
          if (constant) return constant;
          return this.local(`def:${b.js}`, () => {
            const body = this.emit(def.body, this.pkgScope);
            if (body.constant) this.constantDefs.set(b.js, body);
            return body;
          });
        }
        break;
      }
      case "CallExpr":
        if (scope.lookupDef(e.callee.name)?.arity !== undefined) this.callsExact = true;
        break;
      case "BinaryExpr":
        if (e.op === "and" || e.op === "or") {
          // The exact emitter's code; the right operand runs only sometimes.
          const a = this.cond(e.left, scope);
          const b = this.sometimes(() => this.cond(e.right, scope));
          return { code: `(${a} ${e.op === "and" ? "&&" : "||"} ${b})`, kind: "bool" };
        }
        if (e.op === "in") {
          const js = this.attempt(() => this.inList(e.left, e.right, scope));
          if (js) return js;
        }
        break;
      case "MethodCallExpr": {
        const js = this.attempt(() => this.arrayMethod(e, scope));
        if (js) return js;
        break;
      }
      case "HasExpr": {
        const js = this.attempt(() => this.has(e, scope));
        if (js) return js;
        break;
      }
      case "IfExpr":
        return this.sometimes(() => super.emit(e, scope, render));
      case "QuantifierExpr":
      case "CountExpr": {
        this.closures++;
        try {
          return this.sometimes(() => super.emit(e, scope, render));
        } finally {
          this.closures--;
        }
      }
    }
    return super.emit(e, scope, render);
  }

  /** `x in list` on a checked array: `includes` for a plain literal (see $inPlain), else an identity scan that bails at an object element. */
  private inList(left: Expr | undefined, right: Expr | undefined, scope: Scope): Js | undefined {
    const a = this.emit(left, scope);
    const b = this.emit(right, scope);
    if (b.declared?.check !== "arr" || !(a.plain || a.kind !== "any")) return undefined;
    return { code: a.plain ? `${b.code}.includes(${a.code})` : `${this.m.use("$inArr")}(${a.code}, ${b.code})`, kind: "bool" };
  }

  /** `contains` / `containsAny` of plain literals on a checked array (only the identical value equals one): `includes`. */
  private arrayMethod(e: Expr & { kind: "MethodCallExpr" }, scope: Scope): Js | undefined {
    const name = e.method.name;
    if (e.args.length !== 1 || (name !== "contains" && name !== "containsAny")) return undefined;
    const recv = this.emit(e.receiver, scope);
    const arg = this.emit(e.args[0], scope);
    if (recv.declared?.check !== "arr") return undefined;
    if (name === "contains" && arg.plain) return { code: `${recv.code}.includes(${arg.code})`, kind: "bool" };
    const values = arg.plainList;
    if (name !== "containsAny" || !values) return undefined;
    const test = values.length === 0 ? "false" : values.map((v) => `c.includes(${jsJson(v)})`).join(" || ");
    const fn = this.m.hoist(`fast:any:${arg.code}`, "Q", () => `function (c) {\n  return ${test};\n}`);
    return { code: `${fn}(${recv.code})`, kind: "bool" };
  }

  /** `r has k` on a checked record: the own-property test without the record check. */
  private has(e: Expr & { kind: "HasExpr" }, scope: Scope): Js | undefined {
    if (!e.attribute) return undefined;
    const obj = this.emit(e.object, scope);
    if (obj.declared?.check !== "rec") return undefined;
    const k = e.attribute.kind === "Identifier" ? e.attribute.name : e.attribute.value;
    const key = jsLiteral(k);
    const has = this.m.hoist(`fast:has:${k}`, "Q", () => `function (o) {\n  return o[${key}] !== undefined && ${this.reads.own("o", key)};\n}`);
    return { code: `${has}(${obj.code})`, kind: "bool" };
  }

  // ---- which locals every run reaching the code being written has read (a use is then the bare name)

  private assigned = new Set<string>();
  /** > 0 while writing code that runs only sometimes (a right operand, a branch, a body). */
  private conditional = 0;
  /** > 0 inside a `for` clause's loop (set by ruleBlock): code there may run more than once. */
  loops = 0;
  /** What each local holds (kind, declared type), from its first computation. */
  private readonly known = new Map<string, Js>();
  private readonly constantDefs = new Map<string, Js>();

  snapshot(): ReadonlySet<string> {
    return new Set(this.assigned);
  }

  restore(state: ReadonlySet<string>): void {
    this.assigned = new Set(state);
  }

  private sometimes<T>(write: () => T): T {
    this.conditional++;
    try {
      return write();
    } finally {
      this.conditional--;
    }
  }

  /** Writes with `write`; if it declines (undefined), forgets what its dropped code read and first used. */
  private attempt(write: () => Js | undefined): Js | undefined {
    const before = this.snapshot();
    const knownBefore = new Set(this.known.keys());
    const js = write();
    if (!js) {
      this.restore(before);
      for (const k of [...this.known.keys()]) if (!knownBefore.has(k)) this.known.delete(k);
    }
    return js;
  }

  /**
   * `compute()` once per decision, in a leaf-local variable (no Edict value is `undefined`).
   * `implied`: keys of locals that are certainly read once this one is (a path's prefixes).
   */
  private local(key: string, compute: () => Js, implied: readonly string[] = []): Js {
    let v = this.locals.get(key);
    if (!v) {
      v = this.m.fresh("w");
      this.locals.set(key, v);
    }
    const seen = this.known.get(key);
    if (seen && this.assigned.has(key)) return { code: v, kind: seen.kind, declared: seen.declared };
    // The first use in the leaf finds the local empty and computes it; a later one only if no
    // run before it did: then nothing inside is certainly read. In straight-line code before
    // which nothing could have filled it, the local is assigned without the test.
    const fresh = !seen && this.conditional === 0 && this.loops === 0;
    const js = seen ? this.sometimes(compute) : compute();
    this.known.set(key, js);
    if (this.conditional === 0) {
      this.assigned.add(key);
      for (const k of implied) if (this.locals.has(k)) this.assigned.add(k);
    }
    if (fresh) return { code: `(${v} = ${js.code})`, kind: js.kind, declared: js.declared };
    return { code: `(${v} !== undefined ? ${v} : (${v} = ${js.code}))`, kind: js.kind, declared: js.declared };
  }

  /**
   * The request paths this emitter's code reads that every well-typed request has (each step a
   * required field of a declared record), by key: what a leaf reads up front (`preload`).
   */
  readonly required = new Map<string, readonly string[]>();

  /**
   * Reads `paths` (from `required` of a dry run over the same rules) into their locals, as
   * statements for the top of the leaf: parents first, each read once. Every later use in the
   * leaf is then the bare local. A request without one of them is not well typed: the leaf
   * bails out, and the exact code decides (reading only what its rules reach).
   */
  preload(paths: Iterable<readonly string[]>): string[] {
    const out: string[] = [];
    const sorted = [...paths].sort((a, b) => a.length - b.length);
    for (const path of sorted) out.push(this.path(path, "field").code + ";");
    return out;
  }

  private path(path: readonly string[], root: "field" | "input"): Js {
    if (path.length === 0) return { code: "$r", kind: "any" };
    if (root === "field" && this.isRequired(path)) this.required.set(JSON.stringify(path), path);
    const last = path[path.length - 1]!;
    const prefixes = path.slice(0, -1).map((_, i) => `path:${JSON.stringify(path.slice(0, i + 1))}`);
    return this.local(`path:${JSON.stringify(path)}`, () => {
      const parent = path.length === 1 ? { code: "$r", declared: undefined } : this.path(path.slice(0, -1), root);
      const declared: Declared =
        path.length === 1 ? (root === "field" ? this.types.request.attribute(last) : UNKNOWN) : (parent.declared ?? UNKNOWN).attribute(last);
      const checked = path.length > 1 && parent.declared?.check === "rec";
      if (this.closures > 0) return { code: `${this.reader(last, declared.check, checked)}(${parent.code})`, kind: declared.kind, declared };
      // Written out in the leaf (a call per read was ~8 % of a decision: V8 does not inline
      // into a function this large), from the parent's local once the parent is evaluated.
      const from = path.length === 1 ? "$r" : this.locals.get(prefixes[prefixes.length - 1]!)!;
      const read = this.inlineRead(from, last, declared.check, checked);
      return { code: parent.code === from ? read : `(${parent.code}, ${read})`, kind: declared.kind, declared };
    }, prefixes);
  }

  /** `o.k` written out in the leaf, over its scratch variable `t`. */
  private inlineRead(o: string, k: string, check: Check, checked: boolean): string {
    this.usesScratch = true;
    return this.readExpr(o, k, check, checked);
  }

  /**
   * `o.k` as an expression over a variable `t`: the own value passing `check`, or a bail-out.
   * `checked`: `o` is known to be a record already (a checked read gave it).
   */
  private readExpr(o: string, k: string, check: Check, checked: boolean): string {
    const key = jsLiteral(k);
    const test = checkCode(check, "t");
    const record = checked ? "" : `typeof ${o} === "object" && ${o} !== null && !Array.isArray(${o}) && `;
    return `(${record}(t = ${o}[${key}]) !== undefined && ${this.reads.own(o, key)}${test ? ` && ${test}` : ""} ? t : ${this.m.use("$bail")}())`;
  }

  private isRequired(path: readonly string[]): boolean {
    let t = this.types.request;
    for (const k of path) {
      if (t.check !== "rec" || !t.required(k)) return false;
      t = t.attribute(k);
    }
    return true;
  }

  /** Whether the leaf's code uses the scratch variable `t` of inlined reads. */
  usesScratch = false;
  /** > 0 inside a quantifier's or count's closure: reads there call the hoisted readers (a closure over `t` would make it a context variable). */
  private closures = 0;

  /** The same read as a hoisted function (inside closures, where the leaf's `t` must not be captured). */
  private reader(k: string, check: Check, checked: boolean): string {
    return this.m.hoist(`fast:${check}:${checked}:${k}`, "Q", () => `function (o) {\n  let t;\n  return ${this.readExpr("o", k, check, checked)};\n}`);
  }
}
