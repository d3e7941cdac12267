// The abstract syntax tree. Owns: the shape of a parsed Edict file, shared by every phase.
// INVARIANT (spans): every node has a real span (never NaN: chevrotain's recovery-inserted
// tokens are dropped or given the span of their neighbour). A child the parser could not
// recover is `undefined` (or an `ErrorExpr` inside expressions); later phases accept both.
// INVARIANT (no semantics here): types, symbols and narrowing live in side tables of the
// checked model (compiler/semantics), keyed by node identity, never on the nodes.
import type { Span } from "../source/span.ts";

interface NodeBase {
  readonly span: Span;
}

export interface Identifier extends NodeBase {
  readonly kind: "Identifier";
  readonly name: string;
}

/** `/// text` lines directly above a declaration, joined with "\n", markers stripped. */
export interface DocComment extends NodeBase {
  readonly kind: "DocComment";
  readonly text: string;
}

/** Every comment of a file, in order, for the formatter and the LSP (folding, hover). */
export interface Comment extends NodeBase {
  readonly kind: "Comment";
  readonly style: "line" | "block" | "doc";
  /** The raw text including its markers (`// x`, `/* x *\/`, `/// x`). */
  readonly text: string;
}

// ---------------------------------------------------------------- file and declarations

export interface FileAst extends NodeBase {
  readonly kind: "File";
  readonly package: PackageDecl | undefined;
  readonly decls: readonly Decl[];
  readonly comments: readonly Comment[];
}

export interface PackageDecl extends NodeBase {
  readonly kind: "PackageDecl";
  readonly name: Identifier | undefined;
  /** `package NAME default allow` */
  readonly defaultAllow: boolean;
  readonly doc: DocComment | undefined;
}

export type Decl = TypeDecl | RequestDecl | DefDecl | RuleDecl | TestDecl;

export interface Annotation extends NodeBase {
  readonly kind: "Annotation";
  readonly name: Identifier;
  /** Usually one string literal: `@id("DOC-7")`. `@flag` has none. */
  readonly args: readonly Expr[];
}

/** `type Name { fields }` (body is a RecordType) or `type Name = TYPE` (an alias). */
export interface TypeDecl extends NodeBase {
  readonly kind: "TypeDecl";
  readonly name: Identifier | undefined;
  readonly body: TypeExpr | undefined;
  readonly doc: DocComment | undefined;
  readonly annotations: readonly Annotation[];
}

/** `request { field: T, ... }`: each field is a variable in scope in the whole package. */
export interface RequestDecl extends NodeBase {
  readonly kind: "RequestDecl";
  readonly fields: readonly FieldDecl[];
  readonly doc: DocComment | undefined;
  readonly annotations: readonly Annotation[];
}

export interface FieldDecl extends NodeBase {
  readonly kind: "FieldDecl";
  readonly name: Identifier | undefined;
  readonly optional: boolean;
  readonly type: TypeExpr | undefined;
  readonly doc: DocComment | undefined;
}

/** `def NAME = EXPR`, `def NAME(p: T, ...) = EXPR`, optionally `def NAME(...): T = EXPR`. */
export interface DefDecl extends NodeBase {
  readonly kind: "DefDecl";
  readonly name: Identifier | undefined;
  /** `undefined` when written without parentheses (a value); `[]` for `def f() = ...`. */
  readonly params: readonly Param[] | undefined;
  readonly returnType: TypeExpr | undefined;
  readonly body: Expr | undefined;
  readonly doc: DocComment | undefined;
  readonly annotations: readonly Annotation[];
}

export interface Param extends NodeBase {
  readonly kind: "Param";
  readonly name: Identifier | undefined;
  readonly type: TypeExpr | undefined;
}

export type Effect = "permit" | "forbid";

export interface RuleDecl extends NodeBase {
  readonly kind: "RuleDecl";
  readonly effect: Effect;
  readonly name: Identifier | undefined;
  readonly annotations: readonly Annotation[];
  readonly clauses: readonly Clause[];
  readonly doc: DocComment | undefined;
}

export type Clause = ForClause | LetClause | WhenClause | UnlessClause | ReasonClause;

/** `for X in EXPR`: the rule matches once per binding (compliance style). */
export interface ForClause extends NodeBase {
  readonly kind: "ForClause";
  readonly binding: Identifier | undefined;
  readonly collection: Expr | undefined;
}

export interface LetClause extends NodeBase {
  readonly kind: "LetClause";
  readonly name: Identifier | undefined;
  readonly value: Expr | undefined;
}

export interface WhenClause extends NodeBase {
  readonly kind: "WhenClause";
  readonly condition: Expr | undefined;
}

export interface UnlessClause extends NodeBase {
  readonly kind: "UnlessClause";
  readonly condition: Expr | undefined;
}

export interface ReasonClause extends NodeBase {
  readonly kind: "ReasonClause";
  readonly template: TemplateLit | undefined;
}

/**
 * test "NAME" {
 *   request EXPR
 *   override EXPR            // optional: { by: "...", justification: "..." } for soft forbids
 *   expect allow | deny [by RULE, ...]
 * }
 */
export interface TestDecl extends NodeBase {
  readonly kind: "TestDecl";
  readonly name: StringLit | undefined;
  readonly request: Expr | undefined;
  readonly override: Expr | undefined;
  readonly expect: ExpectClause | undefined;
  readonly doc: DocComment | undefined;
  readonly annotations: readonly Annotation[];
}

export interface ExpectClause extends NodeBase {
  readonly kind: "ExpectClause";
  readonly outcome: "allow" | "deny" | undefined;
  /** Rule names (local to the package) that must be among the reasons. */
  readonly by: readonly Identifier[];
}

// ---------------------------------------------------------------- types

export type TypeExpr = NamedType | RecordType | UnionType | StringLiteralType;

/** `String`, `Set<String>`, `Map<Number>`, `User` (a declared type). */
export interface NamedType extends NodeBase {
  readonly kind: "NamedType";
  readonly name: Identifier;
  readonly args: readonly TypeExpr[];
}

export interface RecordType extends NodeBase {
  readonly kind: "RecordType";
  readonly fields: readonly FieldDecl[];
}

/** `"a" | "b"` (an enum); members are string literal types in practice. */
export interface UnionType extends NodeBase {
  readonly kind: "UnionType";
  readonly members: readonly TypeExpr[];
}

export interface StringLiteralType extends NodeBase {
  readonly kind: "StringLiteralType";
  readonly value: string;
}

// ---------------------------------------------------------------- expressions

export type Expr =
  | StringLit
  | NumberLit
  | BoolLit
  | DurationLit
  | ListLit
  | RecordLit
  | NameRef
  | MemberExpr
  | IndexExpr
  | CallExpr
  | MethodCallExpr
  | UnaryExpr
  | BinaryExpr
  | HasExpr
  | QuantifierExpr
  | CountExpr
  | IfExpr
  | WithExpr
  | ParenExpr
  | ErrorExpr;

export interface StringLit extends NodeBase {
  readonly kind: "StringLit";
  /** The decoded value (escapes applied). */
  readonly value: string;
}

export interface NumberLit extends NodeBase {
  readonly kind: "NumberLit";
  readonly value: number;
  /** The source text, kept for the formatter. */
  readonly raw: string;
}

export interface BoolLit extends NodeBase {
  readonly kind: "BoolLit";
  readonly value: boolean;
}

/** `90s`, `15m`, `24h`, `7d`, `250ms`: value in milliseconds. */
export interface DurationLit extends NodeBase {
  readonly kind: "DurationLit";
  readonly ms: number;
  readonly raw: string;
}

export interface ListLit extends NodeBase {
  readonly kind: "ListLit";
  readonly elements: readonly Expr[];
}

export interface RecordLit extends NodeBase {
  readonly kind: "RecordLit";
  readonly fields: readonly RecordField[];
}

/** `key: value`; the key may be an identifier or a string literal (`"x-y": 1`). */
export interface RecordField extends NodeBase {
  readonly kind: "RecordField";
  readonly key: Identifier | StringLit;
  readonly value: Expr | undefined;
}

/** A bare name: a local (`for`/`let`/quantifier/param), a def, a request field, or `input`. */
export interface NameRef extends NodeBase {
  readonly kind: "NameRef";
  readonly name: string;
}

/** `object.property`. `property` is undefined while the user is still typing `x.`. */
export interface MemberExpr extends NodeBase {
  readonly kind: "MemberExpr";
  readonly object: Expr;
  readonly property: Identifier | undefined;
}

export interface IndexExpr extends NodeBase {
  readonly kind: "IndexExpr";
  readonly object: Expr;
  readonly index: Expr | undefined;
}

/** `name(args)`: a def with parameters or a builtin function (`ip`, `time`, `count`...). */
export interface CallExpr extends NodeBase {
  readonly kind: "CallExpr";
  readonly callee: Identifier;
  readonly args: readonly Expr[];
}

/** `receiver.method(args)`: a builtin method (`lower()`, `contains(x)`, `hour()`...). */
export interface MethodCallExpr extends NodeBase {
  readonly kind: "MethodCallExpr";
  readonly receiver: Expr;
  readonly method: Identifier;
  readonly args: readonly Expr[];
}

export interface UnaryExpr extends NodeBase {
  readonly kind: "UnaryExpr";
  readonly op: "not" | "-";
  readonly operand: Expr | undefined;
}

export type BinaryOp =
  | "or"
  | "and"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "in"
  | "like"
  | "matches"
  | "+"
  | "-"
  | "*"
  | "/"
  | "%";

export interface BinaryExpr extends NodeBase {
  readonly kind: "BinaryExpr";
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr | undefined;
  /** Span of the operator token (diagnostics point at it). */
  readonly opSpan: Span;
}

/** `object has attr` (or `object has "attr-with-dash"`). */
export interface HasExpr extends NodeBase {
  readonly kind: "HasExpr";
  readonly object: Expr;
  readonly attribute: Identifier | StringLit | undefined;
}

/** `some X in C: P`, `every X in C: P` */
export interface QuantifierExpr extends NodeBase {
  readonly kind: "QuantifierExpr";
  readonly quantifier: "some" | "every";
  readonly binding: Identifier | undefined;
  readonly collection: Expr | undefined;
  readonly body: Expr | undefined;
}

/** `count(X in C where P)`; without `where` counts every element. */
export interface CountExpr extends NodeBase {
  readonly kind: "CountExpr";
  readonly binding: Identifier | undefined;
  readonly collection: Expr | undefined;
  readonly where: Expr | undefined;
}

export interface IfExpr extends NodeBase {
  readonly kind: "IfExpr";
  readonly condition: Expr | undefined;
  readonly then: Expr | undefined;
  readonly else: Expr | undefined;
}

/** `base with { k: v }`: a copy of a record with some attributes replaced or added. */
export interface WithExpr extends NodeBase {
  readonly kind: "WithExpr";
  readonly base: Expr;
  readonly updates: RecordLit | undefined;
}

/** `(E)`: kept so the formatter preserves the author's grouping; semantically transparent. */
export interface ParenExpr extends NodeBase {
  readonly kind: "ParenExpr";
  readonly expr: Expr | undefined;
}

/** What the parser leaves where it could not make an expression. Absorbs follow-on errors. */
export interface ErrorExpr extends NodeBase {
  readonly kind: "ErrorExpr";
}

// ---------------------------------------------------------------- reason templates

/** A `reason "..."` string: literal text and `{expr}` interpolations; `\{` is a literal brace. */
export interface TemplateLit extends NodeBase {
  readonly kind: "TemplateLit";
  readonly parts: readonly TemplatePart[];
}

export type TemplatePart = TemplateText | TemplateInterp;

export interface TemplateText extends NodeBase {
  readonly kind: "TemplateText";
  /** Decoded text. */
  readonly value: string;
}

export interface TemplateInterp extends NodeBase {
  readonly kind: "TemplateInterp";
  readonly expr: Expr | undefined;
}

export type Node =
  | FileAst
  | PackageDecl
  | Decl
  | Annotation
  | FieldDecl
  | Param
  | Clause
  | ExpectClause
  | TypeExpr
  | Expr
  | RecordField
  | TemplateLit
  | TemplatePart
  | Identifier
  | DocComment
  | Comment;
