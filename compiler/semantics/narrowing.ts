// Flow-sensitive narrowing through `has` guards. Owns: the facts known at a point ("attribute
// `reviewers` of `resource` is present"), how conditions produce them, and access paths.
// Input: checked expressions (names already resolved); output: fact lists that the expression
// checker threads to the right of `and`, `or`, into `if` branches and to later rule clauses.
// Facts are paths: a resolved symbol followed by attribute names (`#3.resource.reviewers`), so a
// shadowing local of the same name never inherits a guard.
// INVARIANT: facts only ever say "present"; a path with no fact is treated as possibly missing.
import type { Expr } from "../syntax/ast.ts";
import type { CheckContext } from "./check-context.ts";
import type { Symbol } from "./symbols.ts";

/** An immutable linked list of known-present paths. */
export interface Facts {
  readonly path: string;
  readonly next: Facts | undefined;
}

export function addFacts(base: Facts | undefined, paths: readonly string[]): Facts | undefined {
  let f = base;
  for (const p of paths) f = { path: p, next: f };
  return f;
}

export function hasFact(facts: Facts | undefined, path: string): boolean {
  for (let f = facts; f; f = f.next) if (f.path === path) return true;
  return false;
}

const symbolIds = new WeakMap<Symbol, number>();
let nextSymbolId = 1;

function symbolId(s: Symbol): number {
  let id = symbolIds.get(s);
  if (id === undefined) symbolIds.set(s, (id = nextSymbolId++));
  return id;
}

/** `path.attr` (the separator cannot occur in an attribute name read by `.`, nor in a number). */
export function childPath(parent: string, attr: string): string {
  return `${parent}\u0000${attr}`;
}

/** The access path of an expression (`a`, `a.b`, `a["b"]`, `a[0]`), if it has one. */
export function pathOf(cx: CheckContext, e: Expr | undefined): string | undefined {
  if (!e) return undefined;
  switch (e.kind) {
    case "ParenExpr":
      return pathOf(cx, e.expr);
    case "NameRef": {
      const s = cx.resolved.get(e);
      return s ? `#${symbolId(s)}` : undefined;
    }
    case "MemberExpr": {
      const p = pathOf(cx, e.object);
      return p !== undefined && e.property ? childPath(p, e.property.name) : undefined;
    }
    case "IndexExpr": {
      const p = pathOf(cx, e.object);
      const i = e.index?.kind === "ParenExpr" ? e.index.expr : e.index;
      if (p === undefined || !i) return undefined;
      if (i.kind === "StringLit") return childPath(p, i.value);
      if (i.kind === "NumberLit") return childPath(p, `[${i.value}]`);
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The paths known present when `e` evaluates to `truth`. `and`/`or` combine per De Morgan;
 * a reference to a parameterless def contributes its body's facts (`def reviewed = resource has
 * reviewers`), bounded in depth so recursion among defs (itself an error) cannot loop.
 */
export function factsWhen(cx: CheckContext, e: Expr | undefined, truth: boolean, depth = 0): readonly string[] {
  if (!e || depth > 8) return NONE;
  switch (e.kind) {
    case "ParenExpr":
      return factsWhen(cx, e.expr, truth, depth);
    case "UnaryExpr":
      return e.op === "not" ? factsWhen(cx, e.operand, !truth, depth) : NONE;
    case "HasExpr": {
      if (!truth || !e.attribute) return NONE;
      const p = pathOf(cx, e.object);
      const attr = e.attribute.kind === "Identifier" ? e.attribute.name : e.attribute.value;
      if (p === undefined) return NONE;
      // `a.b has c` also proves `a has b` (reading `a.b` succeeded).
      return [childPath(p, attr), ...selfAndAncestors(p)];
    }
    case "BinaryExpr": {
      if (e.op === "and") {
        if (truth) return both(factsWhen(cx, e.left, true, depth), factsWhen(cx, e.right, true, depth));
        return intersect(factsWhen(cx, e.left, false, depth), factsWhen(cx, e.right, false, depth));
      }
      if (e.op === "or") {
        if (!truth) return both(factsWhen(cx, e.left, false, depth), factsWhen(cx, e.right, false, depth));
        return intersect(factsWhen(cx, e.left, true, depth), factsWhen(cx, e.right, true, depth));
      }
      return NONE;
    }
    case "NameRef": {
      const s = cx.resolved.get(e);
      if (s?.kind !== "def" || s.decl?.kind !== "DefDecl" || s.decl.params !== undefined) return NONE;
      return factsWhen(cx, s.decl.body, truth, depth + 1);
    }
    default:
      return NONE;
  }
}

/**
 * No facts. Shared: most conditions (comparisons, calls) prove nothing, and a fresh empty array
 * per condition was a large share of the checker's garbage. Fact lists are never mutated.
 */
const NONE: readonly string[] = Object.freeze([]);

/** `a` then `b` (either list itself when the other is empty). */
function both(a: readonly string[], b: readonly string[]): readonly string[] {
  return a.length === 0 ? b : b.length === 0 ? a : [...a, ...b];
}

/** A path and every ancestor that is itself an attribute path (`a.b.c` -> `a.b.c`, `a.b`). */
function selfAndAncestors(path: string): string[] {
  const out: string[] = [];
  for (let p = path; p.includes("\u0000"); p = p.slice(0, p.lastIndexOf("\u0000"))) out.push(p);
  return out;
}

function intersect(a: readonly string[], b: readonly string[]): readonly string[] {
  if (a.length === 0 || b.length === 0) return NONE;
  const set = new Set(b);
  return a.filter((x) => set.has(x));
}
