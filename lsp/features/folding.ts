// Folding ranges. Owns: what folds: every declaration spanning lines (with its doc comment and
// annotations), multi-line record/list literals and record types inside them, block comments,
// and runs of two or more `//` comment lines.
// Input: (snapshot, file). Output: 0-based line pairs.
import type { ProgramSnapshot } from "../../compiler/program.ts";
import { walk } from "../../compiler/syntax/ast-walk.ts";

export interface Fold {
  readonly startLine: number;
  readonly endLine: number;
  readonly kind?: "comment" | "region";
}

export function foldingRanges(snapshot: ProgramSnapshot, file: string): Fold[] {
  const parsed = snapshot.parsed(file);
  if (!parsed) return [];
  const src = parsed.source;
  const line = (o: number) => src.position(o).line;
  const out: Fold[] = [];
  const add = (s: number, e: number, kind?: Fold["kind"]) => {
    const a = line(s);
    const b = line(e);
    if (b > a) out.push({ startLine: a, endLine: b, ...(kind ? { kind } : {}) });
  };
  for (const d of parsed.ast.decls) {
    walk(d, (n) => {
      if (n.kind === "RecordLit" || n.kind === "ListLit" || n.kind === "RecordType") {
        add(n.span.start, n.span.end);
      }
      return true;
    });
    add(d.span.start, d.span.end);
  }
  let run: { start: number; end: number; last: number } | undefined;
  for (const c of parsed.ast.comments) {
    if (c.style === "block") {
      add(c.span.start, c.span.end, "comment");
      continue;
    }
    const l = line(c.span.start);
    if (run && l === run.last + 1) (run.end = c.span.end), (run.last = l);
    else {
      if (run) add(run.start, run.end, "comment");
      run = { start: c.span.start, end: c.span.end, last: l };
    }
  }
  if (run) add(run.start, run.end, "comment");
  // One fold per start line (the outermost), as editors show one chevron per line.
  const byStart = new Map<number, Fold>();
  for (const f of out) {
    const cur = byStart.get(f.startLine);
    if (!cur || f.endLine > cur.endLine) byStart.set(f.startLine, f);
  }
  return [...byStart.values()].sort((a, b) => a.startLine - b.startLine);
}
