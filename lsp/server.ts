// The Edict language server. Owns: the LSP wiring: capabilities, document sync, the debounced
// diagnostics loop, and one guarded handler per feature (each feature is a pure function in
// lsp/features/ over an immutable ProgramSnapshot; convert.ts turns spans into LSP ranges).
// Entry points: `edict lsp --stdio` (cli/commands/lsp.ts) and `startServer(connection)` for the
// VS Code extension, which bundles this file.
// INVARIANT: no handler can take the server down (guard.ts); requests read a snapshot taken
// when they start, so edits arriving meanwhile never change what they see.
import { relative } from "node:path";
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  DocumentHighlightKind,
  FileChangeType,
  InlayHintKind,
  MarkupKind,
  ResponseError,
  SymbolKind,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeAction,
  type CompletionItem,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type Location,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { ProgramSnapshot } from "../compiler/program.ts";
import type { TextEdit } from "../compiler/diagnostics/diagnostic.ts";
import type { Span } from "../compiler/source/span.ts";
import { pathToUri, toLspDiagnostic, toOffset, toRange } from "./convert.ts";
import { guard } from "./guard.ts";
import { codeActions } from "./features/code-actions.ts";
import { codeLenses, RUN_TEST_COMMAND, runOneTest } from "./features/code-lens.ts";
import { complete, type CompletionKind } from "./features/completion.ts";
import { foldingRanges } from "./features/folding.ts";
import { formatDocument, formatDocumentRange } from "./features/formatting.ts";
import { hover } from "./features/hover.ts";
import { inlayHints } from "./features/inlay-hints.ts";
import { definition, documentHighlights, references } from "./features/navigation.ts";
import { prepareRename, rename, RenameError } from "./features/rename.ts";
import { semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES } from "./features/semantic-tokens.ts";
import { signatureHelp } from "./features/signature-help.ts";
import { documentSymbols, workspaceSymbols, type OutlineKind, type OutlineSymbol } from "./features/symbols.ts";
import { DiagnosticsLoop } from "./diagnostics-loop.ts";
import { Workspace } from "./workspace.ts";

export interface ServerSettings {
  /** Delay between the last edit and re-checking (ms). `initializationOptions.debounceMs`. */
  debounceMs: number;
  /** Show "Run test" / "covered by N tests" lenses. `initializationOptions.codeLens`. */
  codeLens: boolean;
  /** Show inferred types of `let` and `def`. `initializationOptions.inlayHints`. */
  inlayHints: boolean;
  /** Idle time before the full check of a large package (ms). `initializationOptions.fullCheckDelayMs`. */
  fullCheckDelayMs: number;
}

const DEFAULTS: ServerSettings = { debounceMs: 150, codeLens: true, inlayHints: true, fullCheckDelayMs: 400 };

const COMPLETION_KINDS: Record<CompletionKind, number> = {
  keyword: 14, snippet: 15, variable: 6, function: 3, field: 5, method: 2, type: 7, enum: 20, rule: 9, annotation: 12, value: 12, module: 9,
};
const OUTLINE_KINDS: Record<OutlineKind, SymbolKind> = {
  package: SymbolKind.Package, type: SymbolKind.Struct, request: SymbolKind.Interface, field: SymbolKind.Field, def: SymbolKind.Constant,
  function: SymbolKind.Function, rule: SymbolKind.Event, local: SymbolKind.Variable, test: SymbolKind.Method,
};

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const ws = new Workspace();
  const settings: ServerSettings = { ...DEFAULTS };
  const log = (m: string) => connection.console.error(m);
  let watchRegistration = false;

  const rel = (file: string) => {
    for (const f of ws.workspaceFolders) {
      const r = relative(f, file);
      if (!r.startsWith("..")) return r;
    }
    return file;
  };
  const keyOf = (uri: string) => ws.keyOf(uri);
  const range = (snap: ProgramSnapshot, span: Span) => {
    const src = snap.source(span.file);
    return src ? toRange(src, span) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  };
  const location = (snap: ProgramSnapshot, span: Span): Location => ({ uri: pathToUri(span.file), range: range(snap, span) });
  const edit = (snap: ProgramSnapshot, e: TextEdit): LspTextEdit => ({ range: range(snap, e.span), newText: e.newText });
  const workspaceEdit = (snap: ProgramSnapshot, edits: readonly TextEdit[]): WorkspaceEdit => {
    const changes: Record<string, LspTextEdit[]> = {};
    for (const e of edits) (changes[pathToUri(e.span.file)] ??= []).push(edit(snap, e));
    return { changes };
  };
  /** The snapshot and offset of a request position. */
  const at = (uri: string, position: { line: number; character: number }) => {
    const snap = ws.snapshot();
    const file = keyOf(uri);
    const src = snap.source(file);
    return src ? { snap, file, offset: toOffset(src, position) } : undefined;
  };

  const diagnostics = new DiagnosticsLoop(ws, settings, log, (uri, list) => {
    const doc = documents.get(uri);
    void connection.sendDiagnostics({ uri, diagnostics: list, ...(doc ? { version: doc.version } : {}) });
  });
  const schedule = (key?: string) => diagnostics.schedule(key);

  // ---------------------------------------------------------------- lifecycle
  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const opts = (params.initializationOptions ?? {}) as Partial<ServerSettings>;
    if (typeof opts.debounceMs === "number" && opts.debounceMs >= 0) settings.debounceMs = opts.debounceMs;
    if (typeof opts.codeLens === "boolean") settings.codeLens = opts.codeLens;
    if (typeof opts.inlayHints === "boolean") settings.inlayHints = opts.inlayHints;
    if (typeof opts.fullCheckDelayMs === "number" && opts.fullCheckDelayMs >= 0) settings.fullCheckDelayMs = opts.fullCheckDelayMs;
    const folders = (params.workspaceFolders ?? []).map((f) => keyOf(f.uri));
    if (folders.length === 0 && params.rootUri) folders.push(keyOf(params.rootUri));
    else if (folders.length === 0 && params.rootPath) folders.push(params.rootPath);
    try {
      ws.setFolders(folders);
    } catch (e) {
      log(`edict: indexing the workspace failed: ${String(e)}`);
    }
    watchRegistration = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [".", "@", '"', "{"], resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] }, full: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        foldingRangeProvider: true,
        signatureHelpProvider: { triggerCharacters: ["(", ","], retriggerCharacters: [","] },
        codeLensProvider: { resolveProvider: false },
        inlayHintProvider: true,
        executeCommandProvider: { commands: [RUN_TEST_COMMAND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: "edict", version: "0.1.0" },
    };
  });

  connection.onInitialized(() => {
    schedule();
    if (watchRegistration) {
      connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: "**/*.edict" }] }).catch((e: unknown) => log(`edict: watching files failed: ${String(e)}`));
    }
    try {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const folders = ws.workspaceFolders.filter((f) => !e.removed.some((r) => keyOf(r.uri) === f));
        for (const a of e.added) folders.push(keyOf(a.uri));
        ws.setFolders(folders);
        schedule();
      });
    } catch {
      // The client does not support workspace folder changes.
    }
  });

  documents.onDidChangeContent((e) => {
    const t0 = performance.now();
    const key = keyOf(e.document.uri);
    ws.changeDocument(key, e.document.getText());
    // Re-parsing is part of the work a keystroke causes: counted with the next diagnostics run.
    diagnostics.addUpdateTime(performance.now() - t0);
    schedule(key);
  });
  documents.onDidClose((e) => {
    const key = keyOf(e.document.uri);
    ws.closeDocument(key);
    schedule(key);
  });
  connection.onDidChangeWatchedFiles((params) => {
    for (const c of params.changes) {
      const key = keyOf(c.uri);
      if (!key.endsWith(".edict")) continue;
      if (c.type === FileChangeType.Deleted) ws.diskDeleted(key);
      else ws.diskChanged(key);
      schedule(key);
    }
  });
  connection.onRequest("edict/stats", () => ({ ...diagnostics.statistics(), files: ws.snapshot().paths().length, program: ws.program.stats, rss: process.memoryUsage().rss }));

  // ---------------------------------------------------------------- features
  connection.onCompletion(
    guard("completion", log, [] as CompletionItem[], (p) => {
      const a = at(p.textDocument.uri, p.position);
      if (!a) return [];
      const r = complete(a.snap, a.file, a.offset, ws.lastGoodFor(a.file));
      const rng = range(a.snap, r.replace);
      return r.items.map((it, i): CompletionItem => ({
        label: it.label,
        kind: COMPLETION_KINDS[it.kind] as CompletionItem["kind"],
        ...(it.detail ? { detail: it.detail } : {}),
        ...(it.documentation ? { documentation: { kind: MarkupKind.Markdown, value: it.documentation } } : {}),
        textEdit: { range: rng, newText: it.insertText ?? it.label },
        ...(it.snippet ? { insertTextFormat: 2 } : {}),
        sortText: `${it.sortText ?? "3"}${String(i).padStart(4, "0")}`,
        filterText: it.label,
      }));
    }),
  );

  connection.onHover(
    guard("hover", log, null, (p) => {
      const a = at(p.textDocument.uri, p.position);
      const h = a && hover(a.snap, a.file, a.offset, rel);
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: range(a.snap, h.span) } : null;
    }),
  );

  connection.onDefinition(
    guard("definition", log, [] as Location[], (p) => {
      const a = at(p.textDocument.uri, p.position);
      return a ? definition(a.snap, a.file, a.offset).map((s) => location(a.snap, s)) : [];
    }),
  );

  connection.onReferences(
    guard("references", log, [] as Location[], (p) => {
      const a = at(p.textDocument.uri, p.position);
      return a ? references(a.snap, a.file, a.offset, p.context.includeDeclaration).map((s) => location(a.snap, s)) : [];
    }),
  );

  connection.onDocumentHighlight(
    guard("documentHighlight", log, [], (p) => {
      const a = at(p.textDocument.uri, p.position);
      return a
        ? documentHighlights(a.snap, a.file, a.offset).map((h) => ({ range: range(a.snap, h.span), kind: h.write ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }))
        : [];
    }),
  );

  connection.onPrepareRename(
    guard("prepareRename", log, null, (p) => {
      const a = at(p.textDocument.uri, p.position);
      const r = a && prepareRename(a.snap, a.file, a.offset);
      return r ? { range: range(a.snap, r.span), placeholder: r.placeholder } : null;
    }),
  );

  connection.onRenameRequest(async (p, token) => {
    // Not through guard(): a bad name must reach the user as an error, not as "no edits".
    try {
      if (token.isCancellationRequested) return null;
      const a = at(p.textDocument.uri, p.position);
      return a ? workspaceEdit(a.snap, rename(a.snap, a.file, a.offset, p.newName)) : null;
    } catch (e) {
      if (e instanceof RenameError) return new ResponseError(-32602, e.message);
      log(`edict: rename failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return null;
    }
  });

  connection.onDocumentSymbol(
    guard("documentSymbol", log, [], (p) => {
      const snap = ws.snapshot();
      const conv = (s: OutlineSymbol): import("vscode-languageserver").DocumentSymbol => ({
        name: s.name,
        kind: OUTLINE_KINDS[s.kind],
        ...(s.detail ? { detail: s.detail } : {}),
        range: range(snap, s.span),
        selectionRange: range(snap, s.selection),
        children: s.children.map(conv),
      });
      return documentSymbols(snap, keyOf(p.textDocument.uri)).map(conv);
    }),
  );

  connection.onWorkspaceSymbol(
    guard("workspaceSymbol", log, [], (p) => {
      const snap = ws.snapshot();
      return workspaceSymbols(snap, p.query).map((s) => ({
        name: s.name,
        kind: OUTLINE_KINDS[s.kind],
        location: location(snap, s.span),
        ...(s.container ? { containerName: s.container } : {}),
      }));
    }),
  );

  connection.onDocumentFormatting(
    guard("formatting", log, [] as LspTextEdit[], (p) => {
      const snap = ws.snapshot();
      return formatDocument(snap, keyOf(p.textDocument.uri)).map((e) => edit(snap, e));
    }),
  );

  connection.onDocumentRangeFormatting(
    guard("rangeFormatting", log, [] as LspTextEdit[], (p) => {
      const snap = ws.snapshot();
      const file = keyOf(p.textDocument.uri);
      const src = snap.source(file);
      if (!src) return [];
      return formatDocumentRange(snap, file, toOffset(src, p.range.start), toOffset(src, p.range.end)).map((e) => edit(snap, e));
    }),
  );

  connection.languages.semanticTokens.on(
    guard("semanticTokens", log, { data: [] as number[] }, (p) => ({ data: semanticTokens(ws.snapshot(), keyOf(p.textDocument.uri)) })),
  );

  connection.onCodeAction(
    guard("codeAction", log, [] as CodeAction[], (p) => {
      const snap = ws.snapshot();
      const file = keyOf(p.textDocument.uri);
      const src = snap.source(file);
      if (!src) return [];
      return codeActions(snap, file, toOffset(src, p.range.start), toOffset(src, p.range.end)).map((a) => ({
        title: a.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [toLspDiagnostic(a.diagnostic, (f) => snap.source(f))!].filter(Boolean),
        edit: workspaceEdit(snap, a.edits),
        ...(a.preferred ? { isPreferred: true } : {}),
      }));
    }),
  );

  connection.onFoldingRanges(
    guard("foldingRange", log, [], (p) => foldingRanges(ws.snapshot(), keyOf(p.textDocument.uri)).map((f) => ({ startLine: f.startLine, endLine: f.endLine, ...(f.kind ? { kind: f.kind } : {}) }))),
  );

  connection.onSignatureHelp(
    guard("signatureHelp", log, null, (p) => {
      const a = at(p.textDocument.uri, p.position);
      const s = a && signatureHelp(a.snap, a.file, a.offset, ws.lastGoodFor(a.file));
      if (!s) return null;
      return {
        signatures: [{ label: s.label, parameters: s.params.map((label) => ({ label })), ...(s.documentation ? { documentation: { kind: MarkupKind.Markdown, value: s.documentation } } : {}) }],
        activeSignature: 0,
        activeParameter: Math.min(s.active, Math.max(0, s.params.length - 1)),
      };
    }),
  );

  connection.onCodeLens(
    guard("codeLens", log, [], async (p) => {
      if (!settings.codeLens) return [];
      const snap = ws.snapshot();
      const lenses = await codeLenses(snap, keyOf(p.textDocument.uri));
      return lenses.map((l) => ({
        range: range(snap, l.span),
        command: { title: l.title, command: l.command?.name ?? "", ...(l.command ? { arguments: l.command.args.map((x, i) => (i === 0 ? pathToUri(String(x)) : x)) } : {}) },
      }));
    }),
  );

  connection.onExecuteCommand(
    guard("executeCommand", log, null, async (p) => {
      if (p.command !== RUN_TEST_COMMAND) return null;
      const [uri, name] = (p.arguments ?? []) as [string, string];
      if (typeof uri !== "string" || typeof name !== "string") return null;
      const result = await runOneTest(ws.snapshot(), keyOf(uri), name);
      if (result.passed) void connection.window.showInformationMessage(result.message);
      else void connection.window.showErrorMessage(result.message);
      return result;
    }),
  );

  connection.languages.inlayHint.on(
    guard("inlayHint", log, [], (p) => {
      if (!settings.inlayHints) return [];
      const snap = ws.snapshot();
      const file = keyOf(p.textDocument.uri);
      const src = snap.source(file);
      if (!src) return [];
      return inlayHints(snap, file, toOffset(src, p.range.start), toOffset(src, p.range.end)).map((h) => ({
        position: range(snap, { file, start: h.offset, end: h.offset }).start,
        label: h.label,
        kind: InlayHintKind.Type,
      }));
    }),
  );

  documents.listen(connection);
  connection.listen();
}
