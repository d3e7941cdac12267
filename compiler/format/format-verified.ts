// Formatting with a safety net, for tools that write files (`edict fmt`, the editor).
// Owns: re-parsing the formatter's output and refusing it unless it parses cleanly, means
// the same (same-meaning.ts) and keeps every comment. Input: a ParsedFile; output: the new
// text, or why there is none. A refusal is a formatter bug, reported as such; the user's
// file is never overwritten with something that means something else.
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { ParsedFile } from "../syntax/parsed-file.ts";
import { formatToFixedPoint } from "./format-file.ts";
import { firstDifference, sameComments } from "./same-meaning.ts";

export type FormatOutcome =
  | { readonly kind: "formatted"; readonly text: string; readonly changed: boolean }
  | { readonly kind: "syntax-errors" }
  | { readonly kind: "internal-error"; readonly message: string };

export function formatVerified(parsed: ParsedFile): FormatOutcome {
  const result = formatToFixedPoint(parsed);
  if (result === undefined) return { kind: "syntax-errors" };
  const { text, reparsed: again } = result;
  const refuse = (why: string): FormatOutcome => ({
    kind: "internal-error",
    message: `formatting \`${parsed.source.path}\` would ${why}; the file was left unchanged`,
  });
  const syntax = again.diagnostics.find((d: Diagnostic) => d.severity === "error");
  if (syntax) return refuse(`produce invalid syntax (${again.source.location(syntax.span.start)}: ${syntax.message})`);
  const difference = firstDifference(parsed.ast, again.ast);
  if (difference) return refuse(`change its meaning (${difference})`);
  if (!sameComments(parsed.ast.comments, again.ast.comments)) return refuse("lose or change a comment");
  return { kind: "formatted", text, changed: text !== parsed.source.text };
}
