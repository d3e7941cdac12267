// Expressions to JavaScript. Owns: the translation of one Edict expression into one JS
// expression with exactly the interpreter's semantics (language.md "Language decisions"):
// every operation that can fail calls a located wrapper (`$ga`, `$call2(f, a, b, L)`...) so the
// EdictError it throws carries the `file:line:col` of the failing expression; `and`/`or`, `if`
// and quantifiers short-circuit left to right like the interpreter.
// Speed without trusting declared types: declared types are not run-time guarantees (the
// request is untrusted JSON), so fast JS operators are used only where the value's kind is
// known BY CONSTRUCTION (a literal, a comparison result, a count...): `x == "read"` is
// `x === "read"` because a string literal that is not a time, a duration or an ip can only
// equal the identical string; a condition that is already a boolean skips the check.
import type { Span } from "../source/span.ts";
import type { BinaryExpr, Expr, RecordLit, TemplateLit } from "../syntax/ast.ts";
import { compileGlob, fnDuration, fnIp, fnTime, parseDurationMs, parseIp, parseTimeMs } from "../../runtime/builtins/index.ts";
import { jsJson, jsKey, jsLiteral, jsNumber } from "./js-literal.ts";
import type { ModuleContext } from "./module-context.ts";
import { ReadEmitter } from "./emit-reads.ts";
import type { Declared } from "./declared-types.ts";

/** The kind of a JS value known by construction ("any": unknown, must be checked). */
export type Kind = "bool" | "num" | "str" | "any";

export interface Js {
  readonly code: string;
  readonly kind: Kind;
  /** A literal whose `==` with anything is plain `===` (see `plainLiteral`). */
  readonly plain?: boolean;
  /** Every element is a plain literal (a list literal usable as a Set). */
  readonly plainList?: readonly (string | number | boolean)[];
  /** A compile-time constant (can be hoisted). */
  readonly constant?: boolean;
  /** Fast path only (emit-fast-expr.ts): the declared type the value was checked against. */
  readonly declared?: Declared;
}

/** How a name resolves (language.md: innermost first). */
export type Binding =
  | { readonly kind: "local"; readonly js: string; readonly mayBeUnbound: boolean; readonly value?: Kind; readonly declared?: Declared }
  | { readonly kind: "def"; readonly js: string; readonly arity: number | undefined }
  | { readonly kind: "field"; readonly name: string }
  | { readonly kind: "input" };

export interface Scope {
  lookup(name: string): Binding | undefined;
  /** A package def by name (calls ignore local bindings, like the interpreter). */
  lookupDef(name: string): (Binding & { kind: "def" }) | undefined;
}

export class LocalScope implements Scope {
  private readonly names = new Map<string, Binding>();
  constructor(private readonly parent: Scope) {}
  bind(name: string, binding: Binding): void {
    this.names.set(name, binding);
  }
  lookup(name: string): Binding | undefined {
    return this.names.get(name) ?? this.parent.lookup(name);
  }
  lookupDef(name: string): (Binding & { kind: "def" }) | undefined {
    return this.parent.lookupDef(name);
  }
  /** The names bound so far, unaffected by later `bind`s. */
  clone(): LocalScope {
    const c = new LocalScope(this.parent);
    for (const [k, v] of this.names) c.names.set(k, v);
    return c;
  }
}

/** Method name → [arity, builtin implementing it] (the table callMethod dispatches with). */
const METHODS: Readonly<Record<string, readonly [number, string, Kind]>> = {
  lower: [0, "strLower", "str"],
  upper: [0, "strUpper", "str"],
  trim: [0, "strTrim", "str"],
  startsWith: [1, "strStartsWith", "bool"],
  endsWith: [1, "strEndsWith", "bool"],
  contains: [1, "contains", "bool"],
  size: [0, "size", "num"],
  isEmpty: [0, "isEmpty", "bool"],
  containsAll: [1, "collContainsAll", "bool"],
  containsAny: [1, "collContainsAny", "bool"],
  keys: [0, "mapKeys", "any"],
  values: [0, "mapValues", "any"],
  hour: [0, "timeHour", "num"],
  minute: [0, "timeMinute", "num"],
  weekday: [0, "timeWeekday", "num"],
  seconds: [0, "durationSeconds", "num"],
  minutes: [0, "durationMinutes", "num"],
  hours: [0, "durationHours", "num"],
  isLoopback: [0, "ipIsLoopback", "bool"],
  isPrivate: [0, "ipIsPrivate", "bool"],
  isIpv4: [0, "ipIsIpv4", "bool"],
  isIpv6: [0, "ipIsIpv6", "bool"],
};

const FUNCTIONS: Readonly<Record<string, readonly [string, (v: unknown) => unknown]>> = {
  ip: ["fnIp", fnIp],
  time: ["fnTime", fnTime],
  duration: ["fnDuration", fnDuration],
};

/** Longest `in [literals]` list tested by a chain of `===` (longer lists: a Set). */
const ONE_OF_CHAIN = 8;

const COMPARE: Readonly<Record<string, string>> = { "<": "lt", "<=": "le", ">": "gt", ">=": "ge" };
const ARITH: Readonly<Record<string, string>> = { "+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod" };

/** A string that no Time/Duration/Ip wrapper can equal (so `==` on it is `===`). */
function plainString(s: string): boolean {
  return parseTimeMs(s) === undefined && parseDurationMs(s) === undefined && parseIp(s) === undefined;
}

export class ExprEmitter {
  /** Where an error in this node is reported (one place to change the convention). */
  static errorSpan(node: Expr): Span {
    return node.span;
  }

  constructor(readonly m: ModuleContext) {
    this.reads = new ReadEmitter(m);
  }

  /** Request reads and per-decision memo slots (see emit-reads.ts). */
  readonly reads: ReadEmitter;

  /** How the root name of a request path resolves (a declared field, or `input`). */
  protected pathRoot(e: Expr | undefined, scope: Scope): "field" | "input" {
    while (e?.kind === "MemberExpr") e = e.object;
    return e?.kind === "NameRef" && scope.lookup(e.name)?.kind === "field" ? "field" : "input";
  }

  /** The request path an expression reads (`resource.owner` → ["resource", "owner"]; `input` → []), if it is one. */
  protected requestPath(e: Expr | undefined, scope: Scope): string[] | undefined {
    if (e?.kind === "NameRef") {
      const b = scope.lookup(e.name);
      if (b?.kind === "field") return [b.name];
      if (b?.kind === "input") return [];
      return undefined;
    }
    if (e?.kind === "MemberExpr" && e.property) {
      const base = this.requestPath(e.object, scope);
      return base && base.length < 3 ? [...base, e.property.name] : undefined;
    }
    return undefined;
  }

  private fail(message: string, node: Expr): string {
    return `${this.m.use("$fail")}(${jsLiteral(message)}, ${this.loc(node)})`;
  }

  protected loc(node: Expr): string {
    return this.m.loc(ExprEmitter.errorSpan(node));
  }

  protected call(fn: string, node: Expr, ...args: string[]): string {
    return `${this.m.wrapper(fn, args.length)}(${args.join(", ")}, ${this.loc(node)})`;
  }

  /** A condition (`when`, `and`...): a JS boolean, checked unless known. */
  cond(e: Expr | undefined, scope: Scope, render = false): string {
    if (!e) return `${this.m.use("$t")}(undefined, ${jsLiteral("?")})`;
    const v = this.emit(e, scope, render);
    return v.kind === "bool" ? v.code : `${this.m.use("$t")}(${v.code}, ${this.loc(e)})`;
  }

  emit(e: Expr | undefined, scope: Scope, render = false): Js {
    if (!e) return { code: `${this.m.use("$t")}(undefined, ${jsLiteral("?")})`, kind: "any" };
    const m = this.m;
    switch (e.kind) {
      case "StringLit":
        return { code: jsLiteral(e.value), kind: "str", plain: plainString(e.value), constant: true };
      case "NumberLit":
        return { code: jsNumber(e.value), kind: "num", plain: true, constant: true };
      case "BoolLit":
        return { code: e.value ? "true" : "false", kind: "bool", plain: true, constant: true };
      case "DurationLit":
        return { code: m.hoist(`dur:${e.ms}`, "D", () => `${m.use("makeDuration")}(${jsNumber(e.ms)})`), kind: "any", constant: true };
      case "ParenExpr":
        return this.emit(e.expr, scope, render);
      case "ListLit": {
        const items = e.elements.map((x) => this.emit(x, scope, render));
        const code = `[${items.map((i) => i.code).join(", ")}]`;
        if (items.every((i) => i.constant)) {
          const plainList = items.every((i) => i.plain) ? e.elements.map((x) => (x as { value: string | number | boolean }).value) : undefined;
          const name = m.hoist(`list:${code}`, "K", () => `Object.freeze(${code})`);
          return plainList ? { code: name, kind: "any", constant: true, plainList } : { code: name, kind: "any", constant: true };
        }
        return { code, kind: "any" };
      }
      case "RecordLit":
        return { code: this.record(e, scope, render), kind: "any" };
      case "NameRef":
        return this.name(e.name, e, scope, render);
      case "MemberExpr": {
        const path = this.requestPath(e, scope);
        if (path) return { code: this.reads.pathRead(path, this.pathRoot(e, scope), this.loc(e)), kind: "any" };
        const obj = this.emit(e.object, scope, render);
        return { code: `${this.reads.getter(e.property?.name ?? "")}(${obj.code}, ${this.loc(e)})`, kind: "any" };
      }
      case "IndexExpr":
        return { code: this.call("getIndex", e, this.emit(e.object, scope, render).code, this.emit(e.index, scope, render).code), kind: "any" };
      case "HasExpr": {
        const key = e.attribute ? (e.attribute.kind === "Identifier" ? e.attribute.name : e.attribute.value) : "";
        return { code: this.call("hasAttr", e, this.emit(e.object, scope, render).code, jsLiteral(key)), kind: "bool" };
      }
      case "CallExpr":
        return this.callExpr(e, scope, render);
      case "MethodCallExpr": {
        const recv = this.emit(e.receiver, scope, render).code;
        const args = e.args.map((a) => this.emit(a, scope, render).code);
        const name = e.method.name;
        const spec = Object.hasOwn(METHODS, name) ? METHODS[name] : undefined;
        // `contains` keeps its own fast path for an IPv4 range and address text (see $contains).
        if (name === "contains" && args.length === 1) return { code: `${m.use("$contains")}(${recv}, ${args[0]}, ${this.loc(e)})`, kind: "bool" };
        if (spec && spec[0] === args.length) return { code: this.call(spec[1], e, recv, ...args), kind: spec[2] };
        return { code: this.call("callMethod", e, recv, jsLiteral(name), `[${args.join(", ")}]`), kind: "any" };
      }
      case "UnaryExpr": {
        const v = this.emit(e.operand, scope, render);
        if (e.op === "not") return { code: `!${v.kind === "bool" ? v.code : `${m.use("$t")}(${v.code}, ${this.loc(e.operand ?? e)})`}`, kind: "bool" };
        if (v.kind === "num") return { code: `(-${v.code})`, kind: "num" };
        return { code: this.call("neg", e, v.code), kind: "any" };
      }
      case "BinaryExpr":
        return this.binary(e, scope, render);
      case "QuantifierExpr": {
        const param = m.fresh("q", e.binding?.name ?? "x");
        const inner = new LocalScope(scope);
        if (e.binding) inner.bind(e.binding.name, { kind: "local", js: param, mayBeUnbound: false });
        const coll = this.emit(e.collection, scope, render).code;
        const body = this.cond(e.body, inner, render);
        const fn = e.quantifier === "some" ? "$some" : "$every";
        return { code: `${m.use(fn)}(${coll}, ${this.loc(e.collection ?? e)}, (${param}) => ${body})`, kind: "bool" };
      }
      case "CountExpr": {
        const param = m.fresh("q", e.binding?.name ?? "x");
        const inner = new LocalScope(scope);
        if (e.binding) inner.bind(e.binding.name, { kind: "local", js: param, mayBeUnbound: false });
        const coll = this.emit(e.collection, scope, render).code;
        const body = e.where ? `(${param}) => ${this.cond(e.where, inner, render)}` : "undefined";
        return { code: `${m.use("$count")}(${coll}, ${this.loc(e.collection ?? e)}, ${body})`, kind: "num" };
      }
      case "IfExpr": {
        const c = this.cond(e.condition, scope, render);
        const a = this.emit(e.then, scope, render);
        const b = this.emit(e.else, scope, render);
        return { code: `(${c} ? ${a.code} : ${b.code})`, kind: a.kind === b.kind ? a.kind : "any" };
      }
      case "WithExpr": {
        const base = this.emit(e.base, scope, render).code;
        const fields = e.updates?.fields ?? [];
        const keys = fields.map((f) => (f.key.kind === "Identifier" ? f.key.name : f.key.value));
        const keysCode = `[${keys.map(jsLiteral).join(", ")}]`;
        const keysName = m.hoist(`keys:${keysCode}`, "K", () => `Object.freeze(${keysCode})`);
        const values = fields.map((f) => this.emit(f.value, scope, render).code);
        return { code: this.call("recordWith", e, base, keysName, `[${values.join(", ")}]`), kind: "any" };
      }
      case "ErrorExpr":
        return { code: this.fail("the policy is incomplete here (it has a syntax error)", e), kind: "any" };
    }
  }

  private record(e: RecordLit, scope: Scope, render: boolean): string {
    if (e.fields.length === 0) return "{}";
    const parts = e.fields.map((f) => {
      const key = f.key.kind === "Identifier" ? f.key.name : f.key.value;
      return `${jsKey(key)}: ${this.emit(f.value, scope, render).code}`;
    });
    return `{ ${parts.join(", ")} }`;
  }

  private name(name: string, node: Expr, scope: Scope, render: boolean): Js {
    const b = scope.lookup(name);
    if (!b) {
      const message = Object.hasOwn(FUNCTIONS, name) ? `\`${name}\` is a function: call it as \`${name}(...)\`` : `unknown name \`${name}\``;
      return { code: this.fail(message, node), kind: "any" };
    }
    switch (b.kind) {
      case "local":
        if (render && b.mayBeUnbound) return { code: `${this.m.use("$bound")}(${b.js})`, kind: "any" };
        return { code: b.js, kind: b.value ?? "any", declared: b.declared };
      case "def":
        if (b.arity !== undefined) return { code: this.fail(`\`${name}\` takes arguments: call it as \`${name}(...)\``, node), kind: "any" };
        return { code: this.reads.memo(`def:${b.js}`, () => `${b.js}($r)`), kind: "any" };
      case "field":
        return { code: this.reads.pathRead([b.name], "field", this.loc(node)), kind: "any" };
      case "input":
        return { code: "$r", kind: "any" };
    }
  }

  private callExpr(e: Expr & { kind: "CallExpr" }, scope: Scope, render: boolean): Js {
    const m = this.m;
    const name = e.callee.name;
    const def = scope.lookupDef(name);
    if (def) {
      if (def.arity === undefined) return { code: this.fail(`\`${name}\` is a value, not a function: write \`${name}\` without parentheses`, e), kind: "any" };
      if (def.arity !== e.args.length)
        return { code: this.fail(`\`${name}\` takes ${def.arity} argument${def.arity === 1 ? "" : "s"}, not ${e.args.length}`, e), kind: "any" };
      const args = e.args.map((a) => this.emit(a, scope, render));
      return { code: `${def.js}($r${args.map((a) => ", " + a.code).join("")})`, kind: "any" };
    }
    if (!Object.hasOwn(FUNCTIONS, name)) return { code: this.fail(`unknown function \`${name}\``, e), kind: "any" };
    const args = e.args.map((a) => this.emit(a, scope, render));
    const [fn, impl] = FUNCTIONS[name]!;
    if (args.length === 1) {
      const a0 = e.args[0]!;
      if (a0.kind === "StringLit") {
        // A literal argument that parses is evaluated once, at module load; one that does not
        // parse stays a call, so the error happens per decision, like the interpreter's.
        let ok = true;
        try {
          impl(a0.value);
        } catch {
          ok = false;
        }
        if (ok) return { code: m.hoist(`fn:${name}:${a0.value}`, "C", () => `${m.use(fn)}(${jsLiteral(a0.value)})`), kind: "any", constant: true };
      }
      return { code: this.call(fn, e, args[0]!.code), kind: "any" };
    }
    return { code: this.call("callFunction", e, jsLiteral(name), `[${args.map((a) => a.code).join(", ")}]`), kind: "any" };
  }

  private binary(e: BinaryExpr, scope: Scope, render: boolean): Js {
    const m = this.m;
    if (e.op === "and" || e.op === "or") {
      const a = this.cond(e.left, scope, render);
      const b = this.cond(e.right, scope, render);
      return { code: `(${a} ${e.op === "and" ? "&&" : "||"} ${b})`, kind: "bool" };
    }
    const a = this.emit(e.left, scope, render);
    if (e.op === "like" && e.right?.kind === "StringLit") {
      const pattern = e.right.value;
      const g = m.hoist(`glob:${pattern}`, "G", () => `Object.freeze(${m.use("compileGlob")}(${jsLiteral(pattern)}))`);
      void compileGlob;
      return { code: this.call("likeGlob", e, a.code, g), kind: "bool" };
    }
    if (e.op === "matches" && e.right?.kind === "StringLit") {
      const pattern = e.right.value;
      let valid = true;
      try {
        new RegExp(pattern, "u");
      } catch {
        valid = false;
      }
      if (valid) {
        const re = m.hoist(`re:${pattern}`, "RE", () => `${m.use("compileRegex")}(${jsLiteral(pattern)})`);
        return { code: this.call("matchesRegex", e, a.code, re), kind: "bool" };
      }
    }
    const b = this.emit(e.right, scope, render);
    switch (e.op) {
      case "==":
      case "!=": {
        const strict = a.plain || b.plain || (a.kind !== "any" && b.kind !== "any");
        if (strict) return { code: `(${a.code} ${e.op === "==" ? "===" : "!=="} ${b.code})`, kind: "bool" };
        const eq = this.call("equals", e, a.code, b.code);
        return { code: e.op === "==" ? eq : `!${eq}`, kind: "bool" };
      }
      case "<":
      case "<=":
      case ">":
      case ">=":
        if (a.kind === "num" && b.kind === "num") return { code: `(${a.code} ${e.op} ${b.code})`, kind: "bool" };
        return { code: this.call(COMPARE[e.op]!, e, a.code, b.code), kind: "bool" };
      case "+":
      case "-":
      case "*":
        if (a.kind === "num" && b.kind === "num") return { code: `${m.use("$fin")}(${a.code} ${e.op} ${b.code}, ${this.loc(e)})`, kind: "num" };
        return { code: this.call(ARITH[e.op]!, e, a.code, b.code), kind: e.op === "*" ? "num" : "any" };
      case "/":
      case "%":
        return { code: this.call(ARITH[e.op]!, e, a.code, b.code), kind: "num" };
      case "in":
        if (b.plainList) return { code: `${this.oneOf(b.plainList, b.code)}(${a.code})`, kind: "bool" };
        // A plain literal is in a list exactly when the list holds the identical value.
        if (a.plain) return { code: `${m.use("$inPlain")}(${a.code}, ${b.code}, ${this.loc(e)})`, kind: "bool" };
        return { code: this.call("inOp", e, a.code, b.code), kind: "bool" };
      case "like":
        return { code: this.call("like", e, a.code, b.code), kind: "bool" };
      case "matches":
        return { code: this.call("$matchesDyn", e, a.code, b.code), kind: "bool" };
    }
    return { code: this.call("fail", e, jsLiteral(`unknown operator \`${e.op}\``)), kind: "any" };
  }

  /**
   * The hoisted test "x is one of these plain literals": a chain of `===` for a short list (a
   * third of the cost of `Set.prototype.has` on a string), a Set beyond.
   */
  protected oneOf(values: readonly (string | number | boolean)[], listCode: string): string {
    if (values.length > ONE_OF_CHAIN) return this.m.hoist(`set:${listCode}`, "S", () => `new Set(${listCode})`) + ".has";
    const test = values.length === 0 ? "false" : values.map((v) => `x === ${jsJson(v)}`).join(" || ");
    return this.m.hoist(`oneof:${listCode}`, "IN", () => `function (x) {\n  return ${test};\n}`);
  }

  /** A reason template as a JS string expression (text parts through jsLiteral). */
  template(t: TemplateLit, scope: Scope, render: boolean): string {
    const parts = t.parts.map((p) => {
      if (p.kind === "TemplateText") return jsLiteral(p.value);
      const v = this.emit(p.expr, scope, render);
      return v.kind === "str" ? v.code : `${this.m.use("$rv")}(${v.code}, ${this.m.loc(p.expr ? ExprEmitter.errorSpan(p.expr) : p.span)})`;
    });
    if (parts.length === 0) return '""';
    return parts.length === 1 && t.parts[0]!.kind === "TemplateInterp" ? `"" + ${parts[0]}` : parts.join(" + ");
  }
}
