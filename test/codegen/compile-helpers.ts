// Shared by the codegen tests: parse + check + compile texts, and load the result.
import { checkProgram } from "../../compiler/semantics/check.ts";
import { compilePackages, loadCompiled, type CompileResult } from "../../compiler/codegen/compile.ts";
import { buildPackages, type PackageModel } from "../../compiler/semantics/package-model.ts";
import { SourceFile } from "../../compiler/source/source-file.ts";
import { parseFile } from "../../compiler/syntax/parse.ts";

export function packages(files: readonly { path: string; text: string }[]): PackageModel[] {
  const parsed = files.map((f) => parseFile(new SourceFile(f.path, f.text)));
  const errors = parsed.flatMap((p) => p.diagnostics.filter((d) => d.severity === "error").map((d) => d.message));
  if (errors.length > 0) throw new Error(`syntax errors: ${errors.join("; ")}`);
  return buildPackages(parsed);
}

/** Errors of the checker (the goldens must be well-typed). */
export function checkErrors(files: readonly { path: string; text: string }[]): string[] {
  const parsed = files.map((f) => parseFile(new SourceFile(f.path, f.text)));
  return checkProgram(parsed).diagnostics.filter((d) => d.severity === "error").map((d) => `${d.span.file}: ${d.message}`);
}

export async function compileTexts(files: readonly { path: string; text: string }[], outFile = "policy.mjs"): Promise<CompileResult> {
  return compilePackages(packages(files).map((pkg) => ({ pkg })), { outFile });
}

export async function load(files: readonly { path: string; text: string }[]) {
  const r = await compileTexts(files);
  return { result: r, mod: await loadCompiled(r.code), pkgs: packages(files) };
}
