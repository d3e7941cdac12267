// `edict test PATHS...`: run every `test` block through the compiled policy and report.
// Owns: the command's flags and its text output; what a test means lives in
// compiler/run-tests.ts, the report texts (failures, coverage, JUnit XML) in cli/test-report.ts.
// Output (stdout): one `✗` line per failed test (name and location) with the expected and
// actual decision, the rules that fired and any evaluation errors under it; `✓ name` for
// passed tests only with `--verbose`; then rule coverage (rules no test matched, rules no test
// saw not matching, each with its location); last, the summary line `N passed, M failed`.
// Policies with errors are not run: their diagnostics are printed as `edict check` prints them.
// Exit: 0 every test passed, 1 a test failed or the policies have errors, 2 usage.
import { resolve } from "node:path";
import { boolFlag, oneOf, parseArgs, stringFlag, UsageError } from "../args.ts";
import type { Command, CommandIO } from "../command.ts";
import { loadChecked } from "../load-checked.ts";
import { writeFilesAtomically, WriteError } from "../write-files.ts";
import { runTests } from "../../compiler/run-tests.ts";
import { prepareCompile } from "../../compiler/codegen/compile.ts";
import { coverageLines, failureLines, printable, renderJunit } from "../test-report.ts";

const usage = `usage: edict test [options] PATHS...

Run every \`test\` block of the policies in PATHS (.edict files or folders, searched
recursively) against the compiled policy, then report rule coverage.

options:
  --verbose                 also list the tests that passed
  --reporter junit FILE     also write a JUnit XML report to FILE (for CI)
  --engine compiled|interpreter
                            decide with the compiled module (default) or the reference
                            interpreter (to tell a compiler bug from a policy bug)
  -h, --help                show this help

The last line of the output is the summary \`N passed, M failed\`.
exit status: 0 all tests passed, 1 a test failed or the policies have errors, 2 usage error
`;

export const testCommand: Command = {
  name: "test",
  summary: "run the policies' test blocks and report rule coverage",
  usage,
  async run(argv: readonly string[], io: CommandIO): Promise<number> {
    const { rest, junitFile } = takeReporter(argv);
    const args = parseArgs(rest, { verbose: "boolean", engine: "string" }, "test");
    const engine = oneOf(stringFlag(args, "engine"), ["compiled", "interpreter"] as const, "engine", "compiled");
    if (args.positionals.length === 0) throw new UsageError("no paths given; usage: `edict test PATHS...` (try `edict test .`)");

    if (engine !== "interpreter") prepareCompile();
    const checked = await loadChecked(args.positionals, io, "test", "no tests were run");
    if (!checked) return 1;

    const run = await runTests(checked.packages, { engine });
    const out: string[] = [];
    if (run.packages.length === 0) out.push("no tests found (write `test \"name\" { request ... expect allow }` blocks)");
    for (const pkg of run.packages) {
      for (const t of pkg.tests) {
        if (!t.passed) out.push(...failureLines(t));
        else if (boolFlag(args, "verbose")) out.push(`✓ ${t.package}: ${printable(t.name)}`);
      }
    }
    const untested = checked.packages.filter((p) => p.pkg.tests.length === 0 && p.pkg.rules.length > 0).map((p) => p.pkg.name);
    if (run.packages.length > 0 && untested.length > 0) out.push(`packages without tests: ${untested.join(", ")}`);
    out.push(...coverageLines(run.packages));
    out.push(`${run.passed} passed, ${run.failed} failed`);
    io.stdout(out.join("\n") + "\n");

    if (junitFile !== undefined) {
      const target = resolve(io.cwd, junitFile);
      try {
        await writeFilesAtomically([[target, renderJunit(run)]]); // a CI reader never sees half a report
      } catch (e) {
        if (!(e instanceof WriteError)) throw e;
        io.stderr(`edict test: cannot write the JUnit report \`${junitFile}\`: ${e.reason}\n`);
        return 1;
      }
    }
    return run.failed > 0 ? 1 : 0;
  },
};

/** `--reporter junit FILE` takes two words, so it is taken out before the generic parser. */
function takeReporter(argv: readonly string[]): { rest: string[]; junitFile: string | undefined } {
  const rest: string[] = [];
  let junitFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg !== "--reporter" && !arg.startsWith("--reporter=")) {
      rest.push(arg);
      continue;
    }
    const kind = arg === "--reporter" ? argv[++i] : arg.slice("--reporter=".length);
    if (kind === undefined) throw new UsageError("option `--reporter` needs a value: `--reporter junit FILE`");
    if (kind !== "junit") throw new UsageError(`\`--reporter\` must be \`junit\`, not \`${kind}\``);
    const file = argv[++i];
    if (file === undefined || file.startsWith("-")) throw new UsageError("`--reporter junit` needs a file: `--reporter junit FILE`");
    junitFile = file;
  }
  return { rest, junitFile };
}
