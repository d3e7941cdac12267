// Finding things at a position, in editor terms. Owns: the node path at an offset, the name
// (Identifier or NameRef) under the cursor and the Symbol it stands for. Every feature that
// starts from "what is under the cursor" uses these, so they all agree.
// Input: a snapshot, a file key and a UTF-16 offset. Output: nodes and symbols of that snapshot.
// A cursor touching the end of a name (`abc|`) counts as on it, as editors expect.
import type { ProgramSnapshot } from "../../compiler/program.ts";
import type { CheckedPackage, Symbol } from "../../compiler/semantics/check.ts";
import { childNodes } from "../../compiler/syntax/ast-walk.ts";
import type { Span } from "../../compiler/source/span.ts";
import type { Identifier, NameRef, Node } from "../../compiler/syntax/ast.ts";
import type { ParsedFile } from "../../compiler/syntax/parsed-file.ts";
import { modelOf } from "./model.ts";

/** The snapshot, file and checked package a feature works on. */
export interface FileContext {
  readonly snapshot: ProgramSnapshot;
  readonly file: string;
  readonly parsed: ParsedFile;
  readonly checked: CheckedPackage | undefined;
}

/** `full`: the whole package's check (references, rename), else what model.ts picks. */
export function fileContext(snapshot: ProgramSnapshot, file: string, full = false): FileContext | undefined {
  const parsed = snapshot.parsed(file);
  if (!parsed) return undefined;
  return { snapshot, file, parsed, checked: full ? snapshot.packageOf(file) : modelOf(snapshot, file) };
}

const contains = (s: Span, offset: number) => s.start <= offset && offset <= s.end;

/** Nodes containing `offset`, outermost first (the file node first). */
export function nodePath(root: Node, offset: number): Node[] {
  const path: Node[] = [];
  let cur: Node | undefined = root;
  while (cur) {
    path.push(cur);
    let next: Node | undefined;
    for (const c of childNodes(cur)) {
      if (!contains(c.span, offset)) continue;
      // Touching neighbours (`a|.b`): a name wins, else the one the cursor is inside.
      if (!next || isName(c) || (c.span.start < offset && !isName(next))) next = c;
    }
    cur = next;
  }
  return path;
}

export function isName(n: Node): n is Identifier | NameRef {
  return n.kind === "Identifier" || n.kind === "NameRef";
}

export interface SymbolAt {
  readonly symbol: Symbol;
  /** The span of the name under the cursor. */
  readonly span: Span;
}

/** The symbol under the cursor: a resolved name, or the declaring name of a symbol. */
export function symbolAt(cx: FileContext, offset: number): SymbolAt | undefined {
  const checked = cx.checked;
  if (!checked) return undefined;
  const path = nodePath(cx.parsed.ast, offset);
  for (let i = path.length - 1; i >= 0; i--) {
    const n = path[i]!;
    if (isName(n)) {
      const symbol = checked.resolve(n);
      if (symbol) return { symbol, span: n.span };
    }
  }
  // Declaring names the checker does not list as references (test names, for instance).
  for (const symbol of checked.symbols) {
    const d = symbol.declSpan;
    if (d && d.file === cx.file && contains(d, offset)) return { symbol, span: d };
  }
  return undefined;
}

/** The innermost node of one of `kinds` at the offset. */
export function innermost<K extends Node["kind"]>(path: readonly Node[], ...kinds: K[]): Extract<Node, { kind: K }> | undefined {
  for (let i = path.length - 1; i >= 0; i--) if ((kinds as string[]).includes(path[i]!.kind)) return path[i] as Extract<Node, { kind: K }>;
  return undefined;
}
