// Expression evaluation. Owns: the value of every Expr kind, name resolution (innermost
// first: quantifier/count bindings, rule `for`/`let` bindings of earlier clauses, def
// parameters — all in the Scope chain —, then package defs, request fields or `input`,
// then the builtin functions), def calls (value defs memoized per decision), and error
// locations: the innermost failing expression stamps its `file:line:col` on the EdictError.
// Every run-time operation is a call into runtime/builtins, the library compiled code uses.
import {
  add,
  callFunction,
  callMethod,
  div,
  EdictError,
  equals,
  errorMessage,
  ge,
  getAttr,
  getIndex,
  gt,
  hasAttr,
  inOp,
  isBuiltinFunction,
  isRecord,
  iterate,
  le,
  likeGlob,
  lt,
  makeDuration,
  makeRecord,
  matchesRegex,
  mod,
  mul,
  neg,
  recordWith,
  renderValue,
  sub,
  truthy,
  describeKind,
} from "../../runtime/builtins/index.ts";
import type { Span } from "../source/span.ts";
import type { BinaryExpr, Expr, RecordLit, TemplateLit } from "../syntax/ast.ts";
import { bind, type EvalContext, type Scope } from "./context.ts";

const MAX_CALL_DEPTH = 200;

/** Evaluates `e`; an error leaves with the location of the innermost failing expression. */
export function evaluate(e: Expr | undefined, scope: Scope | undefined, ctx: EvalContext, near: Span): unknown {
  if (e === undefined) throw located(new EdictError("the policy is incomplete here (it has a syntax error)"), near, ctx);
  try {
    const v = evalNode(e, scope, ctx);
    if (ctx.recorder !== undefined && ctx.quiet === 0) ctx.recorder.saw(e, v);
    return v;
  } catch (err) {
    throw located(err, e.span, ctx);
  }
}

/** A condition (`when`, `unless`): must be a boolean; the error points at the condition. */
export function evaluateCondition(e: Expr | undefined, scope: Scope | undefined, ctx: EvalContext, near: Span): boolean {
  const v = evaluate(e, scope, ctx, near);
  try {
    return truthy(v);
  } catch (err) {
    throw located(err, e?.span ?? near, ctx);
  }
}

/** The collection of a `for`: a list or a set; the error points at the collection. */
export function evaluateCollection(e: Expr | undefined, scope: Scope | undefined, ctx: EvalContext, near: Span): readonly unknown[] {
  const v = evaluate(e, scope, ctx, near);
  try {
    return iterate(v);
  } catch (err) {
    throw located(err, e?.span ?? near, ctx);
  }
}

/** Turns anything thrown into a located EdictError (a JS stack overflow included). */
export function located(err: unknown, span: Span, ctx: EvalContext): EdictError {
  const e = err instanceof EdictError ? err : new EdictError(errorMessage(err));
  if (e.location === undefined) e.location = ctx.prep.location(span);
  return e;
}

function quietly<T>(ctx: EvalContext, f: () => T): T {
  ctx.quiet++;
  try {
    return f();
  } finally {
    ctx.quiet--;
  }
}

function evalNode(e: Expr, s: Scope | undefined, ctx: EvalContext): unknown {
  switch (e.kind) {
    case "StringLit":
    case "NumberLit":
    case "BoolLit":
      return e.value;
    case "DurationLit":
      return makeDuration(e.ms);
    case "ListLit":
      return e.elements.map((x) => evaluate(x, s, ctx, e.span));
    case "RecordLit":
      return recordLiteral(e, s, ctx);
    case "NameRef":
      return lookup(e.name, s, ctx);
    case "MemberExpr": {
      const obj = quietly(ctx, () => evaluate(e.object, s, ctx, e.span));
      if (e.property === undefined) throw new EdictError("the policy is incomplete here (an attribute name is missing)");
      return getAttr(obj, e.property.name);
    }
    case "IndexExpr": {
      const obj = quietly(ctx, () => evaluate(e.object, s, ctx, e.span));
      return getIndex(obj, evaluate(e.index, s, ctx, e.span));
    }
    case "CallExpr":
      return call(e.callee.name, e.args, s, ctx, e.span);
    case "MethodCallExpr": {
      const receiver = quietly(ctx, () => evaluate(e.receiver, s, ctx, e.span));
      const args = e.args.map((a) => evaluate(a, s, ctx, e.span));
      return callMethod(receiver, e.method.name, args);
    }
    case "UnaryExpr": {
      return e.op === "not" ? !evaluateCondition(e.operand, s, ctx, e.span) : neg(evaluate(e.operand, s, ctx, e.span));
    }
    case "BinaryExpr":
      return binary(e, s, ctx);
    case "HasExpr": {
      const obj = quietly(ctx, () => evaluate(e.object, s, ctx, e.span));
      if (e.attribute === undefined) throw new EdictError("the policy is incomplete here (an attribute name is missing)");
      return hasAttr(obj, e.attribute.kind === "Identifier" ? e.attribute.name : e.attribute.value);
    }
    case "QuantifierExpr": {
      const items = evaluateCollection(e.collection, s, ctx, e.span);
      const name = e.binding?.name ?? "_";
      return quietly(ctx, () => {
        for (const item of items) {
          const holds = evaluateCondition(e.body, bind(s, name, item), ctx, e.span);
          if (e.quantifier === "some" ? holds : !holds) return e.quantifier === "some";
        }
        return e.quantifier === "every";
      });
    }
    case "CountExpr": {
      const items = evaluateCollection(e.collection, s, ctx, e.span);
      if (e.where === undefined) return items.length;
      const name = e.binding?.name ?? "_";
      return quietly(ctx, () => {
        let n = 0;
        for (const item of items) if (evaluateCondition(e.where, bind(s, name, item), ctx, e.span)) n++;
        return n;
      });
    }
    case "IfExpr":
      return evaluateCondition(e.condition, s, ctx, e.span) ? evaluate(e.then, s, ctx, e.span) : evaluate(e.else, s, ctx, e.span);
    case "WithExpr": {
      const base = evaluate(e.base, s, ctx, e.span);
      if (e.updates === undefined) throw new EdictError("the policy is incomplete here (`with` needs `{...}`)");
      const { keys, values } = recordParts(e.updates, s, ctx);
      return recordWith(base, keys, values);
    }
    case "ParenExpr":
      return evaluate(e.expr, s, ctx, e.span);
    case "ErrorExpr":
      throw new EdictError("the policy is incomplete here (it has a syntax error)");
  }
}

function recordParts(r: RecordLit, s: Scope | undefined, ctx: EvalContext): { keys: string[]; values: unknown[] } {
  const keys: string[] = [];
  const values: unknown[] = [];
  for (const f of r.fields) {
    keys.push(f.key.kind === "Identifier" ? f.key.name : f.key.value);
    values.push(evaluate(f.value, s, ctx, f.span));
  }
  return { keys, values };
}

function recordLiteral(r: RecordLit, s: Scope | undefined, ctx: EvalContext): Record<string, unknown> {
  const { keys, values } = recordParts(r, s, ctx);
  return makeRecord(keys, values);
}

function binary(e: BinaryExpr, s: Scope | undefined, ctx: EvalContext): unknown {
  // `and`/`or` short-circuit: the right side is not evaluated when the left decides.
  if (e.op === "and") return evaluateCondition(e.left, s, ctx, e.span) ? evaluateCondition(e.right, s, ctx, e.span) : false;
  if (e.op === "or") return evaluateCondition(e.left, s, ctx, e.span) ? true : evaluateCondition(e.right, s, ctx, e.span);
  const left = evaluate(e.left, s, ctx, e.span);
  if (e.op === "like" || e.op === "matches") {
    const pattern = evaluate(e.right, s, ctx, e.span);
    if (typeof pattern !== "string") throw new EdictError(`a \`${e.op}\` pattern must be a string, not ${describeKind(pattern)}`);
    return e.op === "like" ? likeGlob(left, ctx.prep.glob(pattern)) : matchesRegex(left, ctx.prep.regex(pattern));
  }
  const right = evaluate(e.right, s, ctx, e.span);
  switch (e.op) {
    case "==":
      return equals(left, right);
    case "!=":
      return !equals(left, right);
    case "<":
      return lt(left, right);
    case "<=":
      return le(left, right);
    case ">":
      return gt(left, right);
    case ">=":
      return ge(left, right);
    case "in":
      return inOp(left, right);
    case "+":
      return add(left, right);
    case "-":
      return sub(left, right);
    case "*":
      return mul(left, right);
    case "/":
      return div(left, right);
    case "%":
      return mod(left, right);
  }
}

/** A bare name, resolved innermost first (see the module comment). */
export function lookup(name: string, s: Scope | undefined, ctx: EvalContext): unknown {
  for (let sc = s; sc !== undefined; sc = sc.parent) if (sc.name === name) return sc.value;
  const def = ctx.prep.pkg.defs.get(name);
  if (def !== undefined) {
    if (def.params !== undefined) throw new EdictError(`\`${name}\` takes arguments: call it as \`${name}(...)\``);
    const memo = ctx.defs.get(name);
    if (memo?.state === "done") return memo.value;
    if (memo?.state === "failed") throw memo.error;
    if (memo?.state === "busy") throw new EdictError(`\`${name}\` is defined in terms of itself`);
    ctx.defs.set(name, { state: "busy" });
    try {
      const value = quietly(ctx, () => evaluate(def.body, undefined, ctx, def.span));
      ctx.defs.set(name, { state: "done", value });
      return value;
    } catch (err) {
      ctx.defs.set(name, { state: "failed", error: err });
      throw err;
    }
  }
  const fields = ctx.prep.requestFields;
  if (fields !== undefined ? fields.has(name) : name === "input") {
    if (fields === undefined) return ctx.request;
    if (!isRecord(ctx.request)) throw new EdictError(`the request must be a record, not ${describeKind(ctx.request)}`);
    if (!Object.hasOwn(ctx.request, name) || ctx.request[name] === undefined) throw new EdictError(`request field \`${name}\` is missing`);
    return ctx.request[name];
  }
  if (isBuiltinFunction(name)) throw new EdictError(`\`${name}\` is a function: call it as \`${name}(...)\``);
  throw new EdictError(`unknown name \`${name}\``);
}

function call(name: string, argExprs: readonly Expr[], s: Scope | undefined, ctx: EvalContext, span: Span): unknown {
  const def = ctx.prep.pkg.defs.get(name);
  if (def === undefined) {
    if (isBuiltinFunction(name)) return callFunction(name, argExprs.map((a) => evaluate(a, s, ctx, span)));
    throw new EdictError(`unknown function \`${name}\``);
  }
  if (def.params === undefined) throw new EdictError(`\`${name}\` is a value, not a function: write \`${name}\` without parentheses`);
  if (def.params.length !== argExprs.length) throw new EdictError(`\`${name}\` takes ${def.params.length} argument${def.params.length === 1 ? "" : "s"}, not ${argExprs.length}`);
  const args = argExprs.map((a) => evaluate(a, s, ctx, span));
  if (ctx.callDepth >= MAX_CALL_DEPTH) throw new EdictError(`calls of \`${name}\` nest too deeply (is it recursive?)`);
  let scope: Scope | undefined;
  def.params.forEach((p, i) => (scope = bind(scope, p.name?.name ?? "_", args[i])));
  ctx.callDepth++;
  try {
    return quietly(ctx, () => evaluate(def.body, scope, ctx, def.span));
  } finally {
    ctx.callDepth--;
  }
}

/** A `reason` template: text parts as they are, `{expr}` parts through renderValue. */
export function renderTemplate(t: TemplateLit, s: Scope | undefined, ctx: EvalContext): string {
  let out = "";
  for (const part of t.parts) {
    if (part.kind === "TemplateText") out += part.value;
    else {
      const v = evaluate(part.expr, s, ctx, part.span);
      try {
        out += renderValue(v);
      } catch (err) {
        throw located(err, part.expr?.span ?? part.span, ctx);
      }
    }
  }
  return out;
}
