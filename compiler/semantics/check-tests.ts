// Tests. Owns: `test` blocks: both parts present (E0403), the request checked against the
// package's `request` declaration, the override against `{by, justification}`, and the rules
// named after `expect ... by` (E0205 unknown, E0404 of the wrong effect).
// Request literals are checked strictly: a record literal must give every required attribute
// (E0312) and no unknown one (E0301, with did-you-mean); a record built with `with` from a def
// is checked loosely (the def may rely on defaults the test overrides), as is the def itself.
import type { Expr, RecordLit, TestDecl } from "../syntax/ast.ts";
import type { Span } from "../source/span.ts";
import { replaceFix, type CheckContext } from "./check-context.ts";
import { checkLiteralFor } from "./check-calls.ts";
import { checkEnumLiteral, unparen } from "./check-enum.ts";
import { checkExpr } from "./check-expr.ts";
import { EMPTY_ENV, type Env } from "./env.ts";
import { suggest } from "../diagnostics/suggest.ts";
import { ANY, STRING, isAssignable, isError, recordOf, typeToString, unwrap, type Type } from "./types.ts";

const TEST_ENV: Env = { ...EMPTY_ENV, inTest: true };
const OVERRIDE_TYPE: Type = recordOf([
  { name: "by", type: STRING, optional: false },
  { name: "justification", type: STRING, optional: false },
]);

export function checkTests(cx: CheckContext, requestType: Type): void {
  const seen = new Map<string, TestDecl>();
  for (const test of cx.pkg.tests) {
    if (test.name) {
      const first = seen.get(test.name.value);
      if (first?.name) {
        cx.report("E0202", test.name.span, `test \`${test.name.value}\` is declared twice`, {
          help: "give each test its own name",
          related: [{ span: first.name.span, message: "the first test with this name" }],
        });
      } else seen.set(test.name.value, test);
      cx.declare({ kind: "test", name: test.name.value, declSpan: test.name.span, doc: test.doc?.text, decl: test });
    }
    const where: Span = test.name?.span ?? { file: test.span.file, start: test.span.start, end: test.span.start + 4 };
    if (!test.request) cx.report("E0403", where, "test has no `request`", { help: "add `request { ... }` with the request to decide" });
    else checkExpected(cx, test.request, requestType, "strict", "the request");
    if (test.override) checkExpected(cx, test.override, OVERRIDE_TYPE, "strict", "the override");
    if (!test.expect) cx.report("E0403", where, "test has no `expect`", { help: "add `expect allow` or `expect deny`" });
    else {
      for (const id of test.expect.by) {
        const sym = cx.ruleSymbols.get(id.name);
        if (!sym) {
          const guess = suggest(id.name, cx.ruleSymbols.keys());
          cx.report("E0205", id.span, `unknown rule \`${id.name}\``, {
            help: guess ? `did you mean \`${guess}\`?` : "name a `permit` or `forbid` rule of this package",
            fixes: guess ? [replaceFix(id.span, guess)] : undefined,
          });
          continue;
        }
        cx.reference(id, sym);
        const rule = sym.decl?.kind === "RuleDecl" ? sym.decl : undefined;
        const outcome = test.expect.outcome;
        // An allow may cite a forbid that only reports (advisory) or was overridden (soft).
        const enforce = rule?.annotations.find((a) => a.name.name === "enforce")?.args[0];
        const reportsOnly = enforce?.kind === "StringLit" && (enforce.value === "advisory" || enforce.value === "soft");
        if (rule && outcome && (outcome === "allow" ? rule.effect === "forbid" && !reportsOnly : rule.effect === "permit")) {
          cx.report("E0404", id.span, `\`${id.name}\` is a ${rule.effect} rule, so it is never among the reasons of ${outcome === "allow" ? "an" : "a"} \`${outcome}\` decision`, {
            help: outcome === "allow" ? "an allow is explained by permits (and advisory or soft forbids): name a `permit` rule" : "a deny is explained by forbids: name a `forbid` rule",
            related: rule.name ? [{ span: rule.name.span, message: `\`${id.name}\` is declared here` }] : undefined,
          });
        }
      }
    }
  }
}

type Mode = "strict" | "loose";

/** A def body reached from a test was checked already: reuse its types, never check it twice. */
function typeOrCheck(cx: CheckContext, e: Expr, env: Env): Type {
  return env.checked ? (cx.typeOf(e) ?? ANY) : checkExpr(cx, e, env);
}

/** Checks `e` where a value of type `expected` is needed; `what` names it in messages. */
export function checkExpected(cx: CheckContext, e: Expr, expected: Type, mode: Mode, what: string, env: Env = TEST_ENV): Type {
  const inner = unparen(e) ?? e;
  const u = unwrap(expected);
  if (inner.kind === "RecordLit" && u.kind === "record") return checkRecordAgainst(cx, e, inner, expected, mode, what, env);
  if (inner.kind === "ListLit" && (u.kind === "set" || u.kind === "list")) {
    for (const el of inner.elements) checkExpected(cx, el, u.element, mode, `an element of ${what}`, env);
    return cx.setType(e, expected);
  }
  if (inner.kind === "StringLit" && u.kind === "enum") {
    checkEnumLiteral(cx, inner, expected, what);
    cx.types.set(e, expected);
    return expected;
  }
  if (checkLiteralFor(cx, e, expected)) return expected;
  if (inner.kind === "WithExpr") {
    const t = typeOrCheck(cx, inner, env);
    checkDefRecord(cx, inner.base, expected, "loose", what);
    if (inner.updates && u.kind === "record") checkRecordAgainst(cx, inner.updates, inner.updates, expected, "loose", what, { ...env, checked: true });
    return t;
  }
  const t = typeOrCheck(cx, e, env);
  if (inner.kind === "NameRef" && checkDefRecord(cx, inner, expected, mode, what)) return t;
  if (!isError(t) && !isAssignable(t, expected)) {
    cx.report("E0302", e.span, `${what} must be a \`${typeToString(expected)}\`, found \`${typeToString(t)}\``);
  }
  return t;
}

/** When `e` names a parameterless def whose value is a record literal, checks that literal. */
function checkDefRecord(cx: CheckContext, e: Expr, expected: Type, mode: Mode, what: string): boolean {
  const inner = unparen(e);
  if (inner?.kind !== "NameRef") return false;
  const sym = cx.resolved.get(inner);
  const def = sym?.kind === "def" && sym.decl?.kind === "DefDecl" ? sym.decl : undefined;
  const body = unparen(def?.body);
  if (!def || def.params !== undefined || !body || body.kind !== "RecordLit" || unwrap(expected).kind !== "record") return false;
  checkRecordAgainst(cx, body, body, expected, mode, what, { ...EMPTY_ENV, checked: true });
  return true;
}

function checkRecordAgainst(cx: CheckContext, e: Expr, lit: RecordLit, expected: Type, mode: Mode, what: string, env: Env): Type {
  const u = unwrap(expected);
  if (u.kind !== "record") return ANY;
  const given = new Set<string>();
  // Attributes a misspelt key was probably meant to be: not also reported missing.
  const meant = new Set<string>();
  for (const f of lit.fields) {
    const name = f.key.kind === "Identifier" ? f.key.name : f.key.value;
    given.add(name);
    const field = u.fields.get(name);
    if (!field) {
      if (f.value) typeOrCheck(cx, f.value, env);
      const guess = suggest(name, [...u.fields.keys()].filter((k) => !lit.fields.some((g) => (g.key.kind === "Identifier" ? g.key.name : g.key.value) === k)));
      if (guess) meant.add(guess);
      const typeName = expected.kind === "named" ? `\`${expected.name}\`` : what;
      cx.report("E0301", f.key.span, `${typeName} has no attribute \`${name}\``, {
        help: guess ? `did you mean \`${guess}\`?` : `its attributes are ${[...u.fields.keys()].map((k) => `\`${k}\``).join(", ")}`,
        fixes: guess ? [replaceFix(f.key.span, f.key.kind === "Identifier" ? guess : JSON.stringify(guess))] : undefined,
      });
      continue;
    }
    const sym = cx.fieldSymbol(field);
    if (sym) {
      if (f.key.kind === "Identifier") cx.reference(f.key, sym);
      else cx.referenceSpan(sym, f.key.span);
    }
    if (f.value) checkExpected(cx, f.value, field.type, mode, `attribute \`${name}\``, env);
  }
  if (mode === "strict") {
    const missing = [...u.fields.values()].filter((f) => !f.optional && !given.has(f.name) && !meant.has(f.name));
    if (missing.length > 0) {
      const names = missing.map((f) => `\`${f.name}\``).join(", ");
      const typeName = expected.kind === "named" ? ` for \`${expected.name}\`` : "";
      cx.report("E0312", { file: lit.span.file, start: lit.span.start, end: lit.span.start + 1 }, `${what} is missing ${missing.length === 1 ? "attribute" : "attributes"} ${names}${typeName}`, {
        help: `add ${names}, or build the record from a def with \`with { ... }\``,
        related: missing.flatMap((f) => (f.declSpan ? [{ span: f.declSpan, message: `\`${f.name}\` is declared here` }] : [])),
      });
    }
  }
  return cx.setType(e, expected);
}
