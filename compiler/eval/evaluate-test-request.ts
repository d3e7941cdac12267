// Evaluating one expression outside any rule: the `request` and `override` of a `test` block.
// Owns: evaluateExpression, which `edict test` (compiler/run-tests.ts) uses to build the value
// a test sends to the compiled policy.
// Input: a package and an expression of it (defs, `with`, `ip()`, `time()`... are available;
// there is no request, so naming a request field is an evaluation error). Output: the value,
// with Time/Duration/Ip wrappers as the interpreter makes them. Throws an EdictError whose
// message ends with the `file:line:col` of the failing expression.
import { EdictError } from "../../runtime/builtins/index.ts";
import type { PackageModel } from "../semantics/package-model.ts";
import type { Expr } from "../syntax/ast.ts";
import { preparePackage, type EvalContext } from "./context.ts";
import { evaluate } from "./expressions.ts";

const NO_REQUEST = Object.freeze(Object.create(null) as Record<string, unknown>);

export function evaluateExpression(pkg: PackageModel, expr: Expr): unknown {
  const ctx: EvalContext = { prep: preparePackage(pkg), request: NO_REQUEST, defs: new Map(), callDepth: 0, quiet: 0, recorder: undefined };
  try {
    return evaluate(expr, undefined, ctx, expr.span);
  } catch (err) {
    if (err instanceof EdictError) {
      const e = new EdictError(err.location ? `${err.message} (at ${err.location})` : err.message);
      e.location = err.location;
      throw e;
    }
    throw err;
  }
}
