// The command registry: one line per command, in the order `edict --help` lists them.
import type { Command } from "../command.ts";

export const commands: readonly Command[] = [];
