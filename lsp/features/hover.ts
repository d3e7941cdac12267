// Hover. Owns: what the editor shows over a name (its signature, doc comment, annotations and
// where it is declared) or over any other expression (its type).
// Input: (snapshot, file, offset). Output: markdown and the span it describes, or undefined.
import type { ProgramSnapshot } from "../../compiler/program.ts";
import type { Span } from "../../compiler/source/span.ts";
import { KNOWN_ANNOTATIONS } from "../../compiler/semantics/check-annotations.ts";
import { describe, isExpr, typeText } from "./describe.ts";
import { fileContext, nodePath, symbolAt } from "./node-at.ts";

export interface HoverResult {
  readonly markdown: string;
  readonly span: Span;
}

export function hover(snapshot: ProgramSnapshot, file: string, offset: number, relative: (f: string) => string = (f) => f): HoverResult | undefined {
  const cx = fileContext(snapshot, file);
  if (!cx) return undefined;
  const path = nodePath(cx.parsed.ast, offset);
  const inner = path[path.length - 1];
  // Annotation names: their documentation.
  const ann = path.findLast((n) => n.kind === "Annotation");
  if (ann && ann.kind === "Annotation" && inner === ann.name) {
    const info = KNOWN_ANNOTATIONS.get(ann.name.name);
    const values = info?.values ? `\n\nvalues: ${info.values.map((v) => "`\"" + v + "\"`").join(", ")}` : "";
    return { markdown: "```edict\n@" + ann.name.name + "\n```" + (info ? `\n\n${info.doc}${values}` : "\n\nmetadata kept in the manifest"), span: ann.name.span };
  }
  const at = symbolAt(cx, offset);
  if (at) return { markdown: describe(at.symbol, snapshot, relative), span: at.span };
  if (!cx.checked) return undefined;
  for (let i = path.length - 1; i >= 0; i--) {
    const n = path[i]!;
    if (!isExpr(n) || n.kind === "ErrorExpr") continue;
    const t = cx.checked.typeOf(n);
    if (t) return { markdown: "```edict\n" + typeText(t) + "\n```", span: n.span };
  }
  return undefined;
}
