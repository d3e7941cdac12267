// The checker's types. Owns: the Type representation, its printing (`typeToString`),
// compatibility (`isAssignable`, `isComparable`), and the queries the editor needs
// (`attributesOf` for completion after `.`, `enumValuesOf` for completion of enum values).
// INVARIANT (gradual): `any` is compatible with everything in both directions; `error` is the
// type of an expression that already has a diagnostic: it is compatible with everything and
// every operation on it yields `error` silently, so one mistake gives one diagnostic.
// INVARIANT (named types): a declared `type Name` is a `named` type whose target is resolved
// lazily (records may be recursive); `unwrap` follows aliases and stops at a cycle (`error`).
import type { Span } from "../source/span.ts";

export type PrimitiveKind = "string" | "number" | "bool" | "time" | "duration" | "ip";

export interface FieldType {
  readonly name: string;
  readonly type: Type;
  readonly optional: boolean;
  /** Where the field is declared (a `type` body, the `request` or a record literal). */
  readonly declSpan?: Span;
  readonly doc?: string;
}

export type Type =
  | { readonly kind: "any" }
  | { readonly kind: "error" }
  | { readonly kind: PrimitiveKind }
  /** A string-literal union (`"read" | "write"`): an enum. Values in declaration order. */
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | { readonly kind: "set"; readonly element: Type }
  | { readonly kind: "list"; readonly element: Type }
  | { readonly kind: "map"; readonly value: Type }
  | { readonly kind: "record"; readonly fields: ReadonlyMap<string, FieldType> }
  /** A declared type; `resolve()` gives its (possibly still named) target. */
  | { readonly kind: "named"; readonly name: string; readonly resolve: () => Type; readonly declSpan?: Span; readonly doc?: string };

export const ANY: Type = { kind: "any" };
export const ERROR: Type = { kind: "error" };
export const STRING: Type = { kind: "string" };
export const NUMBER: Type = { kind: "number" };
export const BOOL: Type = { kind: "bool" };
export const TIME: Type = { kind: "time" };
export const DURATION: Type = { kind: "duration" };
export const IP: Type = { kind: "ip" };

export const setOf = (element: Type): Type => ({ kind: "set", element });
export const listOf = (element: Type): Type => ({ kind: "list", element });
export const mapOf = (value: Type): Type => ({ kind: "map", value });
export const enumOf = (values: readonly string[]): Type => ({ kind: "enum", values });
export function recordOf(fields: readonly FieldType[]): Type {
  return { kind: "record", fields: new Map(fields.map((f) => [f.name, f])) };
}

/** Follows named types to a structural type. An alias cycle resolves to `error`. */
export function unwrap(t: Type): Type {
  let cur = t;
  for (let i = 0; cur.kind === "named"; i++) {
    if (i > 64) return ERROR;
    cur = cur.resolve();
  }
  return cur;
}

/** `any` or `error`: operations on these are unchecked. */
export function isUnchecked(t: Type): boolean {
  const u = unwrap(t);
  return u.kind === "any" || u.kind === "error";
}

export function isError(t: Type): boolean {
  return unwrap(t).kind === "error";
}

export function typeToString(t: Type): string {
  switch (t.kind) {
    case "any":
      return "Any";
    case "error":
      return "<error>";
    case "string":
      return "String";
    case "number":
      return "Number";
    case "bool":
      return "Bool";
    case "time":
      return "Time";
    case "duration":
      return "Duration";
    case "ip":
      return "Ip";
    case "enum":
      return t.values.map((v) => JSON.stringify(v)).join(" | ");
    case "set":
      return `Set<${typeToString(t.element)}>`;
    case "list":
      return `List<${typeToString(t.element)}>`;
    case "map":
      return `Map<${typeToString(t.value)}>`;
    case "record":
      return `{ ${[...t.fields.values()].map((f) => `${f.name}${f.optional ? "?" : ""}: ${typeToString(f.type)}`).join(", ")} }`;
    case "named":
      return t.name;
  }
}

/** Whether a string-like type: `String` or an enum. */
export function isStringLike(t: Type): boolean {
  const k = unwrap(t).kind;
  return k === "string" || k === "enum";
}

/** Sets and lists are both JSON arrays at run time. */
export function isArrayLike(t: Type): t is Type & { element: Type } {
  const k = unwrap(t).kind;
  return k === "set" || k === "list";
}

/** The element type of a collection one can iterate or test with `in` (map: its keys). */
export function elementType(t: Type): Type | undefined {
  const u = unwrap(t);
  switch (u.kind) {
    case "set":
    case "list":
      return u.element;
    case "map":
      return STRING;
    case "any":
      return ANY;
    case "error":
      return ERROR;
    default:
      return undefined;
  }
}

/**
 * May a value of `source` flow where `target` is expected? Structural, gradual and lenient
 * where run-time values agree: enums are Strings, sets and lists are both arrays, a Time, a
 * Duration and an Ip may be given as their JSON string form only through `any`.
 * Records: every required target field must be present and assignable; extra fields are fine
 * here (the test-request check reports unknown attributes separately).
 */
export function isAssignable(source: Type, target: Type, depth = 0, assumed?: Set<string>): boolean {
  if (depth > 32 || source === target) return true;
  // Recursive named types: a pair already being compared is assumed to fit (coinduction), so
  // `type A { l?: A, r?: A }` against a look-alike `B` stays linear instead of exponential.
  if (source.kind === "named" && target.kind === "named") {
    if (source.name === target.name) return true;
    const key = `${source.name}\u0000${target.name}`;
    if (assumed?.has(key)) return true;
    (assumed ??= new Set()).add(key);
  }
  const s = unwrap(source);
  const t = unwrap(target);
  if (s.kind === "any" || s.kind === "error" || t.kind === "any" || t.kind === "error") return true;
  switch (t.kind) {
    case "string":
      return s.kind === "string" || s.kind === "enum";
    case "enum":
      return s.kind === "string" || (s.kind === "enum" && s.values.some((v) => t.values.includes(v)));
    case "set":
    case "list":
      return (s.kind === "set" || s.kind === "list") && isAssignable(s.element, t.element, depth + 1, assumed);
    case "map":
      if (s.kind === "map") return isAssignable(s.value, t.value, depth + 1, assumed);
      // A record literal is a fine map when every value fits.
      if (s.kind === "record") return [...s.fields.values()].every((f) => isAssignable(f.type, t.value, depth + 1, assumed));
      return false;
    case "record": {
      if (s.kind === "map") return [...t.fields.values()].every((f) => isAssignable(s.value, f.type, depth + 1, assumed));
      if (s.kind !== "record") return false;
      for (const f of t.fields.values()) {
        const sf = s.fields.get(f.name);
        if (!sf) {
          if (!f.optional) return false;
          continue;
        }
        if (!isAssignable(sf.type, f.type, depth + 1, assumed)) return false;
      }
      return true;
    }
    default:
      return s.kind === t.kind;
  }
}

/** May `==`/`!=` between these types ever be true? (Used to reject comparisons that cannot hold.) */
export function isComparable(a: Type, b: Type): boolean {
  return isAssignable(a, b) || isAssignable(b, a);
}

/** Attributes of a record type (after unwrapping), for completion after `.`; empty otherwise. */
export function attributesOf(t: Type): FieldType[] {
  const u = unwrap(t);
  return u.kind === "record" ? [...u.fields.values()] : [];
}

/** Values of an enum type, for completion inside string literals; empty otherwise. */
export function enumValuesOf(t: Type): readonly string[] {
  const u = unwrap(t);
  if (u.kind === "enum") return u.values;
  if (u.kind === "set" || u.kind === "list") {
    const e = unwrap(u.element);
    if (e.kind === "enum") return e.values;
  }
  return [];
}

/** The smallest common type of two (for list literals and `if` branches); `any` if none. */
export function joinTypes(a: Type, b: Type, depth = 0): Type {
  // Recursive named types (`type Node { parent?: Node }`) would otherwise recurse forever.
  if (a === b || (a.kind === "named" && b.kind === "named" && a.name === b.name)) return a;
  if (depth > 8) return ANY;
  const ua = unwrap(a);
  const ub = unwrap(b);
  if (ua.kind === "error") return b;
  if (ub.kind === "error") return a;
  if (ua.kind === "any" || ub.kind === "any") return ANY;
  if (ua.kind === "enum" && ub.kind === "enum") return enumOf([...new Set([...ua.values, ...ub.values])]);
  if (isStringLike(ua) && isStringLike(ub)) return STRING;
  if (isAssignable(a, b) && !(ub.kind === "record" && ua.kind === "record")) return b;
  if (isAssignable(b, a) && !(ub.kind === "record" && ua.kind === "record")) return a;
  if (ua.kind === "record" && ub.kind === "record") {
    // Fields present in both keep their joined type; the others become optional.
    const fields: FieldType[] = [];
    for (const f of ua.fields.values()) {
      const g = ub.fields.get(f.name);
      fields.push(g ? { ...f, type: joinTypes(f.type, g.type, depth + 1), optional: f.optional || g.optional } : { ...f, optional: true });
    }
    for (const g of ub.fields.values()) if (!ua.fields.has(g.name)) fields.push({ ...g, optional: true });
    return recordOf(fields);
  }
  if ((ua.kind === "set" || ua.kind === "list") && (ub.kind === "set" || ub.kind === "list")) {
    const el = joinTypes(ua.element, ub.element, depth + 1);
    return ua.kind === "set" && ub.kind === "set" ? setOf(el) : listOf(el);
  }
  return ANY;
}
