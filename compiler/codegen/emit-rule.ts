// One rule to one JavaScript function. Owns: the clause-by-clause translation (lazy, left to
// right: the first false `when` or true `unless` stops), `for` clauses as loops (one match per
// binding), `let` bindings, the reason message, and fail-closed errors exactly as the
// interpreter (compiler/eval/rules.ts):
//   - a permit that errors does not match at all (even if other bindings matched): one error;
//   - a forbid that errors matches for the binding that failed (with its message when the
//     template renders with what was bound so far, else none) and its other bindings still run:
//     so each `for` binding of a forbid has its own try/catch.
// Output protocol: see support/decisions.ts (undefined | true | string | Out[]).
// Readability: the function is named after the rule and sits under a `// file:line:col
// effect name` comment; every clause line maps back to its .edict line in the source map.
import type { Clause, RuleDecl, TemplateLit } from "../syntax/ast.ts";
import type { ExprEmitter, Scope } from "./emit-expr.ts";
import { LocalScope } from "./emit-expr.ts";
import { jsComment } from "./js-literal.ts";
import type { JsWriter } from "./js-writer.ts";

export interface RuleEmitInput {
  readonly rule: RuleDecl;
  readonly index: number;
  readonly fnName: string;
  /** The package's run-time table (PackageRuntime) variable. */
  readonly pkgVar: string;
  readonly scope: Scope;
  readonly location: string;
}

/** The message of a template without interpolations (undefined: dynamic or no reason). */
export function staticMessage(t: TemplateLit | undefined): string | undefined {
  if (!t) return undefined;
  if (t.parts.some((p) => p.kind === "TemplateInterp")) return undefined;
  return t.parts.map((p) => (p.kind === "TemplateText" ? p.value : "")).join("");
}

export function reasonTemplate(rule: RuleDecl): TemplateLit | undefined {
  const c = rule.clauses.find((x) => x.kind === "ReasonClause");
  return c?.kind === "ReasonClause" ? c.template : undefined;
}

export function emitRule(w: JsWriter, ex: ExprEmitter, input: RuleEmitInput): void {
  const { rule, index, fnName, pkgVar } = input;
  const m = ex.m;
  const name = rule.name?.name ?? "(unnamed)";
  const template = reasonTemplate(rule);
  const dynamic = template !== undefined && staticMessage(template) === undefined;
  const hasFor = rule.clauses.some((c) => c.kind === "ForClause");
  const forbid = rule.effect === "forbid";
  const clauses = rule.clauses;

  // Rule-level bindings live in function-level variables so a catch block can still render the
  // message with whatever was bound when the error happened ($U: not bound (yet) in this branch).
  const scope = new LocalScope(input.scope);
  const vars: string[] = [];
  // First pass: a JS variable per `let`/`for` binding.
  const jsOf = new Map<Clause, string>();
  for (const c of clauses) {
    if (c.kind === "LetClause" || c.kind === "ForClause") {
      const bound = c.kind === "LetClause" ? c.name : c.binding;
      const js = m.fresh("v", bound?.name ?? "_");
      jsOf.set(c, js);
      vars.push(js);
    }
  }

  const errOut = (render: string) => `${m.use("$errOut")}(${pkgVar}, ${index}, e, ${render})`;
  let message = "undefined";
  let render = "undefined";

  w.line(`// ${jsComment(input.location)} ${rule.effect} ${jsComment(name)}`);
  w.line(`function ${fnName}($r) {`, rule.span);
  w.indent();
  const decl = [...(hasFor ? ["out"] : []), ...vars.map((v) => `${v} = ${m.use("$U")}`)];
  if (decl.length > 0) w.line(`let ${decl.join(", ")};`);

  // The body is written into a buffer first: the message code depends on the scope at the
  // reason clause, known only once every clause before it has been translated.
  const lines: { text: string; span?: RuleDecl["span"]; indent: number }[] = [];
  let depth = 0;
  const put = (text: string, span?: RuleDecl["span"]) => lines.push({ text, span, indent: depth });
  let loops = 0;
  const stop = () => (loops > 0 ? "continue" : "return");
  const MATCH = "\u0003match\u0003";
  const ERR = "\u0003err\u0003";
  for (let i = 0; i < clauses.length; i++) {
    const c = clauses[i]!;
    switch (c.kind) {
      case "WhenClause":
        put(`if (!(${ex.cond(c.condition, scope)})) ${stop()};`, c.span);
        break;
      case "UnlessClause":
        put(`if (${ex.cond(c.condition, scope)}) ${stop()};`, c.span);
        break;
      case "LetClause": {
        const js = jsOf.get(c)!;
        put(`${js} = ${ex.emit(c.value, scope).code};`, c.span);
        if (c.name) scope.bind(c.name.name, { kind: "local", js, mayBeUnbound: true });
        break;
      }
      case "ForClause": {
        const js = jsOf.get(c)!;
        const item = m.fresh("e");
        const coll = ex.emit(c.collection, scope).code;
        const l = m.loc(c.collection ? c.collection.span : c.span);
        put(`for (const ${item} of ${m.use("$iter")}(${coll}, ${l})) {`, c.span);
        depth++;
        const later = vars.slice(vars.indexOf(js) + 1);
        put(`${js} = ${item};${later.map((v) => ` ${v} = ${m.use("$U")};`).join("")}`);
        if (forbid) {
          put("try {");
          depth++;
        }
        if (c.binding) scope.bind(c.binding.name, { kind: "local", js, mayBeUnbound: true });
        loops++;
        break;
      }
      case "ReasonClause":
        if (c.template === template && template) {
          const at = scope.clone();
          if (dynamic) {
            message = ex.template(template, at, false);
            render = `() => ${ex.template(template, at, true)}`;
          }
        }
        break;
    }
  }
  if (hasFor) {
    put(MATCH);
    for (let k = 0; k < loops; k++) {
      if (forbid) {
        depth--;
        put(ERR);
      }
      depth--;
      put("}");
    }
    put("return out;");
  } else {
    put(`return ${dynamic ? message : "true"};`);
  }

  w.line("try {");
  w.indent();
  for (const l of lines) {
    const pad = "  ".repeat(l.indent);
    if (l.text === MATCH) w.line(`${pad}(out ??= []).push(new ${m.use("Out")}(true, ${dynamic ? message : "undefined"}, undefined));`);
    else if (l.text === ERR) w.line(`${pad}} catch (e) {\n${pad}  (out ??= []).push(${errOut(render)});\n${pad}}`);
    else w.line(pad + l.text, l.span);
  }
  w.dedent();
  w.line("} catch (e) {");
  if (hasFor && forbid) {
    w.line(`  (out ??= []).push(${errOut(render)});`);
    w.line("  return out;");
  } else {
    // A permit's error discards every binding's match; a forbid without `for` matches once.
    w.line(`  return ${m.use("$err")}(${pkgVar}, ${index}, e, ${forbid ? render : "undefined"});`);
  }
  w.line("}");
  w.dedent();
  w.line("}");
}
