// The checker's entry points. Owns: the order of the checking passes and the CheckedPackage
// model that the interpreter, the code generator and the language server read.
// Input: a PackageModel (or parsed files); output: diagnostics plus side tables: the (narrowed)
// type of every checked expression, the symbol of every name, a reference index including
// declarations, and the local names visible at a position.
// Passes, each linear in the size of the package: declare (builtins, types, request, defs,
// rules), duplicates, types, defs (lazily, each once), rules, tests, annotations, unused defs.
// INVARIANT: checking never throws for any parse result; missing children are skipped.
import { compareDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { Span } from "../source/span.ts";
import type { Expr, Identifier, NameRef } from "../syntax/ast.ts";
import type { ParsedFile } from "../syntax/parsed-file.ts";
import { BUILTIN_FUNCTIONS } from "./builtins.ts";
import { checkAnnotations } from "./check-annotations.ts";
import { CheckContext } from "./check-context.ts";
import { checkDuplicates, checkPackageNames, declareBuiltins, declareRequest } from "./check-decls.ts";
import { checkDefs, declareDefs, reportUnusedDefs } from "./check-defs.ts";
import { checkRule, declareRules } from "./check-rules.ts";
import { checkTests } from "./check-tests.ts";
import { buildPackages, type PackageModel } from "./package-model.ts";
import { checkTypeDecls, declareTypes } from "./resolve-types.ts";
import type { Symbol } from "./symbols.ts";
import type { Type } from "./types.ts";

export type { Symbol, SymbolKind } from "./symbols.ts";
export { checkPackageNames } from "./check-decls.ts";
export { attributesOf, enumValuesOf, typeToString, type Type } from "./types.ts";

export interface CheckedPackage {
  readonly pkg: PackageModel;
  /** This package's checker diagnostics (syntax diagnostics stay on the ParsedFiles), sorted. */
  readonly diagnostics: Diagnostic[];
  /** The type of an expression at its position, narrowing by `has` guards included. */
  typeOf(node: Expr): Type | undefined;
  /** The symbol a name refers to (a NameRef, a callee, an attribute name, a declaring name...). */
  resolve(node: NameRef | Identifier): Symbol | undefined;
  /** Every place `symbol` occurs, its declaration included, in file and offset order. */
  references(symbol: Symbol): Span[];
  /** Every declared symbol (defs, params, locals, fields, types, rules, request fields, tests...). */
  readonly symbols: Symbol[];
  /** The type a request must have (a record of the `request` fields, or `Any`). */
  readonly requestType: Type;
  /** The names visible at an offset (innermost first): locals, defs, request fields/input, builtins. */
  scopeAt(file: string, offset: number): Symbol[];
  /** A declared type by name (for the editor). */
  lookupType(name: string): Type | undefined;
  lookupDef(name: string): Symbol | undefined;
  lookupRule(name: string): Symbol | undefined;
}

export function checkPackage(pkg: PackageModel): CheckedPackage {
  const cx = new CheckContext(pkg);
  declareBuiltins(cx);
  declareTypes(cx);
  const requestType = declareRequest(cx);
  declareDefs(cx);
  declareRules(cx);
  checkDuplicates(cx);
  checkTypeDecls(cx);
  checkDefs(cx);
  for (const rule of pkg.rules) checkRule(cx, rule);
  checkTests(cx, requestType);
  for (const f of pkg.files) for (const d of f.ast.decls) if (d.kind !== "RequestDecl") checkAnnotations(cx, d);
  reportUnusedDefs(cx);
  cx.diagnostics.sort(compareDiagnostics);
  return toChecked(cx, requestType);
}

function toChecked(cx: CheckContext, requestType: Type): CheckedPackage {
  return {
    pkg: cx.pkg,
    diagnostics: cx.diagnostics,
    symbols: cx.symbols,
    requestType,
    typeOf: (node) => cx.typeOf(node),
    resolve: (node) => cx.resolved.get(node),
    references(symbol) {
      const seen = new Set<string>();
      const out: Span[] = [];
      const all: Span[] = symbol.declSpan ? [symbol.declSpan] : [];
      for (const [node, s] of cx.resolved) if (s === symbol) all.push(node.span);
      all.push(...(cx.extraRefs.get(symbol) ?? []));
      for (const s of all) {
        const key = `${s.file}\u0000${s.start}\u0000${s.end}`;
        if (!seen.has(key)) seen.add(key), out.push(s);
      }
      return out.sort((a, b) => (a.file !== b.file ? (a.file < b.file ? -1 : 1) : a.start - b.start));
    },
    scopeAt(file, offset) {
      // The innermost (shortest) mark containing the offset holds the deepest local scope.
      let best: (typeof cx.scopeMarks)[number] | undefined;
      for (const m of cx.scopeMarks) {
        if (m.file === file && m.start <= offset && offset <= m.end && (!best || m.end - m.start <= best.end - best.start)) best = m;
      }
      const out: Symbol[] = [];
      const names = new Set<string>();
      const add = (s: Symbol | undefined) => {
        if (s && !names.has(s.name)) names.add(s.name), out.push(s);
      };
      for (let s = best?.scope; s; s = s.parent) add(s.symbol);
      for (const s of cx.defSymbols.values()) add(s);
      for (const s of cx.requestFields.values()) add(s);
      add(cx.inputSymbol);
      for (const name of BUILTIN_FUNCTIONS.keys()) add(cx.builtinSymbols.get(name));
      return out;
    },
    lookupType: (name) => cx.namedTypes.get(name),
    lookupDef: (name) => cx.defSymbols.get(name),
    lookupRule: (name) => cx.ruleSymbols.get(name),
  };
}

/**
 * Groups files into packages and checks each, plus the program-wide check of package names
 * (E0206, also exported as checkPackageNames for Program). Diagnostics: the checker's only
 * (syntax diagnostics stay on the ParsedFiles), sorted.
 */
export function checkProgram(files: readonly ParsedFile[]): { packages: CheckedPackage[]; diagnostics: Diagnostic[] } {
  const models = buildPackages(files);
  const packages = models.map(checkPackage);
  const diagnostics = [...packages.flatMap((p) => p.diagnostics), ...checkPackageNames(models)].sort(compareDiagnostics);
  return { packages, diagnostics };
}
