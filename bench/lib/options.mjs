// Command-line options shared by the standalone benchmark scripts: `--name N` numbers and
// `--flag` booleans, and the check that the CLI bundle they spawn has been built.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const argv = process.argv.slice(2);

/** The number after `--NAME`, or `fallback`. */
export function numberOption(name, fallback) {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}

export function flag(name) {
  return argv.includes(`--${name}`);
}

/** Exits with a clear line when dist/cli.mjs is missing. */
export function requireBuiltCli() {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  if (!existsSync(join(root, "dist", "cli.mjs"))) {
    console.error("dist/cli.mjs is missing: run `npm run build` first");
    process.exit(2);
  }
}
