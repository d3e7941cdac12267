// Attribute access. Owns: `.attr`, `["attr"]` and indexing, `has` tests, unknown attributes
// (E0301 with did-you-mean), optional attributes read without a `has` guard (E0304, with a fix
// that inserts the guard before the enclosing condition), and `has` on a required attribute
// (W0003). Narrowing facts come from narrowing.ts through the Env.
import type { Expr, HasExpr, IndexExpr, MemberExpr } from "../syntax/ast.ts";
import { replaceFix, type CheckContext } from "./check-context.ts";
import { checkExpr, describe } from "./check-expr.ts";
import type { Env } from "./env.ts";
import { childPath, hasFact, pathOf } from "./narrowing.ts";
import { suggest } from "../diagnostics/suggest.ts";
import { lookupMethod } from "./builtins.ts";
import { ANY, BOOL, ERROR, isError, isStringLike, typeToString, unwrap, type FieldType, type Type } from "./types.ts";

export function checkMember(cx: CheckContext, e: MemberExpr, env: Env): Type {
  const objT = checkExpr(cx, e.object, env);
  if (!e.property) return ERROR;
  return attributeType(cx, e, e.object, objT, e.property.name, e.property.span, env, e.property);
}

/** The type of reading attribute `name` of `object` (by `.name` or `["name"]`). */
function attributeType(
  cx: CheckContext,
  access: Expr,
  object: Expr,
  objT: Type,
  name: string,
  nameSpan: MemberExpr["span"],
  env: Env,
  ident?: MemberExpr["property"],
): Type {
  const u = unwrap(objT);
  switch (u.kind) {
    case "any":
      return ANY;
    case "error":
      return ERROR;
    case "map":
      return u.value;
    case "record": {
      const field = u.fields.get(name);
      if (!field) {
        const guess = suggest(name, u.fields.keys());
        const owner = objT.kind === "named" ? ` (a \`${objT.name}\`)` : "";
        cx.report("E0301", nameSpan, `${describe(cx, object, objT)}${owner} has no attribute \`${name}\``, {
          help: guess
            ? `did you mean \`${guess}\`?`
            : u.fields.size > 0
              ? `its attributes are ${[...u.fields.keys()].map((k) => `\`${k}\``).join(", ")}`
              : "it has no attributes",
          fixes: guess && ident ? [replaceFix(nameSpan, guess)] : undefined,
          related: field === undefined && objT.kind === "named" && objT.declSpan ? [{ span: objT.declSpan, message: `\`${objT.name}\` is declared here` }] : undefined,
        });
        return ERROR;
      }
      const sym = cx.fieldSymbol(field);
      if (sym && ident) cx.reference(ident, sym);
      if (field.optional) {
        const p = pathOf(cx, object);
        if (p === undefined || !hasFact(env.facts, childPath(p, name))) reportUnguarded(cx, access, object, name, nameSpan, field, env, p !== undefined);
      }
      return field.type;
    }
    default: {
      const m = lookupMethod(objT, name);
      cx.report("E0301", nameSpan, `${describe(cx, object, objT)} is a \`${typeToString(objT)}\`, which has no attribute \`${name}\``, {
        help: m ? `\`${name}\` is a method: call it with \`${name}()\`` : undefined,
        fixes: m && ident ? [{ title: `call \`${name}()\``, edits: [{ span: nameSpan, newText: `${name}()` }], preferred: true }] : undefined,
      });
      return ERROR;
    }
  }
}

function reportUnguarded(cx: CheckContext, access: Expr, object: Expr, name: string, nameSpan: MemberExpr["span"], field: FieldType, env: Env, hasPath: boolean): void {
  const objText = cx.text(object.span);
  const guard = `${objText} has ${/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : JSON.stringify(name)}`;
  const root = env.guardRoot;
  const fixes =
    hasPath && root
      ? [
          {
            title: `guard with \`${guard}\``,
            edits:
              root.kind === "BinaryExpr" && root.op === "or"
                ? [
                    { span: { file: root.span.file, start: root.span.start, end: root.span.start }, newText: `${guard} and (` },
                    { span: { file: root.span.file, start: root.span.end, end: root.span.end }, newText: ")" },
                  ]
                : [{ span: { file: root.span.file, start: root.span.start, end: root.span.start }, newText: `${guard} and ` }],
          },
        ]
      : undefined;
  cx.report("E0304", nameSpan, `attribute \`${name}\` is optional: check \`${guard}\` before reading it`, {
    help: hasPath
      ? `write \`${guard} and ...\`, or \`if ${guard} then ... else ...\``
      : `bind the value with \`let\` first, then guard it with \`has\``,
    fixes,
    related: field.declSpan ? [{ span: field.declSpan, message: `\`${name}\` is declared optional here` }] : undefined,
  });
  void access;
}

export function checkIndex(cx: CheckContext, e: IndexExpr, env: Env): Type {
  const objT = checkExpr(cx, e.object, env);
  const idxT = checkExpr(cx, e.index, env);
  const u = unwrap(objT);
  const idx = e.index?.kind === "ParenExpr" ? e.index.expr : e.index;
  if (u.kind === "record" && idx?.kind === "StringLit") return attributeType(cx, e, e.object, objT, idx.value, idx.span, env);
  if (isError(objT) || isError(idxT)) return ERROR;
  if (u.kind === "any") return ANY;
  const iu = unwrap(idxT);
  if (u.kind === "list" || u.kind === "set") {
    if (iu.kind !== "number" && iu.kind !== "any" && e.index)
      cx.report("E0302", e.index.span, `a list index must be a \`Number\`, found \`${typeToString(idxT)}\``);
    return u.element;
  }
  if (u.kind === "map" || u.kind === "record") {
    if (!isStringLike(idxT) && iu.kind !== "any" && e.index) cx.report("E0302", e.index.span, `a key must be a \`String\`, found \`${typeToString(idxT)}\``);
    return u.kind === "map" ? u.value : ANY;
  }
  cx.report("E0302", e.object.span, `${describe(cx, e.object, objT)} is a \`${typeToString(objT)}\` and cannot be indexed`, {
    help: "only lists, sets, maps and records can be indexed",
  });
  return ERROR;
}

export function checkHas(cx: CheckContext, e: HasExpr, env: Env): Type {
  const objT = checkExpr(cx, e.object, env);
  if (!e.attribute) return BOOL;
  const name = e.attribute.kind === "Identifier" ? e.attribute.name : e.attribute.value;
  const u = unwrap(objT);
  if (u.kind === "record") {
    const field = u.fields.get(name);
    if (!field) {
      const guess = suggest(name, u.fields.keys());
      cx.report("E0301", e.attribute.span, `${describe(cx, e.object, objT)} has no attribute \`${name}\``, {
        help: guess ? `did you mean \`${guess}\`?` : `its attributes are ${[...u.fields.keys()].map((k) => `\`${k}\``).join(", ")}`,
        fixes: guess ? [replaceFix(e.attribute.span, e.attribute.kind === "Identifier" ? guess : JSON.stringify(guess))] : undefined,
      });
      return BOOL;
    }
    const sym = cx.fieldSymbol(field);
    if (sym && e.attribute.kind === "Identifier") cx.reference(e.attribute, sym);
    if (!field.optional) {
      cx.report("W0003", e.span, `\`${name}\` is not optional, so this \`has\` test is always true for a well-typed request`, {
        help: `mark it optional (\`${name}?: ...\`) if requests may omit it, or drop the test`,
      });
    }
    return BOOL;
  }
  if (u.kind !== "any" && u.kind !== "error" && u.kind !== "map") {
    cx.report("E0302", e.object.span, `\`has\` needs a record, found \`${typeToString(objT)}\``);
  }
  return BOOL;
}
