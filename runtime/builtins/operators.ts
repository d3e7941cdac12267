// Operators. Owns: `==`/`!=` (strict structural equality; a Time/Duration/Ip wrapper on one
// side coerces the other, failure → not equal), `< <= > >=` (two numbers, two times or two
// durations; strings that parse as times/durations count as such, because JSON input has no
// wrappers), arithmetic (numbers; Time ± Duration, Time - Time → Duration, Duration ± Duration;
// a non-finite result or a division by zero is an EdictError), unary minus, and `in`.
// Hot path first in every function (numbers, strings, ===); coercions are the cold path.
import { EdictError } from "./error.ts";
import { ipEquals, parseIp } from "./ip.ts";
import { makeDuration, makeTime, parseDurationMs, parseTimeMs, temporalOf } from "./time.ts";
import { describeKind, Duration, Ip, isRecord, Time } from "./wrappers.ts";

/** Deeper than this, comparison gives up with an error (JSON has no cycles; JS input might). */
const MAX_DEPTH = 512;

/** `a == b` */
export function equals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || a === null) {
    if (typeof b !== "object" || b === null) return false;
    return wrapperEquals(b, a);
  }
  if (typeof b !== "object" || b === null) return wrapperEquals(a, b);
  return deepEquals(a, b, 0);
}

/** `a != b` */
export function notEquals(a: unknown, b: unknown): boolean {
  return !equals(a, b);
}

/** `w == other` where `w` is an object: a wrapper coerces `other`, a list/record never equals a primitive. */
function wrapperEquals(w: object, other: unknown): boolean {
  if (w instanceof Time) {
    if (other instanceof Time) return w.ms === other.ms;
    return typeof other === "string" && parseTimeMs(other) === w.ms;
  }
  if (w instanceof Duration) {
    if (other instanceof Duration) return w.ms === other.ms;
    return typeof other === "string" && parseDurationMs(other) === w.ms;
  }
  if (w instanceof Ip) {
    if (other instanceof Ip) return ipEquals(w, other);
    if (typeof other !== "string") return false;
    const ip = parseIp(other);
    return ip !== undefined && ipEquals(w, ip);
  }
  return false;
}

function deepEquals(a: object, b: object, depth: number): boolean {
  if (a === b) return true;
  if (depth > MAX_DEPTH) throw new EdictError("values are nested too deeply to compare");
  const aList = Array.isArray(a);
  if (aList !== Array.isArray(b)) return false;
  if (aList) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!equalsAt(x[i], y[i], depth)) return false;
    return true;
  }
  if (!isRecord(a)) return wrapperEquals(a, b);
  if (!isRecord(b)) return wrapperEquals(b, a);
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (!Object.hasOwn(b, k) || !equalsAt(a[k], b[k], depth)) return false;
  return true;
}

function equalsAt(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || a === null) return typeof b === "object" && b !== null && wrapperEquals(b, a);
  if (typeof b !== "object" || b === null) return wrapperEquals(a, b);
  return deepEquals(a, b, depth + 1);
}

// ---------------------------------------------------------------- ordering

/** -1/0/1 for two numbers, times or durations; EdictError for anything else. */
function order(a: unknown, b: unknown, op: string): number {
  const x = temporalOf(a);
  const y = temporalOf(b);
  if (x !== undefined && y !== undefined && (x instanceof Time) === (y instanceof Time)) return x.ms < y.ms ? -1 : x.ms > y.ms ? 1 : 0;
  throw new EdictError(`cannot compare ${describeKind(a)} with ${describeKind(b)} using \`${op}\` (it needs two numbers, two times or two durations)`);
}

export function lt(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a < b;
  return order(a, b, "<") < 0;
}

export function le(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a <= b;
  return order(a, b, "<=") <= 0;
}

export function gt(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a > b;
  return order(a, b, ">") > 0;
}

export function ge(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a >= b;
  return order(a, b, ">=") >= 0;
}

// ---------------------------------------------------------------- arithmetic

function finite(n: number): number {
  if (Number.isFinite(n)) return n;
  throw new EdictError("arithmetic overflow: the result is not a finite number");
}

function operandError(op: string, a: unknown, b: unknown): never {
  throw new EdictError(`cannot apply \`${op}\` to ${describeKind(a)} and ${describeKind(b)}`);
}

/** `a + b`: numbers, Time + Duration (either order), Duration + Duration. */
export function add(a: unknown, b: unknown): unknown {
  if (typeof a === "number" && typeof b === "number") return finite(a + b);
  const x = temporalOf(a);
  const y = temporalOf(b);
  if (x instanceof Time && y instanceof Duration) return makeTime(x.ms + y.ms);
  if (x instanceof Duration && y instanceof Time) return makeTime(x.ms + y.ms);
  if (x instanceof Duration && y instanceof Duration) return makeDuration(x.ms + y.ms);
  return operandError("+", a, b);
}

/** `a - b`: numbers, Time - Duration, Time - Time (a Duration), Duration - Duration. */
export function sub(a: unknown, b: unknown): unknown {
  if (typeof a === "number" && typeof b === "number") return finite(a - b);
  const x = temporalOf(a);
  const y = temporalOf(b);
  if (x instanceof Time && y instanceof Duration) return makeTime(x.ms - y.ms);
  if (x instanceof Time && y instanceof Time) return makeDuration(x.ms - y.ms);
  if (x instanceof Duration && y instanceof Duration) return makeDuration(x.ms - y.ms);
  return operandError("-", a, b);
}

/** `a * b`: numbers only. */
export function mul(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return finite(a * b);
  return operandError("*", a, b);
}

/** `a / b`: numbers only; dividing by zero is an error. */
export function div(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") {
    if (b === 0) throw new EdictError("division by zero");
    return finite(a / b);
  }
  return operandError("/", a, b);
}

/** `a % b`: numbers only, the sign of the result follows `a` (as in JavaScript); `% 0` is an error. */
export function mod(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") {
    if (b === 0) throw new EdictError("division by zero in `%`");
    return finite(a % b);
  }
  return operandError("%", a, b);
}

/** Unary `-`: a number or a duration. */
export function neg(a: unknown): unknown {
  if (typeof a === "number") return -a;
  const x = temporalOf(a);
  if (x instanceof Duration) return makeDuration(-x.ms);
  throw new EdictError(`cannot negate ${describeKind(a)}`);
}

// ---------------------------------------------------------------- membership

/** `x in coll`: element of a list/set (by `==`), or own key of a map. */
export function inOp(x: unknown, coll: unknown): boolean {
  if (Array.isArray(coll)) {
    for (let i = 0; i < coll.length; i++) {
      const e: unknown = coll[i];
      if (e === x || equals(x, e)) return true;
    }
    return false;
  }
  if (isRecord(coll)) {
    if (typeof x !== "string") throw new EdictError(`a map key must be a string, not ${describeKind(x)}`);
    return Object.hasOwn(coll, x) && coll[x] !== undefined;
  }
  throw new EdictError(`\`in\` needs a list, a set or a map on the right, not ${describeKind(coll)}`);
}
