// Rules. Owns: rule symbols and the checking of a rule's clauses in order: `for` and `let`
// bind names for LATER clauses; a `when E` makes E's facts hold for later clauses and an
// `unless E` the facts of `not E` (clauses are evaluated lazily, left to right); a `reason`
// template is rendered only when the rule matched, so it sees the facts of every when/unless
// clause, and the names bound before it.
import type { Expr, RuleDecl } from "../syntax/ast.ts";
import type { CheckContext } from "./check-context.ts";
import { bindElement, checkCondition, checkExpr } from "./check-expr.ts";
import { EMPTY_ENV, type Env } from "./env.ts";
import { addFacts, factsWhen } from "./narrowing.ts";
import { bind, type LocalScope } from "./symbols.ts";

export function declareRules(cx: CheckContext): void {
  for (const rule of cx.pkg.rules) {
    if (!rule.name || cx.ruleSymbols.has(rule.name.name)) continue;
    const sym = cx.declare({ kind: "rule", name: rule.name.name, declSpan: rule.name.span, doc: rule.doc?.text, decl: rule });
    cx.ruleSymbols.set(rule.name.name, sym);
    cx.resolved.set(rule.name, sym);
  }
}

export function checkRule(cx: CheckContext, rule: RuleDecl): void {
  let env: Env = { scope: undefined, facts: undefined, guardRoot: undefined, inTest: false, rule };
  const reasons: { template: NonNullable<Extract<RuleDecl["clauses"][number], { kind: "ReasonClause" }>["template"]>; scope: LocalScope | undefined }[] = [];
  let facts: readonly string[] = NO_FACTS;
  for (const clause of rule.clauses) {
    // A clause with no local names in scope needs no mark: marks are innermost-first, a clause
    // is never inside another mark, and a missing mark means "no locals" just the same.
    if (env.scope !== undefined) cx.scopeMarks.push({ file: clause.span.file, start: clause.span.start, end: clause.span.end, scope: env.scope });
    switch (clause.kind) {
      case "ForClause":
        env = bindElement(cx, clause.binding, clause.collection, env, "for");
        break;
      case "LetClause": {
        const t = checkExpr(cx, clause.value, env);
        if (clause.name) {
          const sym = cx.declare({ kind: "local", name: clause.name.name, declSpan: clause.name.span, type: t, decl: clause.name });
          cx.resolved.set(clause.name, sym);
          env = { ...env, scope: bind(env.scope, sym) };
        }
        break;
      }
      case "WhenClause":
      case "UnlessClause": {
        const when = clause.kind === "WhenClause";
        checkCondition(cx, clause.condition, { ...env, guardRoot: when ? clause.condition : undefined }, when ? WHEN : UNLESS);
        const f = factsWhen(cx, clause.condition, when);
        if (f.length > 0) {
          facts = facts.concat(f);
          env = { ...env, facts: addFacts(env.facts, f) };
        }
        break;
      }
      case "ReasonClause":
        if (clause.template) reasons.push({ template: clause.template, scope: env.scope });
        break;
    }
  }
  for (const { template, scope } of reasons) {
    const renv: Env = { ...EMPTY_ENV, scope, facts: addFacts(undefined, facts) };
    for (const part of template.parts) if (part.kind === "TemplateInterp") checkExpr(cx, part.expr as Expr | undefined, renv);
  }
}

const NO_FACTS: readonly string[] = [];
const WHEN = "a `when` condition";
const UNLESS = "a `unless` condition";
