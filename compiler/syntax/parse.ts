// The syntax entry points. Owns: `parseFile` (text -> ParsedFile) and `parseExpression`
// (for tests and the LSP). Pipeline: lex -> comments and doc index -> split into declaration
// runs -> parse each run (the fast path of fast-parser.ts, else the one shared chevrotain parser)
// -> reason templates -> diagnostics
// (chevrotain errors converted to Edict words, duplicates and lexer follow-ons dropped, sorted).
// INVARIANT: never throws, for any string: an internal failure becomes one diagnostic and an
// empty (but valid) tree.
import type { IRecognitionException, IToken } from "chevrotain";
import { compareDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { SourceFile } from "../source/source-file.ts";
import { span } from "../source/span.ts";
import type { Decl, Expr, FileAst, PackageDecl } from "./ast.ts";
import { DocIndex, lowerComments } from "./comments.ts";
import { fastParser } from "./fast-parser.ts";
import { lex, lexWindow } from "./lexer.ts";
import { isRealToken, showToken, SyntaxContext, tokenEnd, tokenSpan } from "./lower.ts";
import type { ParsedFile } from "./parsed-file.ts";
import { chevrotainParser, parserBuilt, type EdictParser, type ParsedDecl } from "./parser.ts";
import { DeclarationSplitter, type DeclarationRun } from "./split-declarations.ts";
import { UnterminatedBlockComment } from "./tokens.ts";
import { lowerTemplate } from "./template.ts";
import { nestingDepth } from "./ast-walk.ts";

export function parseFile(source: SourceFile): ParsedFile {
  try {
    return parseFileUnsafe(source);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const ast: FileAst = { kind: "File", package: undefined, decls: [], comments: [], span: span(source.path, 0, source.text.length) };
    return { source, ast, diagnostics: [internalError(source.path, message)] };
  }
}

/** Parses one expression (tests, the LSP). Never throws. */
export function parseExpression(text: string, file = "<expression>"): { expr: Expr | undefined; diagnostics: Diagnostic[] } {
  try {
    const lexed = lex(text, file);
    const ctx = new SyntaxContext(file, text, undefined);
    ctx.diagnostics.push(...lexed.diagnostics);
    const expr = runExpression(ctx, lexed.tokens, 0, text.length);
    return { expr, diagnostics: finish(ctx.diagnostics, lexed.diagnostics, text) };
  } catch (err) {
    return { expr: undefined, diagnostics: [internalError(file, err instanceof Error ? err.message : String(err))] };
  }
}

/**
 * Characters lexed at a time. The file is lexed window by window (cut at line starts, never
 * inside a block comment) and each declaration is parsed as soon as its run is complete, so
 * tokens die young: holding all of a big file's tokens made the GC copy them (a third of the
 * surviving memory of a 10,000-rule parse). Runs may span windows; results are identical.
 */
const WINDOW = 32 * 1024;

function parseFileUnsafe(source: SourceFile): ParsedFile {
  const file = source.path;
  const text = source.text;
  const docs = new DocIndex(file, text);
  const ctx = new SyntaxContext(file, text, docs);
  const lexical: Diagnostic[] = [];
  const comments: IToken[] = [];
  let firstToken: IToken | undefined;

  let pkg: PackageDecl | undefined;
  let firstWasPackage: boolean | undefined;
  const decls: Decl[] = [];

  const onRun = (run: DeclarationRun) => {
    const first = run.tokens[0]!;
    if (!run.startsDeclaration) {
      ctx.error("E0105", `unexpected ${showToken(first)}, expected a declaration`, tokenSpan(ctx, first), "a file starts with `package NAME`, then declarations: `permit`, `forbid`, `def`, `type`, `request`, `test`");
      return;
    }
    const last = run.tokens[run.tokens.length - 1]!;
    ctx.inputStart = first.startOffset;
    ctx.inputEnd = tokenEnd(last);
    const result = parseDeclaration(ctx, run.tokens);
    if (!result) return;
    if (result.kind === "Package") {
      firstWasPackage ??= true;
      if (pkg) {
        ctx.error("E0105", "a file has one `package` declaration", result.decl.span, `this file already declared \`package ${pkg.name?.name ?? ""}\``);
      } else pkg = result.decl;
    } else {
      firstWasPackage ??= false;
      decls.push(result.decl);
    }
  };

  const splitter = new DeclarationSplitter(onRun);
  let pos = 0;
  while (pos < text.length) {
    let end = lineStartAfter(text, pos + WINDOW);
    let lexed = lexWindow(text, file, pos, end, ctx.words);
    // A block comment open at the end of the window: widen the window and lex again.
    while (end < text.length && lexed.comments.length > 0 && lexed.comments[lexed.comments.length - 1]!.tokenType === UnterminatedBlockComment) {
      end = lineStartAfter(text, end + WINDOW);
      lexed = lexWindow(text, file, pos, end, ctx.words);
    }
    lexical.push(...lexed.diagnostics);
    ctx.diagnostics.push(...lexed.diagnostics);
    comments.push(...lexed.comments);
    docs.add(lexed.comments);
    firstToken ??= lexed.tokens[0];
    for (const t of lexed.tokens) splitter.push(t);
    pos = end;
  }
  splitter.end();

  if (firstWasPackage !== true) {
    const at = firstToken ? tokenSpan(ctx, firstToken) : ctx.span(0, 0);
    ctx.error("E0107", "file does not start with `package`", at, "start the file with `package NAME` (all files with the same name form one package)");
  }
  releaseFile();
  const ast: FileAst = {
    kind: "File",
    package: pkg,
    decls,
    comments: lowerComments(file, comments),
    span: span(file, 0, text.length),
  };
  return { source, ast, diagnostics: finish(ctx.diagnostics, lexical, text) };
}

/** The first line start at or after `i` (or the end of the text). */
function lineStartAfter(text: string, i: number): number {
  if (i >= text.length) return text.length;
  const nl = text.indexOf("\n", i);
  return nl < 0 ? text.length : nl + 1;
}

/**
 * One declaration run. A run nested thousands of levels deep overflows the stack: that
 * declaration is reported and skipped, the rest of the file still parses.
 */
function parseDeclaration(ctx: SyntaxContext, tokens: IToken[]): ParsedDecl | undefined {
  const fast = fastParser.declaration(ctx, tokens);
  if (fast) {
    resolveTemplates(ctx);
    return withinDepth(ctx, tokens, fast);
  }
  try {
    const parser = chevrotainParser();
    parser.c = ctx;
    parser.input = tokens;
    const result = parser.declaration();
    collectParserErrors(ctx, parserErrors(parser));
    resolveTemplates(ctx);
    return result === undefined ? undefined : withinDepth(ctx, tokens, result);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    ctx.pendingTemplates.length = 0;
    const first = tokens[0]!;
    ctx.error("E0105", "this declaration is nested too deeply to parse", tokenSpan(ctx, first), "split deeply nested expressions into several `def`s");
    return undefined;
  }
}

/**
 * Deepest expression nesting a declaration may have. The checker, interpreter, code generator,
 * formatter and language server all recurse over expressions; a long `or` chain nests as deeply
 * as it is long (each operator holds the chain before it), and about 950 levels overflowed the
 * checker's stack. Half that leaves room for every phase.
 */
export const MAX_NESTING = 480;

/** `parsed`, or undefined with an E0105 when it nests deeper than MAX_NESTING. */
function withinDepth(ctx: SyntaxContext, tokens: IToken[], parsed: ParsedDecl): ParsedDecl | undefined {
  if (tokens.length <= MAX_NESTING) return parsed; // every level of nesting takes a token: nothing to measure
  const depth = nestingDepth(parsed.decl);
  if (depth <= MAX_NESTING) return parsed;
  ctx.error(
    "E0105",
    `this declaration nests ${depth} levels deep; at most ${MAX_NESTING} are supported`,
    tokenSpan(ctx, tokens[0]!),
    "a long chain of `or` alternatives reads better as `x in [\"a\", \"b\", …]`; otherwise split the expression into several `def`s",
  );
  return undefined;
}

/** Splits the pending `reason` strings of the declaration just parsed into templates. */
function resolveTemplates(ctx: SyntaxContext): void {
  if (ctx.pendingTemplates.length === 0) return;
  const pending = ctx.pendingTemplates.splice(0);
  for (const p of pending) p.clause.template = lowerTemplate(ctx, p.token, runExpression);
}

function runExpression(ctx: SyntaxContext, tokens: IToken[], start: number, end: number): Expr | undefined {
  const fast = fastParser.expression(ctx, tokens);
  if (fast) return fast;
  const saved = { inputStart: ctx.inputStart, inputEnd: ctx.inputEnd };
  ctx.inputStart = start;
  ctx.inputEnd = end;
  const parser = chevrotainParser();
  parser.c = ctx;
  parser.input = tokens;
  const expr = parser.expressionEntry();
  collectParserErrors(ctx, parserErrors(parser));
  ctx.inputStart = saved.inputStart;
  ctx.inputEnd = saved.inputEnd;
  resolveTemplates(ctx);
  return expr;
}

/** The shared chevrotain parser (if built) must not keep the last file alive. */
function releaseFile(): void {
  if (parserBuilt()) {
    const parser = chevrotainParser();
    parser.c = new SyntaxContext("", "", undefined);
    parser.input = [];
  }
}

/** chevrotain's `errors` getter clones its list: skip it when the list is empty (nearly always). */
function parserErrors(parser: EdictParser): readonly IRecognitionException[] {
  const raw = (parser as unknown as { _errors?: unknown })._errors;
  return Array.isArray(raw) && raw.length === 0 ? [] : parser.errors;
}

/** Chevrotain's own recovery errors, in Edict words (the messages come from parser-base.ts). */
function collectParserErrors(ctx: SyntaxContext, errors: readonly IRecognitionException[]): void {
  for (const e of errors) {
    if (e.name === "NotAllInputParsedException") continue; // the grammar reports leftovers itself
    const tok = e.token;
    if (e.message.startsWith("unexpected") && isRealToken(tok)) {
      ctx.error("E0105", e.message, tokenSpan(ctx, tok));
    } else {
      const prev = (e as { previousToken?: IToken }).previousToken;
      const at = prev && isRealToken(prev) ? tokenEnd(prev) : ctx.inputStart;
      ctx.error("E0106", e.message.startsWith("unexpected") ? e.message.replace(/^unexpected [^,]*, /, "") : e.message, ctx.span(at, at));
    }
  }
}

/**
 * Sorts, and drops parser errors that only echo another: a second E0105/E0106 at the same
 * offset, or one right after a lexer error (the bad character was skipped, so the parser sees a
 * gap there — the lexer's message already says what is wrong).
 */
function finish(all: readonly Diagnostic[], lexical: readonly Diagnostic[], text: string): Diagnostic[] {
  const lexEnds = new Set(lexical.filter((d) => d.code === "E0101").map((d) => d.span.end));
  const sorted = [...all].sort(compareDiagnostics);
  const out: Diagnostic[] = [];
  const seenSyntaxAt = new Set<number>();
  for (const d of sorted) {
    const isParse = d.code === "E0105" || d.code === "E0106";
    if (isParse) {
      if (seenSyntaxAt.has(d.span.start)) continue;
      if (followsLexError(d, lexEnds, text)) continue;
      seenSyntaxAt.add(d.span.start);
    }
    out.push(d);
  }
  return out;
}

function followsLexError(d: Diagnostic, lexEnds: ReadonlySet<number>, text: string): boolean {
  if (lexEnds.size === 0) return false;
  // The parser reports at the next token (E0105): it sits right after the skipped
  // characters, possibly separated by whitespace.
  let p = d.span.start;
  while (p > 0 && /\s/.test(text[p - 1]!)) p--;
  return lexEnds.has(p) || lexEnds.has(d.span.start);
}

function internalError(file: string, message: string): Diagnostic {
  return {
    code: "E0105",
    severity: "error",
    message: `the parser failed on this file: ${message.split("\n")[0]}`,
    span: span(file, 0, 0),
    help: "this is a bug in Edict; please report it with the file",
  };
}
