// Who last changed each rule (the manifest's accountability field). Owns: running
// `git blame --porcelain` once per source file and answering, for a line range, the newest
// commit among its lines. Outside a git repository, for files git does not track, or when a
// line is not committed yet, there is no answer (the manifest then omits `git`): never an error.
import { execFile } from "node:child_process";
import { dirname, basename } from "node:path";

export interface GitInfo {
  readonly commit: string;
  readonly author: string;
  readonly date: string;
}

interface LineInfo {
  readonly commit: string;
  readonly author: string;
  readonly time: number;
}

export class GitBlame {
  private readonly files = new Map<string, Promise<LineInfo[] | undefined>>();

  private readonly tracked = new Map<string, Promise<Set<string> | undefined>>();

  /** Blame of one file (0-based lines), or undefined when git cannot say. */
  private blame(path: string): Promise<LineInfo[] | undefined> {
    let p = this.files.get(path);
    if (!p) {
      p = this.isTracked(path).then((yes) => (yes ? runBlame(path) : undefined));
      this.files.set(path, p);
    }
    return p;
  }

  /**
   * Whether git tracks a file: one `git ls-files` per folder instead of one failing `git blame`
   * per untracked file (generated or new policies: a process spawn each).
   */
  private async isTracked(path: string): Promise<boolean> {
    const dir = dirname(path) || ".";
    let p = this.tracked.get(dir);
    if (!p) {
      p = new Promise((resolve) => {
        execFile("git", ["ls-files", "-z", "--", "."], { cwd: dir, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, LC_ALL: "C" } }, (err, stdout) => {
          if (err) return resolve(undefined);
          resolve(new Set(stdout.split("\0").filter((f) => f !== "")));
        });
      });
      this.tracked.set(dir, p);
    }
    const set = await p;
    // git could not list (not a repository?): let blame decide, as before.
    return set === undefined ? true : set.has(basename(path));
  }

  /** The newest commit that changed lines `start..end` (0-based, inclusive) of `path`. */
  async range(path: string, start: number, end: number): Promise<GitInfo | undefined> {
    const lines = await this.blame(path);
    if (!lines) return undefined;
    let best: LineInfo | undefined;
    for (let i = start; i <= end; i++) {
      const l = lines[i];
      if (!l || /^0+$/.test(l.commit)) return undefined; // not committed yet
      if (!best || l.time > best.time) best = l;
    }
    return best && { commit: best.commit, author: best.author, date: new Date(best.time * 1000).toISOString().replace(".000Z", "Z") };
  }
}

function runBlame(path: string): Promise<LineInfo[] | undefined> {
  return new Promise((resolve) => {
    execFile("git", ["blame", "--porcelain", "--", basename(path)], { cwd: dirname(path) || ".", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, LC_ALL: "C" } }, (err, stdout) => {
      if (err) return resolve(undefined);
      resolve(parsePorcelain(stdout));
    });
  });
}

/** Parses `git blame --porcelain` output into one entry per final line. */
export function parsePorcelain(text: string): LineInfo[] {
  const commits = new Map<string, { author: string; time: number }>();
  const out: LineInfo[] = [];
  const lines = text.split("\n");
  let current: string | undefined;
  let finalLine = 0;
  for (const line of lines) {
    if (line.startsWith("\t")) {
      if (current) {
        const c = commits.get(current) ?? { author: "", time: 0 };
        out[finalLine - 1] = { commit: current, author: c.author, time: c.time };
      }
      continue;
    }
    const header = /^([0-9a-f]{40}) \d+ (\d+)/.exec(line);
    if (header) {
      current = header[1]!;
      finalLine = Number(header[2]);
      if (!commits.has(current)) commits.set(current, { author: "", time: 0 });
      continue;
    }
    if (!current) continue;
    const c = commits.get(current)!;
    if (line.startsWith("author ")) c.author = line.slice(7);
    else if (line.startsWith("committer-time ")) c.time = Number(line.slice(15));
  }
  return out;
}
