// The server is workspace-aware: every .edict file under the workspace folder is indexed
// (a package spread over files on disk is checked as one, diagnostics published for files
// never opened), open documents override the disk, closing reverts to the disk text, and
// workspace/didChangeWatchedFiles picks up files created, changed and deleted on disk.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { LspClient } from "./helpers/lsp-client.ts";

let client: LspClient;
let root: string;
const file = (name: string) => join(root, name);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "edict-lsp-ws-"));
  mkdirSync(join(root, "policies", "nested"), { recursive: true });
  mkdirSync(join(root, "node_modules", "x"), { recursive: true });
  writeFileSync(file("policies/model.edict"), "package shop\nrequest { role: String }\ndef is_admin = role == \"admin\"\n");
  writeFileSync(file("policies/nested/rules.edict"), "package shop\npermit admins { when is_admin }\npermit broken { when missing_name }\n");
  writeFileSync(file("node_modules/x/ignored.edict"), "package ignored\npermit r { when nope }\n");
  client = await LspClient.start({ root });
}, 120_000);

afterAll(async () => {
  await client?.stop();
  rmSync(root, { recursive: true, force: true });
});

test("indexes the folder: files never opened get diagnostics, packages span files, node_modules is skipped", async () => {
  const rules = await client.diagnosticsOf(client.uri(file("policies/nested/rules.edict")), (d) => d.length > 0);
  // `is_admin` comes from the other file; only `missing_name` is unknown.
  expect(rules.map((d) => d.message)).toEqual([expect.stringContaining("unknown name `missing_name`")]);
  expect(client.diagnostics.has(client.uri(file("node_modules/x/ignored.edict")))).toBe(false);
  const syms = await client.request<{ name: string }[]>("workspace/symbol", { query: "admin" });
  expect(syms.map((s) => s.name).sort()).toEqual(["admins", "is_admin"]);
});

test("an open document overrides the disk; closing it reverts to the disk text", async () => {
  const modelUri = client.uri(file("policies/model.edict"));
  const rulesUri = client.uri(file("policies/nested/rules.edict"));
  client.open(modelUri, "package shop\nrequest { role: String }\ndef is_admin = role == \"admin\"\ndef missing_name = true\n");
  await client.diagnosticsOf(rulesUri, (d) => d.length === 0);
  client.close(modelUri);
  await client.diagnosticsOf(rulesUri, (d) => d.length === 1);
});

test("didChangeWatchedFiles: created, changed and deleted files", async () => {
  const rulesUri = client.uri(file("policies/nested/rules.edict"));
  const extra = file("policies/extra.edict");
  writeFileSync(extra, "package shop\ndef missing_name = false\n");
  await client.conn.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: client.uri(extra), type: 1 }] });
  await client.diagnosticsOf(rulesUri, (d) => d.length === 0);

  writeFileSync(extra, "package shop\ndef missing_name = 1 +\n");
  await client.conn.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: client.uri(extra), type: 2 }] });
  await client.diagnosticsOf(client.uri(extra), (d) => d.length > 0);

  rmSync(extra);
  await client.conn.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: client.uri(extra), type: 3 }] });
  await client.diagnosticsOf(rulesUri, (d) => d.length === 1);
  // The deleted file's diagnostics are cleared.
  await client.diagnosticsOf(client.uri(extra), (d) => d.length === 0);
});
