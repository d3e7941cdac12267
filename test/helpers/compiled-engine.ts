// Compiled code as a corpus Engine: parse the sources, compile every package into one module
// (once per distinct set of sources), import it, and decide with the named package.
import { compilePackages, loadCompiled } from "../../compiler/codegen/compile.ts";
import type { Decision, PolicyModule } from "../../runtime/decision.ts";
import type { Engine, PolicySource } from "./decision-corpus.ts";
import { packagesOf } from "./interpreter-engine.ts";

type Loaded = PolicyModule & { packages?: Record<string, PolicyModule> };
const modules = new Map<string, Promise<Loaded>>();

/** The compiled module of a set of sources (compiled without checking: the corpus has hostile cases). */
export function compiledModule(sources: readonly PolicySource[]): Promise<Loaded> {
  const key = JSON.stringify(sources);
  let p = modules.get(key);
  if (!p) {
    p = compilePackages(
      packagesOf(sources).map((pkg) => ({ pkg })),
      { outFile: "corpus.mjs" },
    ).then((r) => loadCompiled(r.code));
    modules.set(key, p);
  }
  return p;
}

export const compiledEngine: Engine = {
  name: "compiled",
  async decide(sources, request, options): Promise<Decision> {
    const mod = await compiledModule(sources);
    const target = options.package !== undefined && mod.packages ? mod.packages[options.package] : mod;
    if (!target) throw new Error(`no package ${options.package}`);
    return target.decide(request, options.override === undefined ? undefined : { override: options.override as never });
  },
};
