// The parser's output for one file: the syntax tree (always present, possibly with holes),
// the syntax diagnostics, and the source it came from.
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { SourceFile } from "../source/source-file.ts";
import type { FileAst } from "./ast.ts";

export interface ParsedFile {
  readonly source: SourceFile;
  readonly ast: FileAst;
  readonly diagnostics: readonly Diagnostic[];
}
