// The fixed parts of completion. Owns: the completion entry type, the snippets (declarations,
// rule clauses, expressions, test parts) and the keyword and builtin type lists.
export type CompletionKind = "keyword" | "snippet" | "variable" | "function" | "field" | "method" | "type" | "enum" | "rule" | "annotation" | "value" | "module";

export interface CompletionEntry {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  readonly documentation?: string;
  /** Text to insert (a snippet when `snippet`); the label otherwise. */
  readonly insertText?: string;
  readonly snippet?: boolean;
  readonly sortText?: string;
}

export const DECL_SNIPPETS: CompletionEntry[] = [
  snip("permit", "permit ${1:name} {\n\twhen ${2:condition}\n}", "a rule that allows"),
  snip("forbid", "forbid ${1:name} {\n\twhen ${2:condition}\n\treason \"${3:why}\"\n}", "a rule that denies"),
  snip("def", "def ${1:name} = ${0}", "a named value"),
  snip("def (function)", "def ${1:name}(${2:x}: ${3:String}) = ${0}", "a function", "def"),
  snip("type", "type ${1:Name} {\n\t${2:field}: ${3:String}\n}", "a record type"),
  snip("request", "request {\n\t${1:principal}: ${2:String}\n}", "the request's fields"),
  snip("test", "test \"${1:name}\" {\n\trequest { ${2} }\n\texpect ${3|allow,deny|}\n}", "a test"),
  snip("package", "package ${1:name}", "the package this file belongs to"),
];
export const CLAUSE_SNIPPETS: CompletionEntry[] = [
  snip("when", "when ${0}", "the rule applies when this holds"),
  snip("unless", "unless ${0}", "the rule does not apply when this holds"),
  snip("let", "let ${1:name} = ${0}", "bind a name for later clauses"),
  snip("for", "for ${1:x} in ${0}", "match once per element"),
  snip("reason", "reason \"${0}\"", "the message of the decision; `{expr}` interpolates"),
];
export const EXPR_SNIPPETS: CompletionEntry[] = [
  snip("some", "some ${1:x} in ${2:collection}: ${0}", "some element satisfies"),
  snip("every", "every ${1:x} in ${2:collection}: ${0}", "every element satisfies"),
  snip("count", "count(${1:x} in ${2:collection} where ${0})", "how many elements satisfy"),
  snip("if", "if ${1:condition} then ${2} else ${0}", "a conditional value"),
];
export const EXPR_KEYWORDS = ["not", "and", "or", "in", "has", "like", "matches", "with", "true", "false"];
export const TEST_SNIPPETS: CompletionEntry[] = [
  snip("request", "request { ${0} }", "the request to decide"),
  snip("override", "override { by: \"${1}\", justification: \"${2}\" }", "an override for soft forbids"),
  snip("expect allow", "expect allow", "the expected decision", "expect"),
  snip("expect deny", "expect deny", "the expected decision", "expect"),
];
export const BUILTIN_TYPES = ["String", "Number", "Bool", "Time", "Duration", "Ip", "Any"];
export const GENERIC_TYPES = ["Set", "List", "Map"];

function snip(label: string, body: string, detail: string, filter?: string): CompletionEntry {
  return { label, kind: "snippet", insertText: body, snippet: true, detail, ...(filter ? { sortText: filter } : {}) };
}

