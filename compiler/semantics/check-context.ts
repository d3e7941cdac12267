// The state of checking one package. Owns: the diagnostics being collected, and the side tables
// the checked model exposes (type of each expression, symbol of each name, the reference
// index). Every check module writes through this class; check.ts wraps it as CheckedPackage.
// INVARIANT (one typo, one diagnostic): `report` drops a second diagnostic with the same code
// at the same span (a def checked once but reached from many places never repeats itself).
// INVARIANT (side tables): keyed by AST node identity; nodes are never mutated.
import { CODES, type Code } from "../diagnostics/codes.ts";
import type { Diagnostic, Fix, RelatedInformation } from "../diagnostics/diagnostic.ts";
import type { Span } from "../source/span.ts";
import type { DefDecl, Expr, Identifier, NameRef, Node, TypeDecl } from "../syntax/ast.ts";
import type { PackageModel } from "./package-model.ts";
import type { RegexProblem } from "./check-regex.ts";
import type { ScopeMark } from "./env.ts";
import type { Symbol } from "./symbols.ts";
import { BOOL, DURATION, NUMBER, STRING, type FieldType, type Type } from "./types.ts";

export interface ReportOptions {
  readonly help?: string;
  readonly related?: readonly RelatedInformation[];
  readonly fixes?: readonly Fix[];
  readonly tags?: readonly ("unnecessary" | "deprecated")[];
}

/** How far a def's type inference has come (recursion among defs is found here). */
export type DefState = { readonly state: "active"; readonly index: number } | { readonly state: "done"; readonly type: Type };

export class CheckContext {
  readonly diagnostics: Diagnostic[] = [];
  private readonly reported = new Set<string>();

  readonly types = new Map<Expr, Type>();
  readonly resolved = new Map<NameRef | Identifier, Symbol>();
  /** References that are not name nodes (string-literal record keys); name nodes are in `resolved`. */
  readonly extraRefs = new Map<Symbol, Span[]>();
  readonly symbols: Symbol[] = [];
  readonly scopeMarks: ScopeMark[] = [];
  /** `matches` patterns already analysed (null: fine); packages repeat patterns a lot. */
  readonly regexCache = new Map<string, RegexProblem | null>();

  readonly defSymbols = new Map<string, Symbol>();
  readonly typeSymbols = new Map<string, Symbol>();
  readonly ruleSymbols = new Map<string, Symbol>();
  readonly requestFields = new Map<string, Symbol>();
  /** `input: Any` when the package has no `request` declaration. */
  inputSymbol: Symbol | undefined;
  readonly builtinSymbols = new Map<string, Symbol>();
  /** Declared record fields and their symbols (for attribute references). */
  readonly fieldSymbols = new Map<FieldType, Symbol>();
  readonly namedTypes = new Map<string, Type>();

  /** Def inference: the stack of defs being inferred (to report a cycle) and finished types. */
  readonly defStates = new Map<DefDecl, DefState>();
  readonly defStack: { def: DefDecl; via: Span | undefined }[] = [];
  /** Names of defs used from somewhere other than their own body. */
  readonly usedDefs = new Set<DefDecl>();
  readonly typeDeclsByName = new Map<string, TypeDecl>();

  constructor(readonly pkg: PackageModel) {}

  report(code: Code, span: Span, message: string, options: ReportOptions = {}): void {
    const key = `${code}\u0000${span.file}\u0000${span.start}\u0000${span.end}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diagnostics.push({ code, severity: CODES[code].severity, message, span, ...options });
  }

  /** The source text of a span (for fixes that repeat the user's expression). */
  text(span: Span): string {
    return this.pkg.source(span.file)?.text.slice(span.start, span.end) ?? "";
  }

  declare(symbol: Symbol): Symbol {
    this.symbols.push(symbol);
    return symbol;
  }

  /**
   * Records that `node` refers to `symbol`. The reference index is this table itself (scanned
   * on request), so checking pays one map entry per name and nothing more.
   */
  reference(node: NameRef | Identifier, symbol: Symbol): void {
    this.resolved.set(node, symbol);
    this.lastNode = node;
    this.lastSymbol = symbol;
  }

  /** The last `reference` (setType reads it back right away for the name it types). */
  private lastNode: NameRef | Identifier | undefined;
  private lastSymbol: Symbol | undefined;

  /** Records a reference from a place that is not a name node (e.g. a record literal key). */
  referenceSpan(symbol: Symbol, span: Span): void {
    let list = this.extraRefs.get(symbol);
    if (!list) this.extraRefs.set(symbol, (list = []));
    list.push(span);
  }

  /**
   * Types that follow from the node's form alone (literals, comparisons, `and`/`or`, `has`,
   * quantifiers, `count`) are not stored; `fixedTypeOf` recomputes them. This keeps the hottest
   * table of the checker small (the 10,000-rule benchmark).
   */
  setType(e: Expr, t: Type): Type {
    if (fixedTypeOf(e) !== undefined) return t;
    // A name whose type is its symbol's needs no entry either (typeOf reads the symbol).
    if (e.kind === "NameRef" && (e === this.lastNode ? this.lastSymbol : this.resolved.get(e))?.type === t) return t;
    // Nor does an attribute read of a declared field (`resource.owner`): typeOf reads the field
    // symbol recorded for its name just before. (Delete: a stale entry must not win.)
    if (e.kind === "MemberExpr" && e.property !== undefined && e.property === this.lastNode && this.lastSymbol?.type === t) {
      this.types.delete(e);
      return t;
    }
    this.types.set(e, t);
    return t;
  }

  typeOf(e: Expr): Type | undefined {
    const stored = this.types.get(e) ?? fixedTypeOf(e);
    if (stored !== undefined) return stored;
    if (e.kind === "NameRef") return this.resolved.get(e)?.type;
    if (e.kind === "MemberExpr" && e.property !== undefined) return this.resolved.get(e.property)?.type;
    return undefined;
  }

  fieldSymbol(f: FieldType): Symbol | undefined {
    return this.fieldSymbols.get(f);
  }
}

/** A did-you-mean fix that replaces `span` with `replacement`. */
export function replaceFix(span: Span, replacement: string, display = replacement): Fix {
  return { title: `change to \`${display}\``, edits: [{ span, newText: replacement }], preferred: true };
}

export function isNode(x: unknown): x is Node {
  return typeof x === "object" && x !== null && "kind" in x && "span" in x;
}

const FIXED_BINARY = new Set(["or", "and", "==", "!=", "<", "<=", ">", ">=", "in", "like", "matches"]);

/** The type of an expression whose form alone determines it, else undefined. */
export function fixedTypeOf(e: Expr): Type | undefined {
  switch (e.kind) {
    case "StringLit":
      return STRING;
    case "NumberLit":
    case "CountExpr":
      return NUMBER;
    case "BoolLit":
    case "HasExpr":
    case "QuantifierExpr":
      return BOOL;
    case "DurationLit":
      return DURATION;
    case "BinaryExpr":
      return FIXED_BINARY.has(e.op) ? BOOL : undefined;
    case "UnaryExpr":
      return e.op === "not" ? BOOL : undefined;
    default:
      return undefined;
  }
}
