// Package-level declarations. Owns: the `request` declaration (its fields become variables;
// without one the package has `input: Any`), builtin function symbols, duplicate declarations
// across the files of a package (E0202, pointing at the first), more than one `request`
// (E0207), and files of one package that disagree on `default allow` (E0206).
import type { RequestDecl } from "../syntax/ast.ts";
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
  const firsts = { def: new Map<string, import("../source/span.ts").Span>(), type: new Map(), rule: new Map() } as const;
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
      const map = firsts[kind] as Map<string, import("../source/span.ts").Span>;
      const first = map.get(d.name.name);
      if (first) {
        cx.report("E0202", d.name.span, `${kind} \`${d.name.name}\` is declared twice in package \`${cx.pkg.name}\``, {
          help: `rename one of them (${kind === "rule" ? "rule ids must be unique: decisions cite them" : "names resolve across every file of the package"})`,
          related: [{ span: first, message: `\`${d.name.name}\` is first declared here` }],
        });
      } else map.set(d.name.name, d.name.span);
    }
  }
}

export function checkPackageDecls(cx: CheckContext): void {
  const decls = cx.pkg.files.flatMap((f) => (f.ast.package ? [f.ast.package] : []));
  const first = decls[0];
  if (!first) return;
  for (const d of decls.slice(1)) {
    if (d.defaultAllow !== first.defaultAllow) {
      const span = d.name?.span ?? d.span;
      cx.report("E0206", span, `package \`${cx.pkg.name}\` is declared ${d.defaultAllow ? "with" : "without"} \`default allow\` here but ${first.defaultAllow ? "with" : "without"} it in ${first.span.file}`, {
        help: "every file of a package must agree on its default: add or remove `default allow` so they match",
        related: [{ span: first.name?.span ?? first.span, message: `the package is first declared here` }],
      });
    }
  }
}
