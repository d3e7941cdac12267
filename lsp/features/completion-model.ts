// The checked model completion reads, even while the text is broken. Owns: finding the type of
// the expression before a `.` (or a `==`), in three steps, the first that answers wins:
//   1. the current checked model (the expression ending there is in the tree and typed);
//   2. the file re-parsed with a placeholder name inserted at the cursor, and its package
//      re-checked (`principal.` becomes `principal.__edict_cursor__`, which parses);
//   3. the dotted chain of names read from the tokens, resolved against the current or last
//      good model (package-level names only there, since offsets moved).
// Input: snapshots, a file, token positions. Output: Types and scopes; never throws.
import type { ProgramSnapshot } from "../../compiler/program.ts";
import { lookupMethod } from "../../compiler/semantics/builtins.ts";
import { checkPackage, type CheckedPackage, type Symbol } from "../../compiler/semantics/check.ts";
import { buildPackages } from "../../compiler/semantics/package-model.ts";
import { attributesOf, unwrap, type Type } from "../../compiler/semantics/types.ts";
import { SourceFile } from "../../compiler/source/source-file.ts";
import { walk } from "../../compiler/syntax/ast-walk.ts";
import type { Expr, Node } from "../../compiler/syntax/ast.ts";
import { parseFile } from "../../compiler/syntax/parse.ts";
import type { ParsedFile } from "../../compiler/syntax/parsed-file.ts";
import { isExpr } from "./describe.ts";
import { reducedFiles } from "./model.ts";
import type { Tok } from "./tokens.ts";

export const PLACEHOLDER = "__edict_cursor__";

export interface Model {
  readonly parsed: ParsedFile;
  readonly checked: CheckedPackage;
}

/** The file's package, checked with `text` in place of the file's current text. */
export function checkPatched(snapshot: ProgramSnapshot, file: string, text: string): Model | undefined {
  const parsed = parseFile(new SourceFile(file, text));
  const name = parsed.ast.package?.name?.name ?? snapshot.parsed(file)?.ast.package?.name?.name;
  if (name === undefined) return undefined;
  // Other files contribute declarations only (model.ts): completion needs their names and types.
  const model = buildPackages(reducedFiles(snapshot, parsed, name)).find((m) => m.name === name);
  return model ? { parsed, checked: checkPackage(model) } : undefined;
}

/** The outermost expression spanning exactly [start, end). */
export function exprSpanning(root: Node, start: number, end: number): Expr | undefined {
  let found: Expr | undefined;
  walk(root, (n) => {
    if (found || n.span.end < start || n.span.start > end) return false;
    if (n.span.start === start && n.span.end === end && isExpr(n) && n.kind !== "ErrorExpr") {
      found = n;
      return false;
    }
    return true;
  });
  return found;
}

/** The object of the member access whose property is the placeholder. */
export function placeholderObject(root: Node, at: number): Expr | undefined {
  let found: Expr | undefined;
  walk(root, (n) => {
    if (found || n.span.end < at || n.span.start > at + PLACEHOLDER.length) return false;
    if (n.kind === "MemberExpr" && n.property?.name === PLACEHOLDER) found = n.object;
    else if (n.kind === "MethodCallExpr" && n.method.name === PLACEHOLDER) found = n.receiver;
    return !found;
  });
  return found;
}

/** Start index of the dotted chain `a.b(x).c[0]` ending at token `end` (inclusive). */
export function chainStart(tokens: readonly Tok[], end: number): number {
  let i = end;
  for (;;) {
    const t = tokens[i];
    if (!t) return i + 1;
    if (t.image === ")" || t.image === "]") {
      // Skip the balanced group and the name before a call.
      let depth = 0;
      let j = i;
      for (; j >= 0; j--) {
        const s = tokens[j]!.image;
        if (s === ")" || s === "]") depth++;
        else if (s === "(" || s === "[") depth--;
        if (depth === 0) break;
      }
      if (j < 0) return i + 1;
      i = j - 1;
      if (tokens[j]!.image === "(" && tokens[i] && (tokens[i]!.kind === "name" || tokens[i]!.kind === "keyword")) i--;
    } else if (t.kind === "name" || (t.kind === "keyword" && tokens[i - 1]?.image === ".")) {
      i--;
    } else if (t.kind === "string" && i === end) {
      return i;
    } else return i + 1;
    if (tokens[i]?.image !== ".") return i + 1;
    i--;
  }
}

/** Resolves a chain `name(.attr | .method(...) | [..])*` by names alone. */
export function resolveChain(tokens: readonly Tok[], from: number, to: number, lookup: (name: string) => Symbol | undefined): Type | undefined {
  const first = tokens[from];
  if (!first || first.kind !== "name") return undefined;
  let t: Type | undefined = lookup(first.image)?.type;
  let i = from + 1;
  while (t && i <= to) {
    const tok = tokens[i]!;
    if (tok.image === "[") {
      i = skipGroup(tokens, i);
      const u = unwrap(t);
      t = u.kind === "set" || u.kind === "list" ? u.element : u.kind === "map" ? u.value : u.kind === "any" ? t : undefined;
      continue;
    }
    if (tok.image !== ".") return undefined;
    const name = tokens[i + 1];
    if (!name) return undefined;
    if (tokens[i + 2]?.image === "(") {
      t = lookupMethod(t, name.image)?.signature(t).returns;
      i = skipGroup(tokens, i + 2);
    } else {
      const u = unwrap(t);
      t = u.kind === "any" ? t : attributesOf(t).find((f) => f.name === name.image)?.type;
      i += 2;
    }
  }
  return i > to ? t : undefined;
}

function skipGroup(tokens: readonly Tok[], open: number): number {
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    const s = tokens[j]!.image;
    if (s === "(" || s === "[" || s === "{") depth++;
    else if (s === ")" || s === "]" || s === "}") depth--;
    if (depth === 0) return j + 1;
  }
  return tokens.length;
}
