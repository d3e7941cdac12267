#!/usr/bin/env node
// The `edict` command: runs the bundled CLI that `npm install` builds (scripts/build.mjs).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const bundle = new URL("../dist/cli.mjs", import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write("edict: the CLI is not built yet; run `npm install` (or `npm run build`) in the edict folder\n");
  process.exit(2);
}
await import(bundle.href);
