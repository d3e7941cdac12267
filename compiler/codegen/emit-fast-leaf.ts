// The fast path of a leaf of the rule index. Owns: one function per leaf with every candidate
// rule's clauses inlined in source order as labelled blocks, over the locals of
// emit-fast-expr.ts, and the decision put together at the end.
// Why: the exact code (emit-rule.ts) calls one function per rule, keeps per-decision memo slots
// in module variables and checks every value at every use; on a typical policy that is twice
// the cost of the same rules written by hand.
// INVARIANT (never a different decision): the fast path is pure: it reads the request, builds
// nothing but the decision, and stops at the first surprise — a value that fails its declared
// check, or any error at all — by throwing; its catch then returns the exact runner's decision,
// computed from scratch. When nothing throws, it has evaluated exactly the expressions the exact
// code evaluates (same clauses, same laziness, left to right), each to the same value, so it
// returns the same decision. A leaf that calls an exact function (a def with parameters) first
// empties the memo slots that function uses.
import type { RuleDecl } from "../syntax/ast.ts";
import { LocalScope, type Scope } from "./emit-expr.ts";
import type { FastExprEmitter } from "./emit-fast-expr.ts";
import { reasonTemplate, staticMessage } from "./emit-rule.ts";
import { jsComment } from "./js-literal.ts";
import type { JsWriter } from "./js-writer.ts";
import type { ModuleContext } from "./module-context.ts";

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
  /** A fresh emitter writing into a throw-away module context (for the dry run). */
  readonly dryRun: () => FastExprEmitter;
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
  // A dry run over the rules finds the request paths they read that every well-typed request
  // has; the leaf reads those first, so each use below is a bare local (smaller and faster than
  // a read, or a test whether it was read, at every place that might be the first).
  const dry = input.dryRun();
  dry.startLeaf();
  for (const i of ids) ruleBlock(dry, rules[i]!, i, P, input.scope, [], false);
  fx.startLeaf();
  const pre = fx.preload(dry.required.values());
  // Without `for` rules and soft forbids, each rule leaves its result in a local (`x7`: true or
  // its message) and the decision is put together at the end as one would by hand: the trie's
  // frozen decision when no message was rendered, else the reasons of the side that won only.
  const direct = ids.every((i) => modes[i] !== 2 && !rules[i]!.clauses.some((c) => c.kind === "ForClause"));
  const body: Line[] = [];
  for (const i of ids) ruleBlock(fx, rules[i]!, i, P, input.scope, body, direct);
  const locals = fx.leafLocals();
  w.line(`// fast path of rules ${ids.join(", ")}; anything unexpected: ${exact ?? "throw (fastPaths: \"alone\")"}`);
  w.block(`function ${name}($r, o) {`, () => {
    // fastPaths "alone" (tests): no catch, a bail-out leaves decide through its crash handler
    if (exact !== undefined) {
      w.line("try {");
      w.indent();
    }
    if (fx.callsExact) w.line(`${P}_reset();`);
    const results = direct ? [...ids.map((i) => `x${i}`), "d = false"] : ["n = " + P + ".root", "a"];
    w.line(`let ${[...results, ...(fx.usesScratch ? ["t"] : []), ...locals].join(", ")};`);
    for (const line of pre) w.line(line);
    for (const l of body) w.line(l.text, l.span);
    if (direct) assemble(w, m, ids, P, input);
    else {
      w.line(`if (a !== undefined) return ${m.use("$finish")}(a);`);
      w.line(`return n.soft ? ${m.use("$done")}(${P}, n, o) : n.d;`);
    }
    if (exact !== undefined) {
      w.dedent();
      w.line(`} catch {\n  return ${exact}($r, o);\n}`);
    }
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
  let reasonScope: LocalScope | undefined;
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
        // Rendered after the last clause (a match), over the names bound before this one.
        if (c.template === template && template && dynamic) reasonScope = scope.clone();
        break;
    }
  }
  if (reasonScope !== undefined) message = fx.template(template!, reasonScope, false);
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
