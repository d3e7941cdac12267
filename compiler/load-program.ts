// Loading a Program from disk. Owns: turning the paths a user typed into source texts —
// directory walking, display paths, binary/UTF-8 detection — and the E00xx diagnostics for
// paths that cannot be loaded.
// Input: paths (files or directories) and the working directory. Output: a Program, one
// E00xx diagnostic per unusable path (also as a plain line in `ioErrors`), and the file list.
// INVARIANT (display paths): a file's path is relative to `cwd` with forward slashes
// (`examples/docs.edict`, `../shared/x.edict`), or absolute when the user typed an absolute
// path outside `cwd`. Spans, messages and decision locations all use this path.
// INVARIANT (order): files are deduplicated and sorted by display path; the walk never
// depends on readdir order.
// Directories are searched recursively for `*.edict`, skipping `node_modules` and dot-folders
// below the folder named (a dot-folder named explicitly is searched). A file named explicitly
// is read whatever its extension. Symlinked folders are followed once (no cycles).
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { ioReason } from "../runtime/io-reason.ts";
import type { Code } from "./diagnostics/codes.ts";
import type { Diagnostic } from "./diagnostics/diagnostic.ts";
import { defaultEngine, Program, type ProgramEngine } from "./program.ts";

export interface LoadResult {
  readonly program: Program;
  /** One E0001/E0002/E0003 diagnostic per path that could not be used (span at 0, no source). */
  readonly loadDiagnostics: Diagnostic[];
  /** The same problems as one plain line each: `path: error[E0001]: message`. */
  readonly ioErrors: string[];
  /** Display paths of the files loaded, sorted. */
  readonly files: string[];
}

export interface LoadOptions {
  readonly engine?: ProgramEngine;
}

/** Reads files and directories into a Program. Never throws for bad paths or contents. */
export async function loadProgram(paths: readonly string[], cwd: string, options: LoadOptions = {}): Promise<LoadResult> {
  const problems: Diagnostic[] = [];
  const found = new Map<string, string>(); // absolute path → display path
  for (const typed of paths) {
    const abs = resolve(cwd, typed);
    const shown = displayPath(abs, typed, cwd);
    let info;
    try {
      info = await stat(abs);
    } catch (e) {
      problems.push(loadDiagnostic("E0001", shown, `cannot read \`${shown}\`: ${readReason(e)}`, "check the path; `edict check` takes `.edict` files and folders"));
      continue;
    }
    if (info.isDirectory()) {
      const before = found.size;
      const walkProblems: Diagnostic[] = [];
      await walk(abs, typed, cwd, found, new Set(), walkProblems);
      problems.push(...walkProblems);
      if (found.size === before && walkProblems.length === 0 && !hasEdictUnder(found, abs)) {
        problems.push(
          loadDiagnostic(
            "E0003",
            shown,
            `no \`.edict\` files in \`${shown}\``,
            "folders are searched recursively for `*.edict` files, skipping `node_modules` and folders whose name starts with `.`",
          ),
        );
      }
    } else if (!info.isFile()) {
      // A device or pipe (`/dev/zero`, a FIFO) could block or never end: not a source file.
      problems.push(loadDiagnostic("E0001", shown, `cannot read \`${shown}\`: it is not a regular file`, "pass `.edict` files or folders"));
    } else if (!found.has(abs)) {
      found.set(abs, shown);
    }
  }

  const entries = [...found].sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0));
  const texts = await mapLimited(entries, 32, async ([abs, shown]) => {
    let bytes: Buffer;
    try {
      bytes = await readFile(abs);
    } catch (e) {
      problems.push(loadDiagnostic("E0001", shown, `cannot read \`${shown}\`: ${readReason(e)}`));
      return undefined;
    }
    const decoded = decodeSource(bytes);
    if (typeof decoded !== "string") {
      problems.push(loadDiagnostic("E0002", shown, `\`${shown}\` is not a text file (${decoded.why})`, "Edict sources are UTF-8 text; check that you passed the right path"));
      return undefined;
    }
    return { path: shown, text: decoded };
  });
  const loaded = texts.filter((t): t is { path: string; text: string } => t !== undefined);
  const program = Program.fromTexts(loaded, options.engine ?? defaultEngine);
  problems.sort((a, b) => (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return {
    program,
    loadDiagnostics: problems,
    ioErrors: problems.map((d) => `${d.span.file}: ${d.severity}[${d.code}]: ${d.message}`),
    files: loaded.map((f) => f.path),
  };
}

/** Text of a file, or why it is not Edict text: NUL bytes (binary) or invalid UTF-8. */
export function decodeSource(bytes: Uint8Array): string | { why: string } {
  if (bytes.includes(0)) return { why: "it contains NUL bytes, so it looks binary" };
  try {
    // `fatal` rejects invalid UTF-8; a leading byte-order mark is dropped.
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { why: `it is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(bytes)})` };
  }
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  // Binary search on the longest valid prefix is overkill; a linear scan of lead bytes is
  // enough for an error message.
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (n === 0 || i + n > bytes.length) return i;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(i, i + n));
    } catch {
      return i;
    }
    i += n;
  }
  return i;
}

/** Relative to cwd with forward slashes; absolute when typed absolute and outside cwd. */
export function displayPath(abs: string, typed: string, cwd: string): string {
  const rel = relative(cwd, abs);
  const outside = rel === ".." || rel.startsWith(".." + sep) || isAbsolute(rel);
  const shown = isAbsolute(typed) && outside ? abs : rel === "" ? "." : rel;
  return shown.split(sep).join("/");
}

async function walk(dir: string, typedRoot: string, cwd: string, found: Map<string, string>, visited: Set<string>, problems: Diagnostic[]): Promise<void> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch {
    real = dir;
  }
  if (visited.has(real)) return;
  visited.add(real);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    const shown = displayPath(dir, typedRoot, cwd);
    problems.push(loadDiagnostic("E0001", shown, `cannot read folder \`${shown}\`: ${readReason(e)}`));
    return;
  }
  const names = entries.map((e) => e.name).sort();
  const byName = new Map(entries.map((e) => [e.name, e] as const));
  for (const name of names) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const entry = byName.get(name)!;
    const path = join(dir, name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const s = await stat(path);
        isDir = s.isDirectory();
        isFile = s.isFile();
      } catch {
        continue; // a dangling link is not a source file
      }
    }
    if (isDir) await walk(path, typedRoot, cwd, found, visited, problems);
    else if (isFile && name.endsWith(".edict") && !found.has(path)) found.set(path, displayPath(path, typedRoot, cwd));
  }
}

function hasEdictUnder(found: Map<string, string>, dir: string): boolean {
  const prefix = dir.endsWith(sep) ? dir : dir + sep;
  for (const abs of found.keys()) if (abs.startsWith(prefix)) return true;
  return false;
}

function loadDiagnostic(code: Code, file: string, message: string, help?: string): Diagnostic {
  return { code, severity: "error", message, span: { file, start: 0, end: 0 }, ...(help !== undefined ? { help } : {}) };
}

/** Why a file or folder cannot be read, in a user's words. */
function readReason(e: unknown): string {
  const code = (e as { code?: string } | undefined)?.code;
  return ioReason(e) ?? (code ? code.toLowerCase() : String((e as Error)?.message ?? e).toLowerCase());
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}
