// loadProgram: folders walked recursively in a fixed order, display paths relative to cwd,
// and one E00xx diagnostic per unusable path (missing, binary, not UTF-8, no .edict files).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeSource, displayPath, loadProgram } from "../../compiler/load-program.ts";

let dir: string;
const pkg = (name: string) => `package ${name}\n`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "edict-load-"));
  const files: Record<string, string | Uint8Array> = {
    "policies/b.edict": pkg("p"),
    "policies/a.edict": pkg("p"),
    "policies/nested/deep/c.edict": pkg("q"),
    "policies/notes.txt": "not edict",
    "policies/node_modules/dep/x.edict": pkg("dep"),
    "policies/.hidden/y.edict": pkg("hidden"),
    ".dot/z.edict": pkg("z"),
    "bom.edict": new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(pkg("bom"))]),
    "binary.edict": new Uint8Array([0x70, 0x61, 0x00, 0x01]),
    "latin1.edict": new Uint8Array([...Buffer.from("package l // caf"), 0xe9, 0x0a]),
    "plain.txt": pkg("txt"),
  };
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(dir, rel, ".."), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  mkdirSync(join(dir, "empty", "sub"), { recursive: true });
  writeFileSync(join(dir, "empty", "sub", "readme.md"), "# nothing here");
  try {
    symlinkSync(join(dir, "policies"), join(dir, "policies", "nested", "loop"), "dir");
  } catch {
    // symlinks may be unavailable (Windows without privileges); the cycle case is then moot
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loadProgram", () => {
  it("walks folders recursively, sorted, skipping node_modules and dot-folders, following a link cycle once", async () => {
    const r = await loadProgram(["policies"], dir);
    expect(r.loadDiagnostics).toEqual([]);
    expect(r.files).toEqual(["policies/a.edict", "policies/b.edict", "policies/nested/deep/c.edict"]);
    expect(r.program.files().map((f) => f.source.path)).toEqual(r.files);
  });

  it("searches a dot-folder named explicitly, and reads a named file of any extension", async () => {
    const r = await loadProgram([".dot", "plain.txt"], dir);
    expect(r.loadDiagnostics).toEqual([]);
    expect(r.files).toEqual([".dot/z.edict", "plain.txt"]);
  });

  it("shows paths relative to cwd with forward slashes, deduplicated", async () => {
    const r = await loadProgram(["./policies/a.edict", join(dir, "policies", "a.edict"), "policies/../policies/b.edict", "policies"], dir);
    expect(r.files).toEqual(["policies/a.edict", "policies/b.edict", "policies/nested/deep/c.edict"]);
    const fromInside = await loadProgram(["../bom.edict"], join(dir, "policies"));
    expect(fromInside.files).toEqual(["../bom.edict"]);
  });

  it("drops a UTF-8 byte-order mark", async () => {
    const r = await loadProgram(["bom.edict"], dir);
    expect(r.program.parsed("bom.edict")?.source.text).toBe(pkg("bom"));
  });

  it("gives one diagnostic per unusable path and keeps the good ones", async () => {
    const r = await loadProgram(["missing.edict", "binary.edict", "latin1.edict", "empty", "policies/a.edict"], dir);
    expect(r.files).toEqual(["policies/a.edict"]);
    expect(r.loadDiagnostics.map((d) => [d.span.file, d.code])).toEqual([
      ["binary.edict", "E0002"],
      ["empty", "E0003"],
      ["latin1.edict", "E0002"],
      ["missing.edict", "E0001"],
    ]);
    for (const d of r.loadDiagnostics) {
      expect(d.severity).toBe("error");
      expect(d.message).not.toMatch(/\n/);
    }
    expect(r.ioErrors).toEqual([
      "binary.edict: error[E0002]: `binary.edict` is not a text file (it contains NUL bytes, so it looks binary)",
      "empty: error[E0003]: no `.edict` files in `empty`",
      "latin1.edict: error[E0002]: `latin1.edict` is not a text file (it is not valid UTF-8 (first bad byte at offset 16))",
      "missing.edict: error[E0001]: cannot read `missing.edict`: no such file or folder",
    ]);
  });

  it("refuses devices and pipes instead of blocking on them", async () => {
    if (process.platform === "win32") return; // no /dev there
    const r = await loadProgram(["/dev/zero"], dir);
    expect(r.ioErrors).toEqual(["/dev/zero: error[E0001]: cannot read `/dev/zero`: it is not a regular file"]);
  });
});

describe("decodeSource and displayPath", () => {
  it("accepts UTF-8 and rejects NUL bytes and invalid sequences", () => {
    expect(decodeSource(Buffer.from("package é ✓ 😀"))).toBe("package é ✓ 😀");
    expect(decodeSource(new Uint8Array([0x61, 0x00]))).toEqual({ why: expect.stringContaining("NUL") });
    expect(decodeSource(new Uint8Array([0x61, 0xc3]))).toEqual({ why: expect.stringContaining("offset 1") });
  });

  it("keeps absolute paths outside cwd absolute", () => {
    expect(displayPath("/elsewhere/x.edict", "/elsewhere/x.edict", "/work/here")).toBe("/elsewhere/x.edict");
    expect(displayPath("/work/here/a/x.edict", "/work/here/a/x.edict", "/work/here")).toBe("a/x.edict");
    expect(displayPath("/work/x.edict", "../x.edict", "/work/here")).toBe("../x.edict");
  });
});
