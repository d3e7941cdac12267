// Loading and checking the policies a command works on. Owns: the step `edict compile` and
// `edict test` share before doing their own work — load PATHS, check them, and when there
// are errors (or unreadable paths) print them as `edict check` does and say what was not done.
// Output: the checked program, or undefined when the command should exit 1.
import type { CommandIO } from "./command.ts";
import { loadProgram } from "../compiler/program.ts";
import type { CheckResult } from "../compiler/program.ts";
import { compareDiagnostics, type Diagnostic } from "../compiler/diagnostics/diagnostic.ts";
import { renderText } from "../compiler/diagnostics/render-text.ts";

/** `command`: the name in messages (`compile`); `notDone`: what errors prevent ("nothing was written"). */
export async function loadChecked(paths: readonly string[], io: CommandIO, command: string, notDone: string): Promise<CheckResult | undefined> {
  const { program, loadDiagnostics, ioErrors } = await loadProgram(paths, io.cwd);
  const snapshot = program.snapshot();
  const checked = snapshot.check();
  const diagnostics: Diagnostic[] = [...loadDiagnostics, ...checked.diagnostics].sort(compareDiagnostics);
  for (const line of ioErrors) io.stderr(`edict ${command}: ${line}\n`);
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length === 0 && ioErrors.length === 0) return checked;
  const shown = diagnostics.filter((d) => !loadDiagnostics.includes(d));
  io.stdout(renderText(shown, (f) => snapshot.source(f), { color: io.color }));
  io.stdout(`the policies have ${errors.length} error${errors.length === 1 ? "" : "s"}; ${notDone}\n`);
  return undefined;
}
