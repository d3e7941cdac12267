// Symbols and scopes. Owns: the Symbol the checker resolves names to (what the editor shows on
// hover and follows for go-to-definition, references and rename), and the chain of local scopes.
// Name resolution order (innermost first, docs/language.md): quantifier/count bindings; `for` and
// `let` bindings of EARLIER clauses of the same rule; def parameters; package defs; request
// fields (or `input`); builtin functions. The local chain covers the first three (parameters
// are pushed first, rule bindings next, quantifier bindings last); the checker consults the
// package tables for the rest.
import type { Node } from "../syntax/ast.ts";
import type { Span } from "../source/span.ts";
import type { Type } from "./types.ts";

export type SymbolKind = "def" | "param" | "local" | "field" | "type" | "rule" | "request-field" | "input" | "builtin" | "test";

export interface Symbol {
  readonly kind: SymbolKind;
  readonly name: string;
  /** The declaring name's span; absent for builtins and `input`. */
  readonly declSpan?: Span;
  /** The declared or inferred type (defs: filled in once inferred). */
  type?: Type;
  /** The `///` doc comment (or a builtin's documentation). */
  readonly doc?: string;
  /** The declaration node (DefDecl, Param, FieldDecl, TypeDecl, RuleDecl, TestDecl, Identifier...). */
  readonly decl?: Node;
}

/** An immutable linked list of local bindings; lookup walks from the innermost. */
export interface LocalScope {
  readonly name: string;
  readonly symbol: Symbol;
  readonly parent: LocalScope | undefined;
}

export function bind(parent: LocalScope | undefined, symbol: Symbol): LocalScope {
  return { name: symbol.name, symbol, parent };
}

export function lookupLocal(scope: LocalScope | undefined, name: string): Symbol | undefined {
  for (let s = scope; s; s = s.parent) if (s.name === name) return s.symbol;
  return undefined;
}

export function localNames(scope: LocalScope | undefined): string[] {
  const out: string[] = [];
  for (let s = scope; s; s = s.parent) out.push(s.name);
  return out;
}
