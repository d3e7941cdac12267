// What a rule's annotations mean for decisions. Owns: reading annotation values, the
// enforcement level of a forbid (`@enforce("hard"|"soft"|"advisory")`, hard by default),
// `@notify` channels, `@id`/`@severity`, and the rule id / location a Reason carries.
// Shared by the interpreter and the code generator, so both read annotations identically.
import type { Annotation, Expr, RuleDecl } from "../syntax/ast.ts";
import type { PackageModel } from "../semantics/package-model.ts";

export type Enforcement = "hard" | "soft" | "advisory";

export interface RuleInfo {
  readonly rule: RuleDecl;
  /** `PACKAGE.RULE` */
  readonly id: string;
  readonly name: string;
  readonly effect: "permit" | "forbid";
  /** Permits are always "hard" here (enforcement only changes forbids). */
  readonly enforce: Enforcement;
  /** One entry per `@notify("channel")`, in source order. */
  readonly notify: readonly string[];
  readonly externalId: string | undefined;
  readonly severity: string | undefined;
  /** `file:line:col` of the rule declaration (its span start). */
  readonly location: string;
}

/** The first argument's literal value; `true` for a bare `@flag`; undefined for a non-literal. */
export function annotationValue(a: Annotation): string | number | boolean | undefined {
  const arg: Expr | undefined = a.args[0];
  if (arg === undefined) return true;
  if (arg.kind === "StringLit" || arg.kind === "NumberLit" || arg.kind === "BoolLit") return arg.value;
  return undefined;
}

/** Annotation name → value (first occurrence wins), as in the manifest. */
export function ruleAnnotations(rule: RuleDecl): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const a of rule.annotations) {
    const v = annotationValue(a);
    if (v !== undefined && !Object.hasOwn(out, a.name.name)) Object.defineProperty(out, a.name.name, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function stringAnnotation(rule: RuleDecl, name: string): string | undefined {
  for (const a of rule.annotations) {
    if (a.name.name !== name) continue;
    const v = annotationValue(a);
    if (v !== undefined && v !== true) return String(v);
  }
  return undefined;
}

/** Location `file:line:col` of a span start in a package (the raw file name if unknown). */
export function locationOf(pkg: PackageModel, file: string, offset: number): string {
  const src = pkg.source(file);
  return src ? src.location(offset) : `${file}:1:1`;
}

export function ruleInfo(pkg: PackageModel, rule: RuleDecl): RuleInfo {
  const name = rule.name?.name ?? "<unnamed>";
  const enforceText = rule.effect === "forbid" ? stringAnnotation(rule, "enforce") : undefined;
  const enforce: Enforcement = enforceText === "soft" || enforceText === "advisory" ? enforceText : "hard";
  const notify: string[] = [];
  for (const a of rule.annotations) {
    if (a.name.name !== "notify") continue;
    const v = annotationValue(a);
    if (typeof v === "string") notify.push(v);
  }
  return {
    rule,
    id: `${pkg.name}.${name}`,
    name,
    effect: rule.effect,
    enforce,
    notify,
    externalId: stringAnnotation(rule, "id"),
    severity: stringAnnotation(rule, "severity"),
    location: locationOf(pkg, rule.span.file, rule.span.start),
  };
}
