// A real LSP client for the tests: spawns `node bin/edict.mjs lsp --stdio` (the built CLI) and
// talks JSON-RPC to it with vscode-jsonrpc. Owns: the handshake, document helpers, collecting
// published diagnostics, and fixture workspaces (documents opened under a fresh folder that is
// never written to disk, so closing them removes them from the server's program).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";
import { edictBin, ensureBuilt } from "../../helpers/run-cli.ts";
import { parseFixture, positionOf, type Fixture } from "./fixture.ts";

export interface LspDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  message: string;
}

export interface StartOptions {
  /** Workspace folder to index. */
  readonly root?: string;
  readonly initializationOptions?: Record<string, unknown>;
  readonly capabilities?: Record<string, unknown>;
}

export class LspClient {
  readonly diagnostics = new Map<string, LspDiagnostic[]>();
  readonly messages: { type: number; message: string }[] = [];
  stderr = "";
  private waiters: (() => void)[] = [];
  private version = new Map<string, number>();
  private fixtureCount = 0;
  readonly scratch = mkdtempSync(join(tmpdir(), "edict-lsp-"));

  private constructor(
    readonly child: ChildProcess,
    readonly conn: MessageConnection,
  ) {}

  static async start(options: StartOptions = {}): Promise<LspClient> {
    ensureBuilt();
    const child = spawn(process.execPath, [edictBin, "lsp", "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
    const conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, conn);
    child.stderr!.setEncoding("utf8").on("data", (c: string) => (client.stderr += c));
    conn.onNotification("textDocument/publishDiagnostics", (p: { uri: string; diagnostics: LspDiagnostic[] }) => {
      client.diagnostics.set(p.uri, p.diagnostics);
      client.notifyWaiters();
    });
    conn.onNotification("window/showMessage", (p: { type: number; message: string }) => {
      client.messages.push(p);
    });
    conn.onNotification("window/logMessage", () => undefined);
    conn.onRequest("client/registerCapability", () => null);
    conn.onRequest("workspace/configuration", () => []);
    conn.listen();
    const root = options.root;
    await conn.sendRequest("initialize", {
      processId: process.pid,
      rootUri: root ? pathToFileURL(root).href : null,
      workspaceFolders: root ? [{ uri: pathToFileURL(root).href, name: "root" }] : null,
      capabilities: options.capabilities ?? { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
      initializationOptions: { debounceMs: 10, ...options.initializationOptions },
    });
    await conn.sendNotification("initialized", {});
    return client;
  }

  private notifyWaiters(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Waits until `pred` holds (checked after every published diagnostics), or fails after `ms`. */
  async waitFor(pred: () => boolean, what: string, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  async diagnosticsOf(uri: string, pred: (d: LspDiagnostic[]) => boolean = () => true): Promise<LspDiagnostic[]> {
    await this.waitFor(() => this.diagnostics.has(uri) && pred(this.diagnostics.get(uri)!), `diagnostics of ${uri}`);
    return this.diagnostics.get(uri)!;
  }

  uri(path: string): string {
    return pathToFileURL(path).href;
  }

  open(uri: string, text: string): void {
    this.version.set(uri, 1);
    void this.conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "edict", version: 1, text } });
  }

  change(uri: string, text: string): void {
    const v = (this.version.get(uri) ?? 1) + 1;
    this.version.set(uri, v);
    void this.conn.sendNotification("textDocument/didChange", { textDocument: { uri, version: v }, contentChanges: [{ text }] });
  }

  /** An incremental change replacing a range. */
  changeRange(uri: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): void {
    const v = (this.version.get(uri) ?? 1) + 1;
    this.version.set(uri, v);
    void this.conn.sendNotification("textDocument/didChange", { textDocument: { uri, version: v }, contentChanges: [{ range, text }] });
  }

  close(uri: string): void {
    void this.conn.sendNotification("textDocument/didClose", { textDocument: { uri } });
  }

  request<R = unknown>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  /** Opens a fixture's files (under a fresh, never-written folder); `use` gets helpers; then closes them. */
  async withFixture<T>(text: string, use: (fx: OpenFixture) => Promise<T>): Promise<T> {
    const fixture = parseFixture(text);
    const dir = join(this.scratch, `fx${this.fixtureCount++}`);
    const uris: Record<string, string> = {};
    for (const [name, body] of Object.entries(fixture.files)) {
      uris[name] = this.uri(join(dir, name));
      this.open(uris[name]!, body);
    }
    const open = new OpenFixture(this, fixture, uris);
    try {
      return await use(open);
    } finally {
      for (const u of Object.values(uris)) this.close(u);
    }
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest("shutdown"), new Promise((r) => setTimeout(r, 2000))]);
      void this.conn.sendNotification("exit");
    } catch {
      /* already gone */
    }
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const t = setTimeout(() => {
        this.child.kill();
        resolve();
      }, 2000);
      this.child.on("exit", () => (clearTimeout(t), resolve()));
    });
    this.conn.dispose();
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
}

export class OpenFixture {
  constructor(
    readonly client: LspClient,
    readonly fixture: Fixture,
    readonly uris: Record<string, string>,
  ) {}

  /** `{ textDocument, position }` of cursor `n`. */
  at(n = 0): { textDocument: { uri: string }; position: { line: number; character: number } } {
    const c = this.fixture.cursors.get(n);
    if (!c) throw new Error(`fixture has no $${n}`);
    return { textDocument: { uri: this.uris[c.file]! }, position: positionOf(this.fixture.files[c.file]!, c.offset) };
  }

  uri(name?: string): string {
    return this.uris[name ?? Object.keys(this.uris)[0]!]!;
  }

  text(name?: string): string {
    return this.fixture.files[name ?? Object.keys(this.fixture.files)[0]!]!;
  }

  /** The name of the fixture file a URI stands for. */
  nameOf(uri: string): string {
    return Object.entries(this.uris).find(([, u]) => u === uri)?.[0] ?? uri;
  }

  request<R = unknown>(method: string, n = 0, extra: Record<string, unknown> = {}): Promise<R> {
    return this.client.request<R>(method, { ...this.at(n), ...extra });
  }
}
