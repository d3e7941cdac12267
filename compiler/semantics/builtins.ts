// Builtin functions and methods. Owns: their signatures and documentation, the single source
// for the checker (arity, argument and result types) and the language server (completion,
// hover, signature help). Input: a receiver type; output: the methods it has.
// INVARIANT: this list matches runtime/builtins (the run-time library) one for one; adding a
// builtin means adding it in both places.
import {
  ANY,
  BOOL,
  DURATION,
  IP,
  NUMBER,
  STRING,
  TIME,
  listOf,
  setOf,
  unwrap,
  type Type,
} from "./types.ts";

export interface BuiltinParam {
  readonly name: string;
  readonly type: Type;
}

export interface BuiltinSignature {
  readonly name: string;
  readonly params: readonly BuiltinParam[];
  readonly returns: Type;
  /** One or two sentences for hover and completion. */
  readonly doc: string;
}

/** What a method applies to. `collection` is Set and List. */
export type ReceiverKind = "string" | "collection" | "map" | "time" | "duration" | "ip";

export interface BuiltinMethod {
  readonly name: string;
  readonly receiver: ReceiverKind;
  readonly doc: string;
  /** The signature for a concrete receiver (element types flow into `contains(x)` etc.). */
  signature(receiver: Type): BuiltinSignature;
}

function fn(name: string, params: BuiltinParam[], returns: Type, doc: string): BuiltinSignature {
  return { name, params, returns, doc };
}

export const BUILTIN_FUNCTIONS: ReadonlyMap<string, BuiltinSignature> = new Map(
  [
    fn("ip", [{ name: "text", type: STRING }], IP, "An IP address or CIDR range from its text: `ip(\"10.0.0.1\")`, `ip(\"10.0.0.0/8\")`, IPv4 or IPv6."),
    fn("time", [{ name: "text", type: STRING }], TIME, "An instant from an ISO-8601 text with a timezone: `time(\"2026-01-05T10:00:00Z\")`."),
    fn("duration", [{ name: "text", type: STRING }], DURATION, "A duration from its text: `duration(\"15m\")`, `duration(\"1h30m\")`; units ms s m h d."),
  ].map((s) => [s.name, s] as const),
);

function method(
  receiver: ReceiverKind,
  name: string,
  doc: string,
  params: (el: Type) => BuiltinParam[],
  returns: (el: Type) => Type,
): BuiltinMethod {
  return {
    name,
    receiver,
    doc,
    signature(t: Type) {
      const el = elementOf(t);
      return { name, params: params(el), returns: returns(el), doc };
    },
  };
}

/** The element (collections) or value (maps) type a method signature is written over. */
function elementOf(t: Type): Type {
  const u = unwrap(t);
  if (u.kind === "set" || u.kind === "list") return u.element;
  if (u.kind === "map") return u.value;
  return ANY;
}

const none = () => [];
const k =
  (t: Type) =>
  (): Type =>
    t;

export const BUILTIN_METHODS: readonly BuiltinMethod[] = [
  method("string", "lower", "The string in lower case.", none, k(STRING)),
  method("string", "upper", "The string in upper case.", none, k(STRING)),
  method("string", "trim", "The string without leading and trailing whitespace.", none, k(STRING)),
  method("string", "startsWith", "Whether the string starts with `prefix`.", () => [{ name: "prefix", type: STRING }], k(BOOL)),
  method("string", "endsWith", "Whether the string ends with `suffix`.", () => [{ name: "suffix", type: STRING }], k(BOOL)),
  method("string", "contains", "Whether `text` occurs in the string.", () => [{ name: "text", type: STRING }], k(BOOL)),
  method("string", "size", "The number of UTF-16 code units of the string.", none, k(NUMBER)),

  method("collection", "size", "The number of elements.", none, k(NUMBER)),
  method("collection", "isEmpty", "Whether there are no elements.", none, k(BOOL)),
  method("collection", "contains", "Whether `element` is one of the elements (same as `element in c`).", (el) => [{ name: "element", type: el }], k(BOOL)),
  method("collection", "containsAll", "Whether every element of `other` is an element.", (el) => [{ name: "other", type: setOf(el) }], k(BOOL)),
  method("collection", "containsAny", "Whether some element of `other` is an element.", (el) => [{ name: "other", type: setOf(el) }], k(BOOL)),

  method("map", "size", "The number of keys.", none, k(NUMBER)),
  method("map", "isEmpty", "Whether there are no keys.", none, k(BOOL)),
  method("map", "contains", "Whether `key` is a key of the map (same as `key in m`).", () => [{ name: "key", type: STRING }], k(BOOL)),
  method("map", "keys", "The keys, as a set of strings.", none, k(setOf(STRING))),
  method("map", "values", "The values, as a list.", none, (el) => listOf(el)),

  method("time", "hour", "The hour of the day (0-23, UTC).", none, k(NUMBER)),
  method("time", "minute", "The minute of the hour (0-59, UTC).", none, k(NUMBER)),
  method("time", "weekday", "The day of the week, 1 = Monday .. 7 = Sunday (UTC).", none, k(NUMBER)),

  method("duration", "seconds", "The duration in seconds (may be fractional).", none, k(NUMBER)),
  method("duration", "minutes", "The duration in minutes (may be fractional).", none, k(NUMBER)),
  method("duration", "hours", "The duration in hours (may be fractional).", none, k(NUMBER)),

  method("ip", "contains", "Whether this range contains the address or range `other`.", () => [{ name: "other", type: IP }], k(BOOL)),
  method("ip", "isLoopback", "Whether the address is a loopback address (127.0.0.0/8, ::1).", none, k(BOOL)),
  method("ip", "isPrivate", "Whether the address is private (10/8, 172.16/12, 192.168/16, fc00::/7).", none, k(BOOL)),
  method("ip", "isIpv4", "Whether the address is IPv4.", none, k(BOOL)),
  method("ip", "isIpv6", "Whether the address is IPv6.", none, k(BOOL)),
];

/** The receiver kind of a type, or undefined for types without methods (and Any). */
export function receiverKindOf(t: Type): ReceiverKind | undefined {
  switch (unwrap(t).kind) {
    case "string":
    case "enum":
      return "string";
    case "set":
    case "list":
      return "collection";
    case "map":
      return "map";
    case "time":
      return "time";
    case "duration":
      return "duration";
    case "ip":
      return "ip";
    default:
      return undefined;
  }
}

/** The methods a value of type `t` has (every method when `t` is Any), for completion. */
export function methodsOf(t: Type): BuiltinMethod[] {
  const kind = receiverKindOf(t);
  if (kind === undefined) {
    const u = unwrap(t).kind;
    if (u !== "any" && u !== "error") return [];
    const seen = new Set<string>();
    return BUILTIN_METHODS.filter((m) => !seen.has(m.name) && (seen.add(m.name), true));
  }
  return BUILTIN_METHODS.filter((m) => m.receiver === kind);
}

export function lookupMethod(t: Type, name: string): BuiltinMethod | undefined {
  return methodsOf(t).find((m) => m.name === name);
}

/** `name(a: T, b: U): R`, for hover and signature help. */
export function signatureLabel(sig: BuiltinSignature, typeName: (t: Type) => string): string {
  return `${sig.name}(${sig.params.map((p) => `${p.name}: ${typeName(p.type)}`).join(", ")}): ${typeName(sig.returns)}`;
}
