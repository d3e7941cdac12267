// Writing the files a command produces (`edict compile`'s module, map and types; `edict fmt
// --write`'s sources) so that a failure — disk full, a file size limit, a crash, permissions —
// never leaves a half-written file where a good one was. Input: [path, text] pairs; output:
// every file in place, or a WriteError naming the file that could not be written, with every
// target untouched and no temporary file left behind.
// How: each file is written beside its target under a temporary name and flushed; only when
// all are written is each renamed over its target (a rename within a directory is atomic). A
// device or pipe (`/dev/stdout`) is written to as it is: renaming over it would replace it; so
// is a writable file in a folder its user may not add files to (no room for the temporary). A
// symlinked target is written through (its real file is replaced, the link kept), an existing
// file keeps its mode unless one is given, and a file its user may not write is not replaced
// behind their back.
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdir, open, realpath, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ioReason } from "../runtime/io-reason.ts";

export class WriteError extends Error {
  /** Why, in a user's terms ("the disk is full"). */
  readonly reason: string;
  constructor(
    readonly file: string,
    cause: unknown,
    /** Some targets were already replaced (a rename failed: rare, as every file was written). */
    readonly partial = false,
  ) {
    const reason = ioReason(cause) ?? (cause instanceof Error ? cause.message : String(cause));
    super(`cannot write \`${file}\`: ${reason}`, { cause });
    this.reason = reason;
  }
}

/** [path, text] — or [path, text, mode] to give the file that mode (a private key: 0o600) whatever it had. */
export type FileToWrite = readonly [path: string, text: string, mode?: number];

export async function writeFilesAtomically(files: readonly FileToWrite[]): Promise<void> {
  const staged: { temp: string; target: string }[] = [];
  let current = "";
  let renamed = 0;
  try {
    for (const [file, text, explicitMode] of files) {
      current = file;
      const target = await realTarget(file);
      const existing = await stat(target).catch(() => undefined);
      if (existing !== undefined && !existing.isFile() && !existing.isDirectory()) {
        // a device, a pipe (`--out /dev/stdout`): written to, never replaced by a regular file
        await writeFile(target, text, "utf8");
        continue;
      }
      await mkdir(dirname(target), { recursive: true }).catch((e: NodeJS.ErrnoException) => {
        throw e.code === "EEXIST" ? Object.assign(e, { code: "ENOTDIR" }) : e; // a file where a folder should be
      });
      // an existing file keeps its mode, and one its user may not write is refused (EACCES), untouched
      if (explicitMode === undefined && existing?.isFile()) await access(target, constants.W_OK);
      const mode = explicitMode ?? (existing?.isFile() ? existing.mode & 0o7777 : undefined);
      const temp = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
      staged.push({ temp, target });
      // a file that gets a mode is created owner-only and given it once written: a private key's
      // text is never readable by others, not even for a moment
      let handle;
      try {
        handle = await open(temp, "wx", mode === undefined ? 0o666 : 0o600);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if ((code !== "EACCES" && code !== "EPERM") || explicitMode !== undefined || mode === undefined) throw e;
        // The folder is not ours to add files to, but the file exists and we may write it:
        // rewrite it in place, as a plain write would (not all-or-nothing, but not refused).
        staged.pop();
        await writeFile(target, text, "utf8");
        continue;
      }
      try {
        await handle.writeFile(text, "utf8");
        if (mode !== undefined) await handle.chmod(mode);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    for (const s of staged) {
      current = s.target;
      await rename(s.temp, s.target);
      renamed++;
    }
  } catch (e) {
    await Promise.all(staged.slice(renamed).map((s) => rm(s.temp, { force: true })));
    throw new WriteError(current, e, renamed > 0);
  }
}

/** Where `file`'s bytes live: a symlink's real file (an existing one), else the path itself. */
async function realTarget(file: string): Promise<string> {
  try {
    return await realpath(file);
  } catch {
    return file; // does not exist yet (or a dangling link: written as a new file at the path)
  }
}
