// "Did you mean" for syntax errors (misspelt keywords) and the checker (names, attributes, enum
// values). The edit distance and `suggest` are shared with the runtime (runtime/suggest.ts);
// this adds the keyword variant the parser uses.
import { editDistance } from "../../runtime/suggest.ts";

export { suggest } from "../../runtime/suggest.ts";

/** The keyword closest to a misspelt one (`whne` -> `when`): at most 1 edit for short words, 2 for longer. */
export function closestKeyword(word: string, candidates: readonly string[]): string | undefined {
  if (word.length < 2) return undefined;
  const limit = word.length <= 4 ? 1 : 2;
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const d = editDistance(lower, c, limit);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
