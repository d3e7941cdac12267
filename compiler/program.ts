// Program: the one API the CLI, the language server and tests use to hold and check Edict
// sources. Owns: the set of files (path → text → ParsedFile), grouping them into packages,
// and a per-package check cache.
// Input: texts keyed by a path (the CLI uses the path as the user typed it, relative to the
// working directory with forward slashes; the LSP uses whatever key it likes, e.g. a URI).
// Output: ParsedFile per path, CheckedPackage per package, and every diagnostic (syntax +
// semantic) sorted with compareDiagnostics.
// INVARIANT (snapshots): every state is immutable. `update`/`remove` build a new state; a
// `ProgramSnapshot` taken earlier keeps answering for its own texts, and results handed out
// (arrays, CheckedPackage) are never mutated later. A slow LSP request can hold a snapshot
// while edits arrive.
// INVARIANT (incremental): a file is re-parsed only when its text changes; a package is
// re-checked only when the identity of its ParsedFiles changes (Edict packages do not
// import each other, so no other package is affected by an edit).
// Loading from disk lives in load-program.ts (re-exported here).
import { compareDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.ts";
import { buildPackages, type PackageModel } from "./semantics/package-model.ts";
import { checkPackage, checkPackageNames, type CheckedPackage } from "./semantics/check.ts";
import { SourceFile } from "./source/source-file.ts";
import { parseFile } from "./syntax/parse.ts";
import type { ParsedFile } from "./syntax/parsed-file.ts";

/** The phases Program drives; tests inject counting or stub versions. */
export interface ProgramEngine {
  readonly parseFile: (source: SourceFile) => ParsedFile;
  readonly checkPackage: (pkg: PackageModel) => CheckedPackage;
}

export const defaultEngine: ProgramEngine = { parseFile, checkPackage };

export interface CheckResult {
  /** Checked packages, sorted by package name. */
  readonly packages: readonly CheckedPackage[];
  /** Syntax and semantic diagnostics of every file, sorted with compareDiagnostics. */
  readonly diagnostics: readonly Diagnostic[];
}

interface CacheEntry {
  readonly files: readonly ParsedFile[];
  readonly checked: CheckedPackage;
}

/** Shared between a Program and its snapshots: parse/check work done once serves all. */
class PackageCache {
  private readonly entries = new Map<string, CacheEntry>();
  checks = 0;

  constructor(private readonly engine: ProgramEngine) {}

  checked(pkg: PackageModel): CheckedPackage {
    const entry = this.entries.get(pkg.name);
    if (entry && sameFiles(entry.files, pkg.files)) return entry.checked;
    const checked = this.engine.checkPackage(pkg);
    this.checks++;
    this.entries.set(pkg.name, { files: pkg.files, checked });
    return checked;
  }

  /** Drops entries of packages that no longer exist (called for the newest state only). */
  retain(names: ReadonlySet<string>): void {
    for (const name of this.entries.keys()) if (!names.has(name)) this.entries.delete(name);
  }
}

function sameFiles(a: readonly ParsedFile[], b: readonly ParsedFile[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function byPath(a: ParsedFile, b: ParsedFile): number {
  return a.source.path < b.source.path ? -1 : a.source.path > b.source.path ? 1 : 0;
}

/** One immutable version of a program. Cheap to take; checks lazily, at most once. */
export class ProgramSnapshot {
  private result: CheckResult | undefined;
  private sorted: readonly ParsedFile[] | undefined;
  private byFile: ReadonlyMap<string, CheckedPackage> | undefined;

  /** @internal Use `Program.snapshot()`. */
  constructor(
    /** Increases with every change of the Program it came from. */
    readonly version: number,
    private readonly fileMap: ReadonlyMap<string, ParsedFile>,
    private readonly cache: PackageCache,
    private readonly latest: () => boolean,
  ) {}

  /** Every file, sorted by path. */
  files(): readonly ParsedFile[] {
    return (this.sorted ??= Object.freeze([...this.fileMap.values()].sort(byPath)));
  }

  paths(): readonly string[] {
    return this.files().map((f) => f.source.path);
  }

  parsed(path: string): ParsedFile | undefined {
    return this.fileMap.get(path);
  }

  source(path: string): SourceFile | undefined {
    return this.fileMap.get(path)?.source;
  }

  /** Packages and all diagnostics; computed on first call, then the same object. */
  check(): CheckResult {
    if (this.result) return this.result;
    const files = this.files();
    const packages = buildPackages(files);
    const checked = packages.map((p) => this.cache.checked(p));
    if (this.latest()) this.cache.retain(new Set(packages.map((p) => p.name)));
    // Package names differing only in case (E0206) involve several packages: checked here.
    const diagnostics = collectDiagnostics(files, checked, checkPackageNames(packages));
    const byFile = new Map<string, CheckedPackage>();
    for (const c of checked) for (const f of c.pkg.files) byFile.set(f.source.path, c);
    this.byFile = byFile;
    return (this.result = Object.freeze({ packages: Object.freeze(checked), diagnostics }));
  }

  /** The checked package a file belongs to (`undefined` if it declares no package). */
  packageOf(path: string): CheckedPackage | undefined {
    this.check();
    return this.byFile!.get(path);
  }

  /** Diagnostics of one file (what an editor publishes for it). */
  diagnosticsFor(path: string): readonly Diagnostic[] {
    return this.check().diagnostics.filter((d) => d.span.file === path);
  }
}

/** Syntax diagnostics of every file plus each package's, without duplicates, sorted. */
function collectDiagnostics(files: readonly ParsedFile[], packages: readonly CheckedPackage[], programWide: readonly Diagnostic[] = []): readonly Diagnostic[] {
  const seen = new Set<Diagnostic>();
  const keys = new Set<string>();
  const all: Diagnostic[] = [];
  const add = (d: Diagnostic) => {
    if (seen.has(d)) return;
    seen.add(d);
    // The checker may re-report a parser diagnostic; identical ones are shown once.
    const key = `${d.code}\0${d.span.file}\0${d.span.start}\0${d.span.end}\0${d.message}`;
    if (keys.has(key)) return;
    keys.add(key);
    all.push(d);
  };
  for (const f of files) for (const d of f.diagnostics) add(d);
  for (const p of packages) for (const d of p.diagnostics) add(d);
  for (const d of programWide) add(d);
  return Object.freeze(all.sort(compareDiagnostics));
}

/**
 * A mutable handle on the newest snapshot. `update`/`remove` replace the state; everything
 * read through `snapshot()` before stays valid and unchanged.
 */
export class Program {
  private fileMap: ReadonlyMap<string, ParsedFile> = new Map();
  private current: ProgramSnapshot | undefined;
  private version = 0;
  private readonly cache: PackageCache;
  private parses = 0;

  constructor(private readonly engine: ProgramEngine = defaultEngine) {
    this.cache = new PackageCache(engine);
  }

  /** How many times a file was parsed / a package checked (for tests and benchmarks). */
  get stats(): { readonly parses: number; readonly checks: number } {
    return { parses: this.parses, checks: this.cache.checks };
  }

  static fromTexts(files: readonly { path: string; text: string }[], engine: ProgramEngine = defaultEngine): Program {
    const program = new Program(engine);
    const map = new Map<string, ParsedFile>();
    for (const f of files) map.set(f.path, program.parse(f.path, f.text));
    program.fileMap = map;
    return program;
  }

  private parse(path: string, text: string): ParsedFile {
    this.parses++;
    return this.engine.parseFile(new SourceFile(path, text));
  }

  /** Sets a file's text. Returns false (and changes nothing) when the text is unchanged. */
  update(path: string, text: string): boolean {
    const old = this.fileMap.get(path);
    if (old && old.source.text === text) return false;
    const map = new Map(this.fileMap);
    map.set(path, this.parse(path, text));
    this.replace(map);
    return true;
  }

  /** Forgets a file. Returns false when it was not there. */
  remove(path: string): boolean {
    if (!this.fileMap.has(path)) return false;
    const map = new Map(this.fileMap);
    map.delete(path);
    this.replace(map);
    return true;
  }

  private replace(map: ReadonlyMap<string, ParsedFile>): void {
    this.fileMap = map;
    this.version++;
    this.current = undefined;
  }

  /** The current state, frozen: later updates do not change what it answers. */
  snapshot(): ProgramSnapshot {
    if (!this.current) {
      const version = this.version;
      this.current = new ProgramSnapshot(version, this.fileMap, this.cache, () => this.version === version);
    }
    return this.current;
  }

  has(path: string): boolean {
    return this.fileMap.has(path);
  }

  parsed(path: string): ParsedFile | undefined {
    return this.fileMap.get(path);
  }

  files(): readonly ParsedFile[] {
    return this.snapshot().files();
  }

  check(): CheckResult {
    return this.snapshot().check();
  }

  packageOf(path: string): CheckedPackage | undefined {
    return this.snapshot().packageOf(path);
  }
}

export { loadProgram, type LoadResult } from "./load-program.ts";
