// Set/List and Map methods. Owns: size/isEmpty/contains/containsAll/containsAny on lists and
// sets (both are JSON arrays; membership is `==`), size/isEmpty/contains(key)/keys/values on
// maps (JSON objects, own keys only, in JavaScript's key order: integer-like keys first).
import { EdictError } from "./error.ts";
import { equals } from "./operators.ts";
import { describeKind, isRecord } from "./wrappers.ts";

function list(v: unknown, method: string): readonly unknown[] {
  if (Array.isArray(v)) return v;
  throw new EdictError(`\`${method}\` needs a list or a set, not ${describeKind(v)}`);
}

function map(v: unknown, method: string): Record<string, unknown> {
  if (isRecord(v)) return v;
  throw new EdictError(`\`${method}\` needs a map, not ${describeKind(v)}`);
}

function member(items: readonly unknown[], x: unknown): boolean {
  for (let i = 0; i < items.length; i++) if (equals(items[i], x)) return true;
  return false;
}

export function collSize(c: unknown): number {
  return list(c, "size()").length;
}

export function collIsEmpty(c: unknown): boolean {
  return list(c, "isEmpty()").length === 0;
}

/** `c.contains(x)`: some element `== x`. */
export function collContains(c: unknown, x: unknown): boolean {
  return member(list(c, "contains()"), x);
}

/** `c.containsAll(d)`: every element of `d` is in `c`. */
export function collContainsAll(c: unknown, d: unknown): boolean {
  const items = list(c, "containsAll()");
  const wanted = list(d, "containsAll(...)'s argument");
  for (let i = 0; i < wanted.length; i++) if (!member(items, wanted[i])) return false;
  return true;
}

/** `c.containsAny(d)`: some element of `d` is in `c`. */
export function collContainsAny(c: unknown, d: unknown): boolean {
  const items = list(c, "containsAny()");
  const wanted = list(d, "containsAny(...)'s argument");
  for (let i = 0; i < wanted.length; i++) if (member(items, wanted[i])) return true;
  return false;
}

export function mapSize(m: unknown): number {
  return Object.keys(map(m, "size()")).length;
}

export function mapIsEmpty(m: unknown): boolean {
  return Object.keys(map(m, "isEmpty()")).length === 0;
}

/** `m.contains(key)`: an own key. */
export function mapContains(m: unknown, key: unknown): boolean {
  const r = map(m, "contains()");
  if (typeof key !== "string") throw new EdictError(`a map key must be a string, not ${describeKind(key)}`);
  return Object.hasOwn(r, key) && r[key] !== undefined;
}

export function mapKeys(m: unknown): string[] {
  return Object.keys(map(m, "keys()"));
}

export function mapValues(m: unknown): unknown[] {
  const r = map(m, "values()");
  return Object.keys(r).map((k) => r[k]);
}
