// A small parser for JavaScript regular expressions (the `u` flag dialect the run time uses).
// Owns: the regex tree and character sets the backtracking analysis (check-regex.ts) reads.
// Input: a pattern that `new RegExp(p, "u")` already accepted; output: a tree. It never throws:
// anything it does not model precisely becomes a set of every character (a safe over-estimate
// for the analysis, which only ever asks "could these overlap?").

/** Sorted, disjoint, inclusive code point ranges. */
export type CharSet = readonly (readonly [number, number])[];

export type RNode =
  | { readonly t: "alt"; readonly alts: readonly RNode[] }
  | { readonly t: "seq"; readonly items: readonly RNode[] }
  | { readonly t: "group"; readonly body: RNode }
  | { readonly t: "look"; readonly text: string }
  | { readonly t: "backref"; readonly text: string }
  | { readonly t: "rep"; readonly body: RNode; readonly min: number; readonly max: number }
  | { readonly t: "chars"; readonly set: CharSet }
  | { readonly t: "assert" };

const MAX = 0x10ffff;
export const ALL: CharSet = [[0, MAX]];
const DIGIT: CharSet = [[48, 57]];
const WORD: CharSet = [
  [48, 57],
  [65, 90],
  [95, 95],
  [97, 122],
];
const SPACE: CharSet = normalize([
  [9, 13],
  [32, 32],
  [160, 160],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
]);
const LINE_TERMINATORS: CharSet = [
  [10, 10],
  [13, 13],
  [0x2028, 0x2029],
];

export function normalize(ranges: (readonly [number, number])[]): CharSet {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export function complement(set: CharSet): CharSet {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX) out.push([next, MAX]);
  return out;
}

export function union(a: CharSet, b: CharSet): CharSet {
  return normalize([...a, ...b]);
}

export function intersects(a: CharSet, b: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [alo, ahi] = a[i]!;
    const [blo, bhi] = b[j]!;
    if (ahi < blo) i++;
    else if (bhi < alo) j++;
    else return true;
  }
  return false;
}

export const EMPTY_SET: CharSet = [];

export function parseRegex(pattern: string): RNode {
  let pos = 0;
  const peek = () => pattern[pos];

  function parseAlt(): RNode {
    const alts = [parseSeq()];
    while (peek() === "|") {
      pos++;
      alts.push(parseSeq());
    }
    return alts.length === 1 ? alts[0]! : { t: "alt", alts };
  }

  function parseSeq(): RNode {
    const items: RNode[] = [];
    while (pos < pattern.length && peek() !== "|" && peek() !== ")") {
      const atom = parseAtom();
      items.push(parseQuantifier(atom));
    }
    return items.length === 1 ? items[0]! : { t: "seq", items };
  }

  function parseQuantifier(atom: RNode): RNode {
    let min: number;
    let max: number;
    const c = peek();
    if (c === "*") [min, max] = [0, Infinity];
    else if (c === "+") [min, max] = [1, Infinity];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(pos));
      if (!m) return atom;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      pos += m[0].length - 1;
    } else return atom;
    pos++;
    if (peek() === "?") pos++; // lazy: the same backtracking behaviour in the worst case
    return parseQuantifier({ t: "rep", body: atom, min, max });
  }

  function parseAtom(): RNode {
    const c = pattern[pos++]!;
    switch (c) {
      case "^":
      case "$":
        return { t: "assert" };
      case ".":
        return { t: "chars", set: complement(LINE_TERMINATORS) };
      case "(": {
        const start = pos - 1;
        let look = false;
        if (pattern.startsWith("?:", pos)) pos += 2;
        else if (pattern.startsWith("?=", pos) || pattern.startsWith("?!", pos)) [look, pos] = [true, pos + 2];
        else if (pattern.startsWith("?<=", pos) || pattern.startsWith("?<!", pos)) [look, pos] = [true, pos + 3];
        else if (pattern.startsWith("?<", pos)) pos = pattern.indexOf(">", pos) + 1;
        const body = parseAlt();
        if (peek() === ")") pos++;
        return look ? { t: "look", text: pattern.slice(start, pos) } : { t: "group", body };
      }
      case "[":
        return { t: "chars", set: parseClass() };
      case "\\":
        return parseEscape(false);
      default: {
        const cp = pattern.codePointAt(pos - 1)!;
        if (cp > 0xffff) pos++;
        return { t: "chars", set: [[cp, cp]] };
      }
    }
  }

  /** After a `\`. In a class, `\b` is a backspace and there are no assertions or backreferences. */
  function parseEscape(inClass: boolean): RNode {
    const c = pattern[pos++];
    const one = (cp: number): RNode => ({ t: "chars", set: [[cp, cp]] });
    switch (c) {
      case "d":
        return { t: "chars", set: DIGIT };
      case "D":
        return { t: "chars", set: complement(DIGIT) };
      case "w":
        return { t: "chars", set: WORD };
      case "W":
        return { t: "chars", set: complement(WORD) };
      case "s":
        return { t: "chars", set: SPACE };
      case "S":
        return { t: "chars", set: complement(SPACE) };
      case "b":
        return inClass ? one(8) : { t: "assert" };
      case "B":
        return { t: "assert" };
      case "n":
        return one(10);
      case "r":
        return one(13);
      case "t":
        return one(9);
      case "f":
        return one(12);
      case "v":
        return one(11);
      case "0":
        return one(0);
      case "c":
        return one((pattern.charCodeAt(pos++) || 64) % 32);
      case "x": {
        const h = parseInt(pattern.slice(pos, pos + 2), 16);
        pos += 2;
        return one(h);
      }
      case "u": {
        if (peek() === "{") {
          const end = pattern.indexOf("}", pos);
          const cp = parseInt(pattern.slice(pos + 1, end), 16);
          pos = end + 1;
          return one(cp);
        }
        const cp = parseInt(pattern.slice(pos, pos + 4), 16);
        pos += 4;
        return one(cp);
      }
      case "p":
      case "P": {
        if (peek() === "{") pos = pattern.indexOf("}", pos) + 1;
        return { t: "chars", set: ALL };
      }
      case "k": {
        const start = pos - 2;
        pos = pattern.indexOf(">", pos) + 1;
        return { t: "backref", text: pattern.slice(start, pos) };
      }
      default: {
        if (c !== undefined && c >= "1" && c <= "9" && !inClass) {
          const start = pos - 2;
          while (/[0-9]/.test(peek() ?? "")) pos++;
          return { t: "backref", text: pattern.slice(start, pos) };
        }
        const cp = pattern.codePointAt(pos - 1) ?? 0;
        if (cp > 0xffff) pos++;
        return one(cp);
      }
    }
  }

  function classAtom(): CharSet {
    if (peek() === "\\") {
      pos++;
      const n = parseEscape(true);
      return n.t === "chars" ? n.set : ALL;
    }
    const cp = pattern.codePointAt(pos)!;
    pos += cp > 0xffff ? 2 : 1;
    return [[cp, cp]];
  }

  function parseClass(): CharSet {
    let negate = false;
    if (peek() === "^") [negate, pos] = [true, pos + 1];
    const ranges: (readonly [number, number])[] = [];
    while (pos < pattern.length && peek() !== "]") {
      const lo = classAtom();
      if (peek() === "-" && pattern[pos + 1] !== "]" && pos + 1 < pattern.length && lo.length === 1 && lo[0]![0] === lo[0]![1]) {
        pos++;
        const hi = classAtom();
        if (hi.length === 1 && hi[0]![0] === hi[0]![1]) {
          ranges.push([lo[0]![0], hi[0]![0]]);
          continue;
        }
        ranges.push(...lo, [45, 45], ...hi);
        continue;
      }
      ranges.push(...lo);
    }
    pos++; // `]`
    const set = normalize(ranges);
    return negate ? complement(set) : set;
  }

  const tree = parseAlt();
  return tree;
}
