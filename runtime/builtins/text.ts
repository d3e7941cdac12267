// String operations. Owns: `like` globs (`*` any run, `\*` a literal star, `\\` a backslash;
// whole-string; no backtracking: segments are matched greedily left to right, which is exact
// for `*`-only globs, so the cost is bounded by |s|·|pattern|), `matches` (JS RegExp.test,
// a search, with the `u` flag; the checker only lets through patterns that cannot backtrack
// super-linearly), and the String methods.
import { EdictError } from "./error.ts";
import { describeKind, quote } from "./wrappers.ts";

/** A compiled glob: the literal text between the stars. `["a", "b"]` is `a*b`. */
export type Glob = readonly string[];

export function compileGlob(pattern: string): Glob {
  const parts: string[] = [];
  let cur = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\" && i + 1 < pattern.length) cur += pattern[++i];
    else if (c === "*") {
      parts.push(cur);
      cur = "";
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

/** `s like glob` with a compiled glob (what generated code calls). */
export function likeGlob(s: unknown, glob: Glob): boolean {
  if (typeof s !== "string") throw new EdictError(`\`like\` needs a string on the left, not ${describeKind(s)}`);
  const n = glob.length;
  if (n === 1) return s === glob[0];
  const first = glob[0]!;
  const last = glob[n - 1]!;
  if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false;
  const limit = s.length - last.length;
  let pos = first.length;
  for (let i = 1; i < n - 1; i++) {
    const seg = glob[i]!;
    if (seg.length === 0) continue;
    const at = s.indexOf(seg, pos);
    // The leftmost occurrence is the best one: if it does not fit, no later one does.
    if (at < 0 || at + seg.length > limit) return false;
    pos = at + seg.length;
  }
  return true;
}

/** `s like pattern` */
export function like(s: unknown, pattern: unknown): boolean {
  if (typeof pattern !== "string") throw new EdictError(`a \`like\` pattern must be a string, not ${describeKind(pattern)}`);
  return likeGlob(s, compileGlob(pattern));
}

/** The flags every `matches` regular expression is compiled with. */
export const REGEX_FLAGS = "u";

/** Compiles a `matches` pattern; an invalid one is an EdictError. */
export function compileRegex(pattern: string): RegExp {
  try {
    return new RegExp(pattern, REGEX_FLAGS);
  } catch (e) {
    throw new EdictError(`invalid regular expression ${quote(pattern)}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** `s matches re` (a search, like RegExp.test); `re` is compiled once by the caller. */
export function matchesRegex(s: unknown, re: RegExp): boolean {
  if (typeof s !== "string") throw new EdictError(`\`matches\` needs a string on the left, not ${describeKind(s)}`);
  re.lastIndex = 0;
  return re.test(s);
}

// ---------------------------------------------------------------- String methods

function str(v: unknown, method: string): string {
  if (typeof v === "string") return v;
  throw new EdictError(`\`${method}\` needs a string, not ${describeKind(v)}`);
}

export function strLower(s: unknown): string {
  return str(s, "lower()").toLowerCase();
}

export function strUpper(s: unknown): string {
  return str(s, "upper()").toUpperCase();
}

export function strTrim(s: unknown): string {
  return str(s, "trim()").trim();
}

export function strStartsWith(s: unknown, prefix: unknown): boolean {
  return str(s, "startsWith()").startsWith(str(prefix, "startsWith(...)'s argument"));
}

export function strEndsWith(s: unknown, suffix: unknown): boolean {
  return str(s, "endsWith()").endsWith(str(suffix, "endsWith(...)'s argument"));
}

/** Substring test. */
export function strContains(s: unknown, sub: unknown): boolean {
  return str(s, "contains()").includes(str(sub, "contains(...)'s argument"));
}

/** Length in Unicode code points (an emoji counts 1). */
export function strSize(s: unknown): number {
  const t = str(s, "size()");
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < t.length) {
      const d = t.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}
