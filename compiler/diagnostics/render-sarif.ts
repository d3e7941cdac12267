// SARIF 2.1.0 for code-scanning upload (`--format sarif`). Owns: the SARIF log shape.
// Input: diagnostics, a source lookup, the tool version. Output: one JSON document with one
// run whose driver lists EVERY code of codes.ts as a rule (so rule indexes are stable across
// runs) and one result per diagnostic.
// INVARIANT (regions): 1-based lines/columns in UTF-16 code units (`columnKind`), endColumn
// exclusive, as SARIF defines. Relative paths become relative URIs (resolved against
// %SRCROOT%, the checkout, by GitHub); absolute paths become `file://` URIs.
import { CODES, type CodeInfo } from "./codes.ts";
import type { Diagnostic, Severity } from "./diagnostic.ts";
import { regionOf, type SourceLookup } from "./render-location.ts";
import type { Span } from "../source/span.ts";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const EDICT_INFORMATION_URI = "https://github.com/edict-lang/edict";

export interface SarifOptions {
  readonly toolVersion: string;
}

type SarifLevel = "error" | "warning" | "note" | "none";

function levelOf(s: Severity): SarifLevel {
  return s === "error" ? "error" : s === "warning" ? "warning" : "note";
}

/** A path as a URI reference: forward slashes, percent-encoded; absolute paths as file URIs. */
export function pathToUri(path: string): string {
  const p = path.replace(/\\/g, "/");
  const encoded = p.split("/").map(encodeURIComponent).join("/");
  if (/^[A-Za-z]:\//.test(p)) return `file:///${p.slice(0, 2)}${p.slice(2).split("/").map(encodeURIComponent).join("/")}`;
  if (p.startsWith("/")) return `file://${encoded}`;
  return encoded;
}

function location(span: Span, sources: SourceLookup) {
  const r = regionOf(span, sources);
  const uri = pathToUri(span.file);
  return {
    physicalLocation: {
      artifactLocation: uri.startsWith("file:") ? { uri } : { uri, uriBaseId: "%SRCROOT%" },
      region: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn },
    },
  };
}

export function renderSarif(diagnostics: readonly Diagnostic[], sources: SourceLookup, options: SarifOptions): string {
  const codes = Object.entries(CODES) as [string, CodeInfo][];
  const ruleIndex = new Map(codes.map(([code], i) => [code, i] as const));
  const rules = codes.map(([code, info]) => ({
    id: code,
    name: ruleName(info.title),
    shortDescription: { text: info.title },
    defaultConfiguration: { level: levelOf(info.severity) },
  }));
  const results = diagnostics.map((d) => {
    const result: Record<string, unknown> = {
      ruleId: d.code,
      level: levelOf(d.severity),
      message: { text: d.help !== undefined ? `${d.message}\nhelp: ${d.help}` : d.message },
      locations: [location(d.span, sources)],
    };
    const index = ruleIndex.get(d.code);
    if (index !== undefined) result.ruleIndex = index;
    if (d.related && d.related.length > 0) {
      result.relatedLocations = d.related.map((r, id) => ({ id, ...location(r.span, sources), message: { text: r.message } }));
    }
    return result;
  });
  const log = {
    version: "2.1.0",
    $schema: SARIF_SCHEMA,
    runs: [
      {
        tool: {
          driver: {
            name: "edict",
            version: options.toolVersion,
            semanticVersion: options.toolVersion,
            informationUri: EDICT_INFORMATION_URI,
            rules,
          },
        },
        columnKind: "utf16CodeUnits",
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "the directory `edict check` ran in" } } },
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}

/** SARIF rule names are PascalCase words: "unknown attribute" → "UnknownAttribute". */
function ruleName(title: string): string {
  return title
    .replace(/[^A-Za-z0-9 ]/g, " ")
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
}
