// Bundled by bench/lib/edict.mjs into bench/out/interpreter.mjs: the reference interpreter and
// what it needs to load a package from source text (dist/compiler.mjs does not export it).
export { evaluatePackage } from "../../compiler/eval/evaluate.ts";
export { buildPackages } from "../../compiler/semantics/package-model.ts";
export { SourceFile } from "../../compiler/source/source-file.ts";
export { parseFile } from "../../compiler/syntax/parse.ts";
