// Prepares the example service: compiles examples/documents with `edict compile` into
// build/documents.mjs and creates an Ed25519 signing key pair in keys/ (once).
// Run: node examples/service/setup.mjs   (from the repository, after `npm install`)
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const edict = fileURLToPath(new URL("../../bin/edict.mjs", import.meta.url));

/** Runs `edict ...args` in this folder; resolves with its exit code. */
export function runEdict(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [edict, ...args], { cwd: here, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

export async function setup() {
  const compiled = await runEdict(["compile", "../documents", "--out", "build/documents.mjs"]);
  if (compiled !== 0) throw new Error(`edict compile failed (exit ${compiled})`);
  if (!existsSync(new URL("keys/audit-signing.pem", import.meta.url))) {
    const made = await runEdict(["audit", "keygen", "--out", "keys"]);
    if (made !== 0) throw new Error(`edict audit keygen failed (exit ${made})`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  setup().catch((e) => {
    console.error(`setup: ${e.message}`);
    process.exitCode = 1;
  });
}
