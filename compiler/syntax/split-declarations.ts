// Top-level re-synchronisation. Owns: cutting a file's tokens into one run per declaration,
// at the declaration keywords `package permit forbid def type request test` and at the first
// `@` of an annotation run. Each run is parsed on its own, so a syntax error can never make the
// parser misread the declarations around it (issue 2: "no spurious errors on the valid
// declarations around them"), and a missing `}` costs one diagnostic, not the rest of the file.
// A keyword is NOT a cut when it is used as a name: after `.` or `has` (`resource.type`), before
// `:` or `?` (a record key or field), or `request` inside a test body.
// INVARIANT: for a syntactically valid file the cuts are exactly the declaration starts.
// Output: runs in order; only the first run may start with something else (junk before the
// first declaration), flagged by `startsDeclaration: false`.
import type { IToken, TokenType } from "chevrotain";
import { At, Colon, DECLARATION_KEYWORDS, Dot, kw, LBrace, LBracket, LParen, Question, RBrace, RBracket, RParen } from "./tokens.ts";

export interface DeclarationRun {
  readonly tokens: IToken[];
  readonly startsDeclaration: boolean;
}

const DECL = new Set<TokenType>(DECLARATION_KEYWORDS);
const OPEN = new Set<TokenType>([LBrace, LParen, LBracket]);
const CLOSE = new Set<TokenType>([RBrace, RParen, RBracket]);

export function splitDeclarations(tokens: readonly IToken[]): DeclarationRun[] {
  const runs: DeclarationRun[] = [];
  let current: IToken[] = [];
  let state = "junk" as "junk" | "annotations" | "decl";
  let inTest = false;
  let depth = 0;

  const cut = (next: "annotations" | "decl") => {
    if (current.length > 0) runs.push({ tokens: current, startsDeclaration: state !== "junk" });
    current = [];
    state = next;
    depth = 0;
    inTest = false;
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const type = t.tokenType;
    if (type === At) {
      if (state !== "annotations") cut("annotations");
    } else if (DECL.has(type) && isDeclarationStart(tokens, i, inTest && depth > 0)) {
      if (state === "annotations") state = "decl";
      else cut("decl");
      inTest = type === kw.test;
    } else if (OPEN.has(type)) depth++;
    else if (CLOSE.has(type)) depth = Math.max(0, depth - 1);
    current.push(t);
  }
  if (current.length > 0) runs.push({ tokens: current, startsDeclaration: state !== "junk" });
  return runs;
}

function isDeclarationStart(tokens: readonly IToken[], i: number, insideTestBody: boolean): boolean {
  const type = tokens[i]!.tokenType;
  const prev = tokens[i - 1]?.tokenType;
  const next = tokens[i + 1]?.tokenType;
  if (prev === Dot || prev === kw.has) return false;
  if (next === Colon || next === Question) return false;
  if (type === kw.request && insideTestBody) return false;
  return true;
}
