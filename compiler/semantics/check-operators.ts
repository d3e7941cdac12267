// Operators. Owns: `and`/`or` (with narrowing of the right operand), `==`/`!=` (never true
// between different kinds: E0302; enum literals: E0303 via check-enum.ts), ordering, `in`,
// `like`, `matches` (patterns via check-regex.ts) and arithmetic on numbers, times and
// durations (E0302 otherwise).
import type { BinaryExpr, Expr } from "../syntax/ast.ts";
import type { CheckContext } from "./check-context.ts";
import { checkEnumComparison, checkEnumMembership } from "./check-enum.ts";
import { checkCondition, checkExpr } from "./check-expr.ts";
import { checkMatchesPattern } from "./check-regex.ts";
import type { Env } from "./env.ts";
import { addFacts, factsWhen } from "./narrowing.ts";
import { ANY, BOOL, DURATION, ERROR, NUMBER, TIME, elementType, isComparable, isError, isStringLike, isUnchecked, typeToString, unwrap, type Type } from "./types.ts";

const AND_OPERANDS = "the operands of `and`";
const OR_OPERANDS = "the operands of `or`";

export function checkBinary(cx: CheckContext, e: BinaryExpr, env: Env): Type {
  switch (e.op) {
    case "and":
    case "or": {
      const what = e.op === "and" ? AND_OPERANDS : OR_OPERANDS;
      checkCondition(cx, e.left, env, what);
      const facts = factsWhen(cx, e.left, e.op === "and");
      // A guard for an access in the right operand goes right before it (`A and G and B`,
      // `A or G and B`), after the facts of the left operand, which it may need itself.
      checkCondition(cx, e.right, { ...env, facts: addFacts(env.facts, facts), guardRoot: e.right ?? env.guardRoot }, what);
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
