// The extension's manifest (vscode-extension/package.json) against the code and files it names:
// every contributed command is registered in src/extension.ts (and nothing unlisted is), every
// activation event is one VS Code knows and points at something real, every setting the code
// reads is contributed, every path exists, and the declarative files behave: the language
// configuration's `///` continuation and indentation rules, and every snippet expands to Edict
// that parses.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SourceFile } from "../../compiler/source/source-file.ts";
import { parseFile } from "../../compiler/syntax/parse.ts";
import { expandSnippet } from "./expand-snippet.ts";

const root = join(import.meta.dirname, "..", "..");
const ext = join(root, "vscode-extension");
const manifest = JSON.parse(readFileSync(join(ext, "package.json"), "utf8"));
const source = readFileSync(join(ext, "src", "extension.ts"), "utf8");
const contributed: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
const settings = Object.keys(manifest.contributes.configuration.properties);

describe("manifest", () => {
  it("names the extension as the brief says", () => {
    expect(manifest.name).toBe("edict");
    expect(manifest.publisher).toBe("edict");
    expect(manifest.main).toBe("./dist/extension.js");
    expect(manifest.icon).toBe("images/icon.png");
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.devDependencies).toBeUndefined();
    expect(manifest.repository?.url).toBeTruthy();
  });

  it("asks for the VS Code version vscode-languageclient needs", () => {
    const client = JSON.parse(readFileSync(join(root, "node_modules", "vscode-languageclient", "package.json"), "utf8"));
    expect(manifest.engines.vscode).toBe(client.engines.vscode);
    const types = JSON.parse(readFileSync(join(root, "node_modules", "@types", "vscode", "package.json"), "utf8"));
    const [maj, min] = (manifest.engines.vscode as string).replace(/^\^/, "").split(".").map(Number);
    const [tMaj, tMin] = (types.version as string).split(".").map(Number);
    // The API the code is typed against may not be newer than the oldest VS Code it allows.
    expect(tMaj! * 1000 + tMin!).toBeLessThanOrEqual(maj! * 1000 + min!);
  });

  it("contributes the four commands, each registered in src/extension.ts", () => {
    expect(contributed.sort()).toEqual(["edict.compile", "edict.evaluateRequest", "edict.restartServer", "edict.runTests"]);
    const registered = [...source.matchAll(/registerCommand\(\s*"([^"]+)"/g)].map((m) => m[1]);
    expect(registered.sort()).toEqual([...contributed].sort());
    for (const c of manifest.contributes.commands) {
      expect(c.category).toBe("Edict");
      expect(c.title.length).toBeGreaterThan(0);
    }
  });

  it("has only valid activation events, each pointing at something contributed", () => {
    const events: string[] = manifest.activationEvents;
    expect(events).toContain("onLanguage:edict");
    for (const e of events) {
      const [kind, arg] = [e.slice(0, e.indexOf(":")), e.slice(e.indexOf(":") + 1)];
      expect(["onLanguage", "onCommand", "workspaceContains"], e).toContain(kind);
      if (kind === "onLanguage") expect(manifest.contributes.languages.map((l: { id: string }) => l.id)).toContain(arg);
      if (kind === "onCommand") expect(contributed).toContain(arg);
      if (kind === "workspaceContains") expect(arg).toMatch(/\*\*\/\*\.edict$/);
    }
    for (const c of contributed) expect(events).toContain(`onCommand:${c}`);
  });

  it("menus only name contributed commands", () => {
    for (const list of Object.values(manifest.contributes.menus) as { command: string }[][]) {
      for (const item of list) expect(contributed).toContain(item.command);
    }
  });

  it("contributes every setting the extension reads, and reads every setting it contributes", () => {
    const read = new Set<string>();
    for (const m of source.matchAll(/getConfiguration\("edict"\)\s*\.get<[^>]+>\("([^"]+)"/g)) read.add(`edict.${m[1]}`);
    for (const m of source.matchAll(/config\.get<[^>]+>\("([^"]+)"/g)) read.add(`edict.${m[1]}`);
    for (const m of source.matchAll(/affectsConfiguration\("([^"]+)"\)/g)) {
      expect(settings.some((s) => s === m[1] || s.startsWith(`${m[1]}.`)), m[1]).toBe(true);
    }
    expect(read.size).toBeGreaterThan(0);
    for (const k of read) expect(settings, k).toContain(k);
    // edict.trace.server is read by vscode-languageclient itself, for the client id `edict`.
    expect(source).toMatch(/new LanguageClient\("edict"/);
    for (const s of settings) if (s !== "edict.trace.server") expect(read, s).toContain(s);
    expect(manifest.contributes.configuration.properties["edict.trace.server"].enum).toEqual(["off", "messages", "verbose"]);
  });

  it("names files that exist", () => {
    const lang = manifest.contributes.languages[0];
    expect(lang.id).toBe("edict");
    expect(lang.extensions).toEqual([".edict"]);
    for (const p of [lang.configuration, lang.icon.light, lang.icon.dark, manifest.icon, ...manifest.contributes.grammars.map((g: { path: string }) => g.path), ...manifest.contributes.snippets.map((s: { path: string }) => s.path)]) {
      expect(existsSync(join(ext, p)), p).toBe(true);
    }
    const grammar = JSON.parse(readFileSync(join(ext, manifest.contributes.grammars[0].path), "utf8"));
    expect(grammar.scopeName).toBe(manifest.contributes.grammars[0].scopeName);
    for (const f of ["README.md", "CHANGELOG.md", "LICENSE"]) expect(existsSync(join(ext, f)), f).toBe(true);
  });

  it("builds the main entry and the server the client starts", () => {
    const build = readFileSync(join(ext, "build.mjs"), "utf8");
    expect(build).toContain('"extension.js"');
    expect(build).toContain('"server.js"');
    expect(source).toContain('join("dist", "server.js")');
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(pkg.scripts["package:vscode"]).toBe("node vscode-extension/package.mjs");
  });
});

describe("language configuration", () => {
  const config = JSON.parse(readFileSync(join(ext, "language-configuration.json"), "utf8"));

  it("continues /// doc comments on Enter, and only those", () => {
    const rule = config.onEnterRules.find((r: { action: { appendText?: string } }) => r.action.appendText === "/// ");
    const re = new RegExp(rule.beforeText);
    expect(re.test("/// Whether the user owns it.")).toBe(true);
    expect(re.test("  ///")).toBe(true);
    expect(re.test("// a plain comment")).toBe(false);
    expect(re.test("def x = 1")).toBe(false);
  });

  it("indents after an opening bracket and outdents on a closing one", () => {
    const inc = new RegExp(config.indentationRules.increaseIndentPattern);
    const dec = new RegExp(config.indentationRules.decreaseIndentPattern);
    for (const l of ["permit owner_reads {", "type User {", "  request {", "def xs = [", "  when count("]) expect(inc.test(l), l).toBe(true);
    for (const l of ["permit p { when true }", "  reason \"a {b} c\"", "def x = 1"]) expect(inc.test(l), l).toBe(false);
    for (const l of ["}", "  ]", ")"]) expect(dec.test(l), l).toBe(true);
    expect(dec.test("  when x")).toBe(false);
  });

  it("comments with // and /* */, and pairs every bracket", () => {
    expect(config.comments).toEqual({ lineComment: "//", blockComment: ["/*", "*/"] });
    const opens = config.autoClosingPairs.map((p: { open: string }) => p.open);
    for (const o of ["{", "[", "(", '"']) expect(opens).toContain(o);
  });
});

describe("snippets", () => {
  const snippets = JSON.parse(readFileSync(join(ext, "snippets", "edict.json"), "utf8")) as Record<string, { prefix: string; body: string[]; description: string }>;

  it("cover package, type, request, def, permit, forbid and test", () => {
    const prefixes = Object.values(snippets).map((s) => s.prefix);
    for (const p of ["package", "type", "request", "def", "permit", "forbid", "test"]) expect(prefixes).toContain(p);
  });

  for (const [name, s] of Object.entries(snippets)) {
    it(`"${name}" expands to Edict that parses`, () => {
      const body = expandSnippet(s.body.join("\n"));
      const text = s.prefix.startsWith("package") ? body : `package p\n\ntype User = { id: String }\ntype Resource = { id: String }\n\n${body}\n`;
      const parsed = parseFile(new SourceFile("snippet.edict", text));
      expect(parsed.diagnostics.map((d) => d.message), text).toEqual([]);
      expect(s.description.length).toBeGreaterThan(0);
    });
  }
});
