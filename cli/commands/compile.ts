// `edict compile PATHS --out FILE.mjs [--tests DIR] [--no-git]`: compile policies into one
// dependency-free ES module. Owns: the command's flags, where the outputs go and its exit code.
// Writes FILE.mjs, FILE.d.ts (TypeScript types from the `type`/`request` declarations; also as
// FILE.d.mts, which TypeScript looks for beside a `.mjs` under NodeNext resolution) and
// FILE.mjs.map (source map back to the .edict lines); with `--tests DIR`, one vitest file per
// package with tests (`DIR/<package>.policy.test.mjs`) importing the module by relative path.
// A policy with errors is not compiled: its diagnostics are printed as `edict check` prints
// them, nothing is written, exit 1. Exit 2 for usage errors.
import { join, relative, resolve } from "node:path";
import { boolFlag, parseArgs, stringFlag, UsageError } from "../args.ts";
import type { Command, CommandIO } from "../command.ts";
import { loadChecked } from "../load-checked.ts";
import { writeFilesAtomically, WriteError } from "../write-files.ts";
import { compilePackages, prepareCompile } from "../../compiler/codegen/compile.ts";
import { emitTestFile } from "../../compiler/codegen/emit-tests.ts";

const usage = `usage: edict compile [options] PATHS... --out FILE.mjs

Compile Edict policies (PATHS: .edict files or folders, searched recursively) into one
dependency-free ES module exporting \`decide(request, options)\` and \`manifest\` (and
\`packages\` when there are several packages).

Writes FILE.mjs, FILE.d.ts (types from the \`type\` and \`request\` declarations),
and FILE.mjs.map (a source map back to the .edict lines).

options:
  --out FILE.mjs    the module to write (required)
  --tests DIR       also write DIR/<package>.policy.test.mjs, vitest files generated from
                    the policies' \`test\` blocks, importing FILE.mjs
  --no-git          do not record in the manifest the git commit that last changed each rule
  -h, --help        show this help

exit status: 0 compiled, 1 the policies have errors (nothing is written), 2 usage error
`;

export const compileCommand: Command = {
  name: "compile",
  summary: "compile policies into one dependency-free JavaScript module",
  usage,
  async run(argv: readonly string[], io: CommandIO): Promise<number> {
    const args = parseArgs(argv, { out: "string", tests: "string", "no-git": "boolean" }, "compile");
    const out = stringFlag(args, "out");
    if (out === undefined || out === "") throw new UsageError("`--out FILE.mjs` is required: where to write the compiled module");
    if (args.positionals.length === 0) throw new UsageError("no paths given; usage: `edict compile PATHS... --out FILE.mjs`");
    const testsDir = stringFlag(args, "tests");

    prepareCompile();
    const checked = await loadChecked(args.positionals, io, "compile", "nothing was written");
    if (!checked) return 1;
    if (checked.packages.length === 0) {
      io.stderr("edict compile: no package found (a policy file starts with `package NAME`)\n");
      return 1;
    }

    const target = resolve(io.cwd, out);
    const result = await compilePackages([...checked.packages], { outFile: target, gitBlame: !boolFlag(args, "no-git") });
    const base = target.replace(/\.(mjs|js)$/, "");
    const files: [string, string][] = [
      [target, result.code],
      [`${target}.map`, result.map],
      [`${base}.d.ts`, result.dts],
    ];
    if (target.endsWith(".mjs")) files.push([`${base}.d.mts`, result.dts]);
    if (testsDir !== undefined) {
      const dir = resolve(io.cwd, testsDir);
      const multi = checked.packages.length > 1;
      for (const p of checked.packages) {
        if (p.pkg.tests.length === 0) continue;
        let rel = relative(dir, target).replace(/\\/g, "/");
        if (!rel.startsWith(".")) rel = `./${rel}`;
        files.push([join(dir, `${p.pkg.name}.policy.test.mjs`), emitTestFile(p.pkg, rel, multi)]);
      }
    }
    try {
      await writeFilesAtomically(files); // all or nothing: a failed compile never leaves half a module
    } catch (e) {
      if (!(e instanceof WriteError)) throw e;
      io.stderr(`edict compile: cannot write \`${relative(io.cwd, e.file) || e.file}\`: ${e.reason}; ${e.partial ? "some outputs were replaced: run it again" : "no output was changed"}\n`);
      return 1;
    }
    const rules = result.manifests.reduce((n, m) => n + m.rules.length, 0);
    const names = result.manifests.map((m) => m.package).join(", ");
    io.stdout(`compiled ${rules} rule${rules === 1 ? "" : "s"} of ${names} into ${relative(io.cwd, target) || target} (${result.manifests[0]!.version})\n`);
    for (const [file] of files.slice(1)) io.stdout(`  wrote ${relative(io.cwd, file)}\n`);
    return 0;
  },
};
