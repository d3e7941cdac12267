// The extension's glue (vscode-extension/src/extension.ts) against a fake `vscode` API and a
// fake language client: activation registers exactly the contributed commands and starts the
// client with the settings as initialization options; the commands read the active editor,
// write to the output channel, set test diagnostics and update the status bar. The real
// client and server are covered by packaging.test.ts; this checks what the user sees.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const documents = join(root, "examples", "documents");

interface FakeDoc {
  uri: { fsPath: string; path: string; scheme: string };
  languageId: string;
  lineCount: number;
  getText(): string;
  lineAt(n: number): { range: { line: number } };
}

const state = vi.hoisted(() => ({
  commands: new Map<string, (...a: unknown[]) => unknown>(),
  output: [] as string[],
  messages: [] as { kind: string; text: string }[],
  diagnostics: new Map<string, unknown[]>(),
  status: { text: "", tooltip: "", visible: false, backgroundColor: undefined as unknown },
  clients: [] as { id: string; serverOptions: unknown; clientOptions: { initializationOptions: Record<string, unknown> }; started: boolean; stopped: boolean }[],
  activeEditor: undefined as undefined | { document: unknown },
  openDialog: [] as unknown[],
  config: {} as Record<string, unknown>,
}));

vi.mock("vscode", () => {
  const disposable = { dispose() {} };
  const event = () => disposable;
  const channel = () => ({ append: (t: string) => state.output.push(t), appendLine: (t: string) => state.output.push(`${t}\n`), show() {}, dispose() {} });
  class Diagnostic {
    source?: string;
    constructor(readonly range: unknown, readonly message: string, readonly severity: number) {}
  }
  return {
    Uri: { file: (p: string) => ({ fsPath: p, path: p, scheme: "file" }) },
    Diagnostic,
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ThemeColor: class {
      constructor(readonly id: string) {}
    },
    commands: {
      registerCommand: (id: string, f: (...a: unknown[]) => unknown) => {
        state.commands.set(id, f);
        return disposable;
      },
      executeCommand: async () => undefined,
    },
    window: {
      createOutputChannel: channel,
      createStatusBarItem: () => ({
        set text(t: string) {
          state.status.text = t;
        },
        set tooltip(t: string) {
          state.status.tooltip = t;
        },
        set backgroundColor(c: unknown) {
          state.status.backgroundColor = c;
        },
        show: () => (state.status.visible = true),
        hide: () => (state.status.visible = false),
        dispose() {},
      }),
      get activeTextEditor() {
        return state.activeEditor;
      },
      onDidChangeActiveTextEditor: event,
      showInformationMessage: async (text: string) => void state.messages.push({ kind: "info", text }),
      showWarningMessage: async (text: string) => void state.messages.push({ kind: "warning", text }),
      showErrorMessage: async (text: string) => void state.messages.push({ kind: "error", text }),
      showOpenDialog: async () => state.openDialog,
      showSaveDialog: async () => undefined,
    },
    languages: {
      createDiagnosticCollection: () => ({ set: (uri: { fsPath: string }, list: unknown[]) => state.diagnostics.set(uri.fsPath, list), dispose() {} }),
      onDidChangeDiagnostics: event,
      getDiagnostics: () => [],
    },
    workspace: {
      getConfiguration: () => ({ get: (k: string, d: unknown) => (k in state.config ? state.config[k] : d) }),
      getWorkspaceFolder: () => ({ uri: { fsPath: root } }),
      workspaceFolders: [{ uri: { fsPath: root } }],
      get textDocuments() {
        return state.activeEditor ? [state.activeEditor.document] : [];
      },
      asRelativePath: (u: { fsPath: string }) => u.fsPath.slice(root.length + 1),
      fs: { readFile: async (u: { fsPath: string }) => new Uint8Array(readFileSync(u.fsPath)) },
      onDidSaveTextDocument: event,
      onDidChangeConfiguration: event,
      createFileSystemWatcher: () => disposable,
      saveAll: async () => true,
    },
  };
});

vi.mock("vscode-languageclient/node", () => ({
  TransportKind: { stdio: 0, ipc: 1, pipe: 2, socket: 3 },
  LanguageClient: class {
    started = false;
    stopped = false;
    constructor(
      readonly id: string,
      readonly name: string,
      readonly serverOptions: unknown,
      readonly clientOptions: { initializationOptions: Record<string, unknown> },
    ) {
      state.clients.push(this as never);
    }
    async start() {
      this.started = true;
    }
    async stop() {
      this.stopped = true;
    }
  },
}));

function doc(file: string): FakeDoc {
  const text = readFileSync(file, "utf8");
  const lines = text.split("\n");
  return {
    uri: { fsPath: file, path: file, scheme: "file" },
    languageId: "edict",
    lineCount: lines.length,
    getText: () => text,
    lineAt: (n: number) => ({ range: { line: n } }),
  };
}

const context = { subscriptions: [] as unknown[], asAbsolutePath: (p: string) => join(root, "vscode-extension", p) };
let extension: typeof import("../../vscode-extension/src/extension.ts");

beforeAll(async () => {
  state.config = { "diagnostics.debounceMs": 40 };
  extension = await import("../../vscode-extension/src/extension.ts");
  await extension.activate(context as never);
});

describe("activation", () => {
  it("registers exactly the contributed commands", () => {
    const manifest = JSON.parse(readFileSync(join(root, "vscode-extension", "package.json"), "utf8"));
    expect([...state.commands.keys()].sort()).toEqual(manifest.contributes.commands.map((c: { command: string }) => c.command).sort());
  });

  it("starts the bundled server over IPC with the settings as initialization options", () => {
    expect(state.clients).toHaveLength(1);
    const c = state.clients[0]!;
    expect(c.id).toBe("edict");
    expect(c.started).toBe(true);
    expect(c.serverOptions).toMatchObject({ run: { module: join(root, "vscode-extension", "dist", "server.js"), transport: 1 } });
    expect(c.clientOptions.initializationOptions).toEqual({ debounceMs: 40, codeLens: true, inlayHints: true });
  });
});

describe("commands", () => {
  it("run tests: output, no diagnostics when all pass, status shows the count", async () => {
    state.activeEditor = { document: doc(join(documents, "tests.edict")) };
    await state.commands.get("edict.runTests")!();
    const out = state.output.join("");
    expect(out).toMatch(/── tests of examples\/documents\/tests\.edict ──/);
    const summary = /(\d+) passed, 0 failed/.exec(out);
    expect(summary).not.toBeNull();
    expect(state.diagnostics.get(join(documents, "tests.edict"))).toEqual([]);
    expect(state.status.text).toBe(`Edict $(error) 0 $(warning) 0 $(pass) ${summary![1]}/${summary![1]}`);
    expect(state.status.visible).toBe(true);
    expect(state.messages.at(-1)).toEqual({ kind: "info", text: `Edict: ${summary![1]} tests passed` });
  });

  it("run tests: a failing test becomes an error diagnostic on its line and turns the status red", async () => {
    const dir = mkdtempSync(join(tmpdir(), "edict-vscode-ext-"));
    const file = join(dir, "shop.edict");
    writeFileSync(file, 'package shop\n\nrequest { amount: Number }\n\npermit small {\n  when amount < 100\n}\n\ntest "big" {\n  request { amount: 500 }\n  expect allow\n}\n');
    try {
      state.activeEditor = { document: doc(file) };
      await state.commands.get("edict.runTests")!();
      const list = state.diagnostics.get(file) as { message: string; severity: number; source: string; range: { line: number } }[];
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ severity: 0, source: "edict test", range: { line: 8 } });
      expect(list[0]!.message).toContain("test `big` fails: expected allow, got deny");
      expect(state.status.text).toBe("Edict $(error) 0 $(warning) 0 $(testing-failed-icon) 0/1");
      expect(state.status.backgroundColor).toEqual({ id: "statusBarItem.errorBackground" });
      expect(state.messages.at(-1)).toEqual({ kind: "error", text: "Edict: 1 test failed, 0 passed" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("evaluate request: shows the decision and the trace", async () => {
    state.output.length = 0;
    state.activeEditor = { document: doc(join(documents, "grants.edict")) };
    state.openDialog = [{ fsPath: join(documents, "requests", "deny-legal-hold-delete.json"), path: "", scheme: "file" }];
    await state.commands.get("edict.evaluateRequest")!();
    const out = state.output.join("");
    expect(out).toContain("examples/documents/requests/deny-legal-hold-delete.json → DENY (package documents)");
    expect(out).toContain("trace:");
    expect(state.messages.at(-1)!.text).toMatch(/^Edict: DENY — /);
  });

  it("evaluate request: nothing happens when the dialog is cancelled", async () => {
    state.output.length = 0;
    state.openDialog = [];
    await state.commands.get("edict.evaluateRequest")!();
    expect(state.output).toEqual([]);
  });

  it("compile: explains what to install when no edict executable is found", async () => {
    state.config["server.path"] = join(root, "no-such-edict");
    await state.commands.get("edict.compile")!();
    expect(state.messages.at(-1)).toMatchObject({ kind: "error", text: expect.stringContaining("compiling needs the Edict command-line tool") });
    delete state.config["server.path"];
  });

  it("commands need an Edict file", async () => {
    state.activeEditor = undefined;
    await state.commands.get("edict.runTests")!();
    expect(state.messages.at(-1)).toEqual({ kind: "warning", text: "Edict: open a saved .edict file first" });
  });

  it("restart: stops the client and starts a new one, with edict.server.path when set", async () => {
    state.config["server.path"] = "/opt/edict/bin/edict.mjs";
    await state.commands.get("edict.restartServer")!();
    expect(state.clients).toHaveLength(2);
    expect(state.clients[0]!.stopped).toBe(true);
    expect(state.clients[1]!.started).toBe(true);
    expect(state.clients[1]!.serverOptions).toMatchObject({ module: "/opt/edict/bin/edict.mjs", args: ["lsp"], transport: 0 });
    delete state.config["server.path"];
    await extension.deactivate();
    expect(state.clients[1]!.stopped).toBe(true);
  });
});
