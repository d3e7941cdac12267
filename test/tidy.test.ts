// Project-wide invariants that reviews would otherwise have to catch: the sources typecheck,
// the import layering of ARCHITECTURE.md, no focused/skipped tests, and every diagnostic code
// documented and covered by a fixture.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { CODES } from "../compiler/diagnostics/codes.ts";

const root = join(import.meta.dirname, "..");

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

describe("types", () => {
  // The build (esbuild) and vitest strip types without checking them: without this, a type
  // error would pass CI.
  it("every source and test typechecks (tsc --noEmit, strict)", () => {
    const r = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.json"), "--noEmit"], { encoding: "utf8", timeout: 120_000 });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

const tsFiles = (dir: string) => walk(join(root, dir)).filter((f) => f.endsWith(".ts"));

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+["']([^"']+)["']/gm)].map((m) => m[1]!);
}

// Which compiler phases each phase may import (besides itself).
const allowed: Record<string, string[]> = {
  source: [],
  diagnostics: ["source"],
  syntax: ["source", "diagnostics"],
  semantics: ["source", "diagnostics", "syntax"],
  eval: ["source", "diagnostics", "syntax", "semantics"],
  codegen: ["source", "diagnostics", "syntax", "semantics", "eval"],
  format: ["source", "diagnostics", "syntax", "semantics"],
};

describe("layering", () => {
  it("compiler phases import only earlier phases", () => {
    const problems: string[] = [];
    for (const file of tsFiles("compiler")) {
      const rel = relative(join(root, "compiler"), file).split(/[\\/]/);
      if (rel.length < 2) continue; // program.ts, index.ts sit on top
      const phase = rel[0]!;
      const ok = allowed[phase];
      if (!ok) continue;
      for (const spec of importsOf(file)) {
        if (!spec.startsWith(".")) {
          if (/vscode-languageserver|vscode-jsonrpc|^vscode$/.test(spec)) problems.push(`${relative(root, file)} imports ${spec}`);
          continue;
        }
        const target = relative(join(root, "compiler"), join(file, "..", spec)).split(/[\\/]/);
        if (target[0] === "..") {
          // runtime/builtins and runtime/decision are shared with compiled code.
          const outside = relative(root, join(file, "..", spec));
          if (!outside.startsWith("runtime/")) problems.push(`${relative(root, file)} imports ${spec}`);
          continue;
        }
        if (target.length < 2) problems.push(`${relative(root, file)} imports the program layer (${spec})`);
        else if (target[0] !== phase && !ok.includes(target[0]!)) problems.push(`${relative(root, file)} (${phase}) imports ${target[0]} (${spec})`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("runtime does not import the compiler", () => {
    const problems = tsFiles("runtime").flatMap((file) =>
      importsOf(file)
        .filter((s) => s.includes("/compiler/") || s.startsWith("../compiler") || s.startsWith("../../compiler"))
        .map((s) => `${relative(root, file)} imports ${s}`),
    );
    expect(problems).toEqual([]);
  });
});

describe("tests", () => {
  it("no focused or skipped tests", () => {
    const bad = walk(join(root, "test"))
      .filter((f) => /\.test\.(ts|mjs)$/.test(f))
      .filter((f) => /\b(it|test|describe)\.(skip|only|todo)\(/.test(readFileSync(f, "utf8")))
      .map((f) => relative(root, f));
    expect(bad).toEqual([]);
  });
});

describe("diagnostic codes", () => {
  const docs = (() => {
    try {
      return readFileSync(join(root, "docs/diagnostics.md"), "utf8");
    } catch {
      return "";
    }
  })();
  const fixtures = walk(join(root, "test"))
    .filter((f) => /\.(errors\.txt|json|ts)$/.test(f))
    .map((f) => readFileSync(f, "utf8"))
    .join("\n");

  it("every code is documented in docs/diagnostics.md", () => {
    const missing = Object.keys(CODES).filter((code) => !docs.includes(code));
    expect(missing).toEqual([]);
  });

  it("every code is exercised by a fixture or a test", () => {
    // Expected outputs (goldens, JSON expectations, assertions) must mention the code.
    const missing = Object.keys(CODES).filter((code) => !fixtures.includes(code));
    expect(missing).toEqual([]);
  });
});
