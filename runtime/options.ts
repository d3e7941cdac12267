// Checking what a service passes to createEnforcer, fileAuditLog and memoryAuditLog, when it
// passes it. Input: the function's name, the options object and what each option accepts;
// output: nothing, or a TypeError naming the function, the option, what was given and what to
// pass instead. Why: these are called from JavaScript as often as from TypeScript, and a
// misspelt option (`onDenied`, `key` for `signingKey`) or a value of the wrong kind would
// otherwise be ignored silently or fail later, deep inside, with a message about something else.
// Unknown option names are errors (with a "did you mean"): an audit setting that silently does
// nothing is worse than a service that does not start.
import { suggest } from "./suggest.ts";

/**
 * What an option accepts: undefined when `value` is acceptable, else what it must be
 * ("a function") — and, when the value as a whole is not the problem, which part of it is.
 */
export type OptionCheck = (value: unknown) => string | { readonly expected: string; readonly given: string } | undefined;

export function checkOptions(fn: string, options: unknown, accepted: Readonly<Record<string, OptionCheck>>, aliases: Readonly<Record<string, string>> = {}): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(`${fn}: the options must be an object, not ${describe(options)}`);
  }
  for (const name of Object.keys(options)) {
    const check = Object.hasOwn(accepted, name) ? accepted[name] : undefined;
    if (check === undefined) {
      const guess = Object.hasOwn(aliases, name) ? aliases[name] : suggest(name, Object.keys(accepted));
      const hint = guess === undefined ? `the options are ${Object.keys(accepted).map((k) => `\`${k}\``).join(", ")}` : `did you mean \`${guess}\`?`;
      throw new TypeError(`${fn}: unknown option \`${name}\`: ${hint}`);
    }
    const value = (options as Record<string, unknown>)[name];
    if (value === undefined) continue;
    const wrong = check(value);
    if (wrong === undefined) continue;
    const [expected, given] = typeof wrong === "string" ? [wrong, describe(value)] : [wrong.expected, wrong.given];
    throw new TypeError(`${fn}: option \`${name}\` must be ${expected}, not ${given}`);
  }
}

/** A value as a message shows it: its kind, and short values themselves. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return value.length <= 40 ? `the string ${JSON.stringify(value)}` : "a long string";
    case "number":
    case "boolean":
    case "bigint":
      return `${typeof value} ${String(value)}`;
    case "function":
      return "a function";
    case "undefined":
      return "undefined";
    case "object":
      if (typeof (value as { then?: unknown }).then === "function") return "a Promise (await it first)";
      return "an object";
    default:
      return `a ${typeof value}`;
  }
}

export const isFunction: OptionCheck = (v) => (typeof v === "function" ? undefined : "a function");
export const isBoolean: OptionCheck = (v) => (typeof v === "boolean" ? undefined : "true or false");
export const isNonEmptyString: OptionCheck = (v) => (typeof v === "string" && v !== "" ? undefined : "a non-empty string");
export const isPositiveInt: OptionCheck = (v) => (Number.isInteger(v) && (v as number) >= 1 ? undefined : "a positive integer");
export const isRequestPath: OptionCheck = (v) =>
  typeof v === "string" && v !== "" && !v.split(".").includes("") ? undefined : 'a dotted request path like "principal.id"';
export const isRequestPaths: OptionCheck = (v) => {
  const expected = 'an array of dotted request paths like ["context.token", "users.*.ssn"]';
  if (!Array.isArray(v)) return expected;
  const bad = v.findIndex((p) => isRequestPath(p) !== undefined);
  return bad < 0 ? undefined : { expected, given: `${describe(v[bad])} at [${bad}]` };
};
export const isBytes: OptionCheck = (v) => (typeof v === "string" || v instanceof Uint8Array ? undefined : "a string or a Uint8Array");
export const isFunctionRecord: OptionCheck = (v) => {
  const expected = "an object of handler functions by channel name, like { legal: (event) => … }";
  if (typeof v !== "object" || v === null || Array.isArray(v)) return expected;
  const bad = Object.entries(v).find(([, h]) => typeof h !== "function");
  return bad === undefined ? undefined : { expected, given: `${describe(bad[1])} for \`${bad[0]}\`` };
};
export const oneOf =
  (...values: readonly string[]): OptionCheck =>
  (v) =>
    typeof v === "string" && values.includes(v) ? undefined : values.map((x) => JSON.stringify(x)).join(" or ");
/** Anything (checked later, where a better message can be given: keys). */
export const isAny: OptionCheck = () => undefined;
