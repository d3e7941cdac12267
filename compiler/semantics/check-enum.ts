// Enum values that cannot occur. Owns: E0303, string literals compared with, searched among or
// passed as a string-literal union (an enum) they are not a member of: `action == "raed"`,
// `action in ["read", "raed"]`, `"x" in tags` where tags is a `Set<"a" | "b">`, arguments and
// test-request attributes. Each offers the closest member as a did-you-mean fix.
import type { BinaryExpr, Expr, StringLit } from "../syntax/ast.ts";
import { replaceFix, type CheckContext } from "./check-context.ts";
import { suggest } from "../diagnostics/suggest.ts";
import { elementType, unwrap, type Type } from "./types.ts";

function unparen(e: Expr | undefined): Expr | undefined {
  while (e?.kind === "ParenExpr") e = e.expr;
  return e;
}

function enumValues(t: Type): readonly string[] | undefined {
  const u = unwrap(t);
  return u.kind === "enum" ? u.values : undefined;
}

/**
 * Reports `lit` when it is not a value of the enum `t` (no-op for other types).
 * `subject` names what is being compared (`action`); `consequence` ends the message.
 * Returns whether a diagnostic was given.
 */
export function checkEnumLiteral(cx: CheckContext, lit: StringLit, t: Type, subject: string, consequence = ""): boolean {
  const values = enumValues(t);
  if (!values || values.includes(lit.value)) return false;
  const guess = suggest(lit.value, values);
  const list = values.map((v) => `\`${JSON.stringify(v)}\``).join(", ");
  cx.report("E0303", lit.span, `${subject} can never be \`${JSON.stringify(lit.value)}\`${consequence}`, {
    help: guess ? `did you mean \`${JSON.stringify(guess)}\`? possible values: ${list}` : `possible values: ${list}`,
    fixes: guess ? [replaceFix(lit.span, JSON.stringify(guess))] : undefined,
  });
  return true;
}

function subjectOf(cx: CheckContext, e: Expr): string {
  const text = cx.text(e.span);
  return text.length > 0 && text.length <= 40 && !text.includes("\n") ? `\`${text}\`` : "this value";
}

/** `==`/`!=` with an enum on one side. Returns true when the comparison was fully judged. */
export function checkEnumComparison(cx: CheckContext, e: BinaryExpr, l: Type, r: Type): boolean {
  const right = unparen(e.right);
  const left = unparen(e.left);
  const consequence = e.op === "==" ? ", so this comparison is always false" : ", so this comparison is always true";
  if (right?.kind === "StringLit" && enumValues(l)) {
    checkEnumLiteral(cx, right, l, subjectOf(cx, e.left), consequence);
    return true;
  }
  if (left?.kind === "StringLit" && enumValues(r) && e.right) {
    checkEnumLiteral(cx, left, r, subjectOf(cx, e.right), consequence);
    return true;
  }
  const lv = enumValues(l);
  const rv = enumValues(r);
  if (lv && rv && e.right) {
    if (!lv.some((v) => rv.includes(v))) {
      cx.report("E0303", e.opSpan, `${subjectOf(cx, e.left)} and ${subjectOf(cx, e.right)} have no value in common${consequence}`);
    }
    return true;
  }
  return false;
}

/** `x in C` where `x` or the elements of `C` are enums. Returns true when fully judged. */
export function checkEnumMembership(cx: CheckContext, e: BinaryExpr, l: Type, r: Type): boolean {
  const right = unparen(e.right);
  const left = unparen(e.left);
  if (enumValues(l) && right?.kind === "ListLit") {
    for (const el of right.elements) {
      const lit = unparen(el);
      if (lit?.kind === "StringLit") checkEnumLiteral(cx, lit, l, subjectOf(cx, e.left));
    }
    return true;
  }
  const el = elementType(r);
  if (left?.kind === "StringLit" && el && enumValues(el) && e.right) {
    checkEnumLiteral(cx, left, el, `an element of ${subjectOf(cx, e.right)}`, ", so this test is always false");
    return true;
  }
  return false;
}

export { unparen };
