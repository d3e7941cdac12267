// Benchmark: the language server on a generated workspace of 5,000 rules across 50 files
// (one package, so every keystroke re-checks all 5,000 rules). Issue 5's targets: diagnostics
// within 50 ms of processing after a keystroke (p95, excluding the debounce), completion within
// 30 ms (p95), resident memory under 300 MB.
// Method: spawns `node bin/edict.mjs lsp --stdio` with `debounceMs: 0`, talks JSON-RPC to it
// (vscode-jsonrpc), types into a rule file keystroke by keystroke (incremental didChange) and
// measures (a) the server's own processing time per diagnostics run (the `edict/stats` request:
// check + publish, timed inside the server) and (b) didChange → publishDiagnostics as the client
// sees it; then completion requests after `principal.` and in a clause; then the server's RSS.
// Usage: node bench/lsp.mjs [--rules N] [--files F] [--keys K]   (`npm run build` first)
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import { numberOption, flag, requireBuiltCli } from "./lib/options.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const RULES = numberOption("rules", 5000);
const FILES = numberOption("files", 50);
const KEYS = numberOption("keys", 60);
requireBuiltCli();

const model = `package bench

type User {
  id: String
  roles: Set<String>
  department: String
  level: Number
  manager?: String
}

type Resource {
  id: String
  kind: "doc" | "sheet" | "repo" | "bucket" | "queue"
  owner: String
  department: String
  tags: Set<String>
  classification: "public" | "internal" | "secret"
}

request {
  principal: User
  action: "read" | "write" | "delete" | "share" | "admin"
  resource: Resource
  context: { mfa: Bool, ip: Ip, now: Time }
}

def is_admin = "admin" in principal.roles
def same_department = principal.department == resource.department
def has_role(r: String): Bool = r in principal.roles
`;
const actions = ["read", "write", "delete", "share", "admin"];
function rule(i) {
  const a = actions[i % actions.length];
  switch (i % 4) {
    case 0:
      return `/// Rule ${i}.\n@owner("team-${i % 17}")\npermit r${i} {\n  when action == "${a}"\n  when has_role("role_${i % 97}") and same_department\n  reason "{principal.id} may ${a} {resource.id}"\n}\n`;
    case 1:
      return `@id("CTRL-${i}")\nforbid r${i} {\n  when action == "${a}" and resource.classification == "secret"\n  unless is_admin or context.mfa\n  reason "secret needs mfa"\n}\n`;
    case 2:
      return `permit r${i} {\n  let tag = "t${i % 251}"\n  when tag in resource.tags and principal.level > ${i % 7}\n}\n`;
    default:
      return `forbid r${i} {\n  for t in resource.tags\n  when t like "tmp-${i % 13}*" and some r in principal.roles: r != "x${i % 5}"\n  reason "tag {t} is temporary"\n}\n`;
  }
}

const p95 = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))];
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;

const dir = mkdtempSync(join(tmpdir(), "edict-lsp-bench-"));
let child;
try {
  mkdirSync(join(dir, "policies"));
  writeFileSync(join(dir, "policies", "model.edict"), model);
  const per = Math.ceil(RULES / FILES);
  const files = [];
  for (let f = 0; f < FILES; f++) {
    let text = "package bench\n\n";
    for (let i = f * per; i < Math.min(RULES, (f + 1) * per); i++) text += rule(i) + "\n";
    const path = join(dir, "policies", `rules-${String(f).padStart(2, "0")}.edict`);
    writeFileSync(path, text);
    files.push({ path, text });
  }

  child = spawn(process.execPath, [join(root, "bin", "edict.mjs"), "lsp", "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = new Map();
  const seen = new Set();
  conn.onNotification("textDocument/publishDiagnostics", (p) => {
    seen.add(p.uri);
    const w = waiting.get(p.uri);
    if (w && (w.version === undefined || p.version === w.version)) waiting.delete(p.uri), w.resolve(performance.now());
  });
  conn.onRequest("client/registerCapability", () => null);
  conn.listen();
  const rootUri = pathToFileURL(dir).href;
  const t0 = performance.now();
  await conn.sendRequest("initialize", { processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: "bench" }], capabilities: {}, initializationOptions: { debounceMs: 0, codeLens: false } });
  await conn.sendNotification("initialized", {});
  const target = files[Math.floor(FILES / 2)];
  const uri = pathToFileURL(target.path).href;
  await new Promise((resolve) => {
    const tick = () => (seen.size >= 1 ? resolve() : setTimeout(tick, 5));
    tick();
  });
  const initial = performance.now() - t0;

  // Keystrokes: type ` and is_admin` into the first `when` of the file, one character at a time.
  let text = target.text;
  let version = 1;
  await conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "edict", version, text } });
  await new Promise((resolve) => waiting.set(uri, { version, resolve }));
  const statsBefore = await conn.sendRequest("edict/stats");
  const at = text.indexOf("\n", text.indexOf("when "));
  const typed = " and is_admin or principal.level > 3".repeat(Math.ceil(KEYS / 36)).slice(0, KEYS);
  const lineOf = (o) => text.slice(0, o).split("\n").length - 1;
  const colOf = (o) => o - text.lastIndexOf("\n", o - 1) - 1;
  const roundTrip = [];
  for (let k = 0; k < typed.length; k++) {
    const o = at + k;
    const pos = { line: lineOf(o), character: colOf(o) };
    version++;
    const done = new Promise((resolve) => waiting.set(uri, { version, resolve }));
    const sent = performance.now();
    await conn.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ range: { start: pos, end: pos }, text: typed[k] }] });
    text = text.slice(0, o) + typed[k] + text.slice(o);
    roundTrip.push((await done) - sent);
  }
  const stats = await conn.sendRequest("edict/stats");
  const serverTimes = stats.recentDiagnosticsMs.slice(statsBefore.diagnosticsRuns);

  // Completion after `principal.` (attributes by type) and at the start of a clause (names in scope).
  const completion = [];
  const dot = text.indexOf("principal.") + "principal.".length;
  const clause = text.indexOf("  when ") + 2;
  for (let k = 0; k < 100; k++) {
    const o = k % 2 ? dot : clause;
    const t = performance.now();
    const r = await conn.sendRequest("textDocument/completion", { textDocument: { uri }, position: { line: lineOf(o), character: colOf(o) } });
    completion.push(performance.now() - t);
    if (k === 0 && (!Array.isArray(r) || r.length === 0)) throw new Error("completion returned nothing");
  }
  const final = await conn.sendRequest("edict/stats");
  console.log(`edict lsp bench: ${RULES} rules in ${FILES} files (one package), ${typed.length} keystrokes`);
  console.log(`  initial index + check + publish:           ${ms(initial)}`);
  console.log(`  diagnostics after a keystroke, server p95: ${ms(p95(serverTimes))}   (target 50 ms; median ${ms(median(serverTimes))}, max ${ms(Math.max(...serverTimes))})`);
  console.log(`  didChange -> publishDiagnostics p95:       ${ms(p95(roundTrip))}   (client-side, debounce 0)`);
  console.log(`  completion p95:                            ${ms(p95(completion))}   (target 30 ms; median ${ms(median(completion))})`);
  console.log(`  full check of the package (idle):          ${ms(final.lastFullCheckMs)}`);
  console.log(`  server resident memory:                    ${(final.rss / 1024 / 1024).toFixed(0)} MB   (target 300 MB)`);
  await conn.sendRequest("shutdown");
  await conn.sendNotification("exit");
  conn.dispose();
} finally {
  child?.kill();
  if (flag("keep")) console.log("kept", dir); else rmSync(dir, { recursive: true, force: true });
}
