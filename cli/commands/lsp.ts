// `edict lsp --stdio`: run the language server (lsp/server.ts) over standard input/output.
// Owns: the transport choice and keeping the process alive: the command's promise settles only
// when the client disconnects (stdin closes or `exit`), and a stray exception is logged to
// stderr (the client's output channel) instead of ending the process.
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from "vscode-languageserver/node";
import { parseArgs, UsageError } from "../args.ts";
import type { Command } from "../command.ts";
import { startServer } from "../../lsp/server.ts";

const usage = `usage: edict lsp --stdio

Run the Edict language server, speaking the Language Server Protocol over standard
input and output. Editors start it themselves; see docs/editor.md for VS Code,
Neovim, Helix and Emacs.

options:
  --stdio     talk over standard input/output (the only transport)
  -h, --help  show this help
`;

export const lspCommand: Command = {
  name: "lsp",
  summary: "run the language server (for editors)",
  usage,
  async run(argv) {
    const args = parseArgs(argv, { stdio: "boolean" }, "lsp");
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument \`${args.positionals[0]}\``);
    process.on("uncaughtException", (e) => process.stderr.write(`edict lsp: uncaught ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
    process.on("unhandledRejection", (e) => process.stderr.write(`edict lsp: unhandled ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
    const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
    // Nothing else may write to stdout: it carries the protocol.
    console.log = (...a: unknown[]) => process.stderr.write(a.map(String).join(" ") + "\n");
    startServer(connection);
    return new Promise<number>(() => {
      // The connection exits the process on `exit`; stdin closing ends it too.
      process.stdin.on("close", () => process.exit(0));
    });
  },
};
