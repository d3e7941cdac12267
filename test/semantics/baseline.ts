// Renders diagnostics in the TypeScript-baseline style used by the golden tests: one summary
// line per diagnostic, then each file echoed with `~~~` under the offending text and `!!!` lines
// (message, help, related locations, fixes) after the underlined line.
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.ts";
import type { SourceFile } from "../../compiler/source/source-file.ts";

function where(source: SourceFile | undefined, file: string, offset: number): string {
  if (!source) return file;
  const p = source.position(offset);
  return `${file}(${p.line + 1},${p.column + 1})`;
}

export function renderBaseline(sources: readonly SourceFile[], diagnostics: readonly Diagnostic[]): string {
  const byPath = new Map(sources.map((s) => [s.path, s]));
  const out: string[] = [];
  for (const d of diagnostics) out.push(`${where(byPath.get(d.span.file), d.span.file, d.span.start)}: ${d.severity} ${d.code}: ${d.message}`);
  for (const source of sources) {
    const mine = diagnostics.filter((d) => d.span.file === source.path);
    const errors = mine.filter((d) => d.severity === "error").length;
    out.push("", "", `==== ${source.path} (${errors} errors, ${mine.length - errors} other) ====`);
    const lines = source.lines;
    for (let line = 0; line < lines.lineCount; line++) {
      const start = lines.lineStart(line);
      const end = lines.lineEnd(line);
      const text = lines.lineText(line);
      out.push(`    ${text}`.trimEnd());
      // Diagnostics whose span touches this line get an underline; notes follow on their last line.
      for (const d of mine) {
        const s = d.span.start;
        const e = Math.max(d.span.end, d.span.start);
        const touches = (s >= start && s <= end) || (s < start && e > start);
        if (!touches) continue;
        if (s > end && !(s === end)) continue;
        const from = Math.max(s, start) - start;
        const to = Math.min(e, end) - start;
        out.push(`    ${" ".repeat(from)}${"~".repeat(Math.max(1, to - from))}`);
        const lastLine = lines.position(Math.max(s, e - 1)).line;
        if (lastLine === line || (line === lines.lineCount - 1 && lastLine > line)) {
          out.push(`!!! ${d.severity} ${d.code}: ${d.message}`);
          if (d.help) out.push(`!!! help: ${d.help}`);
          for (const r of d.related ?? []) out.push(`!!! related ${where(byPath.get(r.span.file), r.span.file, r.span.start)}: ${r.message}`);
          for (const f of d.fixes ?? []) {
            const edits = f.edits.map((x) => `${where(byPath.get(x.span.file), x.span.file, x.span.start)}-${x.span.end - x.span.start} ${JSON.stringify(x.newText)}`).join("; ");
            out.push(`!!! fix${f.preferred ? " (preferred)" : ""}: ${f.title}: ${edits}`);
          }
          if (d.tags?.length) out.push(`!!! tags: ${d.tags.join(", ")}`);
        }
      }
    }
  }
  return out.join("\n") + "\n";
}
