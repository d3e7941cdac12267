// Lays out a Doc within a line width (the Prettier algorithm, trimmed to what Edict needs).
// Input: a Doc and a width; output: the text (lines joined with "\n", no trailing spaces)
// and the output offsets of the marks.
// INVARIANT: a group is printed flat only if it contains no forced break and its flat form,
// plus whatever follows up to the next possible line break, fits in the remaining width.
import type { Doc, DocNode, GroupDoc } from "./doc.ts";

type Mode = "flat" | "break";

interface Command {
  readonly indent: number;
  readonly mode: Mode;
  readonly doc: Doc;
}

export interface Rendered {
  readonly text: string;
  readonly marks: ReadonlyMap<number, number>;
}

export function renderDoc(doc: Doc, width: number): Rendered {
  propagateBreaks(doc);
  const out: string[] = [];
  let outLength = 0;
  let column = 0;
  let lineHasContent = false;
  let lineIndent = 0;
  let lineHasLineComment = false;
  const marks = new Map<number, number>();
  // Trailing comments waiting for the end of the line (texts with their leading space).
  let suffixes: string[] = [];
  const stack: Command[] = [{ indent: 0, mode: "break", doc }];

  const write = (text: string): void => {
    if (text === "") return;
    out.push(text);
    outLength += text.length;
    // Only comments start with `//` (code never does): the rest of this line is taken.
    if (text.startsWith("//") || text.startsWith(" //")) lineHasLineComment = true;
    const nl = text.lastIndexOf("\n");
    column = nl >= 0 ? text.length - nl - 1 : column + text.length;
    lineHasContent = true;
  };
  const newline = (indentation: number): void => {
    // Trailing spaces never survive a line break (blank lines stay empty).
    let last = out.length - 1;
    while (last >= 0) {
      const trimmed = out[last]!.replace(/[ \t]+$/, "");
      outLength -= out[last]!.length - trimmed.length;
      out[last] = trimmed;
      if (trimmed !== "") break;
      last--;
    }
    out.push("\n" + " ".repeat(indentation));
    outLength += 1 + indentation;
    column = indentation;
    lineIndent = indentation;
    lineHasContent = false;
    lineHasLineComment = false;
  };

  /**
   * Pending trailing comments; a `//` comment ends its line, so the next one gets a line of
   * its own, indented like the line they trail.
   */
  const flushSuffixes = (): void => {
    let afterLineComment = lineHasLineComment;
    const indentation = lineIndent;
    for (const s of suffixes) {
      if (afterLineComment) {
        newline(indentation);
        write(s.trimStart());
      } else {
        write(s);
      }
      afterLineComment = s.startsWith(" //");
    }
    suffixes = [];
  };

  while (stack.length > 0) {
    const cmd = stack.pop()!;
    const { doc: d, indent, mode } = cmd;
    if (typeof d === "string") {
      write(d);
      continue;
    }
    if (Array.isArray(d)) {
      for (let i = d.length - 1; i >= 0; i--) stack.push({ indent, mode, doc: d[i]! });
      continue;
    }
    const node = d as DocNode;
    switch (node.kind) {
      case "indent":
        stack.push({ indent: indent + 2, mode, doc: node.contents });
        break;
      case "group": {
        if (mode === "flat" && !node.broken) {
          stack.push({ indent, mode: "flat", doc: node.contents });
        } else if (!node.broken && fits({ indent, mode: "flat", doc: node.contents }, stack, width - column)) {
          stack.push({ indent, mode: "flat", doc: node.contents });
        } else {
          stack.push({ indent, mode: "break", doc: node.contents });
        }
        break;
      }
      case "ifBreak":
        stack.push({ indent, mode, doc: mode === "break" ? node.broken : node.flat });
        break;
      case "breakParent":
        break;
      case "mark":
        marks.set(node.id, outLength);
        break;
      case "comment":
        switch (node.placement) {
          case "before":
            write(node.text + " ");
            break;
          case "after":
            write(" " + node.text);
            break;
          case "endOfLine":
          case "ownLine":
            // After code the comment waits for the end of the line: it moves right, never
            // onto a line of its own (where a `///` could become the doc of what follows).
            if (lineHasContent) {
              suffixes.push(" " + node.text);
            } else {
              write(node.text);
              stack.push({ indent, mode: "break", doc: { kind: "line", mode: "hard" } });
            }
            break;
        }
        break;
      case "line":
        if (mode === "flat" && node.mode !== "hard") {
          if (node.mode === "line") write(" ");
          break;
        }
        flushSuffixes();
        newline(indent);
        break;
    }
  }
  // Trailing comments on the last line. Suffixes are plain strings (comment texts).
  flushSuffixes();
  return { text: out.join(""), marks };
}

/** Whether `next` printed flat, followed by the rest of the stack, fits before a line break. */
function fits(next: Command, rest: readonly Command[], width: number): boolean {
  let remaining = width;
  let restIndex = rest.length;
  // Arrays are walked with a cursor, not copied: a rest command can be the rest of the file.
  const frames: { mode: Mode; docs: readonly Doc[]; i: number }[] = [{ mode: next.mode, docs: [next.doc], i: 0 }];
  while (remaining >= 0) {
    const top = frames[frames.length - 1];
    if (!top) {
      if (restIndex === 0) return true;
      const r = rest[--restIndex]!;
      frames.push({ mode: r.mode, docs: [r.doc], i: 0 });
      continue;
    }
    if (top.i >= top.docs.length) {
      frames.pop();
      continue;
    }
    const d = top.docs[top.i++]!;
    const mode = top.mode;
    if (typeof d === "string") {
      remaining -= d.length;
      continue;
    }
    if (Array.isArray(d)) {
      frames.push({ mode, docs: d, i: 0 });
      continue;
    }
    const node = d as DocNode;
    switch (node.kind) {
      case "indent":
        frames.push({ mode, docs: [node.contents], i: 0 });
        break;
      case "group":
        frames.push({ mode: node.broken ? "break" : mode, docs: [node.contents], i: 0 });
        break;
      case "ifBreak":
        frames.push({ mode, docs: [mode === "break" ? node.broken : node.flat], i: 0 });
        break;
      case "line":
        if (mode === "break" || node.mode === "hard") return true;
        if (node.mode === "line") remaining -= 1;
        break;
      case "comment":
        if (node.placement === "ownLine") return true;
        if (node.placement === "before" || node.placement === "after") remaining -= node.text.length + 1;
        break;
      case "breakParent":
      case "mark":
        break;
    }
  }
  return false;
}

/** Marks every group that contains a forced break (or a broken group) as broken. */
function propagateBreaks(doc: Doc): boolean {
  if (typeof doc === "string") return false;
  if (Array.isArray(doc)) {
    let any = false;
    for (const d of doc) if (propagateBreaks(d)) any = true;
    return any;
  }
  const node = doc as DocNode;
  switch (node.kind) {
    case "breakParent":
      return true;
    case "line":
      return node.mode === "hard";
    case "group": {
      const inner = propagateBreaks(node.contents);
      (node as GroupDoc).broken = node.broken || inner;
      return node.broken;
    }
    case "indent":
      return propagateBreaks(node.contents);
    case "ifBreak":
      // Only the broken branch can be printed once a break is forced; either may carry one.
      return [propagateBreaks(node.broken), propagateBreaks(node.flat)].some(Boolean);
    case "comment":
    case "mark":
      return false;
  }
}
