// One end-to-end test per language-server feature: a real client (vscode-jsonrpc) talks to
// the spawned `edict lsp --stdio`. Fixtures use `$0` cursor markers and `//- /file.edict`
// headers (helpers/fixture.ts).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LspClient } from "./helpers/lsp-client.ts";
import { applyEdits, textOf } from "./helpers/fixture.ts";

let client: LspClient;
beforeAll(async () => {
  client = await LspClient.start();
}, 120_000);
afterAll(async () => {
  await client?.stop();
});

const MODEL = `package docs

/// Someone signed in.
type User {
  id: String
  roles: Set<String>
  department: String
  manager?: String
}

request {
  principal: User
  action: "read" | "write" | "delete"
}

/// Whether the principal is an admin.
def is_admin = "admin" in principal.roles
`;

interface Item {
  label: string;
  kind?: number;
  textEdit?: { newText: string };
}
const labels = (items: Item[] | { items: Item[] } | null) => (Array.isArray(items) ? items : (items?.items ?? [])).map((i) => i.label);

describe("diagnostics", () => {
  test("are published for the file with the error, and re-published when a file of the package fixes it", async () => {
    await client.withFixture(
      `//- /a.edict
package diag
def known = true
//- /b.edict
package diag
permit r { when unknwn }
`,
      async (fx) => {
        const b = await client.diagnosticsOf(fx.uri("b.edict"), (d) => d.length > 0);
        expect(b[0]).toMatchObject({ code: "E0201", severity: 1, source: "edict" });
        expect(b[0]!.message).toContain("unknown name `unknwn`");
        expect(textOf(fx.text("b.edict"), b[0]!.range)).toBe("unknwn");
        // Declaring the name in the OTHER file of the package clears b's error.
        client.change(fx.uri("a.edict"), "package diag\ndef known = true\ndef unknwn = known\n");
        await client.diagnosticsOf(fx.uri("b.edict"), (d) => d.length === 0);
      },
    );
  });

  test("syntax errors are reported while typing", async () => {
    await client.withFixture(`package syn\npermit r {\n  when "abc\n`, async (fx) => {
      const d = await client.diagnosticsOf(fx.uri(), (d) => d.length > 0);
      expect(d.map((x) => x.code)).toContain("E0102");
    });
  });
});

describe("completion", () => {
  test("attributes and methods by static type after `.`", async () => {
    await client.withFixture(`${MODEL}\npermit r { when principal.$0 }\n`, async (fx) => {
      const items = labels(await fx.request("textDocument/completion"));
      expect(items).toEqual(expect.arrayContaining(["id", "roles", "department", "manager"]));
      expect(items).not.toContain("lower");
    });
  });

  test("after `.` in a document that does not parse", async () => {
    await client.withFixture(`${MODEL}\npermit r {\n  when principal.roles.$0\n\npermit other { when`, async (fx) => {
      const items = labels(await fx.request("textDocument/completion"));
      expect(items).toEqual(expect.arrayContaining(["contains", "containsAny", "size", "isEmpty"]));
    });
  });

  test("after `.` on a quantifier binding in a broken document", async () => {
    await client.withFixture(
      `package q\ntype G { name: String, size: Number }\nrequest { groups: List<G> }\npermit r {\n  when some g in groups: g.$0\n`,
      async (fx) => {
        const items = labels(await fx.request("textDocument/completion"));
        expect(items).toEqual(expect.arrayContaining(["name", "size"]));
      },
    );
  });

  test("enum values inside a string after `==` and in a list after `in`", async () => {
    await client.withFixture(`${MODEL}\npermit r { when action == "$0" }\npermit s { when action in ["read", "$1"] }\n`, async (fx) => {
      expect(labels(await fx.request("textDocument/completion"))).toEqual(["read", "write", "delete"]);
      expect(labels(await fx.request("textDocument/completion", 1))).toEqual(["read", "write", "delete"]);
    });
  });

  test("annotation names and values", async () => {
    await client.withFixture(`package ann\n@$0\n@severity("$1")\nforbid r { when true }\n`, async (fx) => {
      expect(labels(await fx.request("textDocument/completion"))).toEqual(expect.arrayContaining(["id", "owner", "severity", "notify", "enforce"]));
      expect(labels(await fx.request("textDocument/completion", 1))).toEqual(["low", "medium", "high", "critical"]);
    });
  });

  test("rule names after `by` in a test", async () => {
    await client.withFixture(`package bytest\npermit alpha { when true }\nforbid beta { when false }\ntest "t" {\n  request {}\n  expect allow by $0\n}\n`, async (fx) => {
      expect(labels(await fx.request("textDocument/completion"))).toEqual(["alpha", "beta"]);
    });
  });

  test("type names in type positions", async () => {
    await client.withFixture(`package ty\ntype Account { id: String }\ntype T {\n  a: $0\n}\ndef f(x: $1) = x\n`, async (fx) => {
      for (const n of [0, 1]) {
        const items = labels(await fx.request("textDocument/completion", n));
        expect(items).toEqual(expect.arrayContaining(["String", "Number", "Bool", "Time", "Duration", "Ip", "Any", "Account"]));
        expect(items).not.toContain("when");
      }
    });
  });

  test("inside a reason template's `{...}` and as keys of a test's request", async () => {
    await client.withFixture(`${MODEL}\npermit r {\n  when true\n  reason "{principal.$0} is here"\n}\ntest "t" {\n  request { $1 }\n  expect deny\n}\n`, async (fx) => {
      expect(labels(await fx.request("textDocument/completion"))).toEqual(expect.arrayContaining(["id", "roles"]));
      expect(labels(await fx.request("textDocument/completion", 1))).toEqual(["principal", "action"]);
    });
  });

  test("keywords and snippets at the top level, clauses and names in scope in a rule", async () => {
    await client.withFixture(`${MODEL}\n$0\npermit r {\n  let dept = principal.department\n  $1\n}\n`, async (fx) => {
      const top = labels(await fx.request("textDocument/completion"));
      expect(top).toEqual(expect.arrayContaining(["permit", "forbid", "def", "type", "request", "test"]));
      const inRule = labels(await fx.request("textDocument/completion", 1));
      expect(inRule).toEqual(expect.arrayContaining(["when", "unless", "let", "reason", "dept", "principal", "action", "is_admin", "ip", "some"]));
    });
  });
});

describe("hover", () => {
  test("shows the type, the doc comment and the location of a def", async () => {
    await client.withFixture(`${MODEL}\npermit r { when is_ad$0min }\n`, async (fx) => {
      const h = await fx.request<{ contents: { value: string } }>("textDocument/hover");
      expect(h.contents.value).toContain("def is_admin: Bool");
      expect(h.contents.value).toContain("Whether the principal is an admin.");
      expect(h.contents.value).toMatch(/main\.edict:17/);
    });
  });

  test("shows a rule's annotations and a field's type", async () => {
    await client.withFixture(`${MODEL}\n@id("X-1")\npermit r$0ule { when principal.rol$1es.isEmpty() }\n`, async (fx) => {
      const rule = await fx.request<{ contents: { value: string } }>("textDocument/hover");
      expect(rule.contents.value).toContain("permit rule");
      expect(rule.contents.value).toContain('@id("X-1")');
      const field = await fx.request<{ contents: { value: string } }>("textDocument/hover", 1);
      expect(field.contents.value).toContain("roles: Set<String>");
    });
  });
});

describe("navigation", () => {
  test("go to definition across files: defs, types, fields, rules, params, locals", async () => {
    await client.withFixture(
      `//- /model.edict
${MODEL}def owns(u: User) = u$5.id == "x"
//- /rules.edict
package docs
permit r {
  let d = principal.depa$1rtment
  when is_adm$0in and d$2 == "x" and owns(principal)
}
test "t" {
  request { principal: { id: "a", roles: [], department: "x" }, action: "read" }
  expect allow by r$3
}
type Other { u: Us$4er }
`,
      async (fx) => {
        const where = async (n: number) => {
          const locs = await fx.request<{ uri: string; range: never }[]>("textDocument/definition", n);
          expect(locs).toHaveLength(1);
          return `${fx.nameOf(locs[0]!.uri)}:${textOf(fx.text(fx.nameOf(locs[0]!.uri)), locs[0]!.range)}`;
        };
        expect(await where(0)).toBe("model.edict:is_admin");
        expect(await where(1)).toBe("model.edict:department");
        expect(await where(2)).toBe("rules.edict:d");
        expect(await where(3)).toBe("rules.edict:r");
        expect(await where(4)).toBe("model.edict:User");
        expect(await where(5)).toBe("model.edict:u");
      },
    );
  });

  test("references and document highlights", async () => {
    await client.withFixture(`//- /a.edict\n${MODEL}\n//- /b.edict\npackage docs\npermit r { when is_admin$0 }\nforbid f { unless is_admin }\n`, async (fx) => {
      const refs = await fx.request<{ uri: string }[]>("textDocument/references", 0, { context: { includeDeclaration: true } });
      expect(refs.map((r) => fx.nameOf(r.uri)).sort()).toEqual(["a.edict", "b.edict", "b.edict"]);
      const noDecl = await fx.request<unknown[]>("textDocument/references", 0, { context: { includeDeclaration: false } });
      expect(noDecl).toHaveLength(2);
      const hl = await fx.request<unknown[]>("textDocument/documentHighlight");
      expect(hl).toHaveLength(2);
    });
  });
});

describe("rename", () => {
  test("prepareRename and rename across files", async () => {
    await client.withFixture(`//- /a.edict\n${MODEL}\n//- /b.edict\npackage docs\npermit r { when is_admin$0 }\npermit s { when ip$1("10.0.0.1").isPrivate() }\n`, async (fx) => {
      const prep = await fx.request<{ placeholder: string }>("textDocument/prepareRename");
      expect(prep.placeholder).toBe("is_admin");
      expect(await fx.request("textDocument/prepareRename", 1)).toBeNull();
      const edit = await fx.request<{ changes: Record<string, never[]> }>("textDocument/rename", 0, { newName: "admin" });
      expect(applyEdits(fx.text("a.edict"), edit.changes[fx.uri("a.edict")]!)).toContain("def admin = ");
      expect(applyEdits(fx.text("b.edict"), edit.changes[fx.uri("b.edict")]!)).toContain("when admin }");
      await expect(fx.request("textDocument/rename", 0, { newName: "when" })).rejects.toThrow(/keyword/);
    });
  });
});

describe("symbols", () => {
  test("document outline with children and workspace symbols", async () => {
    await client.withFixture(`${MODEL}\npermit r {\n  let d = 1\n  when d == 1\n}\ntest "t" {\n  request {}\n  expect deny\n}\n`, async (fx) => {
      const syms = await client.request<{ name: string; children?: { name: string }[] }[]>("textDocument/documentSymbol", { textDocument: { uri: fx.uri() } });
      expect(syms.map((s) => s.name)).toEqual(["docs", "User", "request", "is_admin", "r", "t"]);
      expect(syms[1]!.children!.map((c) => c.name)).toEqual(["id", "roles", "department", "manager"]);
      expect(syms[4]!.children!.map((c) => c.name)).toEqual(["d"]);
      const ws = await client.request<{ name: string }[]>("workspace/symbol", { query: "isadm" });
      expect(ws.map((s) => s.name)).toContain("is_admin");
    });
  });
});

describe("formatting", () => {
  test("whole document and range, the same formatter as `edict fmt`", async () => {
    const messy = `package   fmt\npermit   r {   when   true   }\ndef  x  =  1\n`;
    await client.withFixture(messy, async (fx) => {
      const edits = await client.request<never[]>("textDocument/formatting", { textDocument: { uri: fx.uri() }, options: { tabSize: 2, insertSpaces: true } });
      expect(applyEdits(messy, edits)).toBe("package fmt\n\npermit r {\n  when true\n}\n\ndef x = 1\n");
      const range = { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } };
      const r = await client.request<never[]>("textDocument/rangeFormatting", { textDocument: { uri: fx.uri() }, range, options: { tabSize: 2, insertSpaces: true } });
      const out = applyEdits(messy, r);
      expect(out).toContain("def x = 1");
      expect(out).toContain("permit   r {   when   true   }");
    });
  });

  test("a file with syntax errors is left alone", async () => {
    await client.withFixture(`package   fmt2\npermit r {`, async (fx) => {
      const edits = await client.request<never[]>("textDocument/formatting", { textDocument: { uri: fx.uri() }, options: { tabSize: 2, insertSpaces: true } });
      expect(edits).toEqual([]);
    });
  });
});

describe("semantic tokens", () => {
  test("classify keywords, types, properties, rules and comments", async () => {
    await client.withFixture(`${MODEL}// note\npermit r { when principal.roles.isEmpty() }\n`, async (fx) => {
      const legend = ["namespace", "type", "class", "parameter", "variable", "property", "function", "method", "keyword", "comment", "string", "number", "operator", "decorator", "enumMember"];
      const res = await client.request<{ data: number[] }>("textDocument/semanticTokens/full", { textDocument: { uri: fx.uri() } });
      const text = fx.text();
      const lines = text.split("\n");
      const found: string[] = [];
      let line = 0;
      let ch = 0;
      for (let i = 0; i < res.data.length; i += 5) {
        const [dl, dc, len, type] = res.data.slice(i, i + 4) as [number, number, number, number];
        line += dl;
        ch = dl === 0 ? ch + dc : dc;
        found.push(`${lines[line]!.slice(ch, ch + len)}:${legend[type]}`);
      }
      expect(found).toEqual(expect.arrayContaining(["package:keyword", "docs:namespace", "User:type", "roles:property", "r:class", "// note:comment", "isEmpty:method", '"admin":string', "is_admin:variable"]));
    });
  });
});

describe("code actions", () => {
  test("did-you-mean, `has` guard, create def, remove unused def", async () => {
    await client.withFixture(`${MODEL}\npermit r { when is_admn$0 }\npermit s { when principal.manager$1 == "x" }\npermit t { when brand_new$2 }\ndef unused$3 = 1\n`, async (fx) => {
      await client.diagnosticsOf(fx.uri(), (d) => d.length >= 4);
      const titles = async (n: number) => {
        const p = fx.at(n);
        const actions = await client.request<{ title: string; edit: { changes: Record<string, never[]> } }[]>("textDocument/codeAction", {
          textDocument: p.textDocument,
          range: { start: p.position, end: p.position },
          context: { diagnostics: [] },
        });
        return actions;
      };
      const dym = await titles(0);
      expect(dym.map((a) => a.title)).toContain("change to `is_admin`");
      expect(applyEdits(fx.text(), dym[0]!.edit.changes[fx.uri()]!)).toContain("when is_admin }");
      expect((await titles(1)).map((a) => a.title)).toContain("guard with `principal has manager`");
      const create = (await titles(2)).find((a) => a.title === "create def `brand_new`")!;
      expect(applyEdits(fx.text(), create.edit.changes[fx.uri()]!)).toContain("def brand_new = false");
      const remove = (await titles(3)).find((a) => a.title === "remove def `unused`")!;
      expect(applyEdits(fx.text(), remove.edit.changes[fx.uri()]!)).not.toContain("def unused");
    });
  });
});

describe("folding, signature help, inlay hints", () => {
  test("folding ranges for declarations, records and comment runs", async () => {
    await client.withFixture(`package fold\n// one\n// two\npermit r {\n  when true\n}\n`, async (fx) => {
      const folds = await client.request<{ startLine: number; endLine: number; kind?: string }[]>("textDocument/foldingRange", { textDocument: { uri: fx.uri() } });
      expect(folds).toEqual(expect.arrayContaining([{ startLine: 1, endLine: 2, kind: "comment" }, expect.objectContaining({ startLine: 3, endLine: 5 })]));
    });
  });

  test("signature help for builtins, methods and defs", async () => {
    await client.withFixture(`${MODEL}def within(x: Number, lo: Number) = x > lo\npermit r { when ip($0) and principal.roles.containsAny($1) and within(1, $2) }\n`, async (fx) => {
      const sig = async (n: number) => (await fx.request<{ signatures: { label: string }[]; activeParameter: number }>("textDocument/signatureHelp", n));
      expect((await sig(0)).signatures[0]!.label).toBe("ip(text: String): Ip");
      expect((await sig(1)).signatures[0]!.label).toBe("containsAny(other: Set<String>): Bool");
      const d = await sig(2);
      expect(d.signatures[0]!.label).toBe("within(x: Number, lo: Number): Bool");
      expect(d.activeParameter).toBe(1);
    });
  });

  test("inlay hints show inferred types of let and def", async () => {
    await client.withFixture(`${MODEL}permit r {\n  let n = principal.roles.size()\n  when n > 1\n}\n`, async (fx) => {
      const hints = await client.request<{ label: string; position: { line: number } }[]>("textDocument/inlayHint", {
        textDocument: { uri: fx.uri() },
        range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } },
      });
      expect(hints.map((h) => h.label)).toEqual([": Bool", ": Number"]);
    });
  });
});

describe("code lenses", () => {
  test("run test with its result, and rule coverage", async () => {
    await client.withFixture(
      `package lens\nrequest { role: String }\npermit admins { when role == "admin" }\nforbid never { when false }\ntest "admin passes" {\n  request { role: "admin" }\n  expect allow by admins\n}\ntest "guest fails" {\n  request { role: "guest" }\n  expect allow\n}\n`,
      async (fx) => {
        await client.diagnosticsOf(fx.uri());
        const lenses = await client.request<{ command: { title: string; command: string; arguments?: unknown[] } }[]>("textDocument/codeLens", { textDocument: { uri: fx.uri() } });
        const titles = lenses.map((l) => l.command.title);
        expect(titles).toEqual(["covered by 1 test", "not covered by any test", "▶ Run test · ✓ passes", "▶ Run test · ✗ fails: expected allow, got deny"]);
        const run = lenses[3]!.command;
        const result = await client.request<{ passed: boolean; message: string }>("workspace/executeCommand", { command: run.command, arguments: run.arguments });
        expect(result).toEqual({ passed: false, message: 'test "guest fails" ✗ fails: expected allow, got deny' });
      },
    );
  });
});

describe("large packages", () => {
  test("an edit is checked quickly against the other files' declarations, then fully when idle", async () => {
    const rules = Array.from({ length: 320 }, (_, i) => `permit r${i} { when role == "x${i}" }`).join("\n");
    await client.withFixture(
      `//- /big.edict\npackage large\nrequest { role: String }\ndef helper = role == "admin"\n${rules}\n//- /edit.edict\npackage large\ndef unused_here = 1\npermit mine { when helper and unknwn }\ntest "t" {\n  request { role: "x1" }\n  expect allow by r1, mine\n}\n`,
      async (fx) => {
        const uri = fx.uri("edit.edict");
        await client.diagnosticsOf(uri, (d) => d.some((x) => x.code === "E0201"));
        client.change(uri, fx.text("edit.edict").replace("unknwn", "unknown_two"));
        // Quick: the unknown name, but no false "unknown rule r1" (a rule of the other file).
        const quick = await client.diagnosticsOf(uri, (d) => d.some((x) => x.message.includes("unknown_two")));
        expect(quick.map((d) => d.code)).not.toContain("E0205");
        // Full (after the idle delay): the unused def too.
        const full = await client.diagnosticsOf(uri, (d) => d.some((x) => x.code === "W0001"));
        expect(full.map((d) => d.code).sort()).toEqual(["E0201", "W0001"]);
        const hover = await client.request<{ contents: { value: string } }>("textDocument/hover", { textDocument: { uri }, position: { line: 2, character: 22 } });
        expect(hover.contents.value).toContain("def helper: Bool");
      },
    );
  });
});
