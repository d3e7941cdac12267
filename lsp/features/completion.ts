// Completion. Owns: what to offer at a position. The position is classified from the tokens
// before it (which works in any text, parsed or not), then filled from the checked model
// (completion-model.ts finds one even while the file is broken):
//   comment → nothing; `@` → annotation names; `@name("` → its values; a string after `==`,
//   `!=` or `in [` → enum values of the other side; `.` → attributes and methods by static type;
//   `expect ... by` → rule names; a type position → type names; the start of a line at the top
//   level → declaration keywords and snippets; in a rule → clause keywords, names in scope and
//   expression keywords; in a test → `request`, `override`, `expect`.
// Input: (snapshot, file, offset, last good snapshot). Output: plain entries + the replaced span.
import type { ProgramSnapshot } from "../../compiler/program.ts";
import { methodsOf, signatureLabel } from "../../compiler/semantics/builtins.ts";
import { KNOWN_ANNOTATIONS } from "../../compiler/semantics/check-annotations.ts";
import type { CheckedPackage, Symbol } from "../../compiler/semantics/check.ts";
import { attributesOf, enumValuesOf, typeToString, type Type } from "../../compiler/semantics/types.ts";
import type { Span } from "../../compiler/source/span.ts";
import { checkPatched, chainStart, exprSpanning, placeholderObject, PLACEHOLDER, resolveChain } from "./completion-model.ts";
import { signatureOf } from "./describe.ts";
import { BUILTIN_TYPES, CLAUSE_SNIPPETS, DECL_SNIPPETS, EXPR_KEYWORDS, EXPR_SNIPPETS, GENERIC_TYPES, TEST_SNIPPETS, type CompletionEntry, type CompletionKind } from "./completion-items.ts";
import { isWord, lexSource, lexText, openerBefore, tokenBefore, type Tok } from "./tokens.ts";
import { modelOf } from "./model.ts";

export type { CompletionEntry, CompletionKind };

export interface CompletionResult {
  readonly items: CompletionEntry[];
  /** The text the chosen item replaces (the word being typed). */
  readonly replace: Span;
}

export function complete(snapshot: ProgramSnapshot, file: string, offset: number, lastGood?: ProgramSnapshot): CompletionResult {
  const parsed = snapshot.parsed(file);
  const none = (o = offset): CompletionResult => ({ items: [], replace: { file, start: o, end: o } });
  if (!parsed) return none();
  const text = parsed.source.text;
  offset = Math.max(0, Math.min(offset, text.length));
  const { tokens, comments } = lexSource(parsed.source);
  for (const c of comments) if (c.start < offset && (offset < c.end || (offset === c.end && !c.image.startsWith("/*")))) return none();

  const q = new Query(snapshot, file, offset, tokens, text, lastGood);
  let i = tokenBefore(tokens, offset);
  const tok = tokens[i];
  // Inside a string (or a `{...}` interpolation of a reason template).
  if (tok && (tok.kind === "string" || tok.kind === "open-string") && offset > tok.start && (offset < tok.end || tok.kind === "open-string")) {
    return q.inString(i);
  }
  let replace: Span = { file, start: offset, end: offset };
  if (tok && isWord(tok) && offset <= tok.end) {
    replace = { file, start: tok.start, end: tok.end };
    i--;
  } else if (tok && offset < tok.end) return none(); // inside a number or an operator
  return { items: q.at(i, replace), replace };
}

/** One completion request: the tokens, and lazily the models to read types and scopes from. */
class Query {
  private current: CheckedPackage | undefined | null = null;

  constructor(
    readonly snapshot: ProgramSnapshot,
    readonly file: string,
    readonly offset: number,
    readonly tokens: Tok[],
    readonly text: string,
    readonly lastGood: ProgramSnapshot | undefined,
  ) {}

  private checked(): CheckedPackage | undefined {
    if (this.current === null) this.current = modelOf(this.snapshot, this.file) ?? this.lastGood?.packageOf(this.file);
    return this.current;
  }

  /** The model with a placeholder at the cursor (for broken text): scopes and member types. */
  private patchedModel = (() => {
    let cached: ReturnType<typeof checkPatched> | null = null;
    return (start: number, end: number) => {
      if (cached === null) cached = checkPatched(this.snapshot, this.file, this.text.slice(0, start) + PLACEHOLDER + this.text.slice(end));
      return cached;
    };
  })();

  private fileHasErrors(): boolean {
    return this.snapshot.parsed(this.file)?.diagnostics.some((d) => d.severity === "error") ?? true;
  }

  /** Completions after token `j` (the token before the word being typed), replacing `replace`. */
  at(j: number, replace: Span): CompletionEntry[] {
    const t = this.tokens;
    const prev = t[j];
    if (prev?.image === "@") return this.annotationNames();
    if (prev?.image === ".") return this.members(j, replace);
    if (this.inByList(j)) return this.ruleNames();
    const atLineStart = !prev || this.text.slice(prev.end, replace.start).includes("\n");
    const o = openerBefore(t, j);
    if (o < 0) return this.topLevel(j, atLineStart, replace);
    const opener = t[o]!;
    const owner = this.ownerOf(o);
    if (owner === "type" || owner === "request") return prev && [":", "<", "|"].includes(prev.image) ? this.typeNames() : [];
    if (owner === "params") return prev?.image === ":" || prev?.image === "<" ? this.typeNames() : [];
    if (owner === "annotation") return [];
    if (owner === "rule") return atLineStart || prev === opener ? [...CLAUSE_SNIPPETS, ...this.expression(j, replace)] : this.expression(j, replace);
    if (owner === "test") {
      if (prev?.image === "expect") return ["allow", "deny"].map((k) => ({ label: k, kind: "keyword" as const }));
      if (prev?.image === "allow" || prev?.image === "deny") return [{ label: "by", kind: "keyword" }];
      return atLineStart || prev === opener ? TEST_SNIPPETS : this.expression(j, replace);
    }
    if (owner === "request-record" && (prev === opener || prev?.image === ",")) return this.requestKeys();
    if (opener.image === "{" && (prev === opener || prev?.image === ",")) return [];
    return this.expression(j, replace);
  }

  /** What the `{`/`(` at `o` opens: a declaration body, def parameters, or an expression group. */
  private ownerOf(o: number): "type" | "request" | "rule" | "test" | "params" | "annotation" | "request-record" | "expr" {
    const t = this.tokens;
    const a = t[o - 1]?.image;
    const b = t[o - 2]?.image;
    if (t[o]!.image === "(") {
      if (b === "def") return "params";
      if (b === "@") return "annotation";
      return "expr";
    }
    if (t[o]!.image !== "{") return "expr";
    if (a === "request") {
      const o2 = openerBefore(t, o - 1);
      return o2 >= 0 && this.ownerOf(o2) === "test" ? "request-record" : "request";
    }
    if (b === "type") return "type";
    if (b === "permit" || b === "forbid") return "rule";
    if (b === "test") return "test";
    // A record type nested in a type body: `type T { a: { b: String } }`.
    if (a === ":") {
      const o2 = openerBefore(t, o - 1);
      if (o2 >= 0) {
        const outer = this.ownerOf(o2);
        if (outer === "type" || outer === "request" || outer === "params") return outer === "params" ? "params" : "type";
      }
    }
    return "expr";
  }

  private inByList(j: number): boolean {
    const t = this.tokens;
    let k = j;
    if (t[k]?.image === ",") {
      while (t[k]?.image === "," && t[k - 1]?.kind === "name") k -= 2;
    }
    return t[k]?.image === "by" && (t[k - 1]?.image === "allow" || t[k - 1]?.image === "deny");
  }

  private topLevel(j: number, atLineStart: boolean, replace: Span): CompletionEntry[] {
    const t = this.tokens;
    // The declaration keyword this top-level statement started with.
    let k = j;
    while (k >= 0 && !["package", "type", "request", "def", "permit", "forbid", "test"].includes(t[k]!.image)) k--;
    const decl = k >= 0 ? t[k]!.image : undefined;
    const prev = t[j];
    const continues = prev && (prev.kind === "punct" ? !["}", ")", "]"].includes(prev.image) : prev.kind === "keyword" && ["and", "or", "not", "in", "then", "else", "if", "has", "like", "matches", "with", "where"].includes(prev.image));
    if (atLineStart && !continues) return DECL_SNIPPETS;
    if (decl === "package") return prev?.kind === "name" ? [{ label: "default allow", kind: "keyword" }] : [];
    if (decl === "type") return prev && (prev.image === "=" || prev.image === "|") ? this.typeNames() : [];
    if (decl === "def") {
      const eq = t.slice(k, j + 1).some((x) => x.image === "=");
      if (eq) return this.expression(j, replace);
      return prev?.image === ":" ? this.typeNames() : [];
    }
    return [];
  }

  private annotationNames(): CompletionEntry[] {
    return [...KNOWN_ANNOTATIONS.values()].map((a) => ({
      label: a.name,
      kind: "annotation" as const,
      documentation: a.doc,
      insertText: a.values ? `${a.name}("\${1|${a.values.join(",")}|}")` : `${a.name}("\${1}")`,
      snippet: true,
    }));
  }

  /** Every rule of the package, read from the trees (the quick model holds only a few). */
  private ruleNames(): CompletionEntry[] {
    const pkg = this.snapshot.parsed(this.file)?.ast.package?.name?.name ?? this.lastGood?.parsed(this.file)?.ast.package?.name?.name;
    const seen = new Set<string>();
    const out: CompletionEntry[] = [];
    for (const f of this.snapshot.files()) {
      if (f.ast.package?.name?.name !== pkg) continue;
      for (const d of f.ast.decls) {
        if (d.kind !== "RuleDecl" || !d.name || seen.has(d.name.name)) continue;
        seen.add(d.name.name);
        out.push({ label: d.name.name, kind: "rule", detail: `${d.effect} ${d.name.name}`, ...(d.doc ? { documentation: d.doc.text } : {}) });
      }
    }
    return out;
  }

  private typeNames(): CompletionEntry[] {
    const c = this.checked();
    const declared = (c?.symbols ?? []).filter((s) => s.kind === "type" && s.declSpan);
    return [
      ...BUILTIN_TYPES.map((n) => ({ label: n, kind: "type" as const })),
      ...GENERIC_TYPES.map((n) => ({ label: `${n}<>`, kind: "type" as const, insertText: `${n}<\${1}>`, snippet: true })),
      ...declared.map((s) => ({ label: s.name, kind: "type" as const, detail: signatureOf(s), documentation: s.doc })),
    ];
  }

  private requestKeys(): CompletionEntry[] {
    const c = this.checked();
    return attributesOf(c?.requestType ?? { kind: "any" }).map((f) => ({ label: f.name, kind: "field" as const, detail: typeToString(f.type), insertText: `${f.name}: `, documentation: f.doc }));
  }

  /** Names in scope, expression keywords and snippets (+ enum values after `==`). */
  private expression(j: number, replace: Span): CompletionEntry[] {
    const scope = this.scope(replace);
    const items: CompletionEntry[] = scope.map((s) => symbolEntry(s));
    items.push(...EXPR_SNIPPETS, ...EXPR_KEYWORDS.map((k) => ({ label: k, kind: "keyword" as const })));
    const prev = this.tokens[j];
    if (prev && (prev.image === "==" || prev.image === "!=")) {
      const t = this.typeBefore(j - 1);
      for (const v of t ? enumValuesOf(t) : []) items.unshift({ label: JSON.stringify(v), kind: "enum", sortText: "0" });
    }
    return items;
  }

  private scope(replace: Span): Symbol[] {
    let checked = modelOf(this.snapshot, this.file);
    let offset = this.offset;
    if (this.fileHasErrors()) {
      const m = this.patchedModel(replace.start, replace.end);
      if (m) (checked = m.checked), (offset = replace.start);
    }
    const out = checked ? checked.scopeAt(this.file, offset) : [];
    const seen = new Set(out.map((s) => s.name));
    // Between clauses (a fresh line in a rule) no expression marks the scope: add the rule's
    // `for`/`let` bindings declared before the cursor, innermost (latest) first.
    const parsed = checked?.pkg.files.find((f) => f.source.path === this.file);
    const rule = parsed?.ast.decls.find((d) => d.kind === "RuleDecl" && d.span.start <= offset && offset <= d.span.end);
    if (checked && rule?.kind === "RuleDecl") {
      const bindings = rule.clauses.flatMap((c) => (c.span.end <= offset ? [c.kind === "LetClause" ? c.name : c.kind === "ForClause" ? c.binding : undefined] : []));
      for (const id of bindings.reverse()) {
        if (!id || seen.has(id.name)) continue;
        const sym = checked.resolve(id) ?? checked.symbols.find((s) => s.declSpan?.start === id.span.start && s.declSpan.file === id.span.file);
        if (sym) seen.add(sym.name), out.unshift(sym);
      }
    }
    // Package-level names of the last good model (a broken package declaration loses them).
    for (const s of this.lastGood?.packageOf(this.file)?.scopeAt(this.file, -1) ?? []) if (!seen.has(s.name)) seen.add(s.name), out.push(s);
    return out.filter((s) => s.name !== PLACEHOLDER);
  }

  /** Attributes and methods of the expression before the `.` at token `dot`. */
  private members(dot: number, replace: Span): CompletionEntry[] {
    const t = this.typeBefore(dot - 1, replace);
    if (!t) return [];
    const items: CompletionEntry[] = attributesOf(t).map((f) => ({
      label: f.name,
      kind: "field" as const,
      detail: `${f.name}${f.optional ? "?" : ""}: ${typeToString(f.type)}`,
      documentation: f.doc,
    }));
    for (const m of methodsOf(t)) {
      const sig = m.signature(t);
      items.push({
        label: m.name,
        kind: "method",
        detail: signatureLabel(sig, typeToString),
        documentation: m.doc,
        insertText: sig.params.length ? `${m.name}(\${1})` : `${m.name}()`,
        snippet: true,
      });
    }
    return items;
  }

  /** The static type of the expression ending at token `end`. */
  typeBefore(end: number, replace?: Span): Type | undefined {
    const toks = this.tokens;
    if (end < 0) return undefined;
    const start = chainStart(toks, end);
    if (start > end) return undefined;
    const from = toks[start]!.start;
    const to = toks[end]!.end;
    // 1. The current model.
    const parsed = this.snapshot.parsed(this.file);
    const checked = modelOf(this.snapshot, this.file);
    if (parsed && checked) {
      const e = exprSpanning(parsed.ast, from, to);
      const type = e && checked.typeOf(e);
      if (type && type.kind !== "error") return type;
    }
    // 2. A placeholder at the cursor (member access only).
    if (replace && this.tokens[end + 1]?.image === ".") {
      const m = this.patchedModel(replace.start, replace.end);
      const obj = m && placeholderObject(m.parsed.ast, replace.start);
      const type = obj && m.checked.typeOf(obj);
      if (type && type.kind !== "error") return type;
    }
    // 3. Names alone, in the current then the last good model.
    for (const c of [checked, this.lastGood?.packageOf(this.file)]) {
      if (!c) continue;
      const scope = c.scopeAt(this.file, c === checked ? from : -1);
      const type = resolveChain(toks, start, end, (n) => scope.find((s) => s.name === n));
      if (type && type.kind !== "error") return type;
    }
    return undefined;
  }

  /** Completion inside the string token `i`. */
  inString(i: number): CompletionResult {
    const toks = this.tokens;
    const tok = toks[i]!;
    const inner = this.text.slice(tok.start + 1, this.offset);
    // A `{` interpolation of a reason template: complete the expression inside it.
    const open = unmatchedBrace(inner);
    if (open >= 0 && toks[i - 1]?.image === "reason") {
      const base = tok.start + 1 + open + 1;
      const sub = lexText(this.text.slice(base, this.offset));
      const shifted = sub.tokens.map((x) => ({ ...x, start: x.start + base, end: x.end + base }));
      const all = [...toks.slice(0, i), ...shifted];
      const q = new Query(this.snapshot, this.file, this.offset, all, this.text, this.lastGood);
      let k = all.length - 1;
      let replace: Span = { file: this.file, start: this.offset, end: this.offset };
      const last = all[k];
      if (last && isWord(last) && last.end === this.offset) (replace = { file: this.file, start: last.start, end: last.end }), k--;
      if (all[k]?.image === ".") return { items: q.members(k, replace), replace };
      return { items: q.expression(k, replace).filter((e) => e.kind !== "snippet"), replace };
    }
    const close = tok.kind === "string" ? tok.end - 1 : tok.end;
    const replace: Span = { file: this.file, start: tok.start + 1, end: Math.max(this.offset, close) };
    const values = (vs: readonly string[]): CompletionResult => ({ items: vs.map((v) => ({ label: v, kind: "enum" as const })), replace });
    const prev = toks[i - 1];
    // `@name("...")`
    if (prev?.image === "(" && toks[i - 2]?.kind === "name" && toks[i - 3]?.image === "@") {
      return values(KNOWN_ANNOTATIONS.get(toks[i - 2]!.image)?.values ?? []);
    }
    if (prev && (prev.image === "==" || prev.image === "!=")) {
      const t = this.typeBefore(i - 2);
      return values(t ? enumValuesOf(t) : []);
    }
    // `x in ["a", "` and `x in "` (an enum set given as a literal)
    let k = i - 1;
    while (toks[k]?.image === "," && toks[k - 1]?.kind === "string") k -= 2;
    if (toks[k]?.image === "[" && toks[k - 1]?.image === "in") {
      const t = this.typeBefore(k - 2);
      return values(t ? enumValuesOf(t) : []);
    }
    // `"a" in x` with x an enum set: nothing to read yet (the set comes after the cursor).
    return { items: [], replace };
  }
}

function unmatchedBrace(s: string): number {
  let open = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") i++;
    else if (c === "{") open = i;
    else if (c === "}") open = -1;
  }
  return open;
}

function symbolEntry(s: Symbol): CompletionEntry {
  const kind: CompletionKind = s.kind === "builtin" || (s.kind === "def" && s.decl?.kind === "DefDecl" && s.decl.params) ? "function" : s.kind === "request-field" || s.kind === "field" ? "field" : "variable";
  const isFn = kind === "function";
  return {
    label: s.name,
    kind,
    detail: signatureOf(s),
    ...(s.doc ? { documentation: s.kind === "builtin" ? s.doc.split("\n").slice(1).join("\n").trim() : s.doc } : {}),
    ...(isFn ? { insertText: `${s.name}(\${1})`, snippet: true } : {}),
    sortText: s.kind === "local" || s.kind === "param" ? "1" : s.kind === "builtin" ? "4" : "2",
  };
}

/** The static type of the expression ending at token `end` (signature help uses it for receivers). */
export function typeOfTokensBefore(snapshot: ProgramSnapshot, file: string, offset: number, tokens: Tok[], end: number, lastGood?: ProgramSnapshot): Type | undefined {
  const text = snapshot.source(file)?.text ?? "";
  return new Query(snapshot, file, offset, tokens, text, lastGood).typeBefore(end);
}
