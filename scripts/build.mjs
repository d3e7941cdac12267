// Builds everything `npx edict` and the package exports need, with esbuild:
//   dist/cli.mjs       the CLI (all compiler, runtime and LSP code bundled; deps bundled too)
//   dist/compiler.mjs  `edict/compiler`
//   dist/runtime.mjs   `edict/runtime`
// Runs from `npm install` (prepare) so a fresh clone needs no other step.
import { build } from "esbuild";
import { existsSync } from "node:fs";

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
  // The code generator runs esbuild at compile time (the builtins prelude); esbuild finds its
  // native binary relative to its own files, so it cannot be bundled.
  external: ["esbuild"],
  // Bundled CommonJS deps (vscode-languageserver) call require(): give ESM a real one.
  banner: { js: "import { createRequire as __edictCreateRequire } from 'node:module'; const require = __edictCreateRequire(import.meta.url);" },
};

const entries = [
  ["cli/bin.ts", "dist/cli.mjs"],
  ["compiler/index.ts", "dist/compiler.mjs"],
  ["runtime/index.ts", "dist/runtime.mjs"],
];

await Promise.all(
  entries.filter(([src]) => existsSync(src)).map(([src, out]) => build({ ...common, entryPoints: [src], outfile: out })),
);
