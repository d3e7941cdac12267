// The reference interpreter as a corpus Engine: parse the sources (once per distinct set of
// sources), group into packages, and evaluate. Decisions carry version "sha256:dev".
import { evaluatePackage } from "../../compiler/eval/evaluate.ts";
import { buildPackages, type PackageModel } from "../../compiler/semantics/package-model.ts";
import { SourceFile } from "../../compiler/source/source-file.ts";
import { parseFile } from "../../compiler/syntax/parse.ts";
import type { Override } from "../../runtime/decision.ts";
import type { Engine, PolicySource } from "./decision-corpus.ts";

const cache = new Map<string, PackageModel[]>();

/** Packages of a set of sources; throws when they have syntax errors (a corpus bug). */
export function packagesOf(sources: readonly PolicySource[]): PackageModel[] {
  const key = JSON.stringify(sources);
  let pkgs = cache.get(key);
  if (!pkgs) {
    const parsed = sources.map((s) => parseFile(new SourceFile(s.path, s.text)));
    const syntax = parsed.flatMap((p) => p.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.span.file}@${d.span.start}: ${d.message}`));
    if (syntax.length > 0) throw new Error(`syntax errors in the policy:\n${syntax.join("\n")}`);
    pkgs = buildPackages(parsed);
    cache.set(key, pkgs);
  }
  return pkgs;
}

export function pickPackage(pkgs: readonly PackageModel[], name: string | undefined): PackageModel {
  const pkg = name === undefined ? (pkgs.length === 1 ? pkgs[0] : undefined) : pkgs.find((p) => p.name === name);
  if (!pkg) throw new Error(`no package ${name ?? "(several packages; name one)"} among ${pkgs.map((p) => p.name).join(", ")}`);
  return pkg;
}

export const interpreterEngine: Engine = {
  name: "interpreter",
  decide(sources, request, options) {
    return evaluatePackage(pickPackage(packagesOf(sources), options.package), request, { override: options.override as Override | undefined });
  },
};
