// The `edict` entry point: dispatch to a command, turn usage errors into exit 2 and any
// unexpected failure into one clear line (with the stack only under EDICT_DEBUG=1).
import { UsageError } from "./args.ts";
import type { CommandIO } from "./command.ts";
import { commands } from "./commands/index.ts";

export const VERSION = "0.1.0";

function topUsage(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    "usage: edict <command> [options]",
    "",
    "commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `edict <command> --help` for a command's options.",
  ].join("\n");
}

export async function main(argv: readonly string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(topUsage() + "\n");
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    io.stdout(`edict ${VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`edict: unknown command \`${name}\`; the commands are ${commands.map((c) => `\`${c.name}\``).join(", ")}\n`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(command.usage.trimEnd() + "\n");
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`edict ${name}: ${e.message}\n`);
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(`edict ${name}: internal error: ${message}\n`);
    if (process.env.EDICT_DEBUG === "1" && e instanceof Error) io.stderr(`${e.stack}\n`);
    else io.stderr("  (this is a bug in edict; run with EDICT_DEBUG=1 for details and report it)\n");
    return 70;
  }
}

export function processIO(): CommandIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  };
}
