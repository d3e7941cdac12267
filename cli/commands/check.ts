// `edict check PATHS...`: parse and check policies, print diagnostics. Owns: the command's
// flags, output streams and exit code.
// Output: text (default) — each diagnostic with a code frame on stdout, then a summary line;
// `--format json` — one JSON array on stdout (the CI contract, see render-json.ts);
// `--format sarif` — SARIF 2.1.0 on stdout. Paths that cannot be loaded (missing, binary,
// a folder without `.edict` files) are also reported as one plain line each on stderr, so a
// human sees them even when stdout goes to a file.
// Exit: 0 no errors (warnings are fine, unless over `--max-warnings`), 1 errors, 2 usage.
import { parseArgs, stringFlag, oneOf, UsageError } from "../args.ts";
import type { Command, CommandIO } from "../command.ts";
import { VERSION } from "../main.ts";
import { loadProgram } from "../../compiler/program.ts";
import { compareDiagnostics, type Diagnostic } from "../../compiler/diagnostics/diagnostic.ts";
import { renderText } from "../../compiler/diagnostics/render-text.ts";
import { renderJson } from "../../compiler/diagnostics/render-json.ts";
import { renderSarif } from "../../compiler/diagnostics/render-sarif.ts";

const FORMATS = ["text", "json", "sarif"] as const;

const usage = `usage: edict check [options] PATHS...

Parse and type-check Edict policies. PATHS are .edict files or folders (searched
recursively for *.edict, skipping node_modules and folders starting with ".").

options:
  --format text|json|sarif  output format (default: text)
                            json: one array of {file, line, column, endLine, endColumn,
                            severity, code, message}, 1-based; sarif: SARIF 2.1.0
  --max-warnings N          also fail (exit 1) when there are more than N warnings
  -h, --help                show this help

exit status: 0 no errors, 1 errors found, 2 usage error
`;

export const checkCommand: Command = {
  name: "check",
  summary: "check policies for syntax and type errors",
  usage,
  async run(argv: readonly string[], io: CommandIO): Promise<number> {
    const args = parseArgs(argv, { format: "string", "max-warnings": "string" }, "check");
    const format = oneOf(stringFlag(args, "format"), FORMATS, "format", "text");
    const maxWarnings = parseMaxWarnings(stringFlag(args, "max-warnings"));
    if (args.positionals.length === 0) throw new UsageError("no paths given; usage: `edict check PATHS...` (try `edict check .`)");

    const { program, loadDiagnostics, ioErrors, files } = await loadProgram(args.positionals, io.cwd);
    const snapshot = program.snapshot();
    const diagnostics: Diagnostic[] = [...loadDiagnostics, ...snapshot.check().diagnostics].sort(compareDiagnostics);
    const sources = (file: string) => snapshot.source(file);

    for (const line of ioErrors) io.stderr(`edict check: ${line}\n`);
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    const warnings = diagnostics.filter((d) => d.severity === "warning").length;

    if (format === "json") io.stdout(renderJson(diagnostics, sources));
    else if (format === "sarif") io.stdout(renderSarif(diagnostics, sources, { toolVersion: VERSION }));
    else {
      // Load problems were printed on stderr already; the rest get a code frame.
      const shown = diagnostics.filter((d) => !loadDiagnostics.includes(d));
      io.stdout(renderText(shown, sources, { color: io.color }));
      const line = summary(errors, warnings, files.length);
      // Bold red with errors, bold yellow with only warnings, plain otherwise.
      const paint = !io.color ? "" : errors > 0 ? "\x1b[1;31m" : warnings > 0 ? "\x1b[1;33m" : "";
      io.stdout((paint ? `${paint}${line}\x1b[0m` : line) + "\n");
    }
    if (errors > 0) return 1;
    if (maxWarnings !== undefined && warnings > maxWarnings) {
      if (format === "text") io.stdout(`too many warnings: ${warnings} (--max-warnings ${maxWarnings})\n`);
      else io.stderr(`edict check: too many warnings: ${warnings} (--max-warnings ${maxWarnings})\n`);
      return 1;
    }
    return 0;
  },
};

function parseMaxWarnings(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`\`--max-warnings\` needs a whole number, not \`${value}\``);
  return Number(value);
}

/** `2 errors, 1 warning in 3 files` or `no problems in 3 files`. */
export function summary(errors: number, warnings: number, files: number): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const where = `in ${plural(files, "file")}`;
  const parts: string[] = [];
  if (errors > 0) parts.push(plural(errors, "error"));
  if (warnings > 0) parts.push(plural(warnings, "warning"));
  return parts.length === 0 ? `no problems ${where}` : `${parts.join(", ")} ${where}`;
}
