// Output files are replaced whole or not at all: `writeFilesAtomically` (used by `edict compile`
// and `edict fmt --write`) and both commands when the disk refuses a write half-way (a file size
// limit stands in for a full disk): the previous files stay as they were, no temporary file is
// left behind, and the message names the file and says why.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFilesAtomically, WriteError } from "../../cli/write-files.ts";
import { edictBin, ensureBuilt, repoRoot, stackTraceLines } from "../helpers/run-cli.ts";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "edict-write-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fresh = () => mkdtempSync(join(dir, "case-"));
const temps = (d: string) => readdirSync(d).filter((f) => f.endsWith(".tmp"));

describe("writeFilesAtomically", () => {
  it("writes every file (creating folders) and leaves nothing else", async () => {
    const d = fresh();
    await writeFilesAtomically([
      [join(d, "out/a.mjs"), "export const a = 1;\n"],
      [join(d, "out/a.d.ts"), "export declare const a: number;\n"],
    ]);
    expect(readFileSync(join(d, "out/a.mjs"), "utf8")).toBe("export const a = 1;\n");
    expect(readdirSync(join(d, "out")).sort()).toEqual(["a.d.ts", "a.mjs"]);
  });

  it("keeps an existing file's mode, and writes through a symlink (the link stays a link)", async () => {
    const d = fresh();
    writeFileSync(join(d, "real.edict"), "old");
    chmodSync(join(d, "real.edict"), 0o640);
    symlinkSync("real.edict", join(d, "link.edict"));
    await writeFilesAtomically([[join(d, "link.edict"), "new"]]);
    expect(lstatSync(join(d, "link.edict")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(d, "link.edict"))).toBe("real.edict");
    expect(readFileSync(join(d, "real.edict"), "utf8")).toBe("new");
    expect(statSync(join(d, "real.edict")).mode & 0o777).toBe(0o640);
    expect(temps(d)).toEqual([]);
  });

  it("a pipe or device is written to, never replaced by a regular file (`--out /dev/stdout`)", async () => {
    const d = fresh();
    const fifo = join(d, "pipe");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const reader = spawn("cat", [fifo], { stdio: ["ignore", "pipe", "inherit"] });
    let received = "";
    reader.stdout.setEncoding("utf8").on("data", (c: string) => (received += c));
    const done = new Promise((r) => reader.on("exit", r));
    try {
      await writeFilesAtomically([[fifo, "export const through = 1;\n"]]);
      expect(statSync(fifo).isFIFO()).toBe(true); // (were it replaced, the reader would wait forever)
      await done;
      expect(received).toBe("export const through = 1;\n");
      expect(temps(d)).toEqual([]);
    } finally {
      reader.kill();
    }
  });

  it("a file that cannot be written: nothing is replaced, no temporary file is left, the error names it", async () => {
    const d = fresh();
    writeFileSync(join(d, "a.mjs"), "old a");
    writeFileSync(join(d, "blocker"), "a file where a folder should be");
    let error: unknown;
    try {
      await writeFilesAtomically([
        [join(d, "a.mjs"), "new a"],
        [join(d, "blocker", "a.d.ts"), "new types"],
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WriteError);
    expect((error as WriteError).message).toBe(`cannot write \`${join(d, "blocker", "a.d.ts")}\`: a part of the path is a file, not a directory`);
    expect((error as WriteError).partial).toBe(false);
    expect(readFileSync(join(d, "a.mjs"), "utf8")).toBe("old a"); // written first, yet not replaced
    expect(temps(d)).toEqual([]);
  });
});

/** Runs edict under a file size limit (in 512-byte blocks), so a write beyond it fails with EFBIG. */
function edictLimited(blocks: number, args: readonly string[], cwd: string) {
  const script = `trap '' XFSZ; ulimit -f ${blocks}; exec "$0" "$@"`;
  return spawnSync("sh", ["-c", script, process.execPath, edictBin, ...args], { cwd, encoding: "utf8", timeout: 60_000 });
}

describe("commands whose writes fail half-way", () => {
  beforeAll(() => ensureBuilt());

  it("edict compile: the previous module, map and types stay whole", () => {
    const d = fresh();
    const out = join(d, "build");
    mkdirSync(out);
    const previous = { "documents.mjs": "// the previous module\n", "documents.mjs.map": "{}", "documents.d.ts": "// previous types\n" };
    for (const [name, text] of Object.entries(previous)) writeFileSync(join(out, name), text);
    const r = edictLimited(40, ["compile", join(repoRoot, "examples/documents"), "--out", "build/documents.mjs"], d); // 20 KB: the module is larger
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("edict compile: cannot write `build/documents.mjs`: the file is larger than this process may write (file size limit); no output was changed\n");
    for (const [name, text] of Object.entries(previous)) expect(readFileSync(join(out, name), "utf8")).toBe(text);
    expect(temps(out)).toEqual([]);
    expect(stackTraceLines(r.stdout + r.stderr)).toEqual([]);
  });

  it("edict fmt --write on a writable file in a folder its user may not add files to: rewritten in place, as a plain write would", () => {
    // Run as a user that directory permissions apply to: `nobody` when the tests run as root.
    const d = fresh();
    chmodSync(dir, 0o755);
    chmodSync(d, 0o755);
    mkdirSync(join(d, "ro"));
    writeFileSync(join(d, "ro", "a.edict"), "package p\ndef   x =  1\n");
    chmodSync(join(d, "ro", "a.edict"), 0o666);
    chmodSync(join(d, "ro"), 0o555);
    const asUser = process.getuid?.() === 0 ? ["runuser", ["-u", "nobody", "--", process.execPath, edictBin]] as const : [process.execPath, [edictBin]] as const;
    try {
      const r = spawnSync(asUser[0], [...asUser[1], "fmt", "--write", "ro/a.edict"], { cwd: d, encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(readFileSync(join(d, "ro", "a.edict"), "utf8")).toBe("package p\n\ndef x = 1\n");
    } finally {
      chmodSync(join(d, "ro"), 0o755); // so that the folder can be removed by a user that is not root
    }
  });

  it("edict fmt --write: a source that cannot be rewritten is left as it was, the others are formatted", () => {
    const d = fresh();
    const big = `package big\n${Array.from({ length: 40 }, (_, i) => `def   v${i} =  [${i},${i + 1}]`).join("\n")}\n`; // > 512 bytes once formatted
    const small = "package small\ndef   x =  1\n";
    writeFileSync(join(d, "big.edict"), big);
    writeFileSync(join(d, "small.edict"), small);
    const r = edictLimited(1, ["fmt", "--write", "."], d);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("edict fmt: cannot write `big.edict`: the file is larger than this process may write (file size limit); it is unchanged\n");
    expect(readFileSync(join(d, "big.edict"), "utf8")).toBe(big);
    expect(readFileSync(join(d, "small.edict"), "utf8")).toBe("package small\n\ndef x = 1\n");
    expect(temps(d)).toEqual([]);
  });
});
