// Packaging: `npm run package:vscode` (vscode-extension/package.mjs) builds the bundles and packs
// vscode-extension/edict-<version>.vsix; this test builds it once, unpacks it with a tiny zip
// reader, checks what VS Code needs is inside, loads the bundled client against a stub `vscode`
// module, and starts the bundled language server from the unpacked files and initializes it
// over stdio — what VS Code does after `code --install-extension`.
import { fork, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";
import { readZip, type ZipEntry } from "./read-zip.ts";

const root = join(import.meta.dirname, "..", "..");
const extDir = join(root, "vscode-extension");
const manifest = JSON.parse(readFileSync(join(extDir, "package.json"), "utf8")) as { version: string; main: string; icon: string };
const vsixPath = join(extDir, `edict-${manifest.version}.vsix`);

let entries: ZipEntry[] = [];
let unpacked = "";
let buildOutput = "";

beforeAll(() => {
  const r = spawnSync(process.execPath, [join(extDir, "package.mjs")], { cwd: root, encoding: "utf8", timeout: 120_000 });
  buildOutput = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0) throw new Error(`package:vscode failed (${r.status}):\n${buildOutput}`);
  entries = readZip(readFileSync(vsixPath));
  unpacked = mkdtempSync(join(tmpdir(), "edict-vsix-"));
  for (const e of entries) {
    if (e.name.endsWith("/")) continue;
    const target = join(unpacked, e.name);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, e.data);
  }
}, 120_000);

afterAll(() => {
  if (unpacked) rmSync(unpacked, { recursive: true, force: true });
});

const entry = (name: string) => entries.find((e) => e.name === name);

describe("the .vsix", () => {
  it("is packed by npm run package:vscode", () => {
    expect(buildOutput).toContain(`wrote vscode-extension/edict-${manifest.version}.vsix`);
  });

  it("holds the manifest, both bundles and every declarative file", () => {
    const names = entries.map((e) => e.name).sort();
    for (const required of [
      "extension.vsixmanifest",
      "[Content_Types].xml",
      "extension/package.json",
      "extension/dist/extension.js",
      "extension/dist/server.js",
      "extension/syntaxes/edict.tmLanguage.json",
      "extension/language-configuration.json",
      "extension/snippets/edict.json",
      "extension/images/icon.png",
      "extension/readme.md",
      "extension/changelog.md",
      "extension/LICENSE.txt",
    ]) {
      expect(names).toContain(required);
    }
  });

  it("holds nothing else: no sources, no node_modules, no source maps, no nested .vsix", () => {
    for (const e of entries) {
      expect(e.name).not.toMatch(/\.ts$|\.map$|node_modules|\.vsix$|\/src\/|build\.mjs|package\.mjs/);
    }
    expect(entries.length).toBeLessThanOrEqual(13);
  });

  it("carries the manifest as written, with its version in the VSIX manifest", () => {
    const inner = JSON.parse(entry("extension/package.json")!.data.toString("utf8"));
    expect(inner.name).toBe("edict");
    expect(inner.publisher).toBe("edict");
    expect(inner.main).toBe("./dist/extension.js");
    expect(inner.version).toBe(manifest.version);
    expect(inner.devDependencies).toBeUndefined();
    expect(inner.dependencies).toBeUndefined();
    const vsixManifest = entry("extension.vsixmanifest")!.data.toString("utf8");
    expect(vsixManifest).toContain(`Version="${manifest.version}"`);
    expect(vsixManifest).toContain('Id="edict"');
    expect(vsixManifest).toContain("Microsoft.VisualStudio.Code.Manifest");
  });

  it("has parseable JSON files and a PNG icon", () => {
    for (const f of ["extension/syntaxes/edict.tmLanguage.json", "extension/language-configuration.json", "extension/snippets/edict.json"]) {
      expect(() => JSON.parse(entry(f)!.data.toString("utf8")), f).not.toThrow();
    }
    const png = entry("extension/images/icon.png")!.data;
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    // The Marketplace wants at least 128x128.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([128, 128]);
  });

  it("is reproducible: every entry has the fixed SOURCE_DATE_EPOCH time", () => {
    // yazl writes DOS times in local time: compare field by field.
    const d = new Date(946684800 * 1000);
    const expected = Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds());
    for (const e of entries) expect(e.modified.getTime(), e.name).toBe(expected);
  });

  it("bundles are self-contained: they require only node builtins, `vscode` and (lazily) esbuild", () => {
    for (const f of ["extension/dist/extension.js", "extension/dist/server.js"]) {
      const code = entry(f)!.data.toString("utf8");
      const required = new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!));
      for (const r of required) expect(r, `${f} requires ${r}`).toMatch(/^(node:|vscode$|esbuild$|(fs|path|os|url|util|crypto|child_process|net|events|stream|assert|module|zlib|buffer|string_decoder|worker_threads|readline|tty|perf_hooks)$)/);
    }
  });
});

describe("the bundled client", () => {
  it("loads with a stub `vscode` module and exports activate and deactivate", () => {
    // A Proxy stands in for the editor's API: loading must not touch it beyond reading names.
    const script = `
      const Module = require("node:module");
      const stub = new Proxy(function () {}, { get: (t, k) => (k === "__esModule" ? true : k === Symbol.toPrimitive ? () => "stub" : stub), apply: () => stub, construct: () => stub });
      const load = Module._load;
      Module._load = function (request, ...rest) { return request === "vscode" ? stub : load.call(this, request, ...rest); };
      const ext = require(process.argv[1]);
      process.stdout.write(JSON.stringify({ activate: typeof ext.activate, deactivate: typeof ext.deactivate }));
    `;
    const r = spawnSync(process.execPath, ["-e", script, join(unpacked, "extension", "dist", "extension.js")], { encoding: "utf8", timeout: 20_000 });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ activate: "function", deactivate: "function" });
  });
});

describe("the bundled language server", () => {
  let child: ChildProcess;
  let connection: MessageConnection;
  let stderr = "";

  afterAll(() => {
    connection?.dispose();
    child?.kill();
  });

  it("starts from the unpacked extension and answers initialize over stdio", async () => {
    const workspace = mkdtempSync(join(tmpdir(), "edict-vsix-ws-"));
    writeFileSync(join(workspace, "p.edict"), 'package p\n\npermit all {\n  when true\n}\n');
    child = spawn(process.execPath, [join(unpacked, "extension", "dist", "server.js"), "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
    child.stderr!.on("data", (b: Buffer) => (stderr += b.toString("utf8")));
    connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const uri = `file://${workspace}/q.edict`;
    const published = new Promise<{ uri: string; diagnostics: unknown[] }>((resolve) => {
      connection.onNotification("textDocument/publishDiagnostics", (p: { uri: string; diagnostics: unknown[] }) => {
        if (p.uri === uri && p.diagnostics.length > 0) resolve(p);
      });
    });
    connection.listen();
    const result = (await connection.sendRequest("initialize", {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: [{ uri: `file://${workspace}`, name: "ws" }],
      capabilities: {},
      initializationOptions: { debounceMs: 0 },
    })) as { capabilities: Record<string, unknown>; serverInfo?: { name: string } };
    expect(result.capabilities.completionProvider).toBeDefined();
    expect(result.capabilities.hoverProvider).toBeTruthy();
    expect(result.capabilities.documentFormattingProvider).toBeTruthy();
    expect(result.capabilities.executeCommandProvider).toEqual({ commands: ["edict.runTest"] });
    connection.sendNotification("initialized", {});

    // A real round trip: an open document with a type error gets a diagnostic.
    connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "edict", version: 1, text: 'package q\n\npermit bad {\n  when 1 + "a"\n}\n' } });
    const diag = await published;
    expect(diag.diagnostics.length, stderr).toBeGreaterThan(0);

    await connection.sendRequest("shutdown");
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    connection.sendNotification("exit");
    expect(await exited).toBe(0);
    rmSync(workspace, { recursive: true, force: true });
  });
});

describe("the bundled language server over IPC (how the extension starts it)", () => {
  it("answers initialize when forked with --node-ipc", async () => {
    const child = fork(join(unpacked, "extension", "dist", "server.js"), ["--node-ipc"], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.listen();
    try {
      const result = (await connection.sendRequest("initialize", { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: {} })) as { capabilities: Record<string, unknown> };
      expect(result.capabilities.definitionProvider).toBeTruthy();
      await connection.sendRequest("shutdown");
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      connection.sendNotification("exit");
      expect(await exited).toBe(0);
    } finally {
      connection.dispose();
      child.kill();
    }
  });

  it("refuses to start without a transport, with a usage line", () => {
    const r = spawnSync(process.execPath, [join(unpacked, "extension", "dist", "server.js")], { encoding: "utf8", timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("usage: node server.js --stdio | --node-ipc");
  });
});
