// Neovim (headless) as a real third-party LSP client: it starts `edict lsp --stdio` for an
// example with an error, receives the diagnostic, and writes it out (test/fixtures/lsp/
// nvim-init.lua). Needs the Debian package `neovim`; without `nvim` on PATH the test fails
// with the install command rather than silently passing.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, test } from "vitest";
import { edictBin, ensureBuilt, repoRoot } from "../helpers/run-cli.ts";

beforeAll(ensureBuilt, 120_000);

test("Neovim starts the server and shows the diagnostic of an example with an error", () => {
  const which = spawnSync("nvim", ["--version"], { encoding: "utf8" });
  if (which.error || which.status !== 0) throw new Error("nvim is not installed: install neovim (apt-get install neovim) to run the Neovim end-to-end test");
  const dir = mkdtempSync(join(tmpdir(), "edict-nvim-"));
  try {
    cpSync(join(repoRoot, "examples", "documents"), dir, { recursive: true });
    const file = join(dir, "grants.edict");
    const text = readFileSync(file, "utf8");
    expect(text).toContain("when is_admin\n");
    writeFileSync(file, text.replace("when is_admin\n", "when is_admn\n"));
    const out = join(dir, "diagnostics.txt");
    const r = spawnSync("nvim", ["--headless", "-i", "NONE", "-n", "-u", join(repoRoot, "test", "fixtures", "lsp", "nvim-init.lua"), file], {
      cwd: dir,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, EDICT_NVIM_OUT: out, EDICT_NODE: process.execPath, EDICT_BIN: edictBin, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir, XDG_STATE_HOME: dir },
    });
    expect(r.error).toBeUndefined();
    const lines = readFileSync(out, "utf8").trim().split("\n");
    const line = text.slice(0, text.indexOf("when is_admin\n")).split("\n").length;
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${line}:8:E0201:unknown name \`is_admn\``)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);
