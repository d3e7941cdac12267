// The rule index. Owns: finding the literal constraints a rule's LEADING conditions put on
// request paths (`action == "read"`, `"read" == action`, `action in ["a", "b"]`,
// `resource.kind == "doc"`), and the decision tree that picks, per request, the rules that
// can still match.
// INVARIANT (results never change): a rule is skipped only when the interpreter would stop
// at one of its constraints with `false` and no error: the constraint is among the first
// conditions evaluated (nothing that could fail runs before it), the path was read exactly as
// the rule reads it (own properties), and its value is not one of the literals. When a path
// cannot be read every rule of the node runs (the rules then report their own errors).
// A non-string value never equals a plain string literal (one that is not a time, duration or
// ip), so such a value skips every constrained rule.
import type { Expr, RuleDecl } from "../syntax/ast.ts";
import { parseDurationMs, parseIp, parseTimeMs } from "../../runtime/builtins/index.ts";
import type { Scope } from "./emit-expr.ts";

export interface Constraint {
  /** Own-attribute path from the request object. */
  readonly path: readonly string[];
  readonly key: string;
  readonly values: ReadonlySet<string>;
}

function plain(s: string): boolean {
  return parseTimeMs(s) === undefined && parseDurationMs(s) === undefined && parseIp(s) === undefined;
}

function strip(e: Expr | undefined): Expr | undefined {
  while (e?.kind === "ParenExpr") e = e.expr;
  return e;
}

function conjuncts(e: Expr | undefined, out: (Expr | undefined)[]): void {
  const x = strip(e);
  if (x?.kind === "BinaryExpr" && x.op === "and") {
    conjuncts(x.left, out);
    conjuncts(x.right, out);
  } else out.push(x);
}

/** The request path an expression reads (`action`, `resource.kind`, `input.a.b`), if it is one. */
function pathOf(e: Expr | undefined, scope: Scope): string[] | undefined {
  const x = strip(e);
  if (!x) return undefined;
  if (x.kind === "NameRef") {
    const b = scope.lookup(x.name);
    if (b?.kind === "field") return [b.name];
    if (b?.kind === "input") return [];
    return undefined;
  }
  if (x.kind === "MemberExpr" && x.property) {
    const base = pathOf(x.object, scope);
    return base ? [...base, x.property.name] : undefined;
  }
  return undefined;
}

function constraintOf(e: Expr | undefined, scope: Scope): Constraint | undefined {
  const x = strip(e);
  if (x?.kind !== "BinaryExpr") return undefined;
  let path: string[] | undefined;
  let values: string[] | undefined;
  if (x.op === "==") {
    const l = strip(x.left);
    const r = strip(x.right);
    if (r?.kind === "StringLit" && plain(r.value)) {
      path = pathOf(l, scope);
      values = [r.value];
    } else if (l?.kind === "StringLit" && plain(l.value)) {
      path = pathOf(r, scope);
      values = [l.value];
    }
  } else if (x.op === "in") {
    const r = strip(x.right);
    if (r?.kind === "ListLit" && r.elements.every((el) => strip(el)?.kind === "StringLit" && plain((strip(el) as { value: string }).value))) {
      path = pathOf(x.left, scope);
      values = r.elements.map((el) => (strip(el) as { value: string }).value);
    }
  }
  if (!path || path.length === 0 || !values) return undefined;
  return { path, key: JSON.stringify(path), values: new Set(values) };
}

/** The constraints a rule's leading conditions put on the request, in evaluation order. */
export function ruleConstraints(rule: RuleDecl, scope: Scope): Constraint[] {
  const out: Constraint[] = [];
  for (const c of rule.clauses) {
    if (c.kind === "ReasonClause") continue; // not evaluated in order (rendered at the end)
    if (c.kind !== "WhenClause") return out;
    const parts: (Expr | undefined)[] = [];
    conjuncts(c.condition, parts);
    for (const p of parts) {
      const k = constraintOf(p, scope);
      if (!k) return out;
      out.push(k);
    }
  }
  return out;
}

// ---------------------------------------------------------------- the decision tree

/** Rules to run, in source order (rule indices). */
export interface Leaf {
  readonly kind: "leaf";
  readonly rules: readonly number[];
}

export interface Switch {
  readonly kind: "switch";
  readonly path: readonly string[];
  /** Literal value → subtree. */
  readonly cases: ReadonlyMap<string, IndexTree>;
  /** The path was read but matched no case (or is not a string). */
  readonly none: IndexTree;
  /** The path could not be read: every rule of this node. */
  readonly all: Leaf;
}

export type IndexTree = Leaf | Switch;

interface Pending {
  readonly rule: number;
  readonly constraints: readonly Constraint[];
  /** Constraints before `pos` are known to hold in this subtree. */
  readonly pos: number;
}

const MAX_DEPTH = 3;

/**
 * Budget of rule references over all distinct leaves (a case's leaf repeats the rules that do
 * not constrain the switched path, so a deep tree over many values is a cross product: 10,000
 * tenant rules × actions × classifications made 33,655 leaves). Over budget, the tree is
 * rebuilt with case subtrees as leaves (only the `none` chain keeps indexing deeper).
 */
export function indexBudget(rules: number): number {
  return 8 * rules + 4096;
}

/** Builds the tree; `constraints[i]` are rule i's. Rules without constraints always run. */
export function buildIndex(constraints: readonly (readonly Constraint[])[]): IndexTree {
  const pending = constraints.map((c, rule) => ({ rule, constraints: c, pos: 0 }));
  const budget = indexBudget(constraints.length);
  // The deep tree is abandoned as soon as its leaves (counted with repeats) pass twice the
  // budget: building all of a 10,000-rule cross product only to throw it away took 130 ms.
  const deep = build(pending, 0, MAX_DEPTH, { left: 2 * budget });
  if (deep && leafEntries(deep) <= budget) return deep;
  return build(pending, 0, 0, { left: Infinity })!;
}

/** Rule references over the distinct leaves of a tree (what the generated runners list). */
export function leafEntries(tree: IndexTree): number {
  const seen = new Set<string>();
  let n = 0;
  const walk = (t: IndexTree): void => {
    if (t.kind === "leaf") {
      const key = t.rules.join(",");
      if (!seen.has(key)) {
        seen.add(key);
        n += t.rules.length;
      }
      return;
    }
    for (const c of t.cases.values()) walk(c);
    walk(t.none);
    walk(t.all);
  };
  walk(tree);
  return n;
}

/**
 * `caseDepth`: how many more levels a case's subtree may index (the `none` chain is not limited
 * by it). `quota.left`: rule references the leaves may still hold; undefined once exhausted.
 */
function build(rules: readonly Pending[], depth: number, caseDepth: number, quota: { left: number }): IndexTree | undefined {
  if ((quota.left -= rules.length) < 0) return undefined;
  const leaf: Leaf = { kind: "leaf", rules: rules.map((r) => r.rule) };
  if (depth >= MAX_DEPTH) return leaf;
  // The most selective path: the one the most rules of this node constrain next.
  const counts = new Map<string, number>();
  for (const r of rules) {
    const c = r.constraints[r.pos];
    if (c) counts.set(c.key, (counts.get(c.key) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestCount = 0;
  for (const [k, n] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (n > bestCount) {
      best = k;
      bestCount = n;
    }
  }
  if (best === undefined || bestCount < 2) return leaf;
  const on = (r: Pending) => r.constraints[r.pos]?.key === best;
  // Group the constrained rules by value once (not a scan of every rule per value: with
  // 10,000 rules on 10,000 actions that would be quadratic).
  const byValue = new Map<string, Pending[]>();
  let path: readonly string[] = [];
  const others: Pending[] = [];
  for (const r of rules) {
    if (!on(r)) {
      others.push(r);
      continue;
    }
    const c = r.constraints[r.pos]!;
    path = c.path;
    const advanced = { ...r, pos: r.pos + 1 };
    for (const v of c.values) {
      let list = byValue.get(v);
      if (!list) byValue.set(v, (list = []));
      list.push(advanced);
    }
  }
  const cases = new Map<string, IndexTree>();
  for (const v of [...byValue.keys()].sort()) {
    const merged = mergeByRule(others, byValue.get(v)!);
    const sub = caseDepth > 0 ? build(merged, depth + 1, caseDepth - 1, quota) : (quota.left -= merged.length) < 0 ? undefined : { kind: "leaf" as const, rules: merged.map((r) => r.rule) };
    if (!sub) return undefined;
    cases.set(v, sub);
  }
  const none = build(others, depth + 1, caseDepth, quota);
  return none && { kind: "switch", path, cases, none, all: leaf };
}

/** Two lists sorted by rule index merged into one (source order). */
function mergeByRule(a: readonly Pending[], b: readonly Pending[]): Pending[] {
  const out: Pending[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.rule < b[j]!.rule)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}
