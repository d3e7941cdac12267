// What the fast path of generated code may assume about a request value once it has checked
// it. Input: a declared type (a `TypeExpr` of the `request {}` block or a `type` declaration);
// output: the one cheap run-time test that makes a value of that type usable by plain JS
// operators (`typeof v === "string"`...), and, for records and maps, the declared types of
// their attributes. Types whose JSON form is not one JS kind (Time, Duration and Ip: a string
// or a wrapper; Any; unions other than string enums) get no test: their values go through the
// same checked builtins as in the exact code.
// INVARIANT: a test here is only ever an assumption the fast path checks; a value that fails
// it sends the decision down the exact path (emit-fast-leaf.ts), it never changes a decision.
import type { FieldDecl, TypeExpr } from "../syntax/ast.ts";
import type { PackageModel } from "../semantics/package-model.ts";
import type { Kind } from "./emit-expr.ts";

export type Check = "str" | "num" | "bool" | "rec" | "arr" | "none";

export interface Declared {
  readonly check: Check;
  /** The JS kind a value that passed `check` has ("any" unless a primitive). */
  readonly kind: Kind;
  /** The declared type of attribute `name` of such a value (records: their fields; maps: the value type). */
  attribute(name: string): Declared;
  /** Whether attribute `name` is a required field (a record's, not optional; never a map key). */
  required(name: string): boolean;
}

const no = (): boolean => false;
const NONE: Declared = { check: "none", kind: "any", attribute: () => NONE, required: no };
const STR: Declared = { check: "str", kind: "str", attribute: () => NONE, required: no };
const NUM: Declared = { check: "num", kind: "num", attribute: () => NONE, required: no };
const BOOL: Declared = { check: "bool", kind: "bool", attribute: () => NONE, required: no };

/** Nothing known (Any, `input`, a value the checker could not type). */
export const UNKNOWN: Declared = NONE;

/** The declared types of a package, resolved on demand (named types may be recursive). */
export class DeclaredTypes {
  /** The request as a record of its declared fields (UNKNOWN without a `request` declaration). */
  readonly request: Declared;

  constructor(private readonly pkg: PackageModel) {
    this.request = pkg.request ? this.record(pkg.request.fields, 0) : NONE;
  }

  of(t: TypeExpr | undefined, depth = 0): Declared {
    if (!t || depth > 32) return NONE;
    switch (t.kind) {
      case "StringLiteralType":
        return STR;
      case "UnionType":
        return t.members.length > 0 && t.members.every((x) => x.kind === "StringLiteralType") ? STR : NONE;
      case "RecordType":
        return this.record(t.fields, depth);
      case "NamedType":
        switch (t.name.name) {
          case "String":
            return STR;
          case "Number":
            return NUM;
          case "Bool":
            return BOOL;
          case "Set":
          case "List":
            return { check: "arr", kind: "any", attribute: () => NONE, required: no };
          case "Map": {
            const value = t.args[0];
            return { check: "rec", kind: "any", attribute: () => this.of(value, depth + 1), required: no };
          }
          case "Time":
          case "Duration":
          case "Ip":
          case "Any":
            return NONE;
          default: {
            const decl = this.pkg.types.get(t.name.name);
            return decl ? this.of(decl.body, depth + 1) : NONE;
          }
        }
    }
  }

  private record(fields: readonly FieldDecl[], depth: number): Declared {
    return {
      check: "rec",
      kind: "any",
      attribute: (name) => {
        const f = fields.find((x) => x.name?.name === name);
        return f ? this.of(f.type, depth + 1) : NONE;
      },
      required: (name) => fields.some((x) => x.name?.name === name && !x.optional),
    };
  }
}

/** The JS test of `check` on the variable `v` (`undefined`: nothing to test). */
export function checkCode(check: Check, v: string): string | undefined {
  switch (check) {
    case "str":
      return `typeof ${v} === "string"`;
    case "num":
      return `typeof ${v} === "number"`;
    case "bool":
      return `typeof ${v} === "boolean"`;
    case "rec":
      return `typeof ${v} === "object" && ${v} !== null && !Array.isArray(${v})`;
    case "arr":
      return `Array.isArray(${v})`;
    case "none":
      return undefined;
  }
}
