// Annotations. Owns: the known annotations (their documentation for the editor, where they may
// appear and which values they take) and E0401 (bad value), E0402 (not allowed here), E0202
// (given twice on one declaration) and W0002 (an unknown annotation that looks like a misspelt
// known one). Other annotations are open metadata: kept in the manifest, never reported.
import type { Annotation, Decl } from "../syntax/ast.ts";
import { replaceFix, type CheckContext } from "./check-context.ts";
import { unparen } from "./check-enum.ts";
import { suggest } from "../diagnostics/suggest.ts";

export interface AnnotationInfo {
  readonly name: string;
  readonly doc: string;
  /** Allowed values (an enum), or undefined for any non-empty string. */
  readonly values?: readonly string[];
  /** Only on rules; `forbidOnly`: only on forbid rules. */
  readonly rulesOnly: boolean;
  readonly forbidOnly?: boolean;
}

export const KNOWN_ANNOTATIONS: ReadonlyMap<string, AnnotationInfo> = new Map(
  (
    [
      { name: "id", doc: "A stable external id for the rule, such as a control number: `@id(\"DOC-7\")`. Carried in decision reasons.", rulesOnly: true },
      { name: "owner", doc: "The team or person responsible: `@owner(\"security-team\")`.", rulesOnly: false },
      { name: "severity", doc: "How serious a match is, carried in decision reasons.", values: ["low", "medium", "high", "critical"], rulesOnly: true },
      { name: "notify", doc: "A channel the run time notifies when the rule matches: `@notify(\"legal\")`.", rulesOnly: true },
      {
        name: "enforce",
        doc: "How a forbid is enforced: `hard` (default) always denies, `soft` denies unless the request carries an override, `advisory` only reports.",
        values: ["hard", "soft", "advisory"],
        rulesOnly: true,
        forbidOnly: true,
      },
    ] satisfies AnnotationInfo[]
  ).map((a) => [a.name, a] as const),
);

export function checkAnnotations(cx: CheckContext, decl: Decl): void {
  const seen = new Map<string, Annotation>();
  for (const a of decl.annotations) {
    const name = a.name.name;
    const info = KNOWN_ANNOTATIONS.get(name);
    if (!info) {
      const guess = suggest(name, KNOWN_ANNOTATIONS.keys());
      if (guess) {
        cx.report("W0002", a.name.span, `unknown annotation \`@${name}\``, {
          help: `did you mean \`@${guess}\`? (other annotations are kept as metadata only)`,
          fixes: [replaceFix(a.name.span, guess)],
        });
      }
      continue;
    }
    const first = seen.get(name);
    if (first) {
      cx.report("E0202", a.name.span, `annotation \`@${name}\` is given twice`, {
        help: "keep one of them",
        related: [{ span: first.name.span, message: `\`@${name}\` is first given here` }],
      });
      continue;
    }
    seen.set(name, a);
    if (info.rulesOnly && decl.kind !== "RuleDecl") {
      cx.report("E0402", a.name.span, `\`@${name}\` is only allowed on rules`, { help: "move it to a `permit` or `forbid` rule, or remove it" });
      continue;
    }
    if (info.forbidOnly && decl.kind === "RuleDecl" && decl.effect !== "forbid") {
      cx.report("E0402", a.name.span, `\`@${name}\` is only allowed on \`forbid\` rules`, { help: "a permit is never enforced; remove the annotation" });
      continue;
    }
    checkValue(cx, a, info);
  }
}

function checkValue(cx: CheckContext, a: Annotation, info: AnnotationInfo): void {
  const example = info.values ? `\`@${info.name}("${info.values[0]}")\`` : `\`@${info.name}("...")\``;
  if (a.args.length !== 1) {
    const span = a.args.length === 0 ? a.span : { file: a.span.file, start: a.args[1]!.span.start, end: a.args[a.args.length - 1]!.span.end };
    cx.report("E0401", span, `\`@${info.name}\` takes one string value`, { help: `write ${example}` });
    return;
  }
  const arg = unparen(a.args[0]);
  if (arg?.kind !== "StringLit") {
    cx.report("E0401", a.args[0]!.span, `the value of \`@${info.name}\` must be a string literal`, { help: `write ${example}` });
    return;
  }
  if (info.values && !info.values.includes(arg.value)) {
    const guess = suggest(arg.value, info.values);
    cx.report("E0401", arg.span, `\`${JSON.stringify(arg.value)}\` is not a valid \`@${info.name}\``, {
      help: `${guess ? `did you mean \`"${guess}"\`? ` : ""}use one of ${info.values.map((v) => `\`"${v}"\``).join(", ")}`,
      fixes: guess ? [replaceFix(arg.span, JSON.stringify(guess))] : undefined,
    });
    return;
  }
  if (arg.value.trim() === "") cx.report("E0401", arg.span, `the value of \`@${info.name}\` must not be empty`, { help: `write ${example}` });
}
