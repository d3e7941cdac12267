// What a failed file operation means, in a user's words, from its errno code: one wording for
// the policy loader (reading), the CLI's output files (writing) and the audit log (opening).
// Input: the error a node:fs call threw; output: the reason, or undefined for a code not
// listed here (the caller keeps the error's own message).
export function ioReason(e: unknown): string | undefined {
  switch ((e as { code?: unknown } | undefined)?.code) {
    case "ENOENT":
      return "no such file or folder";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "it is a folder";
    case "ENOTDIR":
      return "a part of the path is a file, not a directory";
    case "ELOOP":
      return "too many levels of symbolic links";
    case "ENOSPC":
      return "the disk is full";
    case "EFBIG":
      return "the file is larger than this process may write (file size limit)";
    case "EROFS":
      return "the file system is read-only";
    default:
      return undefined;
  }
}
