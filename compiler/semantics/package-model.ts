// Grouping parsed files into packages. Owns: PackageModel, the unit the checker, the
// interpreter and the code generator work on. A package is every file that declares the
// same `package NAME`, wherever it sits.
// INVARIANT (order): files are sorted by path, declarations keep source order within a file;
// "source order" of rules (decision reasons, manifest) is this order.
// Files without a package declaration are not part of any package (the parser reports them).
import type { DefDecl, RequestDecl, RuleDecl, TestDecl, TypeDecl } from "../syntax/ast.ts";
import type { ParsedFile } from "../syntax/parsed-file.ts";
import type { SourceFile } from "../source/source-file.ts";

export interface PackageModel {
  readonly name: string;
  readonly defaultAllow: boolean;
  readonly files: readonly ParsedFile[];
  /** All rules in source order (duplicates included; the checker reports them). */
  readonly rules: readonly RuleDecl[];
  /** First declaration of each name wins; the checker reports duplicates. */
  readonly defs: ReadonlyMap<string, DefDecl>;
  readonly types: ReadonlyMap<string, TypeDecl>;
  /** The first `request` declaration, if any. Without one, the package has `input: Any`. */
  readonly request: RequestDecl | undefined;
  readonly tests: readonly TestDecl[];
  /** The source file a span's `file` names (for `file:line:col` locations). */
  source(file: string): SourceFile | undefined;
}

export function buildPackages(files: readonly ParsedFile[]): PackageModel[] {
  const byName = new Map<string, ParsedFile[]>();
  for (const f of [...files].sort((a, b) => (a.source.path < b.source.path ? -1 : a.source.path > b.source.path ? 1 : 0))) {
    const name = f.ast.package?.name?.name;
    if (name === undefined) continue;
    let list = byName.get(name);
    if (!list) byName.set(name, (list = []));
    list.push(f);
  }
  const packages: PackageModel[] = [];
  for (const [name, pkgFiles] of [...byName].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const rules: RuleDecl[] = [];
    const defs = new Map<string, DefDecl>();
    const types = new Map<string, TypeDecl>();
    const tests: TestDecl[] = [];
    let request: RequestDecl | undefined;
    for (const f of pkgFiles) {
      for (const d of f.ast.decls) {
        switch (d.kind) {
          case "RuleDecl":
            rules.push(d);
            break;
          case "DefDecl":
            if (d.name && !defs.has(d.name.name)) defs.set(d.name.name, d);
            break;
          case "TypeDecl":
            if (d.name && !types.has(d.name.name)) types.set(d.name.name, d);
            break;
          case "RequestDecl":
            request ??= d;
            break;
          case "TestDecl":
            tests.push(d);
            break;
        }
      }
    }
    const sources = new Map(pkgFiles.map((f) => [f.source.path, f.source] as const));
    packages.push({
      name,
      defaultAllow: pkgFiles.some((f) => f.ast.package?.defaultAllow === true),
      files: pkgFiles,
      rules,
      defs,
      types,
      request,
      tests,
      source: (file) => sources.get(file),
    });
  }
  return packages;
}
