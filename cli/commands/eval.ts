// `edict eval PATHS --request FILE|-`: decide one request with the reference interpreter.
// Owns: the command's flags and output. Prints the decision as JSON (2-space indent) on
// stdout, or with `--explain` the readable trace of every rule and clause followed by the
// decision. A policy with errors is not evaluated: its diagnostics go to stderr, exit 1.
// Exit: 0 when a decision was made — allow OR deny (a deny is an answer, not a failure);
// `--fail-on-deny` makes a deny exit 1 for scripts; 1 bad request/policy; 2 usage error.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { boolFlag, parseArgs, stringFlag, UsageError } from "../args.ts";
import type { Command, CommandIO } from "../command.ts";
import { loadProgram } from "../../compiler/program.ts";
import { compareDiagnostics } from "../../compiler/diagnostics/diagnostic.ts";
import { renderText } from "../../compiler/diagnostics/render-text.ts";
import { evaluatePackage, explainPackage } from "../../compiler/eval/evaluate.ts";
import { formatTrace } from "../../compiler/eval/trace.ts";
import { parseRequestJson } from "./eval-request.ts";

const usage = `usage: edict eval [options] PATHS... --request FILE|-

Decide one request with the reference interpreter and print the decision as JSON.
PATHS are .edict files or folders (searched recursively for *.edict).

options:
  --request FILE|-         the request, a JSON file (\`-\` reads standard input)
  --package NAME           the package to use when PATHS hold several
  --override-by USER       break glass: bypass @enforce("soft") forbids, recorded in the
  --justification TEXT       decision's \`override\` (both are needed, neither may be blank)
  --explain                print a readable trace instead of JSON: every rule, every clause,
                           the values it saw, matched or not and why, then the decision
  --fail-on-deny           exit 1 when the decision is deny (for scripts)
  -h, --help               show this help

exit status: 0 a decision was made (allow or deny), 1 deny with --fail-on-deny, a policy
with errors or an unreadable request, 2 usage error
`;

export const evalCommand: Command = {
  name: "eval",
  summary: "decide a request with the interpreter (--explain shows why)",
  usage,
  async run(argv: readonly string[], io: CommandIO): Promise<number> {
    const args = parseArgs(
      argv,
      { request: "string", package: "string", "override-by": "string", justification: "string", explain: "boolean", "fail-on-deny": "boolean" },
      "eval",
    );
    const requestPath = stringFlag(args, "request");
    if (args.positionals.length === 0) throw new UsageError("no policy paths given; usage: `edict eval PATHS... --request FILE|-`");
    if (requestPath === undefined) throw new UsageError("`--request FILE` is required (`--request -` reads standard input)");
    const by = stringFlag(args, "override-by");
    const justification = stringFlag(args, "justification");
    if ((by === undefined) !== (justification === undefined)) throw new UsageError("`--override-by` and `--justification` go together: an override needs both");
    if (by !== undefined && (by.trim() === "" || justification!.trim() === "")) throw new UsageError("`--override-by` and `--justification` may not be blank");

    // The policy first: a broken policy is reported whatever the request.
    const { program, loadDiagnostics, ioErrors } = await loadProgram(args.positionals, io.cwd);
    for (const line of ioErrors) io.stderr(`edict eval: ${line}\n`);
    if (ioErrors.length > 0) return 1;
    const snapshot = program.snapshot();
    const checked = snapshot.check();
    const errors = [...loadDiagnostics, ...checked.diagnostics].filter((d) => d.severity === "error").sort(compareDiagnostics);
    if (errors.length > 0) {
      io.stderr(renderText(errors, (f) => snapshot.source(f), { color: false }));
      io.stderr(`edict eval: the policy has ${errors.length} error${errors.length === 1 ? "" : "s"}; fix ${errors.length === 1 ? "it" : "them"} first (see \`edict check\`)\n`);
      return 1;
    }
    const packages = checked.packages.map((c) => c.pkg);
    const wanted = stringFlag(args, "package");
    const names = packages.map((p) => `\`${p.name}\``).join(", ");
    if (packages.length === 0) {
      io.stderr(`edict eval: no package in ${args.positionals.map((p) => `\`${p}\``).join(", ")}\n`);
      return 1;
    }
    const pkg = wanted === undefined ? (packages.length === 1 ? packages[0] : undefined) : packages.find((p) => p.name === wanted);
    if (pkg === undefined) {
      if (wanted === undefined) throw new UsageError(`the paths hold several packages (${names}); choose one with \`--package NAME\``);
      io.stderr(`edict eval: no package \`${wanted}\`; the paths hold ${names}\n`);
      return 1;
    }

    let text: string;
    const shown = requestPath === "-" ? "standard input" : `\`${requestPath}\``;
    try {
      text = requestPath === "-" ? await io.readStdin() : await readFile(resolve(io.cwd, requestPath), "utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      io.stderr(`edict eval: cannot read the request ${shown}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
    const parsed = parseRequestJson(text);
    if (!parsed.ok) {
      io.stderr(`edict eval: the request ${shown} is not valid JSON: ${parsed.message}\n`);
      return 1;
    }

    const override = by !== undefined ? { by, justification: justification! } : undefined;
    if (boolFlag(args, "explain")) {
      const { decision, trace } = explainPackage(pkg, parsed.value, { override });
      io.stdout(formatTrace(trace));
      return boolFlag(args, "fail-on-deny") && !decision.allowed ? 1 : 0;
    }
    const decision = evaluatePackage(pkg, parsed.value, { override });
    io.stdout(JSON.stringify(decision, null, 2) + "\n");
    return boolFlag(args, "fail-on-deny") && !decision.allowed ? 1 : 0;
  },
};
