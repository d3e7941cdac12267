// Turning policy text into JavaScript source. Owns: the ONE function through which every
// string that comes from a policy (literals, reason text, annotation values, doc comments,
// file names, package and rule names) enters generated code, and the generator of JS
// identifiers. INVARIANT (no injection): generated code contains user text only inside a
// `jsLiteral` string literal or inside a comment written with `jsComment`; identifiers are
// generated from a counter plus a sanitized name, never user text as-is.

/**
 * A JavaScript string literal for `value`: JSON.stringify (quotes, backslashes, control
 * characters), plus U+2028/U+2029 (line terminators in old engines), `<` (so the module can
 * sit inside an HTML `<script>`: no `</script>`, no `<!--`) and lone surrogates (JSON.stringify
 * already escapes those as `\udXXX` in Node 12+).
 */
export function jsLiteral(value: string): string {
  return escapeUnsafe(JSON.stringify(value));
}

const UNSAFE = /[\u2028\u2029<>]/;
const UNSAFE_ALL = /[\u2028\u2029<>]/g;

/** JSON text with U+2028, U+2029, `<` and `>` written as `\uXXXX` (they only occur inside its strings). */
function escapeUnsafe(json: string): string {
  return UNSAFE.test(json) ? json.replace(UNSAFE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) : json;
}

/**
 * Any JSON value as a JavaScript expression. JSON text is a JS expression except for a
 * `"__proto__"` key (in an object literal it would set the prototype), so the value is
 * serialized natively (a 10,000-rule manifest is 1.6 MB) with the characters jsLiteral escapes
 * escaped the same way (they only occur inside strings in JSON text); text that mentions
 * `"__proto__":` anywhere is written piece by piece instead.
 */
export function jsJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) return "undefined";
  if (!json.includes('"__proto__":')) return escapeUnsafe(json);
  return jsJsonPieces(value);
}

function jsJsonPieces(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return jsLiteral(value);
  if (typeof value === "number") return jsNumber(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `[${value.map(jsJsonPieces).join(", ")}]`;
  if (typeof value === "object") {
    const parts = Object.keys(value).map((k) => `${jsKey(k)}: ${jsJsonPieces((value as Record<string, unknown>)[k])}`);
    return parts.length === 0 ? "{}" : `{ ${parts.join(", ")} }`;
  }
  return "undefined";
}

/** An object-literal key: a quoted string, or `["__proto__"]` which (computed) is a plain own key. */
export function jsKey(key: string): string {
  return key === "__proto__" ? `[${jsLiteral(key)}]` : jsLiteral(key);
}

/** A number as JS source: finite numbers round-trip through String; -0 keeps its sign. */
export function jsNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  if (Object.is(n, -0)) return "-0";
  return n < 0 ? `(${String(n)})` : String(n);
}

/**
 * Text for a `//` comment: one line, with anything that could end the comment or the line
 * replaced, and `<` written `\u003c` (no `</script>` even in a comment). Used for
 * readability only (the location comment above each rule, the header).
 */
export function jsComment(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, "?")
    .replace(/\*\//g, "*?/")
    .replace(/</g, "\\u003c");
}

const RESERVED = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval undefined NaN Infinity".split(" "),
);

/** `[A-Za-z0-9_]` only, never empty, never a reserved word; the caller adds a unique prefix. */
export function sanitizeIdentifier(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 60);
  if (s === "") return "_";
  return RESERVED.has(s) ? `${s}_` : s;
}
