// Expression checking. Owns: the type of every expression form, name resolution of bare names
// (order in symbols.ts), attribute access with optional-attribute guards (E0304), operators
// (E0302), conditions (E0308) and bindings of quantifiers and `count`. Calls and methods are in
// check-calls.ts, enum-literal checks in check-enum.ts.
// Input: an expression and its Env; output: its type, recorded in the context's type table.
// INVARIANT (error type): an operand of type `error` makes the result `error` without a new
// diagnostic, so one mistake is reported once.
import type { BinaryExpr, Expr, HasExpr, Identifier, IndexExpr, MemberExpr, NameRef, RecordLit } from "../syntax/ast.ts";
import { replaceFix, type CheckContext } from "./check-context.ts";
import { checkCall, checkMethodCall, markSuggestedUsed } from "./check-calls.ts";
import { checkEnumComparison, checkEnumMembership } from "./check-enum.ts";
import { checkMatchesPattern } from "./check-regex.ts";
import { inferDef } from "./check-defs.ts";
import type { Env } from "./env.ts";
import { addFacts, childPath, factsWhen, hasFact, pathOf } from "./narrowing.ts";
import { suggest } from "./suggest.ts";
import { bind, localNames, lookupLocal, type Symbol } from "./symbols.ts";
import { BUILTIN_FUNCTIONS, lookupMethod } from "./builtins.ts";
import {
  ANY,
  BOOL,
  DURATION,
  ERROR,
  NUMBER,
  STRING,
  TIME,
  elementType,
  isComparable,
  isError,
  isStringLike,
  isUnchecked,
  joinTypes,
  listOf,
  recordOf,
  typeToString,
  unwrap,
  type FieldType,
  type Type,
} from "./types.ts";

export function checkExpr(cx: CheckContext, e: Expr | undefined, env: Env): Type {
  if (!e) return ERROR;
  return cx.setType(e, inferExpr(cx, e, env));
}

function inferExpr(cx: CheckContext, e: Expr, env: Env): Type {
  switch (e.kind) {
    case "StringLit":
      return STRING;
    case "NumberLit":
      return NUMBER;
    case "BoolLit":
      return BOOL;
    case "DurationLit":
      return DURATION;
    case "ErrorExpr":
      return ERROR;
    case "ParenExpr":
      return checkExpr(cx, e.expr, env);
    case "ListLit": {
      let t: Type | undefined;
      for (const el of e.elements) {
        const et = checkExpr(cx, el, env);
        t = t === undefined ? et : joinTypes(t, et);
      }
      return listOf(t ?? ANY);
    }
    case "RecordLit":
      return checkRecordLit(cx, e, env);
    case "NameRef":
      return checkName(cx, e, env);
    case "MemberExpr":
      return checkMember(cx, e, env);
    case "IndexExpr":
      return checkIndex(cx, e, env);
    case "CallExpr":
      return checkCall(cx, e, env);
    case "MethodCallExpr":
      return checkMethodCall(cx, e, env);
    case "UnaryExpr": {
      if (e.op === "not") {
        checkCondition(cx, e.operand, env, "the operand of `not`");
        return BOOL;
      }
      const t = checkExpr(cx, e.operand, env);
      const u = unwrap(t);
      if (u.kind === "number" || u.kind === "duration" || isUnchecked(t)) return isError(t) ? ERROR : u.kind === "any" ? ANY : t;
      if (e.operand) cx.report("E0302", e.operand.span, `\`-\` needs a \`Number\` or a \`Duration\`, found \`${typeToString(t)}\``);
      return ERROR;
    }
    case "BinaryExpr":
      return checkBinary(cx, e, env);
    case "HasExpr":
      return checkHas(cx, e, env);
    case "QuantifierExpr": {
      const inner = bindElement(cx, e.binding, e.collection, env, e.quantifier);
      if (e.body) cx.scopeMarks.push({ file: e.body.span.file, start: e.body.span.start, end: e.body.span.end, scope: inner.scope });
      checkCondition(cx, e.body, { ...inner, guardRoot: e.body }, `the body of \`${e.quantifier}\``);
      return BOOL;
    }
    case "CountExpr": {
      const inner = bindElement(cx, e.binding, e.collection, env, "count");
      if (e.where) cx.scopeMarks.push({ file: e.where.span.file, start: e.where.span.start, end: e.where.span.end, scope: inner.scope });
      if (e.where) checkCondition(cx, e.where, { ...inner, guardRoot: e.where }, "the `where` condition");
      return NUMBER;
    }
    case "IfExpr": {
      checkCondition(cx, e.condition, env, "the condition of `if`");
      const a = checkExpr(cx, e.then, { ...env, facts: addFacts(env.facts, factsWhen(cx, e.condition, true)) });
      const b = checkExpr(cx, e.else, { ...env, facts: addFacts(env.facts, factsWhen(cx, e.condition, false)) });
      return joinTypes(a, b);
    }
    case "WithExpr": {
      const base = checkExpr(cx, e.base, env);
      const updates = e.updates ? checkExpr(cx, e.updates, env) : ERROR;
      const ub = unwrap(base);
      if (isUnchecked(base)) return isError(base) ? ERROR : ANY;
      if (ub.kind !== "record") {
        cx.report("E0302", e.base.span, `\`with\` needs a record on its left, found \`${typeToString(base)}\``);
        return ERROR;
      }
      const uu = unwrap(updates);
      if (uu.kind !== "record") return base;
      const fields = new Map<string, FieldType>(ub.fields);
      for (const f of uu.fields.values()) fields.set(f.name, { ...(ub.fields.get(f.name) ?? f), type: f.type, optional: false });
      return recordOf([...fields.values()]);
    }
  }
}

/** Checks a condition: it must be a Bool (or unchecked). */
export function checkCondition(cx: CheckContext, e: Expr | undefined, env: Env, what = "a condition"): Type {
  const t = checkExpr(cx, e, env);
  const u = unwrap(t);
  if (e && u.kind !== "bool" && u.kind !== "any" && u.kind !== "error") {
    cx.report("E0308", e.span, `${what} must be a \`Bool\`, found \`${typeToString(t)}\``, {
      help: u.kind === "string" || u.kind === "enum" ? 'compare it, e.g. `x == "value"`' : isCollection(u) ? "test the collection, e.g. `c.isEmpty()` or `\"x\" in c`" : undefined,
    });
  }
  return t;
}

const isCollection = (u: Type) => u.kind === "set" || u.kind === "list" || u.kind === "map";

function checkRecordLit(cx: CheckContext, e: RecordLit, env: Env): Type {
  const fields: FieldType[] = [];
  const seen = new Map<string, RecordLit["fields"][number]>();
  for (const f of e.fields) {
    const t = checkExpr(cx, f.value, env);
    const name = f.key.kind === "Identifier" ? f.key.name : f.key.value;
    const first = seen.get(name);
    if (first) {
      cx.report("E0202", f.key.span, `attribute \`${name}\` is given twice`, {
        help: "remove one of them",
        related: [{ span: first.key.span, message: `\`${name}\` is first given here` }],
      });
      continue;
    }
    seen.set(name, f);
    const field: FieldType = { name, type: t, optional: false, declSpan: f.key.span };
    fields.push(field);
    const sym = cx.declare({ kind: "field", name, declSpan: f.key.span, type: t, decl: f });
    cx.fieldSymbols.set(field, sym);
    if (f.key.kind === "Identifier") cx.resolved.set(f.key, sym);
  }
  return recordOf(fields);
}

/** Resolves a bare name (order: locals incl. params, defs, request fields or `input`, builtins). */
function checkName(cx: CheckContext, e: NameRef, env: Env): Type {
  const sym = resolveValueName(cx, e.name, env);
  if (sym) {
    cx.reference(e, sym);
    if (sym.kind === "def" && sym.decl?.kind === "DefDecl") {
      const def = sym.decl;
      if (def.params !== undefined) {
        cx.report("E0305", e.span, `def \`${e.name}\` takes ${plural(def.params.length, "argument")}: call it like \`${e.name}(${def.params.map((p) => p.name?.name ?? "_").join(", ")})\``, {
          related: def.name ? [{ span: def.name.span, message: `\`${e.name}\` is declared here` }] : undefined,
        });
        return ERROR;
      }
      return inferDef(cx, def, e.span);
    }
    if (sym.kind === "builtin") {
      cx.report("E0305", e.span, `\`${e.name}\` is a builtin function: call it like \`${e.name}("...")\``);
      return ERROR;
    }
    return sym.type ?? ANY;
  }
  if (env.inTest && (cx.requestFields.has(e.name) || (cx.inputSymbol && e.name === "input"))) {
    cx.report("E0201", e.span, `request field \`${e.name}\` is not a variable in a test`, {
      help: "a test builds the request itself: write its value here, or use a def",
    });
    return ERROR;
  }
  const guess = suggest(e.name, visibleNames(cx, env));
  markSuggestedUsed(cx, guess);
  const later = env.later?.get(e.name);
  cx.report("E0201", e.span, `unknown name \`${e.name}\``, {
    help: later
      ? `\`${e.name}\` is bound by a later clause of this rule; bindings are visible only in the clauses after them: move it up`
      : guess
        ? `did you mean \`${guess}\`?`
        : "declare it with `def`, as a request field, or bind it with `let`/`for`",
    related: later ? [{ span: later, message: `\`${e.name}\` is bound here` }] : undefined,
    fixes: guess ? [replaceFix(e.span, guess)] : undefined,
  });
  return ERROR;
}

export function resolveValueName(cx: CheckContext, name: string, env: Env): Symbol | undefined {
  return (
    lookupLocal(env.scope, name) ??
    cx.defSymbols.get(name) ??
    (env.inTest ? undefined : (cx.requestFields.get(name) ?? (name === "input" ? cx.inputSymbol : undefined))) ??
    (BUILTIN_FUNCTIONS.has(name) ? cx.builtinSymbols.get(name) : undefined)
  );
}

export function visibleNames(cx: CheckContext, env: Env): string[] {
  const names = [...localNames(env.scope), ...cx.defSymbols.keys()];
  if (!env.inTest) {
    names.push(...cx.requestFields.keys());
    if (cx.inputSymbol) names.push("input");
  }
  return names;
}

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** A short description of an expression for messages: its text when short, else its type. */
export function describe(cx: CheckContext, e: Expr, t?: Type): string {
  const text = cx.text(e.span);
  if (text.length > 0 && text.length <= 40 && !text.includes("\n")) return `\`${text}\``;
  return t ? `\`${typeToString(t)}\`` : "the value";
}

function checkMember(cx: CheckContext, e: MemberExpr, env: Env): Type {
  const objT = checkExpr(cx, e.object, env);
  if (!e.property) return ERROR;
  return attributeType(cx, e, e.object, objT, e.property.name, e.property.span, env, e.property);
}

/** The type of reading attribute `name` of `object` (by `.name` or `["name"]`). */
function attributeType(
  cx: CheckContext,
  access: Expr,
  object: Expr,
  objT: Type,
  name: string,
  nameSpan: MemberExpr["span"],
  env: Env,
  ident?: MemberExpr["property"],
): Type {
  const u = unwrap(objT);
  switch (u.kind) {
    case "any":
      return ANY;
    case "error":
      return ERROR;
    case "map":
      return u.value;
    case "record": {
      const field = u.fields.get(name);
      if (!field) {
        const guess = suggest(name, u.fields.keys());
        const owner = objT.kind === "named" ? ` (a \`${objT.name}\`)` : "";
        cx.report("E0301", nameSpan, `${describe(cx, object, objT)}${owner} has no attribute \`${name}\``, {
          help: guess
            ? `did you mean \`${guess}\`?`
            : u.fields.size > 0
              ? `its attributes are ${[...u.fields.keys()].map((k) => `\`${k}\``).join(", ")}`
              : "it has no attributes",
          fixes: guess && ident ? [replaceFix(nameSpan, guess)] : undefined,
          related: field === undefined && objT.kind === "named" && objT.declSpan ? [{ span: objT.declSpan, message: `\`${objT.name}\` is declared here` }] : undefined,
        });
        return ERROR;
      }
      const sym = cx.fieldSymbol(field);
      if (sym && ident) cx.reference(ident, sym);
      if (field.optional) {
        const p = pathOf(cx, object);
        if (p === undefined || !hasFact(env.facts, childPath(p, name))) reportUnguarded(cx, access, object, name, nameSpan, field, env, p !== undefined);
      }
      return field.type;
    }
    default: {
      const m = lookupMethod(objT, name);
      cx.report("E0301", nameSpan, `${describe(cx, object, objT)} is a \`${typeToString(objT)}\`, which has no attribute \`${name}\``, {
        help: m ? `\`${name}\` is a method: call it with \`${name}()\`` : undefined,
        fixes: m && ident ? [{ title: `call \`${name}()\``, edits: [{ span: nameSpan, newText: `${name}()` }], preferred: true }] : undefined,
      });
      return ERROR;
    }
  }
}

function reportUnguarded(cx: CheckContext, access: Expr, object: Expr, name: string, nameSpan: MemberExpr["span"], field: FieldType, env: Env, hasPath: boolean): void {
  const objText = cx.text(object.span);
  const guard = `${objText} has ${/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : JSON.stringify(name)}`;
  const root = env.guardRoot;
  const fixes =
    hasPath && root
      ? [
          {
            title: `guard with \`${guard}\``,
            edits:
              root.kind === "BinaryExpr" && root.op === "or"
                ? [
                    { span: { file: root.span.file, start: root.span.start, end: root.span.start }, newText: `${guard} and (` },
                    { span: { file: root.span.file, start: root.span.end, end: root.span.end }, newText: ")" },
                  ]
                : [{ span: { file: root.span.file, start: root.span.start, end: root.span.start }, newText: `${guard} and ` }],
          },
        ]
      : undefined;
  cx.report("E0304", nameSpan, `attribute \`${name}\` is optional: check \`${guard}\` before reading it`, {
    help: hasPath
      ? `write \`${guard} and ...\`, or \`if ${guard} then ... else ...\``
      : `bind the value with \`let\` first, then guard it with \`has\``,
    fixes,
    related: field.declSpan ? [{ span: field.declSpan, message: `\`${name}\` is declared optional here` }] : undefined,
  });
  void access;
}

function checkIndex(cx: CheckContext, e: IndexExpr, env: Env): Type {
  const objT = checkExpr(cx, e.object, env);
  const idxT = checkExpr(cx, e.index, env);
  const u = unwrap(objT);
  const idx = e.index?.kind === "ParenExpr" ? e.index.expr : e.index;
  if (u.kind === "record" && idx?.kind === "StringLit") return attributeType(cx, e, e.object, objT, idx.value, idx.span, env);
  if (isError(objT) || isError(idxT)) return ERROR;
  if (u.kind === "any") return ANY;
  const iu = unwrap(idxT);
  if (u.kind === "list" || u.kind === "set") {
    if (iu.kind !== "number" && iu.kind !== "any" && e.index)
      cx.report("E0302", e.index.span, `a list index must be a \`Number\`, found \`${typeToString(idxT)}\``);
    return u.element;
  }
  if (u.kind === "map" || u.kind === "record") {
    if (!isStringLike(idxT) && iu.kind !== "any" && e.index) cx.report("E0302", e.index.span, `a key must be a \`String\`, found \`${typeToString(idxT)}\``);
    return u.kind === "map" ? u.value : ANY;
  }
  cx.report("E0302", e.object.span, `${describe(cx, e.object, objT)} is a \`${typeToString(objT)}\` and cannot be indexed`, {
    help: "only lists, sets, maps and records can be indexed",
  });
  return ERROR;
}

function checkHas(cx: CheckContext, e: HasExpr, env: Env): Type {
  const objT = checkExpr(cx, e.object, env);
  if (!e.attribute) return BOOL;
  const name = e.attribute.kind === "Identifier" ? e.attribute.name : e.attribute.value;
  const u = unwrap(objT);
  if (u.kind === "record") {
    const field = u.fields.get(name);
    if (!field) {
      const guess = suggest(name, u.fields.keys());
      cx.report("E0301", e.attribute.span, `${describe(cx, e.object, objT)} has no attribute \`${name}\``, {
        help: guess ? `did you mean \`${guess}\`?` : `its attributes are ${[...u.fields.keys()].map((k) => `\`${k}\``).join(", ")}`,
        fixes: guess ? [replaceFix(e.attribute.span, e.attribute.kind === "Identifier" ? guess : JSON.stringify(guess))] : undefined,
      });
      return BOOL;
    }
    const sym = cx.fieldSymbol(field);
    if (sym && e.attribute.kind === "Identifier") cx.reference(e.attribute, sym);
    if (!field.optional) {
      cx.report("W0003", e.span, `\`${name}\` is not optional, so this \`has\` test is always true for a well-typed request`, {
        help: `mark it optional (\`${name}?: ...\`) if requests may omit it, or drop the test`,
      });
    }
    return BOOL;
  }
  if (u.kind !== "any" && u.kind !== "error" && u.kind !== "map") {
    cx.report("E0302", e.object.span, `\`has\` needs a record, found \`${typeToString(objT)}\``);
  }
  return BOOL;
}

function bindElement(cx: CheckContext, binding: Identifier | undefined, collection: Expr | undefined, env: Env, what: string): Env {
  const ct = checkExpr(cx, collection, env);
  let el = elementType(ct);
  if (el === undefined) {
    if (collection) cx.report("E0302", collection.span, `\`${what}\` needs a collection (Set, List or Map), found \`${typeToString(ct)}\``);
    el = ERROR;
  }
  if (!binding) return env;
  const sym = cx.declare({ kind: "local", name: binding.name, declSpan: binding.span, type: el, decl: binding });
  cx.resolved.set(binding, sym);
  return { ...env, scope: bind(env.scope, sym) };
}
export { bindElement };

function checkBinary(cx: CheckContext, e: BinaryExpr, env: Env): Type {
  switch (e.op) {
    case "and":
    case "or": {
      const what = `the operands of \`${e.op}\``;
      checkCondition(cx, e.left, env, what);
      const facts = factsWhen(cx, e.left, e.op === "and");
      checkCondition(cx, e.right, { ...env, facts: addFacts(env.facts, facts) }, what);
      return BOOL;
    }
    case "==":
    case "!=": {
      const l = checkExpr(cx, e.left, env);
      const r = checkExpr(cx, e.right, env);
      if (!e.right || isUnchecked(l) || isUnchecked(r)) return BOOL;
      if (checkEnumComparison(cx, e, l, r)) return BOOL;
      if (!isComparable(l, r) && !temporalString(l, r)) {
        cx.report("E0302", e.opSpan, `\`${e.op}\` compares a \`${typeToString(l)}\` with a \`${typeToString(r)}\`, which is always ${e.op === "==" ? "false" : "true"}`, {
          help: "`==` never converts between kinds: compare values of the same type",
        });
      }
      return BOOL;
    }
    case "<":
    case "<=":
    case ">":
    case ">=": {
      const l = checkExpr(cx, e.left, env);
      const r = checkExpr(cx, e.right, env);
      if (!e.right || isError(l) || isError(r)) return BOOL;
      const lk = unwrap(l).kind;
      const rk = unwrap(r).kind;
      const ordered = (k: string) => k === "number" || k === "time" || k === "duration" || k === "any";
      if (!ordered(lk) || !ordered(rk) || (lk !== rk && lk !== "any" && rk !== "any")) {
        cx.report("E0302", e.opSpan, `\`${e.op}\` needs two numbers, two times or two durations, found \`${typeToString(l)}\` and \`${typeToString(r)}\``, {
          help: lk === "string" || rk === "string" ? "strings are not ordered; for times write `time(\"...\")`" : undefined,
        });
      }
      return BOOL;
    }
    case "in": {
      const l = checkExpr(cx, e.left, env);
      const r = checkExpr(cx, e.right, env);
      if (!e.right || isError(l) || isError(r)) return BOOL;
      const el = elementType(r);
      if (el === undefined) {
        cx.report("E0302", e.right.span, `\`in\` needs a collection (Set, List or Map) on its right, found \`${typeToString(r)}\``, {
          help: isStringLike(r) ? "for a substring test write `s.contains(\"...\")`" : undefined,
        });
        return BOOL;
      }
      if (checkEnumMembership(cx, e, l, r)) return BOOL;
      if (!isUnchecked(l) && !isUnchecked(el) && !isComparable(l, el) && !temporalString(l, el)) {
        cx.report("E0302", e.opSpan, `\`in\` looks for a \`${typeToString(l)}\` among elements of type \`${typeToString(el)}\`: always false`);
      }
      return BOOL;
    }
    case "like": {
      const l = checkExpr(cx, e.left, env);
      const r = checkExpr(cx, e.right, env);
      requireString(cx, e.left, l, "the left side of `like`");
      if (e.right) requireString(cx, e.right, r, "a `like` pattern");
      return BOOL;
    }
    case "matches": {
      const l = checkExpr(cx, e.left, env);
      const r = checkExpr(cx, e.right, env);
      requireString(cx, e.left, l, "the left side of `matches`");
      if (e.right) checkMatchesPattern(cx, e.right, r);
      return BOOL;
    }
    case "+":
    case "-":
    case "*":
    case "/":
    case "%":
      return checkArithmetic(cx, e, env);
  }
}

/** `==` between a Time/Duration/Ip and a String coerces the string at run time. */
function temporalString(a: Type, b: Type): boolean {
  const ka = unwrap(a).kind;
  const kb = unwrap(b).kind;
  const w = (k: string) => k === "time" || k === "duration" || k === "ip";
  return (w(ka) && (kb === "string" || kb === "enum")) || (w(kb) && (ka === "string" || ka === "enum"));
}

function requireString(cx: CheckContext, e: Expr, t: Type, what: string): void {
  if (isUnchecked(t) || isStringLike(t)) return;
  cx.report("E0302", e.span, `${what} must be a \`String\`, found \`${typeToString(t)}\``);
}

function checkArithmetic(cx: CheckContext, e: BinaryExpr, env: Env): Type {
  const l = checkExpr(cx, e.left, env);
  const r = checkExpr(cx, e.right, env);
  if (!e.right || isError(l) || isError(r)) return ERROR;
  const lk = unwrap(l).kind;
  const rk = unwrap(r).kind;
  if (lk === "any" || rk === "any") {
    const known = lk === "any" ? rk : lk;
    return known === "number" && (e.op === "*" || e.op === "/" || e.op === "%") ? NUMBER : ANY;
  }
  if (lk === "number" && rk === "number") return NUMBER;
  if (e.op === "+") {
    if ((lk === "time" && rk === "duration") || (lk === "duration" && rk === "time")) return TIME;
    if (lk === "duration" && rk === "duration") return DURATION;
  }
  if (e.op === "-") {
    if (lk === "time" && rk === "duration") return TIME;
    if (lk === "time" && rk === "time") return DURATION;
    if (lk === "duration" && rk === "duration") return DURATION;
  }
  cx.report("E0302", e.opSpan, `\`${e.op}\` cannot combine \`${typeToString(l)}\` and \`${typeToString(r)}\``, {
    help:
      e.op === "+" && (lk === "string" || rk === "string")
        ? "strings cannot be joined with `+`; use a `reason` template to build messages"
        : e.op === "+" || e.op === "-"
          ? "`+` and `-` take numbers, or a Time and a Duration, or two Durations (`-` also two Times)"
          : `\`${e.op}\` takes two numbers`,
  });
  return ERROR;
}

void ANY;
