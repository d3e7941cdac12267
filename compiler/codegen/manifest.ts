// The manifest of a compiled bundle. Owns: the bundle version (a content hash: stable across
// runs and machines: the sorted source paths, relative and with forward slashes, their
// contents, and the compiler version: no timestamps, no absolute paths), the source hashes,
// and each rule's id, effect, annotations, doc comment, location and (optionally) the git
// commit that last changed it.
import { createHash } from "node:crypto";
import { isAbsolute, relative } from "node:path";
import type { PackageModel } from "../semantics/package-model.ts";
import type { Manifest, ManifestRule } from "../../runtime/decision.ts";
import { ruleAnnotations } from "../eval/rule-info.ts";
import type { GitBlame } from "./git-blame.ts";

export const COMPILER_VERSION = "0.1.0";

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** A path as the manifest shows it: relative to the working directory, forward slashes. */
export function displayPath(path: string): string {
  const rel = isAbsolute(path) ? relative(process.cwd(), path) : path;
  return rel.replace(/\\/g, "/");
}

/** Every source of the bundle, sorted by path, with its hash. */
export function bundleSources(pkgs: readonly PackageModel[]): { file: string; sha256: string; text: string }[] {
  const seen = new Map<string, { file: string; sha256: string; text: string }>();
  for (const pkg of pkgs) for (const f of pkg.files) seen.set(displayPath(f.source.path), { file: displayPath(f.source.path), sha256: sha256(f.source.text), text: f.source.text });
  return [...seen.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** `sha256:<hex>` over the sorted sources (paths and contents) and the compiler version. */
export function bundleVersion(pkgs: readonly PackageModel[]): string {
  const canonical = JSON.stringify({ compiler: COMPILER_VERSION, sources: bundleSources(pkgs).map((s) => [s.file, s.sha256]) });
  return `sha256:${sha256(canonical)}`;
}

export async function buildManifest(pkg: PackageModel, version: string, git: GitBlame | undefined): Promise<Manifest> {
  const rules: ManifestRule[] = [];
  for (const r of pkg.rules) {
    const source = pkg.source(r.span.file);
    const name = r.name?.name ?? "";
    const rule: { -readonly [K in keyof ManifestRule]: ManifestRule[K] } = {
      id: `${pkg.name}.${name}`,
      name,
      effect: r.effect,
      annotations: ruleAnnotations(r),
      ...(r.doc ? { doc: r.doc.text } : {}),
      location: source ? source.location(r.span.start) : `${r.span.file}:1:1`,
    };
    if (git && source) {
      const info = await git.range(source.path, source.position(r.span.start).line, source.position(Math.max(r.span.start, r.span.end - 1)).line);
      if (info) rule.git = info;
    }
    rules.push(rule);
  }
  return {
    package: pkg.name,
    version,
    defaultDecision: pkg.defaultAllow ? "allow" : "deny",
    sources: bundleSources([pkg]).map(({ file, sha256 }) => ({ file, sha256 })),
    rules,
    compiler: { name: "edict", version: COMPILER_VERSION },
  };
}
