// Shared by the formatter tests: parsing a text, formatting it, and finding every `.edict`
// file of the repository's fixtures and examples (found by walking, so new fixtures are
// covered without touching the tests).
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { formatFile } from "../../compiler/format/format-file.ts";
import { SourceFile } from "../../compiler/source/source-file.ts";
import { parseFile } from "../../compiler/syntax/parse.ts";
import type { ParsedFile } from "../../compiler/syntax/parsed-file.ts";

export const repoRoot = join(import.meta.dirname, "..", "..");

export function parse(text: string, path = "test.edict"): ParsedFile {
  return parseFile(new SourceFile(path, text));
}

export function hasSyntaxErrors(parsed: ParsedFile): boolean {
  return parsed.diagnostics.some((d) => d.severity === "error");
}

/** Formats a text that must parse without errors. */
export function fmt(text: string, path = "test.edict"): string {
  const parsed = parse(text, path);
  if (hasSyntaxErrors(parsed)) {
    throw new Error(`test input has syntax errors:\n${parsed.diagnostics.map((d) => `${parsed.source.location(d.span.start)}: ${d.message}`).join("\n")}\n---\n${text}`);
  }
  const out = formatFile(parsed);
  if (out === undefined) throw new Error("formatFile refused a file without syntax errors");
  return out;
}

function walk(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name === "node_modules" || e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith(".edict")) out.push(p);
  }
}

/** Every `.edict` file under test/fixtures/ and examples/, as `{ path (repo-relative), text }`. */
export function corpus(): { path: string; text: string }[] {
  const files: string[] = [];
  walk(join(repoRoot, "test", "fixtures"), files);
  walk(join(repoRoot, "examples"), files);
  return files.sort().map((f) => ({ path: relative(repoRoot, f).split("\\").join("/"), text: readFileSync(f, "utf8") }));
}
