// Which checked model an editor feature reads. Owns: the "quick" check of one file of a large
// package, which keeps keystrokes fast when a package spans many files.
// Program re-checks a whole package when any of its files changes (packages are its unit of
// caching); for a 5,000-rule package that takes far longer than a keystroke may. Rules do not
// depend on one another, so the diagnostics and the names, types and scopes of ONE file only
// need: that file in full, plus the declarations of the others — types, the request, defs (in
// full: a rule may use them) and stubs (no clauses) of the few rules of other files the file
// names (`expect ... by`, or a duplicate rule name). Other rules and tests are left out.
// What the quick model cannot tell, and so is never taken from it: unused defs (W0001: a def may
// be used by a rule of another file) and package-name clashes (E0206, program-wide). The full
// check supplies those when the editor is idle (server.ts) and serves references and rename.
// Input: a snapshot and a file. Output: a CheckedPackage (node identities are the snapshot's,
// so spans and declarations are the same as the full model's) and the file's diagnostics.
import type { ProgramSnapshot } from "../../compiler/program.ts";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.ts";
import { checkPackage, type CheckedPackage } from "../../compiler/semantics/check.ts";
import { buildPackages } from "../../compiler/semantics/package-model.ts";
import type { ParsedFile } from "../../compiler/syntax/parsed-file.ts";

/** Packages with more rules than this in OTHER files are checked quickly while typing. */
export const QUICK_THRESHOLD = 300;

const fullyChecked = new WeakSet<ProgramSnapshot>();
const quick = new WeakMap<ProgramSnapshot, Map<string, CheckedPackage | undefined>>();
const stubs = new WeakMap<ParsedFile, ParsedFile>();

/** The server calls this once a snapshot's full check is done: features then read it. */
export function markFullyChecked(snapshot: ProgramSnapshot): void {
  fullyChecked.add(snapshot);
}

export function isFullyChecked(snapshot: ProgramSnapshot): boolean {
  return fullyChecked.has(snapshot);
}

/** Whether editing `file` would re-check many rules of other files. */
export function isLarge(snapshot: ProgramSnapshot, file: string): boolean {
  const name = snapshot.parsed(file)?.ast.package?.name?.name;
  if (name === undefined) return false;
  let rules = 0;
  for (const f of snapshot.files()) {
    if (f.source.path === file || f.ast.package?.name?.name !== name) continue;
    for (const d of f.ast.decls) if (d.kind === "RuleDecl" && ++rules > QUICK_THRESHOLD) return true;
  }
  return false;
}

/** The checked package features read for `file`: the full one when cheap or already computed. */
export function modelOf(snapshot: ProgramSnapshot, file: string): CheckedPackage | undefined {
  if (isFullyChecked(snapshot) || !isLarge(snapshot, file)) return snapshot.packageOf(file);
  return quickPackage(snapshot, file);
}

/** The file's package checked with only the declarations of its other files. */
export function quickPackage(snapshot: ProgramSnapshot, file: string): CheckedPackage | undefined {
  let perFile = quick.get(snapshot);
  if (!perFile) quick.set(snapshot, (perFile = new Map()));
  if (perFile.has(file)) return perFile.get(file);
  const parsed = snapshot.parsed(file);
  const name = parsed?.ast.package?.name?.name;
  let result: CheckedPackage | undefined;
  if (parsed && name !== undefined) {
    const model = buildPackages(reducedFiles(snapshot, parsed, name)).find((m) => m.name === name);
    result = model ? checkPackage(model) : undefined;
  }
  perFile.set(file, result);
  return result;
}

/**
 * `main` in full, the other files of package `name` reduced to their declarations, plus stubs
 * (no clauses) of the rules of other files that `main` names: in `expect ... by`, or with the
 * name of one of its own rules (so a duplicate is still reported).
 */
export function reducedFiles(snapshot: ProgramSnapshot, main: ParsedFile, name: string): ParsedFile[] {
  const wanted = new Set<string>();
  for (const d of main.ast.decls) {
    if (d.kind === "RuleDecl" && d.name) wanted.add(d.name.name);
    if (d.kind === "TestDecl") for (const id of d.expect?.by ?? []) wanted.add(id.name);
  }
  const out: ParsedFile[] = [main];
  for (const f of snapshot.files()) {
    if (f.source.path === main.source.path || f.ast.package?.name?.name !== name) continue;
    const stub = stubOf(f);
    const rules = f.ast.decls.flatMap((d) => (d.kind === "RuleDecl" && d.name && wanted.has(d.name.name) ? [{ ...d, clauses: [] }] : []));
    out.push(rules.length ? { ...stub, ast: { ...stub.ast, decls: [...stub.ast.decls, ...rules] } } : stub);
  }
  return out;
}

/** A file reduced to its types, request and defs, made once per file. */
function stubOf(f: ParsedFile): ParsedFile {
  let s = stubs.get(f);
  if (!s) {
    const decls = f.ast.decls.filter((d) => d.kind === "TypeDecl" || d.kind === "RequestDecl" || d.kind === "DefDecl");
    s = { source: f.source, ast: { ...f.ast, decls }, diagnostics: [] };
    stubs.set(f, s);
  }
  return s;
}

/** The file's diagnostics from the quick model (syntax + the file's checker diagnostics). */
export function quickDiagnostics(snapshot: ProgramSnapshot, file: string): Diagnostic[] {
  const parsed = snapshot.parsed(file);
  if (!parsed) return [];
  const checked = quickPackage(snapshot, file);
  const own = (checked?.diagnostics ?? []).filter((d) => d.span.file === file && d.code !== "W0001");
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of [...parsed.diagnostics, ...own]) {
    const key = `${d.code}\0${d.span.start}\0${d.span.end}\0${d.message}`;
    if (!seen.has(key)) seen.add(key), out.push(d);
  }
  return out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
}

/** The file's diagnostics: the full check's when available or cheap, else the quick ones. */
export function diagnosticsOf(snapshot: ProgramSnapshot, file: string): readonly Diagnostic[] {
  if (isFullyChecked(snapshot) || !isLarge(snapshot, file)) return snapshot.diagnosticsFor(file);
  return quickDiagnostics(snapshot, file);
}
