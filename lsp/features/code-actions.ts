// Code actions. Owns: the quick fixes offered for the diagnostics in a range: every
// machine-applicable Diagnostic.fix the checker attached (did-you-mean, add a `has` guard,
// remove an unused def...) and "create def `x`" for an unknown name, which the checker cannot
// offer because where to put it is an editor decision (after the declaration using it).
// Input: (snapshot, file, range). Output: plain actions with Edict TextEdits.
import type { ProgramSnapshot } from "../../compiler/program.ts";
import type { Diagnostic, TextEdit } from "../../compiler/diagnostics/diagnostic.ts";
import { diagnosticsOf } from "./model.ts";

export interface CodeActionData {
  readonly title: string;
  readonly diagnostic: Diagnostic;
  readonly edits: readonly TextEdit[];
  readonly preferred: boolean;
}

export function codeActions(snapshot: ProgramSnapshot, file: string, start: number, end: number): CodeActionData[] {
  const out: CodeActionData[] = [];
  for (const d of diagnosticsOf(snapshot, file)) {
    if (d.span.end < start || d.span.start > end) continue;
    for (const fix of d.fixes ?? []) out.push({ title: fix.title, diagnostic: d, edits: fix.edits, preferred: fix.preferred === true });
    const create = createDef(snapshot, file, d);
    if (create) out.push(create);
  }
  return out;
}

function createDef(snapshot: ProgramSnapshot, file: string, d: Diagnostic): CodeActionData | undefined {
  const m = /^unknown name `([A-Za-z_][A-Za-z0-9_]*)`$/.exec(d.message);
  if (d.code !== "E0201" || !m) return undefined;
  const parsed = snapshot.parsed(file);
  if (!parsed) return undefined;
  const name = m[1]!;
  const decl = parsed.ast.decls.find((x) => x.span.start <= d.span.start && d.span.end <= x.span.end);
  const text = parsed.source.text;
  let at = decl ? decl.span.end : text.length;
  // After the end of the declaration's line.
  while (at < text.length && text[at] !== "\n") at++;
  const newText = `\n\ndef ${name} = false${at < text.length ? "" : "\n"}`;
  return {
    title: `create def \`${name}\``,
    diagnostic: d,
    edits: [{ span: { file, start: at, end: at }, newText }],
    preferred: false,
  };
}
