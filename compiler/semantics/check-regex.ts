// `matches` patterns. Owns: E0503 (the pattern must be a string literal, so it can be checked
// here), E0502 (it must compile with the run time's flags) and E0501 (it must not be able to
// backtrack super-linearly). The analysis is deliberately conservative: it rejects
//   - backreferences and lookarounds (outside what a linear-time engine can promise),
//   - a repeated part whose body can match the same text in more than one way: a variable
//     repetition inside it that is not followed by a required, disjoint character (`(a+)+`,
//     `(\w+\s?)+`), or an alternation whose branches overlap (`(a|a)*`, `(a|ab)+`, `(\w|\d)+`).
// Accepted, for instance: `^[a-z0-9-]+$`, `^([a-z0-9]+\.)+[a-z]+$`, `(cat|car)+`.
// Not detected (documented): polynomial blow-ups of adjacent overlapping repetitions (`a*a*b`).
import { REGEX_FLAGS } from "../../runtime/builtins/index.ts";
import type { Expr } from "../syntax/ast.ts";
import type { CheckContext } from "./check-context.ts";
import { unparen } from "./check-enum.ts";
import { ALL, EMPTY_SET, intersects, parseRegex, union, type CharSet, type RNode } from "./regex-syntax.ts";
import { isStringLike, isUnchecked, typeToString, type Type } from "./types.ts";

export function checkMatchesPattern(cx: CheckContext, pattern: Expr, t: Type): void {
  const lit = unparen(pattern);
  if (lit?.kind !== "StringLit") {
    if (isUnchecked(t) && lit?.kind === "ErrorExpr") return;
    cx.report("E0503", pattern.span, "the pattern of `matches` must be a string literal", {
      help: isStringLike(t) || isUnchecked(t) ? "write the regular expression inline, e.g. `s matches \"^[a-z]+$\"`, so it can be checked before it runs" : `found a \`${typeToString(t)}\``,
    });
    return;
  }
  let problem = cx.regexCache.get(lit.value);
  if (problem === undefined) cx.regexCache.set(lit.value, (problem = regexProblem(lit.value) ?? null));
  if (!problem) return;
  if (problem.kind === "invalid") cx.report("E0502", lit.span, `invalid regular expression: ${problem.message}`, { help: "patterns use JavaScript regular expression syntax with the `u` flag" });
  else cx.report("E0501", lit.span, `regular expression could backtrack super-linearly: ${problem.message}`, { help: problem.help });
}

export type RegexProblem = { kind: "invalid"; message: string } | { kind: "slow"; message: string; help: string };

/** Why `pattern` is not acceptable for `matches`, or undefined when it is fine. */
export function regexProblem(pattern: string): RegexProblem | undefined {
  try {
    new RegExp(pattern, REGEX_FLAGS);
  } catch (err) {
    const message = String((err as Error).message ?? err).replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "").toLowerCase();
    return { kind: "invalid", message };
  }
  return findSlow(parseRegex(pattern));
}

function findSlow(n: RNode): RegexProblem | undefined {
  switch (n.t) {
    case "backref":
      return { kind: "slow", message: `backreference \`${n.text}\``, help: "backreferences need backtracking; match the parts separately or compare values in Edict" };
    case "look":
      return { kind: "slow", message: `lookaround \`${n.text}\``, help: "lookarounds are not supported; express the condition with `and`/`not` and a second `matches`" };
    case "alt":
      return first(n.alts, findSlow);
    case "seq":
      return first(n.items, findSlow);
    case "group":
      return findSlow(n.body);
    case "rep": {
      const inner = findSlow(n.body);
      if (inner) return inner;
      if (n.max > 1 && !loopBodyIsUnambiguous(n.body)) {
        return {
          kind: "slow",
          message: "a repeated group can match the same text in more than one way",
          help: "avoid nested repetition like `(a+)+` and overlapping alternatives like `(a|ab)*`; e.g. write `(a+)+` as `a+`",
        };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function first<T, R>(xs: readonly T[], f: (x: T) => R | undefined): R | undefined {
  for (const x of xs) {
    const r = f(x);
    if (r !== undefined) return r;
  }
  return undefined;
}

/** Groups are transparent for matching; splice them so a sequence is a flat item list. */
function items(n: RNode): RNode[] {
  if (n.t === "group") return items(n.body);
  if (n.t === "seq") return n.items.flatMap(items);
  return [n];
}

function nullable(n: RNode): boolean {
  switch (n.t) {
    case "alt":
      return n.alts.some(nullable);
    case "seq":
      return n.items.every(nullable);
    case "group":
      return nullable(n.body);
    case "rep":
      return n.min === 0 || nullable(n.body);
    case "chars":
      return false;
    default:
      return true;
  }
}

/** Characters a match of `n` can start with. */
function firstChars(n: RNode): CharSet {
  switch (n.t) {
    case "alt":
      return n.alts.map(firstChars).reduce(union, EMPTY_SET);
    case "seq": {
      let set = EMPTY_SET;
      for (const it of n.items) {
        set = union(set, firstChars(it));
        if (!nullable(it)) break;
      }
      return set;
    }
    case "group":
    case "rep":
      return firstChars(n.body);
    case "chars":
      return n.set;
    default:
      return n.t === "assert" ? EMPTY_SET : ALL;
  }
}

/** Every character a match of `n` can contain. */
function allChars(n: RNode): CharSet {
  switch (n.t) {
    case "alt":
      return n.alts.map(allChars).reduce(union, EMPTY_SET);
    case "seq":
      return n.items.map(allChars).reduce(union, EMPTY_SET);
    case "group":
    case "rep":
      return allChars(n.body);
    case "chars":
      return n.set;
    default:
      return n.t === "assert" ? EMPTY_SET : ALL;
  }
}

const isVariable = (n: RNode) => n.t === "rep" && n.min !== n.max;

function containsVariableOrAlt(n: RNode): boolean {
  switch (n.t) {
    case "alt":
      return true;
    case "seq":
      return n.items.some(containsVariableOrAlt);
    case "group":
      return containsVariableOrAlt(n.body);
    case "rep":
      return n.min !== n.max || containsVariableOrAlt(n.body);
    default:
      return false;
  }
}

/** A fixed sequence of character sets (no alternation or variable repetition), if `n` is one. */
function fixedSequence(n: RNode): CharSet[] | undefined {
  const out: CharSet[] = [];
  for (const it of items(n)) {
    if (it.t === "chars") out.push(it.set);
    else if (it.t === "assert") continue;
    else if (it.t === "rep" && it.min === it.max && it.min <= 64) {
      const inner = fixedSequence(it.body);
      if (!inner) return undefined;
      for (let i = 0; i < it.min; i++) out.push(...inner);
    } else return undefined;
  }
  return out;
}

/**
 * Can one iteration of a loop body match a given text in only one way, and can the boundary
 * between iterations be found in only one way? Conservative: `false` when unsure.
 */
function loopBodyIsUnambiguous(body: RNode): boolean {
  if (nullable(body)) return !containsVariableOrAlt(body);
  const seq = items(body);
  for (let i = 0; i < seq.length; i++) {
    const it = seq[i]!;
    if (it.t === "alt") {
      if (!alternativesAreDisjoint(it)) return false;
      continue;
    }
    if (it.t === "rep") {
      if (containsVariableOrAlt(it.body)) return false; // repetition nested two deep
      if (!isVariable(it)) continue;
      // The variable part must end where a required, disjoint character begins (the next item,
      // or the start of the next iteration).
      const next = seq[(i + 1) % seq.length]!;
      if (next === it || nullable(next) || intersects(firstChars(next), allChars(it.body))) return false;
    }
  }
  return true;
}

/** No two branches can start the same way, except literal branches that are not prefixes of one another. */
function alternativesAreDisjoint(alt: Extract<RNode, { t: "alt" }>): boolean {
  const fixed = alt.alts.map(fixedSequence);
  for (let i = 0; i < alt.alts.length; i++) {
    const a = alt.alts[i]!;
    if (containsVariableOrAlt(a) || nullable(a)) return false;
    for (let j = i + 1; j < alt.alts.length; j++) {
      const b = alt.alts[j]!;
      const fa = fixed[i];
      const fb = fixed[j];
      if (fa && fb) {
        if (canBePrefix(fa, fb)) return false;
      } else if (intersects(firstChars(a), firstChars(b))) return false;
    }
  }
  return true;
}

/** Could the shorter literal sequence match a prefix of what the longer one matches? */
function canBePrefix(a: CharSet[], b: CharSet[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.every((s, k) => intersects(s, long[k]!));
}
