// Calls. Owns: calls of defs with parameters and of builtin functions (`ip`, `time`,
// `duration`), builtin method calls, their arity (E0305), argument types (E0306), literal
// arguments of the builtin constructors (E0309), calls of things that are not functions (E0310),
// unknown functions (E0201) and unknown methods (E0307).
import type { CallExpr, DefDecl, Expr, MethodCallExpr } from "../syntax/ast.ts";
import type { Span } from "../source/span.ts";
import { replaceFix, type CheckContext } from "./check-context.ts";
import { paramTypes, inferDef } from "./check-defs.ts";
import { checkEnumLiteral, unparen } from "./check-enum.ts";
import { checkExpr, plural, resolveValueName, describe } from "./check-expr.ts";
import { literalProblem, LITERAL_NOUN, type LiteralKind } from "./check-literals.ts";
import type { Env } from "./env.ts";
import { BUILTIN_FUNCTIONS, BUILTIN_METHODS, lookupMethod, methodsOf, receiverKindOf, signatureLabel, type BuiltinSignature } from "./builtins.ts";
import { suggest } from "../diagnostics/suggest.ts";
import { ERROR, isAssignable, isError, isUnchecked, typeToString, unwrap, type Type } from "./types.ts";

export function checkCall(cx: CheckContext, e: CallExpr, env: Env): Type {
  const name = e.callee.name;
  const sym = resolveValueName(cx, name, env);
  if (sym) cx.reference(e.callee, sym);
  if (sym?.kind === "def" && sym.decl?.kind === "DefDecl") {
    const def = sym.decl;
    if (def.params === undefined) {
      const argTypes = e.args.map((a) => checkExpr(cx, a, env));
      void argTypes;
      cx.report("E0310", e.callee.span, `def \`${name}\` has no parameters, so it cannot be called`, {
        help: `write \`${name}\` without parentheses, or declare parameters: \`def ${name}(x: T) = ...\``,
        related: def.name ? [{ span: def.name.span, message: `\`${name}\` is declared here` }] : undefined,
      });
      return inferDef(cx, def, e.callee.span);
    }
    const params = paramTypes(cx, def);
    checkArgs(cx, e, e.args, params.map((p, i) => ({ name: def.params![i]?.name?.name ?? `#${i + 1}`, type: p })), env, `def \`${name}\``, name, def);
    return inferDef(cx, def, e.callee.span);
  }
  if (sym?.kind === "builtin") {
    const sig = BUILTIN_FUNCTIONS.get(name)!;
    checkArgs(cx, e, e.args, sig.params, env, `\`${name}\``, name);
    checkConstructorLiteral(cx, name as LiteralKind, e.args[0]);
    return sig.returns;
  }
  if (sym) {
    for (const a of e.args) checkExpr(cx, a, env);
    cx.report("E0310", e.callee.span, `\`${name}\` is a ${sym.kind === "request-field" ? "request field" : sym.kind === "input" ? "variable" : sym.kind === "param" ? "parameter" : "local binding"}, not a function`, {
      help: "only defs with parameters and the builtins `ip`, `time`, `duration` can be called",
    });
    return ERROR;
  }
  for (const a of e.args) checkExpr(cx, a, env);
  const callable = [...cx.defSymbols.values()].filter((s) => s.decl?.kind === "DefDecl" && s.decl.params !== undefined).map((s) => s.name);
  const guess = suggest(name, [...callable, ...BUILTIN_FUNCTIONS.keys()]);
  const methodGuess = guess ? undefined : suggest(name, new Set(BUILTIN_METHODS.map((m) => m.name)));
  const isMethod = BUILTIN_METHODS.some((m) => m.name === name);
  const receiver = e.args[0] ? cx.text(e.args[0].span) : "x";
  markSuggestedUsed(cx, guess);
  cx.report("E0201", e.callee.span, `unknown function \`${name}\``, {
    help: guess
      ? `did you mean \`${guess}\`?`
      : isMethod || methodGuess
        ? `\`${methodGuess ?? name}\` is a method: write \`${receiver}.${methodGuess ?? name}()\``
        : "declare it with `def " + name + "(x: T) = ...`",
    fixes: guess ? [replaceFix(e.callee.span, guess)] : undefined,
  });
  return ERROR;
}

function checkConstructorLiteral(cx: CheckContext, kind: LiteralKind, arg: Expr | undefined): void {
  const lit = unparen(arg);
  if (lit?.kind !== "StringLit") return;
  const problem = literalProblem(kind, lit.value);
  if (problem) cx.report("E0309", lit.span, `\`${JSON.stringify(lit.value)}\` is not a valid ${LITERAL_NOUN[kind]}`, { help: problem });
}

/** Checks a string literal given where a Time, Duration or Ip is expected. Returns whether it was one. */
export function checkLiteralFor(cx: CheckContext, e: Expr, expected: Type): boolean {
  const lit = unparen(e);
  const k = unwrap(expected).kind;
  if (lit?.kind !== "StringLit" || (k !== "time" && k !== "duration" && k !== "ip")) return false;
  cx.types.set(e, expected); // a literal given for a Time/Duration/Ip is converted: record that
  checkConstructorLiteral(cx, k, lit);
  return true;
}

interface ParamSpec {
  readonly name: string;
  readonly type: Type;
}

function checkArgs(cx: CheckContext, call: Expr, args: readonly Expr[], params: readonly ParamSpec[], env: Env, what: string, callName: string, def?: DefDecl): void {
  const types = args.map((a) => checkExpr(cx, a, env));
  if (args.length !== params.length) {
    const extra = args.length > params.length ? args[params.length]! : undefined;
    // Too many: underline the extra arguments; too few: the name of what is called.
    const span: Span = extra ? { file: extra.span.file, start: extra.span.start, end: args[args.length - 1]!.span.end } : call.kind === "CallExpr" ? call.callee.span : call.kind === "MethodCallExpr" ? call.method.span : call.span;
    cx.report("E0305", span, `${what} takes ${plural(params.length, "argument")} but ${args.length === 1 ? "1 was" : `${args.length} were`} given`, {
      help: `call it like \`${callName}(${params.map((p) => `${p.name}: ${typeToString(p.type)}`).join(", ")})\``,
      related: def?.name ? [{ span: def.name.span, message: `${what} is declared here` }] : undefined,
    });
  }
  for (let i = 0; i < Math.min(args.length, params.length); i++) {
    checkArgument(cx, args[i]!, types[i]!, params[i]!, what);
  }
}

function checkArgument(cx: CheckContext, arg: Expr, t: Type, p: ParamSpec, what: string): void {
  if (isError(t) || isUnchecked(p.type)) return;
  const lit = unparen(arg);
  if (lit?.kind === "StringLit" && unwrap(p.type).kind === "enum") {
    checkEnumLiteral(cx, lit, p.type, `parameter \`${p.name}\` of ${what}`);
    return;
  }
  if (checkLiteralFor(cx, arg, p.type)) return;
  if (!isAssignable(t, p.type)) {
    cx.report("E0306", arg.span, `parameter \`${p.name}\` of ${what} expects a \`${typeToString(p.type)}\`, found \`${typeToString(t)}\``, {
      help: hintFor(p.type, t),
    });
  }
}

function hintFor(expected: Type, found: Type): string | undefined {
  const k = unwrap(expected).kind;
  const f = unwrap(found).kind;
  if (f === "string" && (k === "time" || k === "ip" || k === "duration")) return `convert it with \`${k}(...)\``;
  return undefined;
}

export function checkMethodCall(cx: CheckContext, e: MethodCallExpr, env: Env): Type {
  const recv = checkExpr(cx, e.receiver, env);
  if (isError(recv)) {
    for (const a of e.args) checkExpr(cx, a, env);
    return ERROR;
  }
  const name = e.method.name;
  const m = lookupMethod(recv, name);
  if (!m) {
    for (const a of e.args) checkExpr(cx, a, env);
    const available = methodsOf(recv).map((x) => x.name);
    const guess = suggest(name, available);
    const kind = receiverKindOf(recv);
    const u = unwrap(recv);
    cx.report("E0307", e.method.span, available.length === 0 ? `${describe(cx, e.receiver, recv)} is a \`${typeToString(recv)}\`, which has no methods` : `\`${typeToString(recv)}\` has no method \`${name}\``, {
      help: guess
        ? `did you mean \`${guess}\`?`
        : available.length > 0
          ? `its methods are ${available.map((n) => `\`${n}()\``).join(", ")}`
          : u.kind === "record" && u.fields.has(name)
            ? `\`${name}\` is an attribute: write \`.${name}\` without parentheses`
            : kind === undefined
              ? undefined
              : undefined,
      fixes: guess ? [replaceFix(e.method.span, guess)] : undefined,
    });
    return ERROR;
  }
  const sig: BuiltinSignature = m.signature(recv);
  cx.reference(e.method, methodSymbol(cx, m.receiver, name, sig));
  checkArgs(cx, e, e.args, sig.params, env, `\`${name}()\``, `${cx.text(e.receiver.span).length <= 30 ? cx.text(e.receiver.span) : "x"}.${name}`);
  return sig.returns;
}

/** A def a typo was meant to name is not also reported unused (one typo, one diagnostic). */
export function markSuggestedUsed(cx: CheckContext, guess: string | undefined): void {
  const def = guess === undefined ? undefined : cx.defSymbols.get(guess)?.decl;
  if (def?.kind === "DefDecl") cx.usedDefs.add(def);
}

/** One symbol per builtin method and receiver kind (hover shows its signature and doc). */
function methodSymbol(cx: CheckContext, receiver: string, name: string, sig: BuiltinSignature) {
  const key = `method:${receiver}:${name}`;
  let sym = cx.builtinSymbols.get(key);
  if (!sym) {
    sym = cx.declare({ kind: "builtin", name, type: sig.returns, doc: `${signatureLabel(sig, typeToString)}\n\n${sig.doc}` });
    cx.builtinSymbols.set(key, sym);
  }
  return sym;
}
