// Inlay hints. Owns: showing the inferred type after every `let` name and after every `def`
// without a declared return type (`def is_admin: Bool = ...`), inside the requested range.
// Input: (snapshot, file, range). Output: offsets and labels.
import type { ProgramSnapshot } from "../../compiler/program.ts";
import { walk } from "../../compiler/syntax/ast-walk.ts";
import { typeToString, unwrap, type Type } from "../../compiler/semantics/types.ts";
import { modelOf } from "./model.ts";

export interface InlayHintData {
  readonly offset: number;
  readonly label: string;
}

export function inlayHints(snapshot: ProgramSnapshot, file: string, start: number, end: number): InlayHintData[] {
  const parsed = snapshot.parsed(file);
  const checked = modelOf(snapshot, file);
  if (!parsed || !checked) return [];
  const text = parsed.source.text;
  const out: InlayHintData[] = [];
  const show = (t: Type | undefined) => (t && unwrap(t).kind !== "error" ? `: ${typeToString(t)}` : undefined);
  for (const d of parsed.ast.decls) {
    if (d.span.end < start || d.span.start > end) continue;
    if (d.kind === "DefDecl" && d.name && !d.returnType) {
      const label = show(checked.resolve(d.name)?.type);
      if (label) {
        let at = d.name.span.end;
        if (d.params) {
          // After the closing parenthesis of the parameter list.
          let k = d.params.length ? d.params[d.params.length - 1]!.span.end : d.name.span.end;
          while (k < text.length && text[k] !== ")" && text[k] !== "=") k++;
          at = text[k] === ")" ? k + 1 : k;
        }
        out.push({ offset: at, label });
      }
    }
    if (d.kind === "RuleDecl") {
      walk(d, (n) => {
        if (n.kind === "LetClause" && n.name && n.value) {
          const label = show(checked.typeOf(n.value));
          if (label) out.push({ offset: n.name.span.end, label });
        }
        return true;
      });
    }
  }
  return out.filter((h) => h.offset >= start && h.offset <= end);
}
