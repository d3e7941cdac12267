// The Edict VS Code extension. Owns: starting the language client (the bundled server
// dist/server.js, or `edict lsp --stdio` from the `edict.server.path` setting), the four
// commands, and the status bar item with the package's health.
// Commands run in the extension host with the compiler bundled in (src/policy-actions.ts),
// except `Edict: Compile policy…`, which spawns the `edict` CLI: compiling runs esbuild, a
// native package that cannot be bundled into a .vsix.
// Output: "Edict" output channel (test runs, evaluations, compiles), "Edict Language Server"
// (the server's log and, with `edict.trace.server`, the protocol trace), "edict tests"
// diagnostics on failing `test` lines.
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";
import { compileArguments, evaluateRequest, findEdictExecutable, healthText, invocation, loadPackageOf, runFileTests, type Overlay } from "./policy-actions.ts";

const TEST_SOURCE = "edict test";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let serverOutput: vscode.LogOutputChannel;
let testDiagnostics: vscode.DiagnosticCollection;
let status: vscode.StatusBarItem;
/** Last test result per file (absolute path), for the status bar. */
const testResults = new Map<string, { passed: number; failed: number }>();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("Edict");
  serverOutput = vscode.window.createOutputChannel("Edict Language Server", { log: true });
  testDiagnostics = vscode.languages.createDiagnosticCollection("edict-tests");
  status = vscode.window.createStatusBarItem("edict.health", vscode.StatusBarAlignment.Left, 10);
  status.name = "Edict";
  status.command = "edict.runTests";
  context.subscriptions.push(output, serverOutput, testDiagnostics, status);

  context.subscriptions.push(
    vscode.commands.registerCommand("edict.runTests", () => runTestsCommand(true)),
    vscode.commands.registerCommand("edict.evaluateRequest", evaluateRequestCommand),
    vscode.commands.registerCommand("edict.compile", compileCommand),
    vscode.commands.registerCommand("edict.restartServer", restartServer),
    vscode.languages.onDidChangeDiagnostics(() => updateStatus()),
    vscode.window.onDidChangeActiveTextEditor(() => updateStatus()),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (doc.languageId === "edict") void runTestsCommand(false, doc);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("edict.server.path") || e.affectsConfiguration("edict.diagnostics") || e.affectsConfiguration("edict.codeLens") || e.affectsConfiguration("edict.inlayHints")) {
        void restartServer();
      }
    }),
  );
  await startClient(context);
  updateStatus();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

// ------------------------------------------------------------------ language client

let extensionContext: vscode.ExtensionContext;

function serverOptions(context: vscode.ExtensionContext): ServerOptions {
  const configured = vscode.workspace.getConfiguration("edict").get<string>("server.path", "").trim();
  if (configured !== "") {
    serverOutput.appendLine(`edict: starting ${configured} lsp --stdio (edict.server.path)`);
    // vscode-languageclient appends `--stdio` for the stdio transport.
    if (/\.(m|c)?js$/.test(configured)) return { module: configured, args: ["lsp"], transport: TransportKind.stdio, options: { cwd: workspaceRoot() } };
    return { command: configured, args: ["lsp"], transport: TransportKind.stdio, options: { cwd: workspaceRoot(), shell: /\.(cmd|bat)$/i.test(configured) } };
  }
  const module = context.asAbsolutePath(join("dist", "server.js"));
  return {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6019"] } },
  };
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  extensionContext = context;
  const config = vscode.workspace.getConfiguration("edict");
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "edict" },
      { scheme: "untitled", language: "edict" },
    ],
    outputChannel: serverOutput,
    initializationOptions: {
      debounceMs: config.get<number>("diagnostics.debounceMs", 150),
      codeLens: config.get<boolean>("codeLens.enabled", true),
      inlayHints: config.get<boolean>("inlayHints.enabled", true),
    },
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.edict") },
  };
  // The client id `edict` makes vscode-languageclient read the `edict.trace.server` setting.
  client = new LanguageClient("edict", "Edict Language Server", serverOptions(context), clientOptions);
  try {
    await client.start();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    serverOutput.appendLine(`edict: the language server did not start: ${message}`);
    void vscode.window.showErrorMessage(`Edict: the language server did not start (${message}). Check the \`edict.server.path\` setting and the "Edict Language Server" output.`, "Open Settings").then((pick) => {
      if (pick) void vscode.commands.executeCommand("workbench.action.openSettings", "edict.server.path");
    });
  }
}

async function restartServer(): Promise<void> {
  if (client) {
    try {
      await client.stop();
    } catch {
      // A server that already died cannot be stopped; start a new one all the same.
    }
    client = undefined;
  }
  await startClient(extensionContext);
  serverOutput.appendLine("edict: language server restarted");
}

// ------------------------------------------------------------------ helpers

function workspaceRoot(uri?: vscode.Uri): string | undefined {
  const folder = uri ? vscode.workspace.getWorkspaceFolder(uri) : vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.fsPath;
}

/** The active Edict document, or a message saying one is needed. */
function activeEdictDocument(): vscode.TextDocument | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.languageId === "edict" && doc.uri.scheme === "file") return doc;
  void vscode.window.showWarningMessage("Edict: open a saved .edict file first");
  return undefined;
}

/** Unsaved texts of open Edict documents: the commands see what the editor shows. */
function overlays(): Overlay[] {
  return vscode.workspace.textDocuments.filter((d) => d.languageId === "edict" && d.uri.scheme === "file").map((d) => ({ file: d.uri.fsPath, text: d.getText() }));
}

async function load(doc: vscode.TextDocument) {
  return loadPackageOf(doc.uri.fsPath, workspaceRoot(doc.uri), overlays());
}

// ------------------------------------------------------------------ commands

async function runTestsCommand(show: boolean, document?: vscode.TextDocument): Promise<void> {
  const doc = document ?? activeEdictDocument();
  if (!doc) return;
  try {
    const report = await runFileTests(await load(doc));
    if (!report.blocked) testResults.set(doc.uri.fsPath, { passed: report.passed, failed: report.failed });
    else testResults.delete(doc.uri.fsPath);
    testDiagnostics.set(
      doc.uri,
      report.failures.map((f) => {
        const line = Math.min(f.line, doc.lineCount - 1);
        const d = new vscode.Diagnostic(doc.lineAt(line).range, f.message, vscode.DiagnosticSeverity.Error);
        d.source = TEST_SOURCE;
        return d;
      }),
    );
    if (show) {
      output.appendLine(`── tests of ${vscode.workspace.asRelativePath(doc.uri)} ──`);
      output.append(report.text);
      output.show(true);
      if (report.blocked) void vscode.window.showWarningMessage("Edict: no tests were run (see the Edict output)");
      else if (report.failed > 0) void vscode.window.showErrorMessage(`Edict: ${report.failed} test${report.failed === 1 ? "" : "s"} failed, ${report.passed} passed`);
      else void vscode.window.showInformationMessage(`Edict: ${report.passed} test${report.passed === 1 ? "" : "s"} passed`);
    }
  } catch (e) {
    output.appendLine(`edict: running the tests failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    if (show) output.show(true);
  }
  updateStatus();
}

async function evaluateRequestCommand(): Promise<void> {
  const doc = activeEdictDocument();
  if (!doc) return;
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: "Evaluate",
    title: "Edict: pick a JSON request",
    filters: { "JSON request": ["json"], "All files": ["*"] },
    defaultUri: vscode.Uri.file(dirname(doc.uri.fsPath)),
  });
  const file = picked?.[0];
  if (!file) return;
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  const report = evaluateRequest(await load(doc), text, vscode.workspace.asRelativePath(file));
  output.appendLine(`── evaluate ${vscode.workspace.asRelativePath(file)} with ${vscode.workspace.asRelativePath(doc.uri)} ──`);
  output.append(report.text);
  output.show(true);
  if (report.decision) {
    const d = report.decision;
    const why = d.reasons.map((r) => r.message ?? r.rule).join("; ");
    void vscode.window.showInformationMessage(`Edict: ${d.decision.toUpperCase()}${why ? ` — ${why}` : " (package default)"}`);
  } else {
    void vscode.window.showErrorMessage("Edict: the request was not evaluated (see the Edict output)");
  }
}

async function compileCommand(): Promise<void> {
  const doc = activeEdictDocument();
  if (!doc) return;
  const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const setting = vscode.workspace.getConfiguration("edict").get<string>("server.path", "");
  const edict = findEdictExecutable(setting, roots);
  if (!edict) {
    const pick = await vscode.window.showErrorMessage(
      "Edict: compiling needs the Edict command-line tool (it runs esbuild, which cannot ship inside the extension). Install it in the workspace (`npm install --save-dev edict`) or set `edict.server.path` to an `edict` executable.",
      "Open Settings",
    );
    if (pick) void vscode.commands.executeCommand("workbench.action.openSettings", "edict.server.path");
    return;
  }
  const loaded = await load(doc);
  const name = loaded.checked?.pkg.name ?? "policy";
  const target = await vscode.window.showSaveDialog({
    title: "Edict: compile the policy to a JavaScript module",
    saveLabel: "Compile",
    filters: { "JavaScript module": ["mjs"] },
    defaultUri: vscode.Uri.file(join(loaded.root, "dist", `${name}.mjs`)),
  });
  if (!target) return;
  await vscode.workspace.saveAll(false);
  const run = invocation(edict, compileArguments(loaded, target.fsPath));
  output.appendLine(`── ${[edict, ...run.args.slice(run.command === edict ? 0 : 1)].join(" ")} ──`);
  output.show(true);
  await new Promise<void>((done) => {
    const env = { ...process.env, ...run.env };
    execFile(run.command, [...run.args], { cwd: loaded.root, env, shell: run.shell, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (stdout) output.append(stdout);
      if (stderr) output.append(stderr);
      if (err) {
        output.appendLine(`edict compile failed${typeof err.code === "number" ? ` (exit ${err.code})` : `: ${err.message}`}`);
        void vscode.window.showErrorMessage("Edict: compiling failed (see the Edict output)");
      } else {
        output.appendLine(`wrote ${target.fsPath}`);
        void vscode.window.showInformationMessage(`Edict: compiled to ${vscode.workspace.asRelativePath(target)}`);
      }
      done();
    });
  });
}

// ------------------------------------------------------------------ status bar

function updateStatus(): void {
  let errors = 0;
  let warnings = 0;
  for (const [uri, list] of vscode.languages.getDiagnostics()) {
    if (!uri.path.endsWith(".edict")) continue;
    for (const d of list) {
      if (d.source === TEST_SOURCE) continue;
      if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
      else if (d.severity === vscode.DiagnosticSeverity.Warning) warnings++;
    }
  }
  const active = vscode.window.activeTextEditor?.document;
  const tests = active && active.languageId === "edict" ? testResults.get(active.uri.fsPath) : undefined;
  const h = healthText({ errors, warnings, ...(tests ? { tests } : {}) });
  status.text = h.text;
  status.tooltip = h.tooltip;
  status.backgroundColor = h.bad ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
  const edictVisible = active?.languageId === "edict" || vscode.workspace.textDocuments.some((d) => d.languageId === "edict");
  if (edictVisible) status.show();
  else status.hide();
}
