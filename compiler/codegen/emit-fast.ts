// The fast path of a leaf of the rule index. Owns: one function per leaf with every candidate
// rule's clauses inlined in source order, request values read once into local variables and
// checked against their declared types (declared-types.ts), so that plain JS operators apply
// (`principal.department == resource.department` is `===` once both are known strings).
// Why: the exact code (emit-rule.ts) calls one function per rule, keeps per-decision memo slots
// in module variables and checks every value at every use; on a typical policy that is twice
// the cost of the same rules written by hand.
// INVARIANT (never a different decision): the fast path is pure: it reads the request, builds
// nothing but the decision, and stops at the first surprise — a value that fails its declared
// check, or any error at all — by throwing; its catch then returns the exact runner's decision,
// computed from scratch. When nothing throws, it has evaluated exactly the expressions the exact
// code evaluates (same clauses, same laziness, left to right), each to the same value, so it
// returns the same decision. Memo slots of the exact code stay valid (decide resets them) for
// the exact functions the fast path still calls (defs with parameters).
import type { DefDecl, Expr, RuleDecl } from "../syntax/ast.ts";
import { checkCode, type Check, type Declared, type DeclaredTypes, UNKNOWN } from "./declared-types.ts";
import { ExprEmitter, LocalScope, type Js, type Scope } from "./emit-expr.ts";
import { reasonTemplate, staticMessage } from "./emit-rule.ts";
import { jsComment, jsJson, jsLiteral } from "./js-literal.ts";
import type { JsWriter } from "./js-writer.ts";
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
      case "QuantifierExpr":
      case "CountExpr":
        return this.sometimes(() => super.emit(e, scope, render));
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
    // run before it did: then nothing inside is certainly read.
    const js = seen ? this.sometimes(compute) : compute();
    this.known.set(key, js);
    // Straight-line code before which nothing could have filled it: assign without the test.
    const fresh = !seen && this.conditional === 0 && this.loops === 0;
    if (this.conditional === 0) {
      this.assigned.add(key);
      for (const k of implied) if (this.locals.has(k)) this.assigned.add(k);
    }
    if (fresh) return { code: `(${v} = ${js.code})`, kind: js.kind, declared: js.declared };
    return { code: `(${v} !== undefined ? ${v} : (${v} = ${js.code}))`, kind: js.kind, declared: js.declared };
  }

  private path(path: readonly string[], root: "field" | "input"): Js {
    if (path.length === 0) return { code: "$r", kind: "any" };
    const last = path[path.length - 1]!;
    const prefixes = path.slice(0, -1).map((_, i) => `path:${JSON.stringify(path.slice(0, i + 1))}`);
    return this.local(`path:${JSON.stringify(path)}`, () => {
      const parent = path.length === 1 ? { code: "$r", declared: undefined } : this.path(path.slice(0, -1), root);
      const declared: Declared =
        path.length === 1 ? (root === "field" ? this.types.field(last) : UNKNOWN) : (parent.declared ?? UNKNOWN).attribute(last);
      const checked = path.length > 1 && parent.declared?.check === "rec";
      return { code: `${this.reader(last, declared.check, checked)}(${parent.code})`, kind: declared.kind, declared };
    }, prefixes);
  }

  /**
   * The hoisted fast read of attribute `k`: its own value, passing `check`, or a bail-out.
   * `checked`: the object is known to be a record already (a checked read gave it).
   */
  private reader(k: string, check: Check, checked: boolean): string {
    const m = this.m;
    const key = jsLiteral(k);
    const test = checkCode(check, "v");
    const own = `v !== undefined && ${this.reads.own("o", key)}${test ? ` && ${test}` : ""}`;
    const body = checked
      ? [`  const v = o[${key}];`, `  if (${own}) return v;`]
      : [`  if (typeof o === "object" && o !== null && !Array.isArray(o)) {`, `    const v = o[${key}];`, `    if (${own}) return v;`, `  }`];
    return m.hoist(`fast:${check}:${checked}:${k}`, "Q", () => [`function (o) {`, ...body, `  throw ${m.use("$BAIL")};`, `}`].join("\n"));
  }
}

export interface FastLeafInput {
  readonly rules: readonly RuleDecl[];
  /** The leaf's rules (indices into `rules`), in source order. */
  readonly ids: readonly number[];
  readonly name: string;
  /** The exact runner of the same leaf: what a bail-out returns (undefined: rethrow, for tests). */
  readonly exact: string | undefined;
  readonly pkgVar: string;
  readonly scope: Scope;
  /** Per rule of the package: 0 permit, 1 hard forbid, 2 soft forbid, 3 advisory (as the rule table). */
  readonly modes: readonly number[];
  /** Per rule: how many `@notify` channels it has. */
  readonly channels: readonly number[];
  readonly defaultAllow: boolean;
}

interface Line {
  readonly text: string;
  readonly span?: RuleDecl["span"];
}

export function emitFastLeaf(w: JsWriter, fx: FastExprEmitter, input: FastLeafInput): void {
  const { rules, ids, name, exact, pkgVar: P, modes } = input;
  const m = fx.m;
  fx.startLeaf();
  // Without `for` rules and soft forbids, each rule leaves its result in a local (`x7`: true or
  // its message) and the decision is put together at the end as one would by hand: the trie's
  // frozen decision when no message was rendered, else the reasons of the side that won only.
  const direct = ids.every((i) => modes[i] !== 2 && !rules[i]!.clauses.some((c) => c.kind === "ForClause"));
  const body: Line[] = [];
  for (const i of ids) ruleBlock(fx, rules[i]!, i, P, input.scope, body, direct);
  const locals = fx.leafLocals();
  w.line(`// fast path of rules ${ids.join(", ")}; anything unexpected: ${exact ?? "throw (fastPaths: \"alone\")"}`);
  w.block(`function ${name}($r, o) {`, () => {
    w.line("try {");
    w.indent();
    if (fx.callsExact) w.line(`${P}_reset();`);
    const results = direct ? [...ids.map((i) => `x${i}`), "d = false"] : ["n = " + P + ".root", "a"];
    w.line(`let ${[...results, ...locals].join(", ")};`);
    for (const l of body) w.line(l.text, l.span);
    if (direct) assemble(w, m, ids, P, input);
    else {
      w.line(`if (a !== undefined) return ${m.use("$finish")}(a);`);
      w.line(`return n.soft ? ${m.use("$done")}(${P}, n, o) : n.d;`);
    }
    w.dedent();
    if (exact !== undefined) w.line(`} catch {\n  return ${exact}($r, o);\n}`);
    else w.line(`} catch (e) {\n  throw e;\n}`);
  });
  w.line();
}

/**
 * The end of a direct leaf: the same decision as support/decisions.ts's Acc for these results
 * (no soft forbid, no error, no override): any hard forbid → deny with the hard forbids; else
 * any permit → allow with the permits; else the default; advisories and notifications of every
 * match; reasons in source order.
 */
function assemble(w: JsWriter, m: ModuleContext, ids: readonly number[], P: string, input: FastLeafInput): void {
  const { modes, channels, defaultAllow } = input;
  const of = (mode: number) => ids.filter((i) => modes[i] === mode);
  const any = (list: readonly number[]) => (list.length === 0 ? "false" : list.map((i) => `x${i} !== undefined`).join(" || "));
  const why = m.use("$why");
  const E = m.use("$EMPTY");
  const collect = (v: string, list: readonly number[]) => {
    for (const i of list) w.line(`  if (x${i} !== undefined) ${v}.push(${why}(${P}, ${i}, x${i}));`);
  };
  w.line(`if (!d) {`);
  w.line(`  let n = ${P}.root;`);
  for (const i of ids) w.line(`  if (x${i} !== undefined) n = n.s(${i});`);
  w.line(`  return n.d;`);
  w.line(`}`);
  const forbids = of(1);
  const permits = of(0);
  w.line(`let allowed = ${defaultAllow}, reasons = ${E}, advisories = ${E}, notifications = ${E};`);
  const sides: [readonly number[], boolean][] = [
    [forbids, false],
    [permits, true],
  ];
  let first = true;
  for (const [list, allow] of sides) {
    if (list.length === 0) continue;
    w.line(`${first ? "" : "} else "}if (${any(list)}) {`);
    w.line(`  allowed = ${allow};`);
    w.line(`  reasons = [];`);
    collect("reasons", list);
    first = false;
  }
  if (!first) w.line(`}`);
  const advisory = of(3);
  if (advisory.length > 0) {
    w.line(`if (${any(advisory)}) {`);
    w.line(`  advisories = [];`);
    collect("advisories", advisory);
    w.line(`}`);
  }
  const notify = ids.filter((i) => channels[i]! > 0);
  if (notify.length > 0) {
    w.line(`if (${any(notify)}) {`);
    w.line(`  notifications = [];`);
    for (const i of notify) {
      const notes = Array.from({ length: channels[i]! }, (_, k) => `${P}.notes[${i}][${k}]`).join(", ");
      w.line(`  if (x${i} !== undefined) notifications.push(${notes});`);
    }
    w.line(`}`);
  }
  w.line(`return { allowed, decision: allowed ? "allow" : "deny", reasons, errors: ${E}, advisories, notifications, policy: ${P}.policy };`);
}

/** One rule as a labelled block: clauses lazily left to right, then its result into the decision. */
function ruleBlock(fx: FastExprEmitter, rule: RuleDecl, i: number, P: string, pkgScope: Scope, out: Line[], direct: boolean): void {
  const m = fx.m;
  const label = `r${i}`;
  const template = reasonTemplate(rule);
  const dynamic = template !== undefined && staticMessage(template) === undefined;
  const hasFor = rule.clauses.some((c) => c.kind === "ForClause");
  const scope = new LocalScope(pkgScope);
  const vars: string[] = [];
  const lines: Line[] = [];
  let depth = 1;
  const put = (text: string, span?: RuleDecl["span"]) => lines.push({ text: "  ".repeat(depth) + text, span });
  let loops = 0;
  const stop = () => (loops > 0 ? "continue" : `break ${label}`);
  let message = "undefined";
  // After the block, only what its first clause read is certainly read (the others may not run).
  let afterFirst = fx.snapshot();
  for (const [k, c] of rule.clauses.entries()) {
    if (k === 1) afterFirst = fx.snapshot();
    switch (c.kind) {
      case "WhenClause":
        put(`if (!(${fx.cond(c.condition, scope)})) ${stop()};`, c.span);
        break;
      case "UnlessClause":
        put(`if (${fx.cond(c.condition, scope)}) ${stop()};`, c.span);
        break;
      case "LetClause": {
        const js = m.fresh("v", c.name?.name ?? "_");
        vars.push(js);
        const v = fx.emit(c.value, scope);
        put(`${js} = ${v.code};`, c.span);
        if (c.name) scope.bind(c.name.name, { kind: "local", js, mayBeUnbound: false, value: v.kind, declared: v.declared });
        break;
      }
      case "ForClause": {
        const js = m.fresh("v", c.binding?.name ?? "_");
        const item = m.fresh("e");
        const coll = fx.emit(c.collection, scope).code;
        put(`for (const ${item} of ${m.use("$iter")}(${coll}, ${m.loc(c.collection ? c.collection.span : c.span)})) {`, c.span);
        depth++;
        put(`const ${js} = ${item};`);
        if (c.binding) scope.bind(c.binding.name, { kind: "local", js, mayBeUnbound: false });
        loops++;
        fx.loops++;
        break;
      }
      case "ReasonClause":
        if (c.template === template && template && dynamic) message = fx.template(template, scope.clone(), false);
        break;
    }
  }
  if (hasFor) {
    put(`(out ??= []).push(new ${m.use("Out")}(true, ${message}, undefined));`);
    for (let k = 0; k < loops; k++) {
      depth--;
      put("}");
    }
    put(`if (out !== undefined) a = ${m.use("$more")}(a, n, ${i}, out, o);`);
  } else if (direct) {
    put(dynamic ? `x${i} = ${message}; d = true;` : `x${i} = true;`);
  } else if (dynamic) {
    put(`a = ${m.use("$more")}(a, n, ${i}, ${message}, o);`);
  } else {
    put(`if (a === undefined) n = n.s(${i}); else a = ${m.use("$more")}(a, n, ${i}, true, o);`);
  }
  fx.loops -= loops;
  fx.restore(rule.clauses.length === 1 ? fx.snapshot() : afterFirst);
  const decl = [...(hasFor ? ["out"] : []), ...vars];
  out.push({ text: `${label}: { // ${jsComment(rule.name?.name ?? "(unnamed)")}`, span: rule.span });
  if (decl.length > 0) out.push({ text: `  let ${decl.join(", ")};` });
  out.push(...lines);
  out.push({ text: "}" });
}
