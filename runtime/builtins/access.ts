// Reading values. Owns: attribute access (OWN properties only: `__proto__`, `constructor`,
// `toString` are ordinary, usually missing, attributes; works with Object.create(null)),
// `has`, indexing, building records safely (a `__proto__` key is a plain field, never the
// prototype), iteration for `for`/quantifiers/count, condition checks, and template rendering.
// Hot path (compiled code): getAttr/truthy are small and monomorphic; errors are the cold path.
import { EdictError } from "./error.ts";
import { describeKind, isRecord, quote } from "./wrappers.ts";

/** `obj.key`. A missing attribute (or one whose value is `undefined`) is an EdictError. */
export function getAttr(obj: unknown, key: string): unknown {
  if (typeof obj === "object" && obj !== null && Object.hasOwn(obj, key) && !Array.isArray(obj)) {
    const v = (obj as Record<string, unknown>)[key];
    if (v !== undefined) return v;
  }
  return attrError(obj, key);
}

function attrError(obj: unknown, key: string): never {
  if (isRecord(obj)) throw new EdictError(`attribute \`${key}\` is missing`);
  throw new EdictError(`cannot read attribute \`${key}\` of ${describeKind(obj)}`);
}

/** `obj has key`: the record has an own attribute `key`. A non-record is an EdictError. */
export function hasAttr(obj: unknown, key: string): boolean {
  if (isRecord(obj)) return Object.hasOwn(obj, key) && obj[key] !== undefined;
  throw new EdictError(`cannot test attribute \`${key}\` of ${describeKind(obj)}`);
}

/** `coll[i]`: a list by whole-number index (0-based), a map by string key (own keys only). */
export function getIndex(coll: unknown, index: unknown): unknown {
  if (Array.isArray(coll)) {
    if (typeof index !== "number" || !Number.isInteger(index)) throw new EdictError(`a list index must be a whole number, not ${describeKind(index)}`);
    if (index < 0 || index >= coll.length) throw new EdictError(`index ${index} is out of range for a list of ${coll.length} item${coll.length === 1 ? "" : "s"}`);
    const v: unknown = coll[index];
    if (v === undefined) throw new EdictError(`index ${index} is out of range for a list of ${coll.length} items`);
    return v;
  }
  if (isRecord(coll)) {
    if (typeof index !== "string") throw new EdictError(`a map key must be a string, not ${describeKind(index)}`);
    if (Object.hasOwn(coll, index)) {
      const v = coll[index];
      if (v !== undefined) return v;
    }
    throw new EdictError(`key ${quote(index)} is missing`);
  }
  throw new EdictError(`cannot index ${describeKind(coll)}`);
}

/** Sets a field on a record under construction; `__proto__` becomes an own data property. */
export function setField(record: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  if (key === "__proto__") Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
  return record;
}

/** A record literal `{k: v, ...}` from parallel key/value arrays (later keys win). */
export function makeRecord(keys: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) setField(r, keys[i]!, values[i]);
  return r;
}

/** `base with {k: v}`: a copy of the record with attributes replaced or added. */
export function recordWith(base: unknown, keys: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  if (!isRecord(base)) throw new EdictError(`\`with\` needs a record on the left, not ${describeKind(base)}`);
  const r: Record<string, unknown> = {};
  for (const k of Object.keys(base)) setField(r, k, base[k]);
  for (let i = 0; i < keys.length; i++) setField(r, keys[i]!, values[i]);
  return r;
}

/** The elements a `for`, `some`, `every` or `count` ranges over: lists and sets only. */
export function iterate(coll: unknown): readonly unknown[] {
  if (Array.isArray(coll)) return coll;
  if (isRecord(coll)) throw new EdictError("cannot iterate over a record (use `.keys()` or `.values()`)");
  throw new EdictError(`cannot iterate over ${describeKind(coll)}`);
}

/** A condition (`when`, `unless`, `and`, `or`, `not`, `if`) must be a boolean: no truthiness. */
export function truthy(v: unknown): boolean {
  if (v === true) return true;
  if (v === false) return false;
  throw new EdictError(`a condition must be a boolean, not ${describeKind(v)}`);
}

/**
 * Text of a value inside a reason template: strings as they are, numbers and booleans as
 * JSON, times as ISO-8601, durations like `15m`, ips as text, lists and records as JSON.
 */
export function renderValue(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null) return "null";
  if (typeof v === "object") {
    if (Array.isArray(v) || isRecord(v)) {
      try {
        return JSON.stringify(v) ?? "null";
      } catch {
        throw new EdictError(`cannot render ${describeKind(v)}: it contains itself or a non-JSON value`);
      }
    }
    return String(v); // Time, Duration, Ip
  }
  throw new EdictError(`cannot render ${describeKind(v)}`);
}
