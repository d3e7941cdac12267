// The parser's fast path. Owns: a plain recursive-descent parser for VALID declarations of every
// kind (package, type, request, def, rules with every clause, tests; annotations and doc
// comments) and for template interpolations, tried before the chevrotain parser. Expressions
// are in fast-expressions.ts.
// Why: chevrotain pays a rule call, lookahead and closures per precedence level and per clause,
// and building its grammar costs about a tenth of a second per process; on a 10,000-rule package
// that machinery (and its garbage) was most of the parse time, and a clean file now never needs
// the chevrotain parser at all (parse.ts builds it on first use).
// Input: the tokens of one declaration run (or of one interpolation) and the SyntaxContext.
// Output: the same nodes the chevrotain grammar builds (same shapes, same key order, same
// spans, made by the same lower.ts helpers), or `undefined`: "not handled, use chevrotain".
// INVARIANT (all or nothing): the fast path succeeds only where the chevrotain grammar takes
// its error-free path over the whole run; at the first token where that grammar would report or
// recover, it gives up, drops whatever it added to the context (diagnostics, pending templates)
// and the run is parsed by chevrotain from its start, so recovery and diagnostics are unchanged.
// Each run is tried once, so a failure costs one linear scan. test/syntax/fast-parser.test.ts
// checks both parsers agree on every fixture and example and on random and mutated inputs.
import type { IToken } from "chevrotain";
import type { Annotation, Clause, ExpectClause, Expr, FieldDecl, Identifier as IdentifierNode, Param, RecordType, StringLit, TypeExpr } from "./ast.ts";
import { FastExpressionParser, GIVE_UP } from "./fast-expressions.ts";
import { newReasonClause, stringLit, type SyntaxContext, tokenSpan } from "./lower.ts";
import type { ParsedDecl } from "./parser.ts";
import { At, Colon, Comma, Eq, Gt, Identifier, KEYWORDS, kw, LBrace, LParen, Lt, Pipe, Question, RBrace, RParen, StringLiteral } from "./tokens.ts";

/** Switch for tests (fast path vs. chevrotain alone); always on otherwise. */
export const fastPath = { enabled: true };

const KEYWORD = new Set(KEYWORDS.map((w) => kw[w]));

export class FastParser extends FastExpressionParser {
  /** One declaration run with its annotations, else undefined. */
  declaration(ctx: SyntaxContext, tokens: readonly IToken[]): ParsedDecl | undefined {
    if (!fastPath.enabled) return undefined;
    return this.attempt(ctx, tokens, true) as ParsedDecl | undefined;
  }

  /** A whole token list as one expression (an interpolation), else undefined. */
  expression(ctx: SyntaxContext, tokens: readonly IToken[]): Expr | undefined {
    if (!fastPath.enabled || tokens.length === 0) return undefined;
    return this.attempt(ctx, tokens, false) as Expr | undefined;
  }

  /** Parses the whole token list as a declaration or as an expression, or gives up. */
  private attempt(ctx: SyntaxContext, tokens: readonly IToken[], declaration: boolean): ParsedDecl | Expr | undefined {
    const diagnostics = ctx.diagnostics.length;
    const pending = ctx.pendingTemplates.length;
    this.c = ctx;
    this.t = tokens;
    this.i = 0;
    this.n = tokens.length;
    try {
      const result = declaration ? this.decl() : this.expr();
      // Leftovers, or a literal the lowering helpers reported (bad escape, huge number).
      if (this.i === this.n && ctx.diagnostics.length === diagnostics) return result;
    } catch (err) {
      // A run nested too deeply for the stack: chevrotain reports it.
      if (err !== GIVE_UP && !(err instanceof RangeError)) throw err;
    } finally {
      this.t = [];
      this.c = undefined as unknown as SyntaxContext;
    }
    ctx.diagnostics.length = diagnostics;
    ctx.pendingTemplates.length = pending;
    return undefined;
  }

  // ---------------------------------------------------------------- declarations

  private decl(): ParsedDecl {
    const start = this.t[0]!.startOffset;
    const annotations: Annotation[] = [];
    while (this.peek() === At) annotations.push(this.annotation());
    switch (this.peek()) {
      case kw.permit:
      case kw.forbid:
        return this.rule(start, annotations);
      case kw.def:
        return this.def(start, annotations);
      case kw.type:
        return this.typeDecl(start, annotations);
      case kw.request:
        return this.requestDecl(start, annotations);
      case kw.test:
        return this.test(start, annotations);
      case kw.package:
        if (annotations.length > 0) throw GIVE_UP; // E0402
        return this.packageDecl(start);
      default:
        throw GIVE_UP;
    }
  }

  private annotation(): Annotation {
    const at = this.take(At);
    const name = this.take(Identifier);
    let args: Expr[] = [];
    if (this.peek() === LParen) {
      this.i++;
      args = this.exprList();
      this.take(RParen);
    }
    return { kind: "Annotation", name: this.id(name), args, span: this.c.span(at.startOffset, this.prevEnd()) };
  }

  private packageDecl(start: number): ParsedDecl {
    this.i++;
    const name = this.take(Identifier);
    let defaultAllow = false;
    if (this.peek() === kw.default) {
      this.i++;
      const choice = this.peek();
      if (choice === kw.allow) defaultAllow = true;
      else if (choice !== kw.deny) throw GIVE_UP;
      this.i++;
    }
    const c = this.c;
    return { kind: "Package", decl: { kind: "PackageDecl", name: this.id(name), defaultAllow, doc: c.doc(start), span: c.span(start, this.prevEnd()) } };
  }

  private rule(start: number, annotations: Annotation[]): ParsedDecl {
    const effect = this.t[this.i++]!;
    const name = this.take(Identifier);
    this.take(LBrace);
    const clauses: Clause[] = [];
    while (this.peek() !== RBrace) clauses.push(this.clause());
    this.i++;
    const c = this.c;
    return {
      kind: "Decl",
      decl: {
        kind: "RuleDecl",
        effect: effect.image === "forbid" ? "forbid" : "permit",
        name: this.id(name),
        annotations,
        clauses,
        doc: c.doc(start),
        span: c.span(start, this.prevEnd()),
      },
    };
  }

  private clause(): Clause {
    if (this.i >= this.n) throw GIVE_UP;
    const c = this.c;
    const k = this.t[this.i++]!;
    switch (k.tokenType) {
      case kw.for: {
        const binding = this.take(Identifier);
        this.take(kw.in);
        const collection = this.expr();
        return { kind: "ForClause", binding: this.id(binding), collection, span: c.span(k.startOffset, this.prevEnd()) };
      }
      case kw.let: {
        const name = this.take(Identifier);
        this.take(Eq);
        const value = this.expr();
        return { kind: "LetClause", name: this.id(name), value, span: c.span(k.startOffset, this.prevEnd()) };
      }
      case kw.when: {
        const condition = this.expr();
        return { kind: "WhenClause", condition, span: c.span(k.startOffset, this.prevEnd()) };
      }
      case kw.unless: {
        const condition = this.expr();
        return { kind: "UnlessClause", condition, span: c.span(k.startOffset, this.prevEnd()) };
      }
      case kw.reason: {
        const str = this.take(StringLiteral);
        return newReasonClause(c, k.startOffset, this.prevEnd(), str);
      }
      default:
        throw GIVE_UP; // junk in a rule body
    }
  }

  /** `def NAME [(params)] [: Type] = E` */
  private def(start: number, annotations: Annotation[]): ParsedDecl {
    this.i++;
    const name = this.take(Identifier);
    let params: Param[] | undefined;
    let returnType: TypeExpr | undefined;
    if (this.peek() === LParen) {
      this.i++;
      params = this.params();
      this.take(RParen);
    }
    if (this.peek() === Colon) {
      this.i++;
      returnType = this.typeExpr();
    }
    this.take(Eq);
    const body = this.expr();
    const c = this.c;
    return {
      kind: "Decl",
      decl: { kind: "DefDecl", name: this.id(name), params, returnType, body, doc: c.doc(start), annotations, span: c.span(start, this.prevEnd()) },
    };
  }

  /** `name[: Type], ...` up to `)` (a trailing comma is allowed). */
  private params(): Param[] {
    const params: Param[] = [];
    if (this.peek() === RParen) return params;
    params.push(this.param());
    while (this.peek() === Comma && this.i + 1 < this.n && this.t[this.i + 1]!.tokenType === Identifier) {
      this.i++;
      params.push(this.param());
    }
    if (this.peek() === Comma) this.i++;
    return params;
  }

  private param(): Param {
    const name = this.take(Identifier);
    let type: TypeExpr | undefined;
    if (this.peek() === Colon) {
      this.i++;
      type = this.typeExpr();
    }
    return { kind: "Param", name: this.id(name), type, span: this.c.span(name.startOffset, this.prevEnd()) };
  }

  private test(start: number, annotations: Annotation[]): ParsedDecl {
    this.i++;
    const nameTok = this.take(StringLiteral);
    this.take(LBrace);
    let request: Expr | undefined;
    let override: Expr | undefined;
    let expect: ExpectClause | undefined;
    for (;;) {
      const type = this.peek();
      if (type === RBrace) break;
      if (type === kw.request && request === undefined) {
        this.i++;
        request = this.expr();
      } else if (type === kw.override && override === undefined) {
        this.i++;
        override = this.expr();
      } else if (type === kw.expect && expect === undefined) {
        expect = this.expectClause();
      } else throw GIVE_UP; // junk, or a second `request`/`override`/`expect`
    }
    this.i++;
    const c = this.c;
    return {
      kind: "Decl",
      decl: {
        kind: "TestDecl",
        name: stringLit(c, nameTok) as StringLit,
        request,
        override,
        expect,
        doc: c.doc(start),
        annotations,
        span: c.span(start, this.prevEnd()),
      },
    };
  }

  /** `expect allow|deny [by r1, r2]` */
  private expectClause(): ExpectClause {
    const k = this.t[this.i++]!;
    const choice = this.peek();
    if (choice !== kw.allow && choice !== kw.deny) throw GIVE_UP;
    this.i++;
    const by: IdentifierNode[] = [];
    if (this.peek() === kw.by) {
      this.i++;
      by.push(this.id(this.take(Identifier)));
      while (this.peek() === Comma) {
        this.i++;
        by.push(this.id(this.take(Identifier))); // a trailing comma is the grammar's error
      }
    }
    return { kind: "ExpectClause", outcome: choice === kw.allow ? "allow" : "deny", by, span: this.c.span(k.startOffset, this.prevEnd()) };
  }

  // ---------------------------------------------------------------- types

  private typeDecl(start: number, annotations: Annotation[]): ParsedDecl {
    this.i++;
    const name = this.take(Identifier);
    let body: TypeExpr | undefined;
    const type = this.peek();
    if (type === LBrace) body = this.recordType();
    else if (type === Eq) {
      this.i++;
      body = this.typeExpr();
    } else throw GIVE_UP;
    const c = this.c;
    return { kind: "Decl", decl: { kind: "TypeDecl", name: this.id(name), body, doc: c.doc(start), annotations, span: c.span(start, this.prevEnd()) } };
  }

  private requestDecl(start: number, annotations: Annotation[]): ParsedDecl {
    this.i++;
    if (this.peek() !== LBrace) throw GIVE_UP;
    const body = this.recordType();
    const c = this.c;
    return { kind: "Decl", decl: { kind: "RequestDecl", fields: body.fields, doc: c.doc(start), annotations, span: c.span(start, this.prevEnd()) } };
  }

  /** `{ name: T, opt?: T }`: fields separated by commas and/or newlines. */
  private recordType(): RecordType {
    const open = this.t[this.i++]!;
    const fields: FieldDecl[] = [];
    while (this.peek() !== RBrace) {
      fields.push(this.fieldDecl());
      if (this.peek() === Comma) this.i++;
    }
    this.i++;
    return { kind: "RecordType", fields, span: this.c.span(open.startOffset, this.prevEnd()) };
  }

  private fieldDecl(): FieldDecl {
    if (this.i >= this.n) throw GIVE_UP;
    const name = this.t[this.i]!;
    if (name.tokenType !== Identifier && !KEYWORD.has(name.tokenType)) throw GIVE_UP; // junk in a record type
    this.i++;
    let optional = false;
    if (this.peek() === Question) {
      this.i++;
      optional = true;
    }
    this.take(Colon);
    const type = this.typeExpr();
    const c = this.c;
    return { kind: "FieldDecl", name: this.id(name), optional, type, doc: c.doc(name.startOffset), span: c.span(name.startOffset, this.prevEnd()) };
  }

  /** `T | T | ...` (one member: that member itself). */
  private typeExpr(): TypeExpr {
    if (this.i >= this.n) throw GIVE_UP;
    const start = this.t[this.i]!.startOffset;
    const first = this.typePrimary();
    if (this.peek() !== Pipe) return first;
    const members = [first];
    while (this.peek() === Pipe) {
      this.i++;
      members.push(this.typePrimary());
    }
    return { kind: "UnionType", members, span: this.c.span(start, this.prevEnd()) };
  }

  private typePrimary(): TypeExpr {
    if (this.i >= this.n) throw GIVE_UP;
    const tok = this.t[this.i]!;
    const c = this.c;
    switch (tok.tokenType) {
      case StringLiteral:
        this.i++;
        return { kind: "StringLiteralType", value: stringLit(c, tok).value, span: tokenSpan(c, tok) };
      case LBrace:
        return this.recordType();
      case Identifier: {
        this.i++;
        const args: TypeExpr[] = [];
        if (this.peek() === Lt) {
          this.i++;
          args.push(this.typeExpr());
          while (this.peek() === Comma) {
            this.i++;
            args.push(this.typeExpr());
          }
          this.take(Gt);
        }
        return { kind: "NamedType", name: this.id(tok), args, span: c.span(tok.startOffset, this.prevEnd()) };
      }
      default:
        throw GIVE_UP;
    }
  }
}

export const fastParser = new FastParser();
