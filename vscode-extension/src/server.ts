// The language server as the extension bundles it (dist/server.js). Owns: only the transport:
// VS Code starts this file with `--node-ipc` (the default here) or `--stdio`, and
// createConnection picks the transport from those arguments; everything else is
// lsp/server.ts's startServer, the same server `edict lsp --stdio` runs.
// INVARIANT: with `--stdio`, stdout carries the protocol, so console.log goes to stderr.
import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { startServer } from "../../lsp/server.ts";

if (!process.argv.some((a) => a === "--stdio" || a === "--node-ipc" || a.startsWith("--socket=") || a.startsWith("--pipe="))) {
  process.stderr.write("usage: node server.js --stdio | --node-ipc\n(the Edict language server; VS Code starts it)\n");
  process.exit(2);
}
console.log = (...a: unknown[]) => process.stderr.write(a.map(String).join(" ") + "\n");
process.on("uncaughtException", (e) => process.stderr.write(`edict server: uncaught ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
process.on("unhandledRejection", (e) => process.stderr.write(`edict server: unhandled ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
startServer(createConnection(ProposedFeatures.all));
