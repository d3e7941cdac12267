// The state of one evaluation. Owns: Scope (the linked list of local bindings: quantifier
// and count bindings, rule `for`/`let` bindings, def parameters), PreparedPackage (what is
// computed once per package and reused by every decision: rule infos, compiled regexes and
// globs, declared request fields), and EvalContext (per decision: the request, memoized
// defs, the tracer).
import { compileGlob, compileRegex, EdictError, type Glob } from "../../runtime/builtins/index.ts";
import type { PackageModel } from "../semantics/package-model.ts";
import type { Span } from "../source/span.ts";
import type { Expr } from "../syntax/ast.ts";
import { locationOf, ruleInfo, type RuleInfo } from "./rule-info.ts";

export interface Scope {
  readonly name: string;
  readonly value: unknown;
  readonly parent: Scope | undefined;
}

export function bind(parent: Scope | undefined, name: string, value: unknown): Scope {
  return { name, value, parent };
}

export interface PreparedPackage {
  readonly pkg: PackageModel;
  readonly rules: readonly RuleInfo[];
  /** Declared request fields; undefined when the package has no `request` (then: `input`). */
  readonly requestFields: ReadonlySet<string> | undefined;
  glob(pattern: string): Glob;
  regex(pattern: string): RegExp;
  location(span: Span): string;
  /** The source text of a node, for traces. */
  text(span: Span): string;
}

const prepared = new WeakMap<PackageModel, PreparedPackage>();

/** Computed once per PackageModel (no re-parsing or re-compiling per decision). */
export function preparePackage(pkg: PackageModel): PreparedPackage {
  let p = prepared.get(pkg);
  if (p) return p;
  const globs = new Map<string, Glob>();
  const regexes = new Map<string, RegExp | EdictError>();
  const fields = pkg.request ? new Set(pkg.request.fields.flatMap((f) => (f.name ? [f.name.name] : []))) : undefined;
  p = {
    pkg,
    rules: pkg.rules.filter((r) => r.name !== undefined).map((r) => ruleInfo(pkg, r)),
    requestFields: fields,
    glob(pattern) {
      let g = globs.get(pattern);
      if (!g) globs.set(pattern, (g = compileGlob(pattern)));
      return g;
    },
    regex(pattern) {
      let r = regexes.get(pattern);
      if (r === undefined) {
        try {
          r = compileRegex(pattern);
        } catch (e) {
          r = e instanceof EdictError ? e : new EdictError(String(e));
        }
        regexes.set(pattern, r);
      }
      if (r instanceof EdictError) throw new EdictError(r.message);
      return r;
    },
    location: (span) => locationOf(pkg, span.file, span.start),
    text: (span) => pkg.source(span.file)?.text.slice(span.start, span.end) ?? "?",
  };
  prepared.set(pkg, p);
  return p;
}

/** A value def's memo: being computed (a cycle if met again), done, or failed. */
export type DefMemo = { readonly state: "busy" } | { readonly state: "done"; readonly value: unknown } | { readonly state: "failed"; readonly error: unknown };

/** Receives what a traced evaluation saw; only set when explaining. */
export interface Recorder {
  saw(node: Expr, value: unknown): void;
}

export interface EvalContext {
  readonly prep: PreparedPackage;
  readonly request: unknown;
  readonly defs: Map<string, DefMemo>;
  /** Depth of def calls, to stop runaway recursion with a clear error. */
  callDepth: number;
  /** > 0 while evaluating inside defs, quantifier bodies or attribute chains: not recorded. */
  quiet: number;
  readonly recorder: Recorder | undefined;
}
