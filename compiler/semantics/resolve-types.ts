// Type expressions to types. Owns: the builtin type names, `type` declarations (as lazily
// resolved named types, so records may refer to themselves and declaration order is free), and
// the translation of every written TypeExpr into a Type, reporting unknown types (E0204),
// wrong type arguments, alias cycles (E0203) and non-enum unions (E0311).
// INVARIANT: each TypeDecl body is translated exactly once (cached), so its diagnostics and its
// field symbols exist once however often the type is used.
import type { FieldDecl, TypeDecl, TypeExpr } from "../syntax/ast.ts";
import { replaceFix, type CheckContext } from "./check-context.ts";
import { suggest } from "../diagnostics/suggest.ts";
import {
  ANY,
  BOOL,
  DURATION,
  ERROR,
  IP,
  NUMBER,
  STRING,
  TIME,
  enumOf,
  listOf,
  mapOf,
  recordOf,
  setOf,
  type FieldType,
  type Type,
} from "./types.ts";

export const BUILTIN_TYPES: ReadonlyMap<string, { arity: number; doc: string }> = new Map([
  ["String", { arity: 0, doc: "A text." }],
  ["Number", { arity: 0, doc: "A number (IEEE double; integers exact up to 2^53)." }],
  ["Bool", { arity: 0, doc: "`true` or `false`." }],
  ["Time", { arity: 0, doc: "An instant; an ISO-8601 string with a timezone in JSON input." }],
  ["Duration", { arity: 0, doc: "A length of time: `90s`, `15m`, `24h`, `7d`; a string like `\"15m\"` in JSON input." }],
  ["Ip", { arity: 0, doc: "An IPv4/IPv6 address or CIDR range; a string in JSON input." }],
  ["Any", { arity: 0, doc: "Any JSON value, checked only at run time." }],
  ["Set", { arity: 1, doc: "A set of values (a JSON array in input)." }],
  ["List", { arity: 1, doc: "An ordered list of values (a JSON array)." }],
  ["Map", { arity: 1, doc: "A record with string keys and values of one type (a JSON object)." }],
]);

const PRIMITIVES: Record<string, Type> = { String: STRING, Number: NUMBER, Bool: BOOL, Time: TIME, Duration: DURATION, Ip: IP, Any: ANY };

/** Creates a named type and a `type` symbol for each declared type (first declaration wins). */
export function declareTypes(cx: CheckContext): void {
  for (const [name, decl] of cx.pkg.types) {
    let cached: Type | undefined;
    let resolving = false;
    const named: Type = {
      kind: "named",
      name,
      declSpan: decl.name?.span,
      doc: decl.doc?.text,
      resolve: () => {
        if (cached) return cached;
        if (resolving) return ERROR; // an alias cycle; reported by checkTypeDecls
        resolving = true;
        cached = resolveTypeExpr(cx, decl.body);
        resolving = false;
        return cached;
      },
    };
    cx.namedTypes.set(name, named);
    cx.typeDeclsByName.set(name, decl);
    const sym = cx.declare({ kind: "type", name, declSpan: decl.name?.span, type: named, doc: decl.doc?.text, decl });
    cx.typeSymbols.set(name, sym);
    if (decl.name) cx.resolved.set(decl.name, sym);
  }
}

/** Translates every declared type body (reporting its problems) and finds alias cycles. */
export function checkTypeDecls(cx: CheckContext): void {
  const inReportedCycle = new Set<TypeDecl>();
  for (const [name, decl] of cx.pkg.types) {
    const named = cx.namedTypes.get(name)!;
    if (named.kind === "named") named.resolve();
    // An alias chain `type A = B`, `type B = A` never reaches a structure.
    const chain: TypeDecl[] = [decl];
    let cur: TypeDecl | undefined = decl;
    while (cur?.body?.kind === "NamedType" && cur.body.args.length === 0) {
      const next = cx.typeDeclsByName.get(cur.body.name.name);
      if (!next) break;
      if (next === decl) {
        if (decl.name && !inReportedCycle.has(decl)) {
          for (const d of chain) inReportedCycle.add(d);
          cx.report("E0203", decl.name.span, `type \`${name}\` is defined in terms of itself: ${[...chain, decl].map((d) => d.name?.name).join(" -> ")}`, {
            help: "give one of these types a structure, e.g. a record `{ ... }`",
            related: chain.slice(1).map((d) => ({ span: d.name?.span ?? d.span, message: `\`${d.name?.name}\` is declared here` })),
          });
        }
        break;
      }
      if (chain.includes(next)) break; // a cycle not through `decl`; reported at its own members
      chain.push(next);
      cur = next;
    }
  }
}

export function resolveTypeExpr(cx: CheckContext, te: TypeExpr | undefined): Type {
  if (!te) return ERROR;
  switch (te.kind) {
    case "StringLiteralType":
      return enumOf([te.value]);
    case "UnionType": {
      const values: string[] = [];
      for (const m of te.members) {
        if (m.kind === "StringLiteralType") {
          if (!values.includes(m.value)) values.push(m.value);
        } else if (m.kind === "UnionType") {
          const inner = resolveTypeExpr(cx, m);
          if (inner.kind === "enum") values.push(...inner.values.filter((v) => !values.includes(v)));
        } else {
          cx.report("E0311", m.span, "a union type may only list string literals", {
            help: 'write an enum like `"read" | "write"`, or use `Any` for values of mixed types',
          });
          for (const other of te.members) if (other !== m && other.kind !== "StringLiteralType") resolveTypeExpr(cx, other);
          return ERROR;
        }
      }
      return enumOf(values);
    }
    case "RecordType":
      return recordOf(resolveFields(cx, te.fields));
    case "NamedType": {
      const name = te.name.name;
      const builtin = BUILTIN_TYPES.get(name);
      const args = te.args.map((a) => resolveTypeExpr(cx, a));
      if (builtin) {
        const sym = builtinTypeSymbol(cx, name, builtin.doc);
        cx.reference(te.name, sym);
        if (args.length !== builtin.arity) {
          const example = builtin.arity === 0 ? `\`${name}\`` : `\`${name}<String>\``;
          cx.report("E0204", te.span, builtin.arity === 0 ? `\`${name}\` takes no type arguments` : `\`${name}\` takes one type argument`, {
            help: `write ${example}`,
          });
          if (builtin.arity === 0) return PRIMITIVES[name]!;
          return name === "Set" ? setOf(ANY) : name === "List" ? listOf(ANY) : mapOf(ANY);
        }
        if (name === "Set") return setOf(args[0]!);
        if (name === "List") return listOf(args[0]!);
        if (name === "Map") return mapOf(args[0]!);
        return PRIMITIVES[name]!;
      }
      const declared = cx.namedTypes.get(name);
      if (declared) {
        cx.reference(te.name, cx.typeSymbols.get(name)!);
        if (args.length > 0) cx.report("E0204", te.span, `type \`${name}\` takes no type arguments`, { help: `write \`${name}\`` });
        return declared;
      }
      const candidates = [...BUILTIN_TYPES.keys(), ...cx.namedTypes.keys()];
      const guess = suggest(name, candidates);
      cx.report("E0204", te.name.span, `unknown type \`${name}\``, {
        help: guess ? `did you mean \`${guess}\`?` : `declare it with \`type ${name} { ... }\` or use one of ${["String", "Number", "Bool", "Time", "Duration", "Ip", "Any"].map((n) => `\`${n}\``).join(", ")}`,
        fixes: guess ? [replaceFix(te.name.span, guess)] : undefined,
      });
      return ERROR;
    }
  }
}

function builtinTypeSymbol(cx: CheckContext, name: string, doc: string) {
  const key = `type:${name}`;
  let sym = cx.builtinSymbols.get(key);
  if (!sym) cx.builtinSymbols.set(key, (sym = cx.declare({ kind: "type", name, doc })));
  return sym;
}

/** Record fields (of a `type` body, a record type or the `request`), reporting duplicates. */
export function resolveFields(cx: CheckContext, decls: readonly FieldDecl[], kind: "field" | "request-field" = "field"): FieldType[] {
  const fields: FieldType[] = [];
  const seen = new Map<string, FieldDecl>();
  for (const fd of decls) {
    const type = resolveTypeExpr(cx, fd.type);
    if (!fd.name) continue;
    const name = fd.name.name;
    const first = seen.get(name);
    if (first) {
      cx.report("E0202", fd.name.span, `attribute \`${name}\` is declared twice`, {
        help: "remove or rename one of them",
        related: [{ span: first.name!.span, message: `\`${name}\` is first declared here` }],
      });
      continue;
    }
    seen.set(name, fd);
    const field: FieldType = { name, type, optional: fd.optional, declSpan: fd.name.span, doc: fd.doc?.text };
    fields.push(field);
    const sym = cx.declare({ kind, name, declSpan: fd.name.span, type, doc: fd.doc?.text, decl: fd });
    cx.fieldSymbols.set(field, sym);
    cx.resolved.set(fd.name, sym); // rename and references work from the declaration too
  }
  return fields;
}
