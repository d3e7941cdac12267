// Run-time support of compiled policies, part 1: the located operations. Bundled into every
// generated module (see decide-support.ts). Owns: the sentinels ($U not yet bound, $ALL index
// path unreadable), the module's location table, and the checked operations that attach the
// `file:line:col` of the failing expression to an EdictError (`$ga`, `$t`, `$call2`...), with the
// fast paths the generated code relies on ($inPlain, $contains).
// INVARIANT (exactly the interpreter's semantics): a fast path returns only what the general
// operation would; anything else goes to it.
import { EdictError, Ip, compileRegex, contains, rangeContainsText, inOp, describeKind, errorMessage, getAttr, isRecord, iterate, matchesRegex, renderValue, truthy } from "../../../runtime/builtins/index.ts";

/** Marks a `let` variable not yet evaluated (a template rendered after an error must fail). */
export const $U: unique symbol = Symbol("unbound");

/** Index lookup failed: the path could not be read, so every rule must run. */
export const $ALL: unique symbol = Symbol("all");

/** Thrown by a leaf's fast path (emit-fast-leaf.ts) at a value its declared type did not promise: the exact code decides. */
export const $BAIL: unique symbol = Symbol("bail");

/** A fast path's bail-out as an expression (`cond ? value : $bail()`). */
export function $bail(): never {
  throw $BAIL;
}

// ---------------------------------------------------------------- located operations

/**
 * Where an expression is: its `file:line:col`, or (in generated code) the number of an entry of
 * the module's location table. Numbers keep a 10,000-rule module small (one short literal per
 * use instead of a string constant per location); the text is built only when an error needs it.
 */
export type Loc = string | number;

let locFiles: readonly string[] = [];
let locTable = "";
let locEntries: string[] | undefined;

/** Registers the module's location table: `fileIndex:line:col` entries joined by ",". */
export function $locs(files: readonly string[], table: string): void {
  locFiles = files;
  locTable = table;
  locEntries = undefined;
}

/** The `file:line:col` of a location (cold path: only errors ask). */
export function locText(l: Loc): string {
  if (typeof l === "string") return l;
  locEntries ??= locTable.split(",");
  const entry = locEntries[l];
  if (entry === undefined) return "";
  const at = entry.indexOf(":");
  return `${locFiles[Number(entry.slice(0, at))] ?? ""}${entry.slice(at)}`;
}

/** Records where an error happened (the innermost expression wins); anything thrown becomes an EdictError. */
export function $tag(err: unknown, location: Loc): EdictError {
  const e = err instanceof EdictError ? err : new EdictError(errorMessage(err));
  if (e.location === undefined) e.location = locText(location);
  return e;
}

/** A request field (declared in `request {}`), read as an own property. */
export function $field(r: unknown, name: string, l: Loc): unknown {
  if (typeof r === "object" && r !== null && !Array.isArray(r) && Object.hasOwn(r, name)) {
    const v = (r as Record<string, unknown>)[name];
    if (v !== undefined) return v;
  }
  if (!isRecord(r)) throw $tag(new EdictError(`the request must be a record, not ${describeKind(r)}`), l);
  throw $tag(new EdictError(`request field \`${name}\` is missing`), l);
}

/** An error the interpreter reports at this point (a name that cannot be used so). */
export function $fail(message: string, l: Loc): never {
  throw $tag(new EdictError(message), l);
}

/** `s matches p` with a pattern that is not a literal. */
export function $matchesDyn(s: unknown, p: unknown): boolean {
  if (typeof p !== "string") throw new EdictError(`a \`matches\` pattern must be a string, not ${describeKind(p)}`);
  return matchesRegex(s, compileRegex(p));
}

/** `o.k` (own properties only); the fast path is small enough for V8 to inline. */
export function $ga(o: unknown, k: string, l: Loc): unknown {
  if (typeof o === "object" && o !== null && !Array.isArray(o) && Object.hasOwn(o, k)) {
    const v = (o as Record<string, unknown>)[k];
    if (v !== undefined) return v;
  }
  return $call2(getAttr as (a: unknown, b: unknown) => unknown, o, k, l);
}

/** A condition must be a boolean. */
export function $t(v: unknown, l: Loc): boolean {
  if (v === true) return true;
  if (v === false) return false;
  return $call1(truthy, v, l) as boolean;
}

export function $call1(f: (a: unknown) => unknown, a: unknown, l: Loc): unknown {
  try {
    return f(a);
  } catch (e) {
    throw $tag(e, l);
  }
}

export function $call2(f: (a: unknown, b: unknown) => unknown, a: unknown, b: unknown, l: Loc): unknown {
  try {
    return f(a, b);
  } catch (e) {
    throw $tag(e, l);
  }
}

export function $call3(f: (a: unknown, b: unknown, c: unknown) => unknown, a: unknown, b: unknown, c: unknown, l: Loc): unknown {
  try {
    return f(a, b, c);
  } catch (e) {
    throw $tag(e, l);
  }
}

/** `x in list` in a fast path: identical elements only; an object element (which could equal `x` by value) bails out. */
export function $inArr(x: unknown, c: readonly unknown[]): boolean {
  for (let i = 0; i < c.length; i++) {
    const e = c[i];
    if (e === x) return true;
    if (typeof e === "object" && e !== null) throw $BAIL;
  }
  return false;
}

/** `x in c` for a plain literal `x` (not a time, duration or ip text): `includes` on a list. */
export function $inPlain(x: unknown, c: unknown, l: Loc): boolean {
  if (Array.isArray(c)) return c.includes(x);
  return $call2(inOp, x, c, l) as boolean;
}

/**
 * `v.contains(x)`. Fast path for the common ABAC test "range contains the request's address
 * text" (`ip("10.0.0.0/8").contains(context.ip)`): the text is parsed into a scratch buffer,
 * where `contains` would build an Ip per decision. Text that is not an ip goes to `contains`,
 * so results and errors are the same.
 */
export function $contains(v: unknown, x: unknown, l: Loc): unknown {
  if (typeof x === "string" && v instanceof Ip) {
    const r = rangeContainsText(v, x);
    if (r !== undefined) return r;
  }
  return $call2(contains, v, x, l);
}

/** The elements of a `for`/quantifier/count collection. */
export function $iter(c: unknown, l: Loc): readonly unknown[] {
  if (Array.isArray(c)) return c;
  return $call1(iterate, c, l) as readonly unknown[];
}

/** Text of an interpolated value. */
export function $rv(v: unknown, l: Loc): string {
  if (typeof v === "string") return v;
  return $call1(renderValue, v, l) as string;
}

/** A `let` variable read in a template rendered after an error: unbound means no message. */
export function $bound(v: unknown): unknown {
  if (v === $U) throw new EdictError("not evaluated");
  return v;
}

/** `some X in C: P` */
export function $some(c: unknown, l: Loc, body: (x: unknown) => boolean): boolean {
  const items = $iter(c, l);
  for (let i = 0; i < items.length; i++) if (body(items[i])) return true;
  return false;
}

/** `every X in C: P` */
export function $every(c: unknown, l: Loc, body: (x: unknown) => boolean): boolean {
  const items = $iter(c, l);
  for (let i = 0; i < items.length; i++) if (!body(items[i])) return false;
  return true;
}

/** `count(X in C where P)` */
export function $count(c: unknown, l: Loc, body: ((x: unknown) => boolean) | undefined): number {
  const items = $iter(c, l);
  if (body === undefined) return items.length;
  let n = 0;
  for (let i = 0; i < items.length; i++) if (body(items[i])) n++;
  return n;
}

/** A number result must be finite. */
export function $fin(n: number, l: Loc): number {
  if (Number.isFinite(n)) return n;
  throw $tag(new EdictError("arithmetic overflow: the result is not a finite number"), l);
}

/** Index lookup: the value at a path of own attributes, or $ALL when it cannot be read. */
export function $key(o: unknown, path: readonly string[]): unknown {
  let v = o;
  for (let i = 0; i < path.length; i++) {
    if (typeof v !== "object" || v === null || Array.isArray(v) || !Object.hasOwn(v, path[i]!)) return $ALL;
    v = (v as Record<string, unknown>)[path[i]!];
    if (v === undefined) return $ALL;
  }
  return v;
}
