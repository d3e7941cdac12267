// The language server's view of the files. Owns: which text each file has (open documents
// override the disk), the one Program all features read, and the "last good" snapshot of every
// file (the newest one in which that file parsed without errors; completion falls back to it).
// Input: workspace folders (scanned for *.edict), open/change/close events, watched-file events.
// Output: immutable ProgramSnapshots (compiler/program.ts) keyed by file path (or by the URI
// for documents that are not files, such as `untitled:`).
// INVARIANT: a file that is open is never replaced by its disk text; closing it reverts to the
// disk text (or removes it when it is not on disk).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Program, type ProgramSnapshot } from "../compiler/program.ts";
import { pathToUri, uriToPath } from "./convert.ts";

/** Folders never worth indexing. */
const SKIP_DIRS = new Set(["node_modules", ".git", "dist", "out", ".vscode-test"]);
/** Larger files are indexed only when opened (a generated 100 MB file would stall the scan). */
const MAX_DISK_FILE = 8 * 1024 * 1024;

export class Workspace {
  readonly program = new Program();
  private readonly open = new Map<string, string>();
  private readonly lastGood = new Map<string, ProgramSnapshot>();
  private folders: string[] = [];

  /** Program key of a URI (the file system path for `file:` URIs). */
  keyOf(uri: string): string {
    try {
      return uriToPath(uri);
    } catch {
      return uri;
    }
  }

  uriOf(key: string): string {
    return pathToUri(key);
  }

  isOpen(key: string): boolean {
    return this.open.has(key);
  }

  /** Indexes every .edict file under the folders (open documents keep their text). */
  setFolders(folders: readonly string[]): string[] {
    this.folders = [...folders];
    const found: string[] = [];
    for (const folder of folders) scan(folder, found, 0);
    for (const path of found) if (!this.open.has(path)) this.readDisk(path);
    return found;
  }

  get workspaceFolders(): readonly string[] {
    return this.folders;
  }

  openDocument(key: string, text: string): void {
    this.open.set(key, text);
    this.program.update(key, text);
  }

  changeDocument(key: string, text: string): void {
    this.open.set(key, text);
    this.program.update(key, text);
  }

  closeDocument(key: string): void {
    this.open.delete(key);
    if (!this.readDisk(key)) this.program.remove(key);
  }

  /** A watched file was created or changed on disk (ignored while open: the editor owns it). */
  diskChanged(key: string): void {
    if (this.open.has(key)) return;
    if (!this.readDisk(key)) this.program.remove(key);
  }

  diskDeleted(key: string): void {
    if (this.open.has(key)) return;
    this.program.remove(key);
  }

  private readDisk(path: string): boolean {
    try {
      const st = statSync(path);
      if (!st.isFile() || st.size > MAX_DISK_FILE) return false;
      this.program.update(path, readFileSync(path, "utf8"));
      return true;
    } catch {
      return false;
    }
  }

  snapshot(): ProgramSnapshot {
    return this.program.snapshot();
  }

  /** Records which files parse cleanly in `snap` (call after checking it). */
  noteChecked(snap: ProgramSnapshot): void {
    for (const f of snap.files()) {
      if (!f.diagnostics.some((d) => d.severity === "error")) this.lastGood.set(f.source.path, snap);
    }
    for (const key of this.lastGood.keys()) if (!snap.parsed(key)) this.lastGood.delete(key);
  }

  /** The newest snapshot in which `key` parsed without errors. */
  lastGoodFor(key: string): ProgramSnapshot | undefined {
    return this.lastGood.get(key);
  }
}

function scan(dir: string, out: string[], depth: number): void {
  if (depth > 32) return;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name) && !e.name.startsWith(".")) scan(join(dir, e.name), out, depth + 1);
    } else if (e.isFile() && e.name.endsWith(".edict")) {
      out.push(join(dir, e.name));
    }
  }
}
