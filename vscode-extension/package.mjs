// `npm run package:vscode`: builds the bundles (build.mjs) and packs
// vscode-extension/edict-<version>.vsix with @vscode/vsce. Owns: the packing step's options.
// Offline: `--no-dependencies` (the bundles are self-contained; vsce would otherwise run npm).
// Reproducible: SOURCE_DATE_EPOCH (default 2000-01-01) fixes every zip entry's time, and the
// bundles carry no timestamps or absolute paths, so the same sources give the same .vsix.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const { version } = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
const out = `edict-${version}.vsix`;

await import("./build.mjs");

const require = createRequire(import.meta.url);
const vsce = join(dirname(require.resolve("@vscode/vsce/package.json")), "vsce");
const r = spawnSync(process.execPath, [vsce, "package", "--no-dependencies", "--no-update-package-json", "--out", out], {
  cwd: here,
  stdio: "inherit",
  env: { ...process.env, SOURCE_DATE_EPOCH: process.env.SOURCE_DATE_EPOCH ?? "946684800" },
});
if (r.status !== 0) {
  console.error(`package:vscode: vsce failed${r.error ? `: ${r.error.message}` : ""}`);
  process.exit(r.status ?? 1);
}
console.log(`package:vscode: wrote vscode-extension/${out}`);
