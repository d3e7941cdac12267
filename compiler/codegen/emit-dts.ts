// TypeScript declarations for a compiled module. Owns: the `.d.ts` beside FILE.mjs, so that a
// service's `decide(req)` is type-checked: one TS type per Edict `type`, a `Request` from the
// `request` declaration (`unknown` without one), and the Decision / Manifest contract types.
// Mapping: String → string; Number → number; Bool → boolean; Time, Duration, Ip → string (their
// JSON form); Any → unknown; Set<T>/List<T> → readonly T[]; Map<T> → Record<string, T>; string
// unions → unions of string literal types; `f?: T` stays optional.
// INVARIANT (no injection): names are Edict identifiers (checked by the lexer), renamed when
// they would clash with a TypeScript or generated name; string literal types use jsLiteral.
import type { FieldDecl, TypeExpr } from "../syntax/ast.ts";
import type { PackageModel } from "../semantics/package-model.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { jsComment, jsLiteral } from "./js-literal.ts";
import { packageRoot } from "./prelude.ts";

// The contract types (Reason, Decision, Manifest, ...) are copied from runtime/decision.ts, the
// one definition the interpreter, the enforcer and compiled modules share, so the .d.ts can never
// drift from it. Its opening comment block is left out; its doc comments are kept for hovers.
let contract: string | undefined;
function contractTypes(): string {
  if (contract === undefined) {
    const text = readFileSync(join(packageRoot(), "runtime", "decision.ts"), "utf8").replace(/\r\n?/g, "\n");
    contract = text.replace(/^(?:\/\/.*\n)+\n*/, "");
  }
  return contract;
}

/** Names a user type must not take (TypeScript keywords and globals, and ours). */
const TAKEN = new Set(
  ("Reason EvalError Notification Override Decision DecideOptions PolicyModule ManifestRule Manifest Request decide manifest packages " +
    "string number boolean symbol object any unknown never void undefined null bigint " +
    "String Number Boolean Symbol Object Array ReadonlyArray Record Readonly Partial Map Set Date Promise Function Error RegExp JSON Math " +
    "type interface namespace declare export import default class enum const let var function in of is keyof typeof infer extends implements")
    .split(" "),
);

function tsName(name: string): string {
  return TAKEN.has(name) ? `${name}_` : name;
}

function fieldName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && name !== "__proto__" ? name : jsLiteral(name);
}

function typeText(t: TypeExpr | undefined, pkg: PackageModel, depth: string): string {
  if (!t) return "unknown";
  switch (t.kind) {
    case "StringLiteralType":
      return jsLiteral(t.value);
    case "UnionType":
      return t.members.map((x) => typeText(x, pkg, depth)).join(" | ") || "never";
    case "RecordType":
      return recordText(t.fields, pkg, depth);
    case "NamedType": {
      const arg = (i: number) => typeText(t.args[i], pkg, depth);
      switch (t.name.name) {
        case "String":
        case "Time":
        case "Duration":
        case "Ip":
          return "string";
        case "Number":
          return "number";
        case "Bool":
          return "boolean";
        case "Any":
          return "unknown";
        case "Set":
        case "List":
          return `readonly (${arg(0)})[]`;
        case "Map":
          return `Readonly<Record<string, ${arg(0)}>>`;
        default:
          return pkg.types.has(t.name.name) ? tsName(t.name.name) : "unknown";
      }
    }
  }
}

function recordText(fields: readonly FieldDecl[], pkg: PackageModel, depth: string): string {
  if (fields.length === 0) return "{}";
  const inner = depth + "  ";
  const lines = fields.filter((f) => f.name).map((f) => `${inner}readonly ${fieldName(f.name!.name)}${f.optional ? "?" : ""}: ${typeText(f.type, pkg, inner)};`);
  return `{\n${lines.join("\n")}\n${depth}}`;
}

function docLines(text: string | undefined, indent: string): string {
  if (!text) return "";
  // `*/` would end the comment early: break it up.
  return `${indent}/** ${jsComment(text.replace(/\n/g, " ")).replace(/\*\//g, "* /")} */\n`;
}

/** Declarations of one package's types and Request (indented by `indent`). */
function packageTypes(pkg: PackageModel, indent: string, exported: boolean): string {
  const ex = exported ? "export " : "";
  let out = "";
  for (const [name, decl] of [...pkg.types].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out += docLines(decl.doc?.text, indent);
    out += `${indent}${ex}type ${tsName(name)} = ${typeText(decl.body, pkg, indent)};\n`;
  }
  if (pkg.request) {
    out += docLines(pkg.request.doc?.text, indent);
    out += `${indent}${ex}interface Request ${recordText(pkg.request.fields, pkg, indent)}\n`;
  } else {
    out += `${indent}${ex}type Request = unknown;\n`;
  }
  return out;
}

export function emitDts(pkgs: readonly PackageModel[], header: string): string {
  let out = header + "\n" + contractTypes() + "\n";
  if (pkgs.length === 1) {
    const pkg = pkgs[0]!;
    out += packageTypes(pkg, "", true);
    out += `\nexport declare function decide(request: Request, options?: DecideOptions): Decision;\nexport declare const manifest: Manifest;\n`;
    return out;
  }
  for (const pkg of pkgs) {
    out += `\nexport declare namespace ${tsName(pkg.name)} {\n${packageTypes(pkg, "  ", true)}}\n`;
  }
  const first = pkgs[0];
  out += `\nexport declare const packages: {\n`;
  for (const pkg of pkgs) {
    out += `  readonly ${pkg.name}: { decide(request: ${tsName(pkg.name)}.Request, options?: DecideOptions): Decision; readonly manifest: Manifest };\n`;
  }
  out += `};\n`;
  if (first) {
    out += `/** The first package's (${jsComment(first.name)}); see \`packages\` for the others. */\n`;
    out += `export declare function decide(request: ${tsName(first.name)}.Request, options?: DecideOptions): Decision;\nexport declare const manifest: Manifest;\n`;
  }
  return out;
}
