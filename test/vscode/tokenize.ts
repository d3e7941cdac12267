// Tokenizing Edict with the extension's TextMate grammar through vscode-textmate and
// vscode-oniguruma: the same engine and regex library VS Code uses, so what these tests see is
// what an editor shows. Owns: loading the grammar once and rendering tokens as golden text.
// Golden format: for each source line, `N: <line>` then one `  "text" => scopes` per token
// (the root scope `source.edict` left out; whitespace-only tokens with no other scope skipped).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import oniguruma from "vscode-oniguruma";
import textmate from "vscode-textmate";

const root = join(import.meta.dirname, "..", "..");
export const GRAMMAR_PATH = join(root, "vscode-extension", "syntaxes", "edict.tmLanguage.json");

let grammarPromise: Promise<textmate.IGrammar> | undefined;

export function loadGrammar(): Promise<textmate.IGrammar> {
  grammarPromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasm = readFileSync(join(require.resolve("vscode-oniguruma/package.json"), "..", "release", "onig.wasm"));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
    const registry = new textmate.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) =>
        scopeName === "source.edict" ? textmate.parseRawGrammar(readFileSync(GRAMMAR_PATH, "utf8"), GRAMMAR_PATH) : null,
    });
    const grammar = await registry.loadGrammar("source.edict");
    if (!grammar) throw new Error("the Edict grammar did not load");
    return grammar;
  })();
  return grammarPromise;
}

export interface LineTokens {
  readonly line: string;
  readonly tokens: readonly { readonly text: string; readonly scopes: readonly string[] }[];
}

export function tokenize(grammar: textmate.IGrammar, text: string): LineTokens[] {
  let state = textmate.INITIAL;
  const out: LineTokens[] = [];
  for (const line of text.split(/\r?\n/)) {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    out.push({
      line,
      tokens: r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes })),
    });
  }
  return out;
}

export function renderGolden(lines: readonly LineTokens[]): string {
  const out: string[] = [];
  lines.forEach((l, i) => {
    out.push(`${i + 1}: ${l.line}`);
    for (const t of l.tokens) {
      const scopes = t.scopes.filter((s) => s !== "source.edict");
      if (scopes.length === 0 && t.text.trim() === "") continue;
      out.push(`  ${JSON.stringify(t.text)} => ${scopes.join(" ") || "(none)"}`);
    }
  });
  return out.join("\n") + "\n";
}
