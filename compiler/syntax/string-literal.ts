// String literal decoding. Owns: the JSON escapes of Edict strings (`\" \\ \/ \b \f \n \r
// \t \uXXXX`, plus `\{` `\}` for literal braces in reason templates) and the map from each
// decoded character back to its raw offset (templates need it to point into the source).
// `\{` `\}` are escapes only in templates; in other strings they are invalid (E0103).
// Input: a token image (quotes included; the closing quote may be missing). Output: the value,
// invalid escapes (offsets relative to the image), and optionally the offset map.
// INVARIANT: never throws; an invalid escape decodes to its characters without the backslash.
// Performance: strings without a backslash (nearly all) are one slice, with no map arrays.

export interface EscapeError {
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

export interface DecodedString {
  readonly value: string;
  readonly errors: readonly EscapeError[];
  /** Offset (relative to the image) where the contents end: before the closing quote. */
  readonly contentEnd: number;
  /**
   * When asked for and the string has escapes: `rawStart[i]` is the image offset of the raw
   * text that produced `value[i]`, `rawStart[value.length] = contentEnd`. Without escapes the
   * map is the identity shifted by the opening quote: `i + 1`.
   */
  readonly rawStart?: Int32Array;
  /** `escaped[i] = 1` when `value[i]` came from an escape (`\{` is not an interpolation). */
  readonly escaped?: Uint8Array;
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
const NO_ERRORS: readonly EscapeError[] = [];

export function decodeString(image: string, withMap = false, template = false): DecodedString {
  const terminated = image.length >= 2 && image.charCodeAt(image.length - 1) === 34 && !endsWithEscapedQuote(image);
  const contentEnd = terminated ? image.length - 1 : image.length;
  const firstEscape = image.indexOf("\\");
  if (firstEscape < 0 || firstEscape >= contentEnd) return { value: image.slice(1, contentEnd), errors: NO_ERRORS, contentEnd };

  const errors: EscapeError[] = [];
  const parts: string[] = [];
  const rawStart = withMap ? new Int32Array(contentEnd + 1) : undefined;
  const escaped = withMap ? new Uint8Array(contentEnd + 1) : undefined;
  let n = 0; // decoded length so far
  const emit = (text: string, from: number, isEscape: boolean) => {
    parts.push(text);
    if (rawStart && escaped) {
      for (let k = 0; k < text.length; k++) {
        rawStart[n + k] = from;
        escaped[n + k] = isEscape ? 1 : 0;
      }
    }
    n += text.length;
  };
  let i = 1;
  while (i < contentEnd) {
    const next = image.indexOf("\\", i);
    const plainEnd = next < 0 || next >= contentEnd ? contentEnd : next;
    if (plainEnd > i) {
      if (rawStart && escaped) {
        for (let k = i; k < plainEnd; k++) {
          rawStart[n + k - i] = k;
          escaped[n + k - i] = 0;
        }
      }
      parts.push(image.slice(i, plainEnd));
      n += plainEnd - i;
      i = plainEnd;
      continue;
    }
    // image[i] is a backslash
    const c = image[i + 1];
    if (c === undefined || i + 1 >= contentEnd) {
      // A lone backslash before the end of an unterminated string: the string error says enough.
      i++;
      continue;
    }
    const simple = SIMPLE[c] ?? (template ? BRACES[c] : undefined);
    if (simple !== undefined) {
      emit(simple, i, true);
      i += 2;
    } else if (c === "u") {
      const hex = image.slice(i + 2, Math.min(i + 6, contentEnd));
      if (HEX4.test(hex)) {
        emit(String.fromCharCode(parseInt(hex, 16)), i, true);
        i += 6;
      } else {
        errors.push({ start: i, end: i + 2 + hex.replace(/[^0-9a-fA-F].*$/, "").length, message: "invalid unicode escape: `\\u` needs four hex digits" });
        emit("u", i, true);
        i += 2;
      }
    } else {
      errors.push({ start: i, end: i + 2, message: `invalid escape \`\\${c}\`` });
      emit(c, i, true);
      i += 2;
    }
  }
  const value = parts.join("");
  if (!rawStart || !escaped) return { value, errors, contentEnd };
  rawStart[n] = contentEnd;
  return { value, errors, contentEnd, rawStart: rawStart.subarray(0, n + 1), escaped: escaped.subarray(0, n + 1) };
}

/** `"abc\"` is unterminated: its last quote is escaped. Counts the backslashes before it. */
function endsWithEscapedQuote(image: string): boolean {
  let n = 0;
  for (let i = image.length - 2; i >= 1 && image[i] === "\\"; i--) n++;
  return n % 2 === 1;
}

export const VALID_ESCAPES_HELP =
  'valid escapes are `\\"`, `\\\\`, `\\/`, `\\b`, `\\f`, `\\n`, `\\r`, `\\t`, `\\uXXXX`, and in `reason` templates `\\{` `\\}` for literal braces';
