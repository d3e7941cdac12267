// `edict/compiler`: the public compiler API. Owns: nothing but the list of what is public.
// Front ends (CLI, LSP, build tools) should need nothing beyond these exports.
// When the interpreter and code generator land, add here:
//   export { evaluatePackage } from "./eval/evaluate.ts";

// Program: hold, update and check sources; load them from disk.
export { Program, ProgramSnapshot, defaultEngine, type CheckResult, type ProgramEngine } from "./program.ts";
export { loadProgram, decodeSource, displayPath, type LoadResult, type LoadOptions } from "./load-program.ts";

// Phases.
export { parseFile, parseExpression } from "./syntax/parse.ts";
export { checkPackage, checkProgram, type CheckedPackage } from "./semantics/check.ts";
export { buildPackages, type PackageModel } from "./semantics/package-model.ts";
export { typeToString, type Type } from "./semantics/types.ts";
export { formatFile, formatRange, LINE_WIDTH } from "./format/format-file.ts";
export { formatVerified, type FormatOutcome } from "./format/format-verified.ts";
export { sameMeaning, firstDifference, sameComments } from "./format/same-meaning.ts";

// Code generation: compile checked packages to one ES module; import such a module in-process.
export { compilePackages, loadCompiled, type CompileInput, type CompileOptions, type CompileResult } from "./codegen/compile.ts";

// Sources and diagnostics.
export { SourceFile } from "./source/source-file.ts";
export { LineIndex, type Position } from "./source/line-index.ts";
export type { Span } from "./source/span.ts";
export { compareDiagnostics, hasErrors, type Diagnostic, type Severity, type RelatedInformation, type Fix, type TextEdit } from "./diagnostics/diagnostic.ts";
export { CODES, type Code, type CodeInfo } from "./diagnostics/codes.ts";
export { renderText, renderDiagnosticText, diagnosticLocation, type TextRenderOptions } from "./diagnostics/render-text.ts";
export { renderJson, toJsonDiagnostic, type JsonDiagnostic, type JsonRelated } from "./diagnostics/render-json.ts";
export { renderSarif, type SarifOptions } from "./diagnostics/render-sarif.ts";
export { regionOf, sourceLookup, type Region, type SourceLookup } from "./diagnostics/render-location.ts";

// Syntax tree and parsed files (types only).
export type { ParsedFile } from "./syntax/parsed-file.ts";
export type * from "./syntax/ast.ts";
