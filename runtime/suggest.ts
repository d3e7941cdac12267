// "Did you mean" suggestions: the edit distance and the choice of the closest candidate, used
// by the compiler's diagnostics (misspelt keywords, names, attributes, enum values) and by the
// runtime's option checks (misspelt option names). It lives in runtime/ because the runtime must
// not import the compiler. Input: a misspelt word and the words that would have been valid there;
// output: the best candidate or nothing. INVARIANT: a suggestion is offered only when it is close
// enough to be a plausible typo (distance at most a third of the length, at least 1), so a wrong
// guess is rare.

/** Edit distance (Levenshtein plus adjacent transpositions), with an early exit above `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prevPrev: number[] = new Array<number>(b.length + 1).fill(0);
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur: number[] = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      // A transposition (`raed` for `read`) counts as one edit.
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prevPrev[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prevPrev, prev, cur] = [prev, cur, prevPrev];
  }
  return prev[b.length]!;
}

/** The candidate closest to `name`, if it is close enough to be a plausible typo. */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const max = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = max + 1;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    if (c === name) continue;
    // Case-only differences are the most likely typo of all.
    const d = c.toLowerCase() === lower ? 0.5 : editDistance(name, c, max);
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= max ? best : undefined;
}
