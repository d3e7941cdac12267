// The command registry: one line per command, in the order `edict --help` lists them.
import type { Command } from "../command.ts";
import { auditCommand } from "./audit.ts";
import { checkCommand } from "./check.ts";
import { compileCommand } from "./compile.ts";
import { evalCommand } from "./eval.ts";
import { fmtCommand } from "./fmt.ts";
import { lspCommand } from "./lsp.ts";
import { testCommand } from "./test.ts";

export const commands: readonly Command[] = [checkCommand, fmtCommand, evalCommand, compileCommand, testCommand, auditCommand, lspCommand];
