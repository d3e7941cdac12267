// The reports of `edict test`. Owns: the text of a failed test and of rule coverage, and the
// JUnit XML file of `--reporter junit FILE` (`testsuites > testsuite` per package `> testcase`
// per test `> failure`, the shape Jenkins, GitLab and GitHub test reporters read).
// INVARIANT (well-formed XML): every text and attribute goes through xmlText/xmlAttr; characters
// XML 1.0 forbids (control characters, lone surrogates, U+FFFE/U+FFFF) become U+FFFD, so a
// policy string can never break the file. Output is deterministic (no timestamps, no times).
import type { PackageTestRun, TestOutcome, TestRun } from "../compiler/run-tests.ts";
import type { Reason } from "../runtime/decision.ts";

function describeExpected(t: TestOutcome): string {
  const by = t.expected.by.length > 0 ? ` by ${t.expected.by.join(", ")}` : "";
  return `${t.expected.decision ?? "?"}${by}`;
}

function reasonLine(r: Reason, kind: string): string {
  return `      ${kind} ${r.rule} (${r.location})${r.message !== undefined ? `: ${r.message}` : ""}`;
}

/** Control characters of a test name shown as `\uXXXX`, so a name cannot garble a terminal. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function failureLines(t: TestOutcome): string[] {
  const lines = [`✗ ${t.package}: ${printable(t.name)} (${t.location})`];
  const d = t.decision;
  if (d) lines.push(`    expected: ${describeExpected(t)}`, `    actual:   ${d.decision}${d.reasons.length === 0 ? " (the package default: no rule decided)" : ""}`);
  for (const p of t.problems) if (!p.startsWith("expected allow,") && !p.startsWith("expected deny,")) lines.push(`    ${p}`);
  if (d) {
    if (d.reasons.length > 0) {
      lines.push("    reasons:");
      for (const r of d.reasons) lines.push(reasonLine(r, r.effect));
    }
    if (d.advisories.length > 0) {
      lines.push("    advisories:");
      for (const r of d.advisories) lines.push(reasonLine(r, "advisory"));
    }
    if (d.override && d.override.bypassed.length > 0) {
      lines.push(`    overridden by ${d.override.by}:`);
      for (const r of d.override.bypassed) lines.push(reasonLine(r, "bypassed"));
    }
    if (d.errors.length > 0) {
      lines.push("    errors:");
      for (const e of d.errors) lines.push(`      ${e.rule} at ${e.location}: ${e.message}`);
    }
  }
  return lines;
}

export function coverageLines(packages: readonly PackageTestRun[]): string[] {
  const rules = packages.flatMap((p) => p.coverage);
  if (rules.length === 0) return [];
  const neverMatched = rules.filter((r) => !r.matched);
  const neverUnmatched = rules.filter((r) => !r.notMatched);
  const lines = [
    `rule coverage: ${rules.length - neverMatched.length} of ${rules.length} rules matched by a test, ${rules.length - neverUnmatched.length} of ${rules.length} seen not matching`,
  ];
  if (neverMatched.length > 0) {
    lines.push("  rules no test matched:");
    for (const r of neverMatched) lines.push(`    ${r.rule} (${r.location})`);
  }
  if (neverUnmatched.length > 0) {
    lines.push("  rules no test saw not matching:");
    for (const r of neverUnmatched) lines.push(`    ${r.rule} (${r.location})`);
  }
  return lines;
}

// Allowed: tab, LF, CR, U+0020..U+D7FF, U+E000..U+FFFD, and valid surrogate pairs.
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\uD800-\uDBFF\uDC00-\uDFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlText(text: string): string {
  return text.replace(INVALID_XML, "\uFFFD").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function xmlAttr(text: string): string {
  // Newlines and tabs in attributes are normalised to spaces by XML parsers: keep them as refs.
  return xmlText(text).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}

function testcase(t: TestOutcome): string {
  const attrs = `name="${xmlAttr(t.name)}" classname="${xmlAttr(t.package)}" file="${xmlAttr(t.file)}" line="${t.line}"`;
  if (t.passed) return `    <testcase ${attrs}/>`;
  const message = t.problems.join("; ");
  const body = failureLines(t).join("\n");
  return [`    <testcase ${attrs}>`, `      <failure message="${xmlAttr(message)}" type="AssertionError">${xmlText(body)}</failure>`, "    </testcase>"].join("\n");
}

export function renderJunit(run: TestRun): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="edict" tests="${run.passed + run.failed}" failures="${run.failed}" errors="0">`];
  for (const pkg of run.packages) {
    const failures = pkg.tests.filter((t) => !t.passed).length;
    lines.push(`  <testsuite name="${xmlAttr(pkg.package)}" tests="${pkg.tests.length}" failures="${failures}" errors="0" skipped="0">`);
    for (const t of pkg.tests) lines.push(testcase(t));
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return lines.join("\n") + "\n";
}
