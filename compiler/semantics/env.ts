// The environment an expression is checked in. Owns: the Env record threaded through the
// expression checker (local scope, narrowing facts, where a guard could go) and the scope marks
// the editor uses to list the names visible at a position.
import type { Expr, RuleDecl } from "../syntax/ast.ts";
import type { Facts } from "./narrowing.ts";
import type { LocalScope } from "./symbols.ts";

export interface Env {
  readonly scope: LocalScope | undefined;
  /** Paths known present (from `has` guards) at this point. */
  readonly facts: Facts | undefined;
  /** The condition a `x has a and ...` guard could be prepended to (for E0304's fix). */
  readonly guardRoot: Expr | undefined;
  /** In a test, request fields are not variables (the test builds the request). */
  readonly inTest: boolean;
  /** The rule being checked (to explain a name used before the clause that binds it). */
  readonly rule?: RuleDecl;
  /** The expressions were checked already (a def body reached again from a test): reuse types. */
  readonly checked?: boolean;
}

export const EMPTY_ENV: Env = { scope: undefined, facts: undefined, guardRoot: undefined, inTest: false };

/** A region where the local names of `scope` are visible (for completion in the editor). */
export interface ScopeMark {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly scope: LocalScope | undefined;
}
