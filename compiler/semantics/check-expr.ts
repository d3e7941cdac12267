// Expression checking. Owns: the dispatch over expression forms, name resolution of bare names
// (order in symbols.ts; E0201 with did-you-mean), record and list literals, conditions (E0308),
// `if`, `with`, and the bindings of quantifiers and `count`. Attribute access is in
// check-attributes.ts, operators in check-operators.ts, calls and methods in check-calls.ts.
// Input: an expression and its Env; output: its type, recorded in the context's type table.
// INVARIANT (error type): an operand of type `error` makes the result `error` without a new
// diagnostic, so one mistake is reported once.
import type { Span } from "../source/span.ts";
import type { Expr, Identifier, NameRef, RecordLit } from "../syntax/ast.ts";
import { replaceFix, type CheckContext } from "./check-context.ts";
import { checkHas, checkIndex, checkMember } from "./check-attributes.ts";
import { checkCall, checkMethodCall, markSuggestedUsed } from "./check-calls.ts";
import { checkBinary } from "./check-operators.ts";
import { inferDef } from "./check-defs.ts";
import type { Env } from "./env.ts";
import { addFacts, factsWhen } from "./narrowing.ts";
import { suggest } from "../diagnostics/suggest.ts";
import { bind, localNames, lookupLocal, type Symbol } from "./symbols.ts";
import { BUILTIN_FUNCTIONS } from "./builtins.ts";
import {
  ANY,
  BOOL,
  DURATION,
  ERROR,
  NUMBER,
  STRING,
  elementType,
  isError,
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
  const later = laterBinding(env, e.name);
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


/** Where the current rule binds `name` in some clause (used only to explain an unknown name). */
function laterBinding(env: Env, name: string): Span | undefined {
  for (const c of env.rule?.clauses ?? []) {
    const id = c.kind === "ForClause" ? c.binding : c.kind === "LetClause" ? c.name : undefined;
    if (id?.name === name) return id.span;
  }
  return undefined;
}
