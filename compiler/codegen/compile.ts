// The code generator's entry point. Owns: `compilePackages` (checked packages → one
// dependency-free ES module + source map + .d.ts + manifests) and `loadCompiled` (importing
// such a module in-process, for `edict test` and tests).
// Module layout (language.md §8, architecture.md "Generated code"): header comment; the
// builtins prelude (only what is used, bundled from runtime/builtins by esbuild); module
// constants (locations, hoisted literals); per package: the rule table, the index, the leaf
// runners, `decide`, the defs, one function per rule; then the exports.
// INVARIANTS: no eval/new Function in the output; every policy string goes through jsLiteral;
// byte-stable (same sources and options → same bytes); packages with errors are refused.
import { basename } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { PackageModel } from "../semantics/package-model.ts";
import type { Manifest, PolicyModule } from "../../runtime/decision.ts";
import { emitDts } from "./emit-dts.ts";
import { ExprEmitter } from "./emit-expr.ts";
import { emitPackage } from "./emit-package.ts";
import { GitBlame } from "./git-blame.ts";
import { jsComment, jsJson } from "./js-literal.ts";
import { JsWriter } from "./js-writer.ts";
import { COMPILER_VERSION, bundleVersion, buildManifest, displayPath } from "./manifest.ts";
import { ModuleContext } from "./module-context.ts";
import { buildPrelude, type Prelude } from "./prelude.ts";

/** Call before loading and checking policies to compile: starts the bundler in the background. */
export { warmPrelude as prepareCompile } from "./prelude.ts";

/** What the generator needs of a checked package (CheckedPackage satisfies it). */
export interface CompileInput {
  readonly pkg: PackageModel;
  readonly diagnostics?: readonly Diagnostic[];
}

export interface CompileOptions {
  /** The module's file name (used in the source map and the `.d.ts` header). */
  readonly outFile: string;
  /** Add git commit/author per rule to the manifest (default false: it spawns `git`). */
  readonly gitBlame?: boolean;
  /**
   * For tests of the two code paths (emit-fast-leaf.ts): "off" emits no fast paths (every leaf runs
   * the exact code); "alone" makes a fast path that bails out throw instead of running the
   * exact code, so `decide` answers with its internal-error decision and every other answer is
   * known to come from a fast path. Default "on".
   */
  readonly fastPaths?: "on" | "off" | "alone";
}

export interface CompileResult {
  readonly code: string;
  /** Source Map v3 JSON of `code`. */
  readonly map: string;
  readonly dts: string;
  readonly manifests: Manifest[];
}

export async function compilePackages(inputs: readonly CompileInput[], opts: CompileOptions): Promise<CompileResult> {
  const errors = inputs.flatMap((i) => (i.diagnostics ?? []).filter((d) => d.severity === "error"));
  if (errors.length > 0) throw new Error(`cannot compile: the policy has ${errors.length} error${errors.length === 1 ? "" : "s"} (run \`edict check\`)`);
  const pkgs = [...inputs.map((i) => i.pkg)].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (pkgs.length === 0) throw new Error("cannot compile: no package found (a policy file starts with `package NAME`)");
  const version = bundleVersion(pkgs);
  const git = opts.gitBlame ? new GitBlame() : undefined;
  // Manifests (git blame runs in child processes) are built while the code is generated.
  const manifestsDone = Promise.all(pkgs.map((pkg) => buildManifest(pkg, version, git)));

  const byFile = new Map(pkgs.flatMap((p) => p.files.map((f) => [f.source.path, f.source] as const)));
  const m = new ModuleContext((file) => byFile.get(file));
  const ex = new ExprEmitter(m);
  const body = new JsWriter();
  for (const f of byFile.values()) body.addSource(f);

  const decides: string[] = [];
  pkgs.forEach((pkg, i) => {
    decides.push(emitPackage(body, ex, pkg, version, i, opts.fastPaths ?? "on").decide);
  });

  // ---- exports
  const manifests: Manifest[] = await manifestsDone;
  body.line("// ---- exports");
  const manifestVars = manifests.map((_, i) => `M${i}`);
  manifests.forEach((mf, i) => body.line(`const ${manifestVars[i]} = ${jsJson(mf)};`));
  body.line(`/** Decides a request (a JSON value; never throws). */`);
  body.line(`export function decide(request, options) {`);
  body.line(`  return ${decides[0]}(request, options);`);
  body.line(`}`);
  body.line(`export const manifest = ${manifestVars[0]};`);
  if (pkgs.length > 1) {
    body.line(`export const packages = Object.freeze({`);
    pkgs.forEach((p, i) => body.line(`  ${jsJson(p.name)}: Object.freeze({ decide: ${decides[i]}, manifest: ${manifestVars[i]} }),`));
    body.line(`});`);
  }

  // ---- assemble: header, prelude, located wrappers, locations and constants, body
  const wrappers = m.wrapperCode();
  const locations = m.locationTable(); // before the prelude is built: it uses `$locs`
  const prelude = await buildPrelude(m.used);
  const files = [...byFile.keys()].map(displayPath).sort();
  const header = [
    `// Edict policy ${pkgs.map((p) => jsComment(p.name)).join(", ")}, bundle ${version}`,
    `// generated by edict ${COMPILER_VERSION} from ${files.map(jsComment).join(", ")} — do not edit`,
    `// exports: decide(request, options) and manifest${pkgs.length > 1 ? ", packages" : ""}; no imports, no eval`,
  ].join("\n");
  const head: string[] = [header, "", "// ---- builtins (runtime/builtins, only what this policy uses)", preludeBinding(prelude), "", "// ---- located calls (an error gets the file:line:col of the expression that failed)", ...wrappers, "", "// ---- locations (by number: see $locs) and constants (literal values, computed once)"];
  if (locations) head.push(locations);
  for (const [name, init] of m.constants) head.push(`const ${name} = ${init};`);
  head.push("");
  const headText = head.join("\n") + "\n";
  const offset = headText.split("\n").length - 1;
  const outName = basename(opts.outFile);
  const code = headText + body.text + `//# sourceMappingURL=${encodeURIComponent(outName)}.map\n`;
  const map = body.sourceMap(outName, offset, displayPath);
  const dts = emitDts(pkgs, header.replace(/^\/\/ exports.*$/m, "// types of the compiled module"));
  return { code, map, dts, manifests };
}

/**
 * The prelude inside its own function scope, binding at module level exactly the exported names
 * the emitters used (esbuild may have renamed them inside the bundle to avoid clashes): the
 * generated code calls them by these names, and no other prelude name can clash with it.
 */
function preludeBinding(prelude: Prelude): string {
  const names = [...prelude.names.keys()].sort();
  if (names.length === 0) return "";
  const ret = names.map((n) => (prelude.names.get(n) === n ? n : `${n}: ${prelude.names.get(n)}`)).join(", ");
  return `var { ${names.join(", ")} } = (() => {\n${prelude.code.trimEnd()}\nreturn { ${ret} };\n})();`;
}

/**
 * Imports a compiled module's code in this process, from a `data:` URL (no file written; the
 * module has no imports, so it needs no base URL). The source-map comment is dropped: there is
 * no map file beside a data URL.
 */
export async function loadCompiled(code: string): Promise<PolicyModule & { packages?: Record<string, PolicyModule> }> {
  const text = code.replace(/\n\/\/# sourceMappingURL=[^\n]*\n?$/, "\n");
  const url = `data:text/javascript;base64,${Buffer.from(text, "utf8").toString("base64")}`;
  return (await import(url)) as PolicyModule & { packages?: Record<string, PolicyModule> };
}
