// The catalogue of diagnostic codes. Owns: every code, its default severity and a one-line
// title (docs/diagnostics.md documents each; test/tidy.test.ts checks each has a fixture and
// a docs entry). Codes are stable: never reuse or renumber one.
//   E00xx  files and input (CLI, loading)
//   E01xx  syntax (lexer, parser)
//   E02xx  names (resolution, duplicates, recursion, packages)
//   E03xx  types (attributes, mismatches, calls, enums, optional access)
//   E04xx  rules, tests and annotations
//   E05xx  patterns (`like`, `matches`)
//   W0xxx  warnings
import type { Severity } from "./diagnostic.ts";

export interface CodeInfo {
  readonly severity: Severity;
  readonly title: string;
}

export const CODES = {
  // --- E00xx files and input ---
  E0001: { severity: "error", title: "file cannot be read" },
  E0002: { severity: "error", title: "file is not UTF-8 text" },
  E0003: { severity: "error", title: "no .edict files found" },

  // --- E01xx syntax (owned by compiler/syntax) ---
  E0101: { severity: "error", title: "unexpected character" },
  E0102: { severity: "error", title: "unterminated string" },
  E0103: { severity: "error", title: "invalid escape sequence" },
  E0104: { severity: "error", title: "unterminated block comment" },
  E0105: { severity: "error", title: "unexpected token" },
  E0106: { severity: "error", title: "missing token" },
  E0107: { severity: "error", title: "file does not start with `package`" },
  E0108: { severity: "error", title: "invalid number or duration literal" },
  E0109: { severity: "error", title: "invalid reason template" },

  // --- E02xx names (owned by compiler/semantics) ---
  E0201: { severity: "error", title: "unknown name" },
  E0202: { severity: "error", title: "duplicate declaration" },
  E0203: { severity: "error", title: "recursive definition" },
  E0204: { severity: "error", title: "unknown type" },
  E0205: { severity: "error", title: "unknown rule" },
  E0206: { severity: "error", title: "conflicting package declarations" },
  E0207: { severity: "error", title: "more than one `request` declaration" },

  // --- E03xx types (owned by compiler/semantics) ---
  E0301: { severity: "error", title: "unknown attribute" },
  E0302: { severity: "error", title: "type mismatch" },
  E0303: { severity: "error", title: "comparison with a value the enum cannot hold" },
  E0304: { severity: "error", title: "optional attribute read without a `has` guard" },
  E0305: { severity: "error", title: "wrong number of arguments" },
  E0306: { severity: "error", title: "argument of the wrong type" },
  E0307: { severity: "error", title: "unknown method" },
  E0308: { severity: "error", title: "condition is not a `Bool`" },
  E0309: { severity: "error", title: "invalid literal for a builtin (time, ip, duration)" },
  E0310: { severity: "error", title: "not callable" },
  E0311: { severity: "error", title: "union type of something other than string literals" },
  E0312: { severity: "error", title: "record is missing a required attribute" },

  // --- E04xx rules, tests, annotations (owned by compiler/semantics) ---
  E0401: { severity: "error", title: "invalid annotation value" },
  E0402: { severity: "error", title: "annotation not allowed here" },
  E0403: { severity: "error", title: "test is missing `request` or `expect`" },
  E0404: { severity: "error", title: "`expect ... by` names a rule that cannot be among the reasons" },

  // --- E05xx patterns (owned by compiler/semantics) ---
  E0501: { severity: "error", title: "regular expression could backtrack super-linearly" },
  E0502: { severity: "error", title: "invalid regular expression" },
  E0503: { severity: "error", title: "pattern must be a string literal" },

  // --- W0xxx warnings ---
  W0001: { severity: "warning", title: "unused def" },
  W0002: { severity: "warning", title: "unknown annotation" },
  W0003: { severity: "warning", title: "condition is always true or always false" },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;
