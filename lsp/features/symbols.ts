// Outline and workspace symbols. Owns: the document outline (package, types with their fields,
// the request with its fields, defs, rules with their `for`/`let` bindings, tests) and the
// workspace-wide symbol search over every file of the snapshot.
// Input: a snapshot and a file (or a query). Output: plain trees with spans.
import type { ProgramSnapshot } from "../../compiler/program.ts";
import type { Span } from "../../compiler/source/span.ts";
import type { Decl, FieldDecl, TypeExpr } from "../../compiler/syntax/ast.ts";
import type { ParsedFile } from "../../compiler/syntax/parsed-file.ts";

export type OutlineKind = "package" | "type" | "request" | "field" | "def" | "function" | "rule" | "local" | "test";

export interface OutlineSymbol {
  readonly name: string;
  readonly kind: OutlineKind;
  readonly detail?: string;
  /** The whole declaration. */
  readonly span: Span;
  /** The name (contained in `span`). */
  readonly selection: Span;
  readonly children: OutlineSymbol[];
}

export function documentSymbols(snapshot: ProgramSnapshot, file: string): OutlineSymbol[] {
  const parsed = snapshot.parsed(file);
  return parsed ? outline(parsed) : [];
}

function sym(name: string, kind: OutlineKind, span: Span, selection: Span | undefined, children: OutlineSymbol[] = [], detail?: string): OutlineSymbol {
  // LSP requires the selection inside the range; a recovered tree may not guarantee it.
  const sel = selection && selection.start >= span.start && selection.end <= span.end ? selection : { file: span.file, start: span.start, end: span.start };
  return { name: name || "?", kind, span, selection: sel, children, ...(detail ? { detail } : {}) };
}

export function outline(parsed: ParsedFile): OutlineSymbol[] {
  const out: OutlineSymbol[] = [];
  const text = parsed.source.text;
  const pkg = parsed.ast.package;
  if (pkg?.name) out.push(sym(pkg.name.name, "package", pkg.span, pkg.name.span, [], pkg.defaultAllow ? "default allow" : undefined));
  for (const d of parsed.ast.decls) {
    const s = declSymbol(d, text);
    if (s) out.push(s);
  }
  return out;
}

function fields(fs: readonly FieldDecl[], text: string): OutlineSymbol[] {
  return fs.flatMap((f) => (f.name ? [sym(f.name.name, "field", f.span, f.name.span, [], typeSource(f.type, text, f.optional))] : []));
}

function typeSource(t: TypeExpr | undefined, text: string, optional = false): string | undefined {
  if (!t) return undefined;
  const s = text.slice(t.span.start, t.span.end).replace(/\s+/g, " ");
  return (optional ? "optional " : "") + (s.length > 60 ? s.slice(0, 59) + "…" : s);
}

function declSymbol(d: Decl, text: string): OutlineSymbol | undefined {
  switch (d.kind) {
    case "TypeDecl": {
      const children = d.body?.kind === "RecordType" ? fields(d.body.fields, text) : [];
      return sym(d.name?.name ?? "?", "type", d.span, d.name?.span, children, d.body?.kind === "RecordType" ? undefined : typeSource(d.body, text));
    }
    case "RequestDecl":
      return sym("request", "request", d.span, { file: d.span.file, start: d.span.start, end: d.span.start + 7 }, fields(d.fields, text));
    case "DefDecl":
      return sym(d.name?.name ?? "?", d.params ? "function" : "def", d.span, d.name?.span, [], d.params ? `(${d.params.map((p) => p.name?.name ?? "_").join(", ")})` : undefined);
    case "RuleDecl": {
      const children = d.clauses.flatMap((c) =>
        (c.kind === "LetClause" && c.name) ? [sym(c.name.name, "local", c.span, c.name.span, [], "let")] :
        (c.kind === "ForClause" && c.binding) ? [sym(c.binding.name, "local", c.span, c.binding.span, [], "for")] : [],
      );
      return sym(d.name?.name ?? "?", "rule", d.span, d.name?.span, children, d.effect);
    }
    case "TestDecl":
      return sym(d.name?.value ?? "(unnamed test)", "test", d.span, d.name?.span, [], d.expect?.outcome ? `expect ${d.expect.outcome}` : undefined);
  }
}

export interface WorkspaceSymbol {
  readonly name: string;
  readonly kind: OutlineKind;
  readonly container: string | undefined;
  readonly span: Span;
}

/** Symbols of every file whose name contains the query's characters in order (case-insensitive). */
export function workspaceSymbols(snapshot: ProgramSnapshot, query: string, limit = 500): WorkspaceSymbol[] {
  const q = query.toLowerCase();
  const out: WorkspaceSymbol[] = [];
  for (const f of snapshot.files()) {
    const container = f.ast.package?.name?.name;
    const visit = (s: OutlineSymbol, parent: string | undefined) => {
      if (out.length >= limit) return;
      if (s.kind !== "package" && fuzzy(s.name.toLowerCase(), q)) out.push({ name: s.name, kind: s.kind, container: parent, span: s.selection });
      for (const c of s.children) visit(c, s.kind === "package" ? container : s.name);
    };
    for (const s of outline(f)) visit(s, container);
    if (out.length >= limit) break;
  }
  return out;
}

function fuzzy(name: string, q: string): boolean {
  let i = 0;
  for (const ch of name) if (i < q.length && ch === q[i]) i++;
  return i === q.length;
}
