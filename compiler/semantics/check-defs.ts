// Defs. Owns: def symbols, lazy type inference of def bodies (declaration order is free, each
// body is checked exactly once, on first use or in source order), recursion among defs (E0203,
// found as a reference back into a def still being inferred), declared return types, and
// unused defs (W0001).
// INVARIANT: a def's body is checked in a fresh Env (its parameters only), never in the Env of
// the place that first used it, so its diagnostics do not depend on check order.
import type { DefDecl } from "../syntax/ast.ts";
import type { Span } from "../source/span.ts";
import type { CheckContext } from "./check-context.ts";
import { checkExpr } from "./check-expr.ts";
import { checkLiteralFor } from "./check-calls.ts";
import { EMPTY_ENV, type Env } from "./env.ts";
import { resolveTypeExpr } from "./resolve-types.ts";
import { bind, type LocalScope } from "./symbols.ts";
import { ANY, ERROR, isAssignable, typeToString, type Type } from "./types.ts";

const paramCache = new WeakMap<DefDecl, { types: Type[]; scope: LocalScope | undefined }>();

/** Declares a symbol for each def (first declaration of a name wins, as in the package model). */
export function declareDefs(cx: CheckContext): void {
  for (const [name, def] of cx.pkg.defs) {
    const sym = cx.declare({ kind: "def", name, declSpan: def.name?.span, doc: def.doc?.text, decl: def });
    cx.defSymbols.set(name, sym);
    if (def.name) cx.resolved.set(def.name, sym);
  }
}

/** Parameter types and the scope binding them (computed once per def). */
export function paramTypes(cx: CheckContext, def: DefDecl): Type[] {
  return paramsOf(cx, def).types;
}

function paramsOf(cx: CheckContext, def: DefDecl): { types: Type[]; scope: LocalScope | undefined } {
  let cached = paramCache.get(def);
  if (cached) return cached;
  const types: Type[] = [];
  let scope: LocalScope | undefined;
  const seen = new Map<string, Span>();
  for (const p of def.params ?? []) {
    const t = p.type ? resolveTypeExpr(cx, p.type) : ANY;
    types.push(t);
    if (!p.name) continue;
    const first = seen.get(p.name.name);
    if (first) {
      cx.report("E0202", p.name.span, `parameter \`${p.name.name}\` is declared twice`, {
        help: "rename one of them",
        related: [{ span: first, message: `\`${p.name.name}\` is first declared here` }],
      });
      continue;
    }
    seen.set(p.name.name, p.name.span);
    const sym = cx.declare({ kind: "param", name: p.name.name, declSpan: p.name.span, type: t, decl: p });
    cx.resolved.set(p.name, sym);
    scope = bind(scope, sym);
  }
  cached = { types, scope };
  paramCache.set(def, cached);
  return cached;
}

/**
 * The type of a def (its declared return type, else its body's type), checking the body on
 * first request. `via` is the reference that asked, used to report a cycle where it closes.
 */
export function inferDef(cx: CheckContext, def: DefDecl, via: Span | undefined): Type {
  const state = cx.defStates.get(def);
  const current = cx.defStack[cx.defStack.length - 1];
  if (via && current?.def !== def) cx.usedDefs.add(def);
  if (state?.state === "done") return state.type;
  if (state?.state === "active") {
    reportCycle(cx, def, state.index, via);
    return ERROR;
  }
  cx.defStates.set(def, { state: "active", index: cx.defStack.length });
  cx.defStack.push({ def, via });
  const { scope } = paramsOf(cx, def);
  const env: Env = { ...EMPTY_ENV, scope, guardRoot: def.body };
  if (def.body) cx.scopeMarks.push({ file: def.body.span.file, start: def.body.span.start, end: def.body.span.end, scope });
  const declared = def.returnType ? resolveTypeExpr(cx, def.returnType) : undefined;
  let bodyType = checkExpr(cx, def.body, env);
  if (declared && def.body && !checkLiteralFor(cx, def.body, declared) && !isAssignable(bodyType, declared)) {
    cx.report("E0302", def.body.span, `def \`${def.name?.name}\` is declared to return \`${typeToString(declared)}\` but its value is a \`${typeToString(bodyType)}\``, {
      related: [{ span: def.returnType!.span, message: "the return type is declared here" }],
    });
    bodyType = declared;
  }
  const type = declared ?? bodyType;
  cx.defStack.pop();
  cx.defStates.set(def, { state: "done", type });
  const sym = def.name ? cx.resolved.get(def.name) : undefined;
  if (sym && sym.kind === "def") sym.type = type;
  return type;
}

function reportCycle(cx: CheckContext, def: DefDecl, index: number, via: Span | undefined): void {
  const cycle = cx.defStack.slice(index);
  const names = [...cycle.map((c) => c.def.name?.name ?? "?"), def.name?.name ?? "?"];
  const span = via ?? def.name?.span ?? def.span;
  cx.report("E0203", span, `def \`${def.name?.name}\` is defined in terms of itself: ${names.join(" -> ")}`, {
    help: "defs cannot be recursive (evaluation must always end); compute the value without referring back",
    related: cycle.slice(1).flatMap((c) => (c.via ? [{ span: c.via, message: `\`${c.def.name?.name}\` is used here` }] : [])),
  });
}

/** Checks every def body (in source order, including duplicates) and reports unused defs. */
export function checkDefs(cx: CheckContext): void {
  for (const f of cx.pkg.files) for (const d of f.ast.decls) if (d.kind === "DefDecl") inferDef(cx, d, undefined);
}

export function reportUnusedDefs(cx: CheckContext): void {
  for (const [name, def] of cx.pkg.defs) {
    if (cx.usedDefs.has(def) || !def.name) continue;
    cx.report("W0001", def.name.span, `def \`${name}\` is never used`, {
      help: "remove it, or use it in a rule, another def or a test",
      tags: ["unnecessary"],
      fixes: [{ title: `remove def \`${name}\``, edits: [{ span: wholeLines(cx, def), newText: "" }] }],
    });
  }
}

/** The def with its doc comment and annotations, extended to whole lines when it sits alone on them. */
function wholeLines(cx: CheckContext, def: DefDecl): Span {
  let start = Math.min(def.span.start, def.doc?.span.start ?? Infinity, ...def.annotations.map((a) => a.span.start));
  let end = def.span.end;
  const text = cx.pkg.source(def.span.file)?.text ?? "";
  let s = start;
  while (s > 0 && (text[s - 1] === " " || text[s - 1] === "\t")) s--;
  if (s === 0 || text[s - 1] === "\n") start = s;
  let e = end;
  while (e < text.length && (text[e] === " " || text[e] === "\t")) e++;
  if (e < text.length && text[e] === "\r") e++;
  if (e < text.length && text[e] === "\n") end = e + 1;
  else if (e === text.length) end = e;
  return { file: def.span.file, start, end };
}
