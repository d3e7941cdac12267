// One writer per audit log file. Two processes appending to one log would fork its chain
// (both continue from the same record), so a file log takes a lock first: `<log>.lock`, created
// exclusively, holding {pid, host, since}; removed when the log closes. Input: the log's path;
// output: a release function, or an Error naming the holder. A lock left by a process that is
// gone (same host, pid not running: a crash or an exit without close) is taken over; a live
// holder — or one on another host, whose liveness cannot be checked from here — is refused.
// No lock is taken where none can be: for a path that is not a regular file (a device such as
// /dev/full, a pipe: no chain on it to fork), or when the directory does not let us create the
// lock file (read-only, not ours) — then keeping to one writer is up to the deployment.
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";

const NO_LOCK = (): void => {};

export function acquireLogLock(path: string): () => void {
  const lockPath = `${path}.lock`;
  try {
    if (!statSync(path).isFile()) return NO_LOCK;
  } catch {
    // does not exist yet: a new log, locked like any other
  }
  const host = hostname();
  const mine = JSON.stringify({ pid: process.pid, host, since: new Date().toISOString() }) + "\n";
  const release = (): void => {
    try {
      if (readFileSync(lockPath, "utf8") === mine) rmSync(lockPath, { force: true });
    } catch {
      // already gone
    }
  };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(lockPath, mine, { flag: "wx", mode: 0o600 });
      return release;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EACCES" || code === "EPERM" || code === "EROFS") return NO_LOCK;
      if (code !== "EEXIST") throw e;
    }
    let holder: { pid?: unknown; host?: unknown } | undefined;
    try {
      holder = JSON.parse(readFileSync(lockPath, "utf8")) as typeof holder;
    } catch {
      holder = undefined;
    }
    const stale = attempt === 0 && holder?.host === host && typeof holder.pid === "number" && !running(holder.pid);
    if (stale) {
      rmSync(lockPath, { force: true });
      continue;
    }
    if (holder?.host === host && holder.pid === process.pid) {
      throw new Error(`\`${path}\` is already open in this process (another fileAuditLog on the same file): pass that log to every enforcer that should write to it, or close it first`);
    }
    const who = holder === undefined ? "another process" : `pid ${String(holder.pid)} on ${String(holder.host)}`;
    throw new Error(
      `\`${path}\` is being written by ${who} (lock file \`${lockPath}\`): one writer per audit log — give each instance its own file; if that process is gone, delete the lock file`,
    );
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}
