// Reads a diagnostics fixture into source files. A fixture is one `.edict` file; lines
// `// @filename: other.edict` start another file of the same program (for cross-file cases).
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { SourceFile } from "../../compiler/source/source-file.ts";

export function fixtureSources(path: string): SourceFile[] {
  const text = readFileSync(path, "utf8");
  const files: { name: string; lines: string[] }[] = [{ name: basename(path), lines: [] }];
  for (const line of text.split("\n")) {
    const m = /^\/\/ @filename: (\S+)\s*$/.exec(line);
    if (m) files.push({ name: m[1]!, lines: [] });
    else files[files.length - 1]!.lines.push(line);
  }
  return files.filter((f, i) => i > 0 || f.lines.join("").trim() !== "").map((f) => new SourceFile(f.name, f.lines.join("\n")));
}
