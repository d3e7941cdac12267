// Bundles the extension with esbuild. Owns: vscode-extension/dist/
//   dist/extension.js  the client (src/extension.ts + vscode-languageclient + the compiler the
//                      commands run in-process); `vscode` is provided by the editor
//   dist/server.js     the language server (src/server.ts → lsp/server.ts + compiler)
// Both are CommonJS (what VS Code loads for `main`) and self-contained: the .vsix is packed with
// `--no-dependencies`, so nothing is installed at run time. esbuild stays external: only
// codegen imports it (lazily), and the extension never compiles in-process (the compile command
// spawns the `edict` CLI instead).
// INVARIANT (reproducible): no timestamps, no absolute paths, no source maps in the output, so
// the same sources give byte-identical bundles.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "dist");
rmSync(out, { recursive: true, force: true });

const common = {
  absWorkingDir: here,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  minify: true,
  keepNames: true,
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
  external: ["vscode", "esbuild"],
  // Modules written as ESM read import.meta.url (only to locate runtime/builtins for codegen).
  define: { "import.meta.url": "__edictImportMetaUrl" },
  banner: { js: 'var __edictImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
};

await Promise.all([
  build({ ...common, entryPoints: [join(here, "src", "extension.ts")], outfile: join(out, "extension.js") }),
  build({ ...common, entryPoints: [join(here, "src", "server.ts")], outfile: join(out, "server.js") }),
]);
