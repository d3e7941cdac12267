// `edict fmt PATHS...`: print, check or rewrite files in the canonical layout. Owns: the
// command's flags, output and exit code; formatting itself is compiler/format.
// Output: one file (or `-` for standard input) → its formatted text on stdout; several
// files → the paths of those that would change; `--check` → those paths, exit 1 if any;
// `--write` → rewrites the files that change and prints their paths. Files with syntax
// errors are never formatted: their diagnostics go to stderr and the exit status is 1.
// If formatting would change a file's meaning (a formatter bug) the file is left alone and
// the command reports an internal error (exit 70).
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { boolFlag, parseArgs, UsageError } from "../args.ts";
import type { Command, CommandIO } from "../command.ts";
import { writeFilesAtomically, WriteError } from "../write-files.ts";
import { loadProgram } from "../../compiler/program.ts";
import { renderText } from "../../compiler/diagnostics/render-text.ts";
import { formatVerified } from "../../compiler/format/format-verified.ts";
import { SourceFile } from "../../compiler/source/source-file.ts";
import { parseFile } from "../../compiler/syntax/parse.ts";
import type { ParsedFile } from "../../compiler/syntax/parsed-file.ts";

const usage = `usage: edict fmt [options] PATHS...

Format Edict files in the one canonical layout. PATHS are .edict files or folders
(searched recursively for *.edict); \`-\` reads one file from standard input.

With one file, print it formatted; with several, list the files that would change.

options:
  --check   list the files that are not formatted; exit 1 if there is one
  --write   rewrite the files that are not formatted, and list them
  -h, --help  show this help

Files with syntax errors are not formatted: their errors are printed and the exit
status is 1.

exit status: 0 done (or, with --check, everything formatted), 1 a file would change
(--check) or has syntax errors, 2 usage error
`;

export const fmtCommand: Command = {
  name: "fmt",
  summary: "format policies in the canonical layout",
  usage,
  async run(argv: readonly string[], io: CommandIO): Promise<number> {
    const args = parseArgs(argv, { check: "boolean", write: "boolean" }, "fmt");
    const check = boolFlag(args, "check");
    const write = boolFlag(args, "write");
    if (check && write) throw new UsageError("`--check` and `--write` cannot be used together");
    if (args.positionals.length === 0) throw new UsageError("no paths given; usage: `edict fmt PATHS...` (try `edict fmt --check .`)");
    const stdin = args.positionals.includes("-");
    if (stdin && args.positionals.length > 1) throw new UsageError("`-` (standard input) cannot be combined with other paths");
    if (stdin && write) throw new UsageError("`--write` needs files, not standard input");

    let files: ParsedFile[];
    let failed = false;
    if (stdin) {
      files = [parseFile(new SourceFile("<stdin>", await io.readStdin()))];
    } else {
      const { program, ioErrors } = await loadProgram(args.positionals, io.cwd);
      for (const line of ioErrors) io.stderr(`edict fmt: ${line}\n`);
      failed = ioErrors.length > 0;
      files = [...program.files()];
    }

    const single = files.length === 1 && !check && !write && (stdin || (args.positionals.length === 1 && (await isFile(resolve(io.cwd, args.positionals[0]!)))));
    const changed: string[] = [];
    let internal = false;
    for (const parsed of files) {
      const outcome = formatVerified(parsed);
      if (outcome.kind === "syntax-errors") {
        const errors = parsed.diagnostics.filter((d) => d.severity === "error");
        io.stderr(renderText(errors, (f) => (f === parsed.source.path ? parsed.source : undefined), { color: false }));
        io.stderr(`edict fmt: \`${parsed.source.path}\` has syntax errors; it was not formatted\n`);
        failed = true;
        continue;
      }
      if (outcome.kind === "internal-error") {
        io.stderr(`edict fmt: internal error: ${outcome.message}\n`);
        io.stderr("  (this is a bug in edict; please report it with the file)\n");
        internal = true;
        continue;
      }
      if (single) {
        io.stdout(outcome.text);
        continue;
      }
      if (!outcome.changed) continue;
      changed.push(parsed.source.path);
      if (write) {
        try {
          await writeFilesAtomically([[resolve(io.cwd, parsed.source.path), outcome.text]]); // never half a source file
        } catch (e) {
          if (!(e instanceof WriteError)) throw e;
          io.stderr(`edict fmt: cannot write \`${parsed.source.path}\`: ${e.reason}; it is unchanged\n`);
          failed = true;
          continue;
        }
      }
      io.stdout(parsed.source.path + "\n");
    }
    if (internal) return 70;
    if (failed) return 1;
    return check && changed.length > 0 ? 1 : 0;
  },
};

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
