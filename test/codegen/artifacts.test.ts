// What `edict compile` produces besides the code: the manifest (stable content-hash version,
// sources, rules with annotations/doc/location, git commit of each rule), the source map back
// to .edict lines, the .d.ts (checked by the TypeScript compiler on a tiny consumer), and the
// command itself (errors → diagnostics, exit 1, nothing written; --tests files).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileCommand } from "../../cli/commands/compile.ts";
import type { CommandIO } from "../../cli/command.ts";
import { compilePackages } from "../../compiler/codegen/compile.ts";
import { vlq } from "../../compiler/codegen/js-writer.ts";
import { loadProgram } from "../../compiler/program.ts";
import { compileTexts } from "./compile-helpers.ts";

const root = join(import.meta.dirname, "..", "..");

function io(cwd: string) {
  let out = "";
  let err = "";
  const value: CommandIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), cwd, readStdin: async () => "", color: false };
  return { io: value, out: () => out, err: () => err };
}

/** Decodes a Source Map v3 `mappings` string into [genLine, genCol, source, srcLine, srcCol] (0-based). */
function decodeMappings(mappings: string): number[][] {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const out: number[][] = [];
  const state = [0, 0, 0, 0];
  mappings.split(";").forEach((line, genLine) => {
    state[0] = 0;
    for (const seg of line.split(",")) {
      if (!seg) continue;
      const vals: number[] = [];
      let shift = 0;
      let value = 0;
      for (const ch of seg) {
        const d = chars.indexOf(ch);
        value += (d & 31) << shift;
        if (d & 32) shift += 5;
        else {
          vals.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      vals.forEach((v, i) => (state[i] = state[i]! + v));
      out.push([genLine, ...state]);
    }
  });
  return out;
}

describe("manifest", () => {
  it("version is a stable content hash; rules carry annotations, doc and location; git when asked", async () => {
    const { program } = await loadProgram(["examples/documents"], root);
    const pkgs = program.snapshot().check().packages;
    const a = await compilePackages([...pkgs], { outFile: "policy.mjs", gitBlame: true });
    const b = await compilePackages([...pkgs], { outFile: "policy.mjs", gitBlame: true });
    expect(a.code).toBe(b.code);
    const m = a.manifests[0]!;
    expect(m.version).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(m.sources.map((s) => s.file)).toEqual([...m.sources.map((s) => s.file)].sort());
    expect(m.sources.every((s) => /^[0-9a-f]{64}$/.test(s.sha256) && !s.file.startsWith("/"))).toBe(true);
    const legal = m.rules.find((r) => r.name === "legal_hold")!;
    expect(legal).toMatchObject({ id: "documents.legal_hold", effect: "forbid", annotations: { id: "DOC-7", severity: "high", notify: "legal" } });
    expect(legal.location).toMatch(/^examples\/documents\/restrictions\.edict:\d+:1$/);
    const noGit = await compilePackages([...pkgs], { outFile: "policy.mjs" });
    expect(noGit.manifests[0]!.rules.every((r) => r.git === undefined)).toBe(true);
    expect(noGit.manifests[0]!.version).toBe(m.version);
  });

  it("git: the commit that last changed each rule; uncommitted rules have none", async () => {
    const dir = mkdtempSync(join(tmpdir(), "edict-git-"));
    try {
      const file = join(dir, "p.edict");
      writeFileSync(file, "package p\n\npermit a {\n  when input.x == 1\n}\n\npermit b {\n  when input.y == 2\n}\n");
      const env = { ...process.env, GIT_AUTHOR_NAME: "Ann Author", GIT_AUTHOR_EMAIL: "ann@example.com", GIT_COMMITTER_NAME: "Ann Author", GIT_COMMITTER_EMAIL: "ann@example.com", GIT_AUTHOR_DATE: "2026-01-05T10:00:00Z", GIT_COMMITTER_DATE: "2026-01-05T10:00:00Z" };
      const git = (...args: string[]) => execFileSync("git", ["-C", dir, ...args], { env, encoding: "utf8" });
      git("init", "-q");
      git("add", "p.edict");
      git("-c", "commit.gpgsign=false", "commit", "-q", "-m", "rules");
      writeFileSync(file, "package p\n\npermit a {\n  when input.x == 1\n}\n\npermit b {\n  when input.y == 3\n}\n");
      const { SourceFile } = await import("../../compiler/source/source-file.ts");
      const { parseFile } = await import("../../compiler/syntax/parse.ts");
      const { buildPackages } = await import("../../compiler/semantics/package-model.ts");
      const [pkg] = buildPackages([parseFile(new SourceFile(file, readFileSync(file, "utf8")))]);
      const r = await compilePackages([{ pkg: pkg! }], { outFile: "p.mjs", gitBlame: true });
      const [a, b] = r.manifests[0]!.rules;
      expect(a!.git).toEqual({ commit: git("rev-parse", "HEAD").trim(), author: "Ann Author", date: "2026-01-05T10:00:00Z" });
      expect(b!.git).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the version changes with the sources", async () => {
    const v1 = (await compileTexts([{ path: "p.edict", text: "package p\npermit a {}\n" }])).manifests[0]!.version;
    const v2 = (await compileTexts([{ path: "p.edict", text: "package p\npermit b {}\n" }])).manifests[0]!.version;
    expect(v1).not.toBe(v2);
  });
});

describe("source map", () => {
  it("maps each rule function back to its .edict line", async () => {
    const text = "package p\n\npermit first {\n  when input.a == 1\n}\n\nforbid second {\n  when input.b == 2\n}\n";
    const r = await compileTexts([{ path: "dir/p.edict", text }], "out.mjs");
    const map = JSON.parse(r.map) as { sources: string[]; sourcesContent: string[]; mappings: string; file: string };
    expect(map.sources).toEqual(["dir/p.edict"]);
    expect(map.sourcesContent).toEqual([text]);
    expect(map.file).toBe("out.mjs");
    const lines = r.code.split("\n");
    const decoded = decodeMappings(map.mappings);
    const at = (needle: string) => {
      const genLine = lines.findIndex((l) => l.startsWith(needle));
      return decoded.find((d) => d[0] === genLine)?.[3];
    };
    expect(at("function rule_0_first(")).toBe(2);
    expect(at("function rule_1_second(")).toBe(6);
    expect(vlq(0) + vlq(-1) + vlq(16)).toBe("ADgB");
  });
});

describe("d.ts", () => {
  it("type-checks a service's decide(req) with the TypeScript compiler", async () => {
    const dir = mkdtempSync(join(tmpdir(), "edict-dts-"));
    try {
      const text = `package shop\n\ntype Role = "admin" | "cl*/erk\\"\\\\"\n\ntype User {\n  id: String\n  roles: Set<Role>\n  meta?: Map<Number>\n}\n\nrequest {\n  user: User\n  action: "buy" | "refund"\n  at: Time\n}\n\npermit admins {\n  when "admin" in user.roles\n}\n`;
      const r = await compileTexts([{ path: "shop.edict", text }], "policy.mjs");
      writeFileSync(join(dir, "policy.mjs"), r.code);
      writeFileSync(join(dir, "policy.d.mts"), r.dts);
      writeFileSync(join(dir, "package.json"), '{ "type": "module" }');
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", noEmit: true, types: [] }, include: ["*.mts"] }));
      writeFileSync(
        join(dir, "ok.mts"),
        `import { decide, manifest, type Request } from "./policy.mjs";\nconst req: Request = { user: { id: "u1", roles: ["admin", 'cl*/erk"\\\\'] }, action: "buy", at: "2026-01-01T00:00:00Z" };\nconst d = decide(req, { override: { by: "a", justification: "b" } });\nconst ok: boolean = d.allowed && d.reasons.every((x) => typeof x.rule === "string");\nvoid ok; void manifest.rules[0]?.id;\n`,
      );
      writeFileSync(join(dir, "bad.mts"), `import { decide } from "./policy.mjs";\ndecide({ user: { id: "u1", roles: ["root"] }, action: "steal", at: "x" });\n`);
      let output = "";
      try {
        execFileSync(join(root, "node_modules", ".bin", "tsc"), ["-p", dir], { encoding: "utf8" });
      } catch (e) {
        output = String((e as { stdout?: string }).stdout ?? e);
      }
      expect(output).not.toContain("ok.mts");
      expect(output).toContain("bad.mts");
      expect(output).toMatch(/"root"|"steal"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("edict compile", () => {
  it("writes the module, map, d.ts and test files; the module decides", async () => {
    const dir = mkdtempSync(join(tmpdir(), "edict-compile-"));
    try {
      const c = io(root);
      const code = await compileCommand.run(["examples/documents", "--out", join(dir, "out", "policy.mjs"), "--tests", join(dir, "tests"), "--no-git"], c.io);
      expect(c.err()).toBe("");
      expect(code).toBe(0);
      for (const f of ["out/policy.mjs", "out/policy.mjs.map", "out/policy.d.ts", "tests/documents.policy.test.mjs"]) expect(existsSync(join(dir, f)), f).toBe(true);
      const testFile = readFileSync(join(dir, "tests", "documents.policy.test.mjs"), "utf8");
      expect(testFile).toContain('import * as policy from "../out/policy.mjs";');
      expect(testFile).toMatch(/expect\(d\.decision, JSON\.stringify\(d\.reasons\)\)\.toBe\("(allow|deny)"\)/);
      expect(c.out()).toMatch(/^compiled \d+ rules of documents into /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a policy with errors: diagnostics, exit 1, nothing written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "edict-compile-"));
    try {
      writeFileSync(join(dir, "bad.edict"), "package bad\n\npermit p {\n  when undefined_name == 1\n}\n");
      const c = io(dir);
      const code = await compileCommand.run(["bad.edict", "--out", "policy.mjs"], c.io);
      expect(code).toBe(1);
      expect(c.out()).toMatch(/bad\.edict:4:\d+: error/);
      expect(c.out()).toContain("nothing was written");
      expect(existsSync(join(dir, "policy.mjs"))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("usage errors", async () => {
    const c = io(root);
    await expect(compileCommand.run(["examples/documents"], c.io)).rejects.toThrow(/--out/);
  });
});
