// String literal decoding. Owns: the JSON escapes of Edict strings (`\" \\ \/ \b \f \n \r
// \t \uXXXX`, plus `\{` `\}` for literal braces in reason templates) and the map from each
// decoded character back to its raw source offset (templates need it to point into the source).
// `\{` `\}` are escapes only in templates; in other strings they are invalid (E0103).
// Input: a token image (quotes included; the closing quote may be missing). Output: the value,
// invalid escapes (offsets relative to the image), and optionally the per-character map.
// INVARIANT: never throws; an invalid escape decodes to its characters without the backslash.

export interface DecodedChar {
  /** The decoded text of this unit (one UTF-16 unit, or two for a surrogate pair of `\u`s). */
  readonly text: string;
  /** Offsets relative to the image: `[start, end)` of the raw characters that produced it. */
  readonly start: number;
  readonly end: number;
  /** Came from an escape (`\{` is a literal brace in templates, `{` starts an interpolation). */
  readonly escaped: boolean;
}

export interface EscapeError {
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

export interface DecodedString {
  readonly value: string;
  readonly errors: readonly EscapeError[];
  /** Present when asked for: one entry per decoded unit, in order. */
  readonly chars?: readonly DecodedChar[];
  /** Offset (relative to the image) where the contents end: before the closing quote. */
  readonly contentEnd: number;
}

const SIMPLE: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};
/** Only in reason templates: `\{` and `\}` are literal braces. */
const BRACES: Record<string, string> = { "{": "{", "}": "}" };

const HEX4 = /^[0-9a-fA-F]{4}$/;

export function decodeString(image: string, withChars = false, template = false): DecodedString {
  const terminated = image.length >= 2 && image.endsWith('"') && !endsWithEscapedQuote(image);
  const contentEnd = terminated ? image.length - 1 : image.length;
  // Fast path: no escapes, no map wanted.
  if (!withChars && image.indexOf("\\") < 0) return { value: image.slice(1, contentEnd), errors: [], contentEnd };
  const errors: EscapeError[] = [];
  const chars: DecodedChar[] = [];
  let value = "";
  let i = 1;
  while (i < contentEnd) {
    const c = image[i]!;
    if (c !== "\\") {
      value += c;
      if (withChars) chars.push({ text: c, start: i, end: i + 1, escaped: false });
      i++;
      continue;
    }
    const next = image[i + 1];
    if (next === undefined || i + 1 >= contentEnd) {
      // A lone backslash before the end of an unterminated string: the string error says enough.
      i++;
      continue;
    }
    const simple = SIMPLE[next] ?? (template ? BRACES[next] : undefined);
    if (simple !== undefined) {
      value += simple;
      if (withChars) chars.push({ text: simple, start: i, end: i + 2, escaped: true });
      i += 2;
      continue;
    }
    if (next === "u") {
      const hex = image.slice(i + 2, Math.min(i + 6, contentEnd));
      if (HEX4.test(hex)) {
        const ch = String.fromCharCode(parseInt(hex, 16));
        value += ch;
        if (withChars) chars.push({ text: ch, start: i, end: i + 6, escaped: true });
        i += 6;
        continue;
      }
      errors.push({ start: i, end: i + 2 + hex.replace(/[^0-9a-fA-F].*$/, "").length, message: "invalid unicode escape: `\\u` needs four hex digits" });
      value += "u";
      if (withChars) chars.push({ text: "u", start: i, end: i + 2, escaped: true });
      i += 2;
      continue;
    }
    errors.push({ start: i, end: i + 2, message: `invalid escape \`\\${next}\`` });
    value += next;
    if (withChars) chars.push({ text: next, start: i, end: i + 2, escaped: true });
    i += 2;
  }
  return withChars ? { value, errors, chars, contentEnd } : { value, errors, contentEnd };
}

/** `"abc\"` is unterminated: its last quote is escaped. Counts the backslashes before it. */
function endsWithEscapedQuote(image: string): boolean {
  let n = 0;
  for (let i = image.length - 2; i >= 1 && image[i] === "\\"; i--) n++;
  return n % 2 === 1;
}

export const VALID_ESCAPES_HELP = 'valid escapes are `\\"`, `\\\\`, `\\/`, `\\b`, `\\f`, `\\n`, `\\r`, `\\t`, `\\uXXXX`, and in `reason` templates `\\{` `\\}` for literal braces';
