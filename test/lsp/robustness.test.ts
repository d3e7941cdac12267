// The server never dies and answers every request whatever the text: a replayed editing
// session (a real example typed character by character, deleted line by line, then random
// edits) and hostile documents (unterminated strings, unbalanced braces, a 1 MB line, binary
// garbage, expressions nested up to and past the parser's limit). Every request must get an answer, no handler may fail (the guard would log
// `edict: <feature> failed`), and the process must stay alive.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { repoRoot } from "../helpers/run-cli.ts";
import { LspClient } from "./helpers/lsp-client.ts";
import { positionOf } from "./helpers/fixture.ts";

let client: LspClient;
beforeAll(async () => {
  client = await LspClient.start();
}, 120_000);
afterAll(async () => {
  await client?.stop();
});

const POSITION_REQUESTS = [
  "textDocument/completion",
  "textDocument/hover",
  "textDocument/signatureHelp",
  "textDocument/definition",
  "textDocument/documentHighlight",
  "textDocument/prepareRename",
];
const DOCUMENT_REQUESTS = [
  "textDocument/documentSymbol",
  "textDocument/semanticTokens/full",
  "textDocument/foldingRange",
  "textDocument/formatting",
  "textDocument/codeLens",
];

/** Sends every kind of request at `offset` and waits for all answers. */
async function askEverything(uri: string, text: string, offset: number, all = false): Promise<void> {
  const position = positionOf(text, offset);
  const td = { uri };
  const reqs: Promise<unknown>[] = POSITION_REQUESTS.map((m) => client.request(m, { textDocument: td, position, ...(m === "textDocument/references" ? { context: { includeDeclaration: true } } : {}) }));
  if (all) {
    for (const m of DOCUMENT_REQUESTS) reqs.push(client.request(m, { textDocument: td, ...(m === "textDocument/formatting" ? { options: { tabSize: 2, insertSpaces: true } } : {}) }));
    const range = { start: { line: 0, character: 0 }, end: positionOf(text, text.length) };
    reqs.push(client.request("textDocument/inlayHint", { textDocument: td, range }));
    reqs.push(client.request("textDocument/codeAction", { textDocument: td, range, context: { diagnostics: [] } }));
    reqs.push(client.request("textDocument/references", { textDocument: td, position, context: { includeDeclaration: true } }));
    reqs.push(client.request("textDocument/rename", { textDocument: td, position, newName: "renamed" }).catch(() => null));
  }
  await Promise.all(reqs);
}

function expectHealthy(): void {
  expect(client.alive).toBe(true);
  expect(client.stderr).not.toMatch(/edict: \w+ failed|uncaught|unhandled/);
}

test("replaying an editing session: typing an example, deleting it line by line, random edits", async () => {
  const example = readFileSync(join(repoRoot, "examples", "documents", "restrictions.edict"), "utf8");
  const uri = client.uri(join(client.scratch, "replay", "restrictions.edict"));
  let text = "";
  client.open(uri, text);
  // Typing, one character at a time (incremental changes, as editors send them).
  for (let i = 0; i < example.length; i++) {
    const ch = example[i]!;
    client.changeRange(uri, { start: positionOf(text, text.length), end: positionOf(text, text.length) }, ch);
    text += ch;
    await askEverything(uri, text, text.length, i % 97 === 0);
  }
  expect(text).toBe(example);
  await askEverything(uri, text, text.length, true);
  // Deleting line by line from the top.
  while (text.length > 0) {
    const nl = text.indexOf("\n");
    const end = nl < 0 ? text.length : nl + 1;
    client.changeRange(uri, { start: { line: 0, character: 0 }, end: positionOf(text, end) }, "");
    text = text.slice(end);
    await askEverything(uri, text, Math.min(text.length, 5), true);
  }
  // Random edits over the example: inserts of hostile snippets, deletions, replacements.
  text = example;
  client.change(uri, text);
  const snippets = ['"', "{", "}", "(", ")", ".", "@", "==", " in [", "\u0000", "\uD800", "/*", "\n", "permit ", "when x.", "some", "\\"];
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.constantFrom(...snippets)), { minLength: 1, maxLength: 60 }), (edits) => {
      for (const [at, del, ins] of edits) {
        const s = at % (text.length + 1);
        const e = Math.min(text.length, s + del);
        client.changeRange(uri, { start: positionOf(text, s), end: positionOf(text, e) }, ins);
        text = text.slice(0, s) + ins + text.slice(e);
      }
      return true;
    }),
    { seed: 42, numRuns: 5 },
  );
  for (let k = 0; k <= 20; k++) await askEverything(uri, text, Math.floor((text.length * k) / 20), k % 5 === 0);
  client.close(uri);
  expectHealthy();
}, 120_000);

test("hostile documents: unterminated strings, unbalanced braces, a 1 MB line, binary garbage, deep nesting", async () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x7fffffff);
  const garbage = Array.from({ length: 20_000 }, () => String.fromCharCode(Math.floor(rand() * 0xffff))).join("");
  const docs = [
    'package p\npermit r { when "never closed\n  reason "also open',
    "package p\npermit r {{{{ when ((((( [[[[ \n",
    "package p\n}}}}}} ))))) ]]]] permit r { when true }",
    "package p\ndef x = " + "a".repeat(1_000_000),
    "package p\ndef long = [" + '"x", '.repeat(50_000) + "]",
    garbage,
    "\u0000\u0001\u0002\uFFFF\uD800package",
    "",
    "package",
    "@@@@ @ @(\"",
    "/* never closed\npackage p",
    // nesting: at the parser's limit every feature walks it; past it, the declaration is E0105
    "package p\nrequest { action: String }\npermit r {\n  when " + Array.from({ length: 470 }, (_, i) => `action == "a${i}"`).join(" or ") + "\n}\n",
    "package p\nrequest { action: String }\npermit r {\n  when " + Array.from({ length: 3000 }, (_, i) => `action == "a${i}"`).join(" or ") + "\n}\n",
    "package p\ndef deep = " + "(".repeat(20_000) + "1" + ")".repeat(20_000),
  ];
  for (const [i, text] of docs.entries()) {
    const uri = client.uri(join(client.scratch, "hostile", `h${i}.edict`));
    client.open(uri, text);
    for (const offset of [0, 1, Math.floor(text.length / 2), text.length]) await askEverything(uri, text, offset, offset === text.length);
    await client.diagnosticsOf(uri);
    client.close(uri);
  }
  expectHealthy();
}, 120_000);
