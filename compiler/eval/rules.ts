// Evaluating one rule. Owns: clause order and laziness (left to right; the first false `when`
// or true `unless` stops the rule, later clauses are not evaluated), `for` bindings (one match
// per binding that passes every later clause), `let`, the reason message (rendered from the
// scope at the `reason` clause), and fail-closed errors:
//   - a permit that errors does not match at all (even if other bindings matched): one error;
//   - a forbid that errors counts as matching for the binding that failed (its message when
//     the template renders in the scope reached so far, else none), one error per failure;
//     its other bindings are still evaluated, so every violation is listed.
// When tracing, it records a step per clause with the values the clause saw.
import type { EvalError } from "../../runtime/decision.ts";
import type { Clause, Expr } from "../syntax/ast.ts";
import { bind, type EvalContext, type Recorder, type Scope } from "./context.ts";
import { evaluate, evaluateCollection, evaluateCondition, located, renderTemplate } from "./expressions.ts";
import type { RuleInfo } from "./rule-info.ts";
import { abbreviate, oneLine, type RuleTrace, type TraceStep, type TraceValue } from "./trace.ts";

export interface RuleMatch {
  readonly message: string | undefined;
  readonly errored: boolean;
}

export interface RuleResult {
  readonly matches: readonly RuleMatch[];
  readonly errors: readonly EvalError[];
  readonly trace: RuleTrace | undefined;
}

/** Thrown to abandon a permit at its first error. */
const ABORT_PERMIT = Symbol("abort permit");

/** Collects the values of the expressions a traced clause evaluates (first value per text). */
class StepRecorder implements Recorder {
  values: TraceValue[] | undefined;
  constructor(private readonly text: (e: Expr) => string) {}
  saw(node: Expr, value: unknown): void {
    if (this.values === undefined) return;
    if (node.kind === "StringLit" || node.kind === "NumberLit" || node.kind === "BoolLit" || node.kind === "DurationLit" || node.kind === "ListLit" || node.kind === "RecordLit" || node.kind === "ParenExpr") return;
    if (node.kind === "BinaryExpr" || node.kind === "UnaryExpr" || node.kind === "HasExpr" || node.kind === "IfExpr") return;
    const expr = oneLine(this.text(node), 60);
    if (!this.values.some((v) => v.expr === expr)) this.values.push({ expr, value: abbreviate(value, 60) });
  }
}

export function evaluateRule(info: RuleInfo, base: EvalContext, tracing: boolean): RuleResult {
  const rule = info.rule;
  const clauses = rule.clauses;
  const isPermit = rule.effect === "permit";
  const reasonClause = clauses.find((c) => c.kind === "ReasonClause");
  const template = reasonClause?.template;
  const recorder = tracing ? new StepRecorder((e) => base.prep.text(e.span)) : undefined;
  const ctx: EvalContext = recorder ? { ...base, recorder } : base;
  const matches: RuleMatch[] = [];
  const errors: EvalError[] = [];
  const steps: TraceStep[] | undefined = tracing ? [] : undefined;

  const render = (scope: Scope | undefined): string | undefined => {
    if (template === undefined) return undefined;
    ctx.quiet++;
    try {
      return renderTemplate(template, scope, ctx);
    } finally {
      ctx.quiet--;
    }
  };

  /** Runs one clause while tracing: records its step (or its error) and returns its value. */
  const step = <T>(clause: Clause, depth: number, run: () => T, describe: (v: T) => string): T => {
    if (recorder === undefined || steps === undefined) return run();
    recorder.values = [];
    try {
      const v = run();
      steps.push({ depth, clause: oneLine(base.prep.text(clause.span)), location: base.prep.location(clause.span), result: describe(v), values: recorder.values });
      return v;
    } catch (err) {
      const e = located(err, clause.span, ctx);
      steps.push({ depth, clause: oneLine(base.prep.text(clause.span)), location: base.prep.location(clause.span), result: `error: ${e.message}`, values: recorder.values });
      throw e;
    } finally {
      recorder.values = undefined;
    }
  };

  const branch = (from: number, scope: Scope | undefined, reasonScope: Scope | undefined, depth: number): void => {
    let rendering = false;
    try {
      for (let i = from; i < clauses.length; i++) {
        const c = clauses[i]!;
        switch (c.kind) {
          case "ForClause": {
            const items = step(c, depth, () => evaluateCollection(c.collection, scope, ctx, c.span), (xs) => `${xs.length} item${xs.length === 1 ? "" : "s"}`);
            const name = c.binding?.name ?? "_";
            for (let k = 0; k < items.length; k++) {
              steps?.push({ depth: depth + 1, clause: `${name} = ${abbreviate(items[k], 60)}`, location: base.prep.location(c.span), result: `binding ${k + 1} of ${items.length}`, values: [] });
              branch(i + 1, bind(scope, name, items[k]), reasonScope, depth + 1);
            }
            return;
          }
          case "LetClause": {
            const v = step(c, depth, () => evaluate(c.value, scope, ctx, c.span), (x) => `${c.name?.name ?? "_"} = ${abbreviate(x, 60)}`);
            scope = bind(scope, c.name?.name ?? "_", v);
            break;
          }
          case "WhenClause":
            if (!step(c, depth, () => evaluateCondition(c.condition, scope, ctx, c.span), (b) => (b ? "true" : "false, rule stops"))) return;
            break;
          case "UnlessClause":
            if (step(c, depth, () => evaluateCondition(c.condition, scope, ctx, c.span), (b) => (b ? "true, rule stops" : "false"))) return;
            break;
          case "ReasonClause":
            if (c === reasonClause) reasonScope = scope; // the first `reason` is the message
            break;
        }
      }
      rendering = true;
      const message = render(reasonScope ?? scope);
      if (message !== undefined) steps?.push({ depth, clause: "reason", location: base.prep.location(rule.span), result: JSON.stringify(message), values: [] });
      steps?.push({ depth, clause: "all clauses hold", location: base.prep.location(rule.span), result: "matched", values: [] });
      matches.push({ message, errored: false });
    } catch (err) {
      if (err === ABORT_PERMIT) throw err;
      const e = located(err, rule.span, ctx);
      errors.push({ rule: info.id, message: e.message, location: e.location ?? info.location });
      if (steps && !steps.some((s) => s.result === `error: ${e.message}`)) steps.push({ depth, clause: rendering ? "reason" : "evaluation", location: e.location ?? info.location, result: `error: ${e.message}`, values: [] });
      if (isPermit) throw ABORT_PERMIT;
      let message: string | undefined;
      if (!rendering) {
        try {
          message = render(reasonScope ?? scope);
        } catch {
          message = undefined; // fail closed without a message
        }
      }
      matches.push({ message, errored: true });
    }
  };

  try {
    branch(0, undefined, undefined, 0);
  } catch (err) {
    if (err !== ABORT_PERMIT) throw err;
    matches.length = 0;
  }

  const trace: RuleTrace | undefined = steps
    ? {
        rule: info.id,
        effect: info.effect,
        enforce: info.enforce,
        location: info.location,
        outcome: errors.length > 0 ? (isPermit ? "error, counts as not matching" : "error, counts as matching") : matches.length > 0 ? "matched" : "not matched",
        matches: matches.length,
        steps,
      }
    : undefined;
  return { matches, errors, trace };
}
