// Package-level declarations. Owns: the `request` declaration (its fields become variables;
// without one the package has `input: Any`), builtin function symbols, duplicate declarations
// across the files of a package (E0202, pointing at the first), more than one `request`
// (E0207), and package names that differ only in case (E0206, across packages).
import { CODES } from "../diagnostics/codes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { Span } from "../source/span.ts";
import type { RequestDecl } from "../syntax/ast.ts";
import type { PackageModel } from "./package-model.ts";
import type { CheckContext } from "./check-context.ts";
import { BUILTIN_FUNCTIONS, signatureLabel } from "./builtins.ts";
import { resolveFields } from "./resolve-types.ts";
import { ANY, recordOf, typeToString, type Type } from "./types.ts";

export function declareBuiltins(cx: CheckContext): void {
  for (const [name, sig] of BUILTIN_FUNCTIONS) {
    cx.builtinSymbols.set(name, cx.declare({ kind: "builtin", name, type: sig.returns, doc: `${signatureLabel(sig, typeToString)}\n\n${sig.doc}` }));
  }
}

/** Declares the request fields (or `input`) and returns the type a test request must have. */
export function declareRequest(cx: CheckContext): Type {
  const req = cx.pkg.request;
  if (!req) {
    cx.inputSymbol = cx.declare({ kind: "input", name: "input", type: ANY, doc: "The whole request (the package has no `request` declaration, so it is `Any`)." });
    return ANY;
  }
  const fields = resolveFields(cx, req.fields, "request-field");
  const type = recordOf(fields);
  for (const f of fields) {
    const sym = cx.fieldSymbol(f);
    if (sym) cx.requestFields.set(f.name, sym);
  }
  for (const fd of req.fields) if (fd.name && cx.requestFields.get(fd.name.name)?.decl === fd) cx.resolved.set(fd.name, cx.requestFields.get(fd.name.name)!);
  return type;
}

export function checkDuplicates(cx: CheckContext): void {
  const firsts = { def: new Map<string, Span>(), type: new Map<string, Span>() };
  let firstRequest: RequestDecl | undefined;
  for (const file of cx.pkg.files) {
    for (const d of file.ast.decls) {
      if (d.kind === "RequestDecl") {
        if (!firstRequest) firstRequest = d;
        else {
          cx.report("E0207", { file: d.span.file, start: d.span.start, end: d.span.start + "request".length }, "a package has one `request` declaration; this is a second one", {
            help: "merge the fields into the first `request { ... }`",
            related: [{ span: { file: firstRequest.span.file, start: firstRequest.span.start, end: firstRequest.span.start + "request".length }, message: "the first `request` declaration" }],
          });
        }
        continue;
      }
      if (d.kind === "TestDecl" || !d.name) continue;
      const kind = d.kind === "DefDecl" ? "def" : d.kind === "TypeDecl" ? "type" : "rule";
      // Rules: declareRules kept the first rule of each name (same order: files, then position).
      const ruleSym = kind === "rule" ? cx.ruleSymbols.get(d.name.name) : undefined;
      const first = kind === "rule" ? (ruleSym && ruleSym.decl !== d ? ruleSym.declSpan : undefined) : firsts[kind].get(d.name.name);
      if (first) {
        cx.report("E0202", d.name.span, `${kind} \`${d.name.name}\` is declared twice in package \`${cx.pkg.name}\``, {
          help: `rename one of them (${kind === "rule" ? "rule ids must be unique: decisions cite them" : "names resolve across every file of the package"})`,
          related: [{ span: first, message: `\`${d.name.name}\` is first declared here` }],
        });
      } else if (kind !== "rule") firsts[kind].set(d.name.name, d.name.span);
    }
  }
}

/**
 * Packages whose names differ only in case (`package Docs` in one file, `package docs` in
 * another) are almost certainly one package with a typo; as written they are two packages that
 * silently ignore each other. Files that disagree on `default allow` are NOT a conflict: one
 * file saying it makes the whole package default-allow (docs/language.md).
 */
export function checkPackageNames(packages: readonly PackageModel[]): Diagnostic[] {
  const byLower = new Map<string, PackageModel[]>();
  for (const p of packages) {
    const key = p.name.toLowerCase();
    let list = byLower.get(key);
    if (!list) byLower.set(key, (list = []));
    list.push(p);
  }
  const out: Diagnostic[] = [];
  for (const group of byLower.values()) {
    if (group.length < 2) continue;
    // The spelling used by the most files is taken as the intended one (ties: the lower-case one).
    const lower = (p: PackageModel) => (p.name === p.name.toLowerCase() ? 0 : 1);
    const sorted = [...group].sort((a, b) => b.files.length - a.files.length || lower(a) - lower(b) || (a.name < b.name ? -1 : 1));
    const main = sorted[0]!;
    const mainDecl = main.files[0]?.ast.package;
    for (const other of sorted.slice(1)) {
      for (const f of other.files) {
        const name = f.ast.package?.name;
        if (!name) continue;
        out.push({
          code: "E0206",
          severity: CODES.E0206.severity,
          message: `package \`${other.name}\` differs from package \`${main.name}\` only in case, so they are two separate packages`,
          span: name.span,
          help: `write \`package ${main.name}\` if this file belongs to it, or choose a clearly different name`,
          related: mainDecl?.name ? [{ span: mainDecl.name.span, message: `package \`${main.name}\` is declared here` }] : undefined,
          fixes: [{ title: `change to \`${main.name}\``, edits: [{ span: name.span, newText: main.name }], preferred: true }],
        });
      }
    }
  }
  return out;
}
