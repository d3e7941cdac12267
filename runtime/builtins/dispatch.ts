// Method and function dispatch by run-time kind. Owns: callMethod (the interpreter's, and
// generated code's when the receiver type is not known statically), callFunction, and the
// generic size/isEmpty/contains that pick the String, List/Set, Map, Time, Duration or Ip
// version from the value. Because JSON input has no wrappers, a string receiver is coerced
// for Time/Duration/Ip methods (`context.now.hour()` on "2026-01-05T10:00:00Z" works).
// `contains` on a string is a substring test, except that a CIDR string ("10.0.0.0/8")
// whose argument is an ip (wrapper or address string) tests ip containment.
import { collContainsAll, collContainsAny, mapKeys, mapValues } from "./collections.ts";
import { EdictError } from "./error.ts";
import { fnIp, ipContains, ipIsIpv4, ipIsIpv6, ipIsLoopback, ipIsPrivate, parseIp } from "./ip.ts";
import { equals } from "./operators.ts";
import { strEndsWith, strLower, strSize, strStartsWith, strTrim, strUpper } from "./text.ts";
import { durationHours, durationMinutes, durationSeconds, fnDuration, fnTime, timeHour, timeMinute, timeWeekday } from "./time.ts";
import { describeKind, Ip, isRecord } from "./wrappers.ts";

/** `v.size()`: string length (code points), list/set length, or number of map keys. */
export function size(v: unknown): number {
  if (typeof v === "string") return strSize(v);
  if (Array.isArray(v)) return v.length;
  if (isRecord(v)) return Object.keys(v).length;
  throw new EdictError(`\`size()\` needs a string, a list, a set or a map, not ${describeKind(v)}`);
}

/** `v.isEmpty()`: a list, set or map with no elements. */
export function isEmpty(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  if (isRecord(v)) return Object.keys(v).length === 0;
  throw new EdictError(`\`isEmpty()\` needs a list, a set or a map, not ${describeKind(v)}`);
}

/** `v.contains(x)` for any receiver kind (see the module comment for strings). */
export function contains(v: unknown, x: unknown): boolean {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (equals(v[i], x)) return true;
    return false;
  }
  if (typeof v === "string") {
    if (x instanceof Ip || (v.includes("/") && typeof x === "string" && parseIp(v) !== undefined && parseIp(x) !== undefined)) return ipContains(v, x);
    if (typeof x !== "string") throw new EdictError(`\`contains()\` on a string needs a string argument, not ${describeKind(x)}`);
    return v.includes(x);
  }
  if (v instanceof Ip) return ipContains(v, x);
  if (isRecord(v)) {
    if (typeof x !== "string") throw new EdictError(`a map key must be a string, not ${describeKind(x)}`);
    return Object.hasOwn(v, x) && v[x] !== undefined;
  }
  throw new EdictError(`\`contains()\` needs a string, a list, a set, a map or an ip, not ${describeKind(v)}`);
}

/** name → [arity, implementation(receiver, ...args)] */
const METHODS: Readonly<Record<string, readonly [number, (r: unknown, a: unknown, b?: unknown) => unknown]>> = {
  lower: [0, strLower],
  upper: [0, strUpper],
  trim: [0, strTrim],
  startsWith: [1, strStartsWith],
  endsWith: [1, strEndsWith],
  contains: [1, contains],
  size: [0, size],
  isEmpty: [0, isEmpty],
  containsAll: [1, collContainsAll],
  containsAny: [1, collContainsAny],
  keys: [0, mapKeys],
  values: [0, mapValues],
  hour: [0, timeHour],
  minute: [0, timeMinute],
  weekday: [0, timeWeekday],
  seconds: [0, durationSeconds],
  minutes: [0, durationMinutes],
  hours: [0, durationHours],
  isLoopback: [0, ipIsLoopback],
  isPrivate: [0, ipIsPrivate],
  isIpv4: [0, ipIsIpv4],
  isIpv6: [0, ipIsIpv6],
};

/** The names of every builtin method. */
export function methodNames(): string[] {
  return Object.keys(METHODS);
}

/** `receiver.name(args)` */
export function callMethod(receiver: unknown, name: string, args: readonly unknown[]): unknown {
  const m = Object.hasOwn(METHODS, name) ? METHODS[name] : undefined;
  if (m === undefined) throw new EdictError(`unknown method \`${name}\``);
  if (args.length !== m[0]) throw new EdictError(`\`${name}()\` takes ${m[0]} argument${m[0] === 1 ? "" : "s"}, not ${args.length}`);
  return m[1](receiver, args[0]);
}

const FUNCTIONS: Readonly<Record<string, (v: unknown) => unknown>> = { ip: fnIp, time: fnTime, duration: fnDuration };

/** The builtin functions `ip(s)`, `time(s)`, `duration(s)`. */
export function isBuiltinFunction(name: string): boolean {
  return Object.hasOwn(FUNCTIONS, name);
}

export function callFunction(name: string, args: readonly unknown[]): unknown {
  const f = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (f === undefined) throw new EdictError(`unknown function \`${name}\``);
  if (args.length !== 1) throw new EdictError(`\`${name}()\` takes 1 argument, not ${args.length}`);
  return f(args[0]);
}
