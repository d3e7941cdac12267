// The parser's fast path. Owns: a plain recursive-descent parser for the common, VALID shapes
// of rules (`permit`/`forbid` with annotations and every clause), parameterless `def`s and
// expressions (reason template interpolations included), tried before the chevrotain parser.
// Why: chevrotain pays a rule call, lookahead and closure per precedence level and per clause;
// on a 10,000-rule package that machinery (and its garbage) was most of the parse time.
// Input: the tokens of one declaration run (or of one interpolation) and the SyntaxContext.
// Output: the same nodes the chevrotain grammar builds (same shapes, same key order, same
// spans, made by the same lower.ts helpers), or `undefined`: "not handled, use chevrotain".
// INVARIANT (all or nothing): the fast path succeeds only where the chevrotain grammar takes
// its error-free path over the whole run; at the first token where that grammar would report,
// recover or do something this file does not cover (records, `with`, typed parameters, types,
// tests, `package`), it gives up, drops whatever it added to the context (diagnostics,
// pending templates) and the run is parsed by chevrotain from its start. Each run is tried
// once, so a failure costs one linear scan. test/syntax/fast-parser.test.ts checks both
// parsers agree on every fixture, example and on random and mutated inputs.
import type { IToken, TokenType } from "chevrotain";
import type { Annotation, Clause, Expr, Identifier as IdentifierNode, StringLit } from "./ast.ts";
import { binaryExpr, boolLit, durationLit, identifier, newReasonClause, numberLit, stringLit, type SyntaxContext, tokenEnd } from "./lower.ts";
import type { ParsedDecl } from "./parser.ts";
import {
  At,
  Colon,
  Comma,
  DurationLiteral,
  Dot,
  Eq,
  EqEq,
  Gt,
  GtEq,
  Identifier,
  KEYWORDS,
  kw,
  LBrace,
  LBracket,
  LParen,
  Lt,
  LtEq,
  Minus,
  NotEq,
  NumberLiteral,
  Percent,
  Plus,
  RBrace,
  RBracket,
  RParen,
  Slash,
  Star,
  StringLiteral,
} from "./tokens.ts";

/** Thrown (never escapes this module) where the chevrotain grammar would not parse cleanly. */
const GIVE_UP = { giveUp: true };

const COMPARE = new Set<TokenType>([EqEq, NotEq, LtEq, GtEq, Lt, Gt, kw.in, kw.like, kw.matches]);
const KEYWORD = new Set<TokenType>(KEYWORDS.map((w) => kw[w]));
/**
 * What the grammar's FIRST(expression) holds besides what this file parses: an optional
 * expression (an argument list) is entered on these, and then this file gives up.
 */
const EXPR_FIRST = new Set<TokenType>([StringLiteral, NumberLiteral, DurationLiteral, kw.true, kw.false, LBracket, LBrace, kw.if, kw.count, Identifier, LParen, Minus, kw.not, kw.some, kw.every]);

/** Switch for tests (fast path vs. chevrotain alone); always on otherwise. */
export const fastPath = { enabled: true };

export class FastParser {
  private c: SyntaxContext = undefined as unknown as SyntaxContext;
  private t: readonly IToken[] = [];
  private i = 0;
  private n = 0;

  /** One declaration run: a rule or a parameterless `def` with its annotations, else undefined. */
  declaration(ctx: SyntaxContext, tokens: readonly IToken[]): ParsedDecl | undefined {
    if (!fastPath.enabled) return undefined;
    return this.attempt(ctx, tokens, () => this.decl());
  }

  /** A whole token list as one expression (an interpolation), else undefined. */
  expression(ctx: SyntaxContext, tokens: readonly IToken[]): Expr | undefined {
    if (!fastPath.enabled || tokens.length === 0) return undefined;
    return this.attempt(ctx, tokens, () => this.expr());
  }

  private attempt<T>(ctx: SyntaxContext, tokens: readonly IToken[], parse: () => T): T | undefined {
    const diagnostics = ctx.diagnostics.length;
    const pending = ctx.pendingTemplates.length;
    this.c = ctx;
    this.t = tokens;
    this.i = 0;
    this.n = tokens.length;
    try {
      const result = parse();
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

  // ---------------------------------------------------------------- tokens

  private peek(): TokenType | undefined {
    return this.i < this.n ? this.t[this.i]!.tokenType : undefined;
  }

  private take(type: TokenType): IToken {
    if (this.i >= this.n) throw GIVE_UP;
    const tok = this.t[this.i]!;
    if (tok.tokenType !== type) throw GIVE_UP;
    this.i++;
    return tok;
  }

  /** End of the last consumed token (the grammar's `prevEnd`). */
  private prevEnd(): number {
    return tokenEnd(this.t[this.i - 1]!);
  }

  /** Same test as ParserBase.nextOnSameLine: a keyword is a name only on the previous token's line. */
  private nextOnSameLine(): boolean {
    const text = this.c.text;
    const to = this.t[this.i]!.startOffset;
    for (let k = this.prevEnd(); k < to; k++) {
      const ch = text.charCodeAt(k);
      if (ch === 10 || ch === 13) return false;
    }
    return true;
  }

  /** A name after `.` or `has`: an identifier, or a keyword on the same line. */
  private attributeName(): IToken {
    if (this.i >= this.n) throw GIVE_UP;
    const tok = this.t[this.i]!;
    if (tok.tokenType !== Identifier && !(KEYWORD.has(tok.tokenType) && this.nextOnSameLine())) throw GIVE_UP;
    this.i++;
    return tok;
  }

  private id(tok: IToken): IdentifierNode {
    return identifier(this.c, tok);
  }

  // ---------------------------------------------------------------- declarations

  private decl(): ParsedDecl {
    const start = this.t[0]!.startOffset;
    const annotations: Annotation[] = [];
    while (this.peek() === At) annotations.push(this.annotation());
    const type = this.peek();
    if (type === kw.permit || type === kw.forbid) return this.rule(start, annotations);
    if (type === kw.def) return this.def(start, annotations);
    throw GIVE_UP;
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

  private rule(start: number, annotations: Annotation[]): ParsedDecl {
    const effect = this.t[this.i++]!;
    const name = this.take(Identifier);
    this.take(LBrace);
    const clauses: Clause[] = [];
    for (;;) {
      const type = this.peek();
      if (type === RBrace) break;
      clauses.push(this.clause(type));
    }
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

  private clause(type: TokenType | undefined): Clause {
    const c = this.c;
    const k = this.i < this.n ? this.t[this.i++]! : undefined;
    switch (type) {
      case kw.for: {
        const binding = this.take(Identifier);
        this.take(kw.in);
        const collection = this.expr();
        return { kind: "ForClause", binding: this.id(binding), collection, span: c.span(k!.startOffset, this.prevEnd()) };
      }
      case kw.let: {
        const name = this.take(Identifier);
        this.take(Eq);
        const value = this.expr();
        return { kind: "LetClause", name: this.id(name), value, span: c.span(k!.startOffset, this.prevEnd()) };
      }
      case kw.when: {
        const condition = this.expr();
        return { kind: "WhenClause", condition, span: c.span(k!.startOffset, this.prevEnd()) };
      }
      case kw.unless: {
        const condition = this.expr();
        return { kind: "UnlessClause", condition, span: c.span(k!.startOffset, this.prevEnd()) };
      }
      case kw.reason: {
        const str = this.take(StringLiteral);
        return newReasonClause(c, k!.startOffset, this.prevEnd(), str);
      }
      default:
        throw GIVE_UP;
    }
  }

  /** `def NAME = E` (parameters and return types are chevrotain's). */
  private def(start: number, annotations: Annotation[]): ParsedDecl {
    this.i++;
    const name = this.take(Identifier);
    this.take(Eq);
    const body = this.expr();
    const c = this.c;
    return {
      kind: "Decl",
      decl: {
        kind: "DefDecl",
        name: this.id(name),
        params: undefined,
        returnType: undefined,
        body,
        doc: c.doc(start),
        annotations,
        span: c.span(start, this.prevEnd()),
      },
    };
  }

  // ---------------------------------------------------------------- expressions

  /** `or` over `and` runs, both left-associative (the grammar's `expression` rule). */
  private expr(): Expr {
    let acc = this.notExpr();
    let orChain: Expr | undefined;
    let orOp: IToken | undefined;
    while (this.i < this.n) {
      const op = this.t[this.i]!;
      if (op.tokenType === kw.and) {
        this.i++;
        acc = binaryExpr(this.c, acc, op, this.notExpr());
      } else if (op.tokenType === kw.or) {
        this.i++;
        const right = this.notExpr();
        orChain = orChain ? binaryExpr(this.c, orChain, orOp!, acc) : acc;
        orOp = op;
        acc = right;
      } else break;
    }
    return orChain ? binaryExpr(this.c, orChain, orOp!, acc) : acc;
  }

  private notExpr(): Expr {
    const type = this.peek();
    if (type === kw.not) {
      const op = this.t[this.i++]!;
      const operand = this.notExpr();
      return { kind: "UnaryExpr", op: "not", operand, span: this.c.span(op.startOffset, this.prevEnd()) };
    }
    if (type === kw.some || type === kw.every) return this.quantifier();
    return this.comparison();
  }

  private quantifier(): Expr {
    const q = this.t[this.i++]!;
    const binding = this.take(Identifier);
    this.take(kw.in);
    const collection = this.expr();
    this.take(Colon);
    const body = this.expr();
    return {
      kind: "QuantifierExpr",
      quantifier: q.image === "every" ? "every" : "some",
      binding: this.id(binding),
      collection,
      body,
      span: this.c.span(q.startOffset, this.prevEnd()),
    };
  }

  /** One comparison at most: a second one is the grammar's "comparisons do not chain" error. */
  private comparison(): Expr {
    let acc = this.arith();
    const type = this.peek();
    if (type === undefined) return acc;
    if (COMPARE.has(type)) {
      const op = this.t[this.i++]!;
      acc = binaryExpr(this.c, acc, op, this.arith());
    } else if (type === kw.has) {
      this.i++;
      if (this.i >= this.n) throw GIVE_UP;
      const attrType = this.t[this.i]!.tokenType;
      const attr = attrType === StringLiteral ? this.t[this.i++]! : this.attributeName();
      const attribute: IdentifierNode | StringLit = attrType === StringLiteral ? stringLit(this.c, attr) : this.id(attr);
      acc = { kind: "HasExpr", object: acc, attribute, span: this.c.span(acc.span.start, this.prevEnd()) };
    } else return acc;
    const after = this.peek();
    if (after !== undefined && (COMPARE.has(after) || after === kw.has)) throw GIVE_UP;
    return acc;
  }

  /** `+ -` over `* / %` runs, both left-associative. */
  private arith(): Expr {
    let acc = this.operand();
    let addChain: Expr | undefined;
    let addOp: IToken | undefined;
    while (this.i < this.n) {
      const op = this.t[this.i]!;
      const type = op.tokenType;
      if (type === Plus || type === Minus) {
        this.i++;
        const right = this.operand();
        addChain = addChain ? binaryExpr(this.c, addChain, addOp!, acc) : acc;
        addOp = op;
        acc = right;
      } else if (type === Star || type === Slash || type === Percent) {
        this.i++;
        acc = binaryExpr(this.c, acc, op, this.operand());
      } else break;
    }
    return addChain ? binaryExpr(this.c, addChain, addOp!, acc) : acc;
  }

  /** `-`* postfix; the innermost `-` is the last one. */
  private operand(): Expr {
    const first = this.i;
    while (this.i < this.n && this.t[this.i]!.tokenType === Minus) this.i++;
    const last = this.i;
    let e = this.postfix();
    for (let k = last - 1; k >= first; k--) {
      e = { kind: "UnaryExpr", op: "-", operand: e, span: this.c.span(this.t[k]!.startOffset, e.span.end) };
    }
    return e;
  }

  private postfix(): Expr {
    let acc = this.primary();
    const c = this.c;
    for (;;) {
      const type = this.peek();
      if (type === Dot) {
        this.i++;
        const name = this.attributeName();
        if (this.peek() === LParen) {
          this.i++;
          const args = this.exprList();
          this.take(RParen);
          acc = { kind: "MethodCallExpr", receiver: acc, method: this.id(name), args, span: c.span(acc.span.start, this.prevEnd()) };
        } else {
          acc = { kind: "MemberExpr", object: acc, property: this.id(name), span: c.span(acc.span.start, this.prevEnd()) };
        }
      } else if (type === LBracket) {
        this.i++;
        const index = this.expr();
        this.take(RBracket);
        acc = { kind: "IndexExpr", object: acc, index, span: c.span(acc.span.start, this.prevEnd()) };
      } else if (type === kw.with) {
        throw GIVE_UP;
      } else return acc;
    }
  }

  private primary(): Expr {
    if (this.i >= this.n) throw GIVE_UP;
    const tok = this.t[this.i]!;
    const c = this.c;
    switch (tok.tokenType) {
      case StringLiteral:
        this.i++;
        return stringLit(c, tok);
      case NumberLiteral:
        this.i++;
        return numberLit(c, tok);
      case DurationLiteral:
        this.i++;
        return durationLit(c, tok);
      case kw.true:
      case kw.false:
        this.i++;
        return boolLit(c, tok);
      case Identifier: {
        this.i++;
        if (this.peek() !== LParen) return { kind: "NameRef", name: tok.image, span: c.span(tok.startOffset, this.prevEnd()) };
        this.i++;
        const args = this.exprList();
        this.take(RParen);
        return { kind: "CallExpr", callee: this.id(tok), args, span: c.span(tok.startOffset, this.prevEnd()) };
      }
      case LBracket: {
        this.i++;
        const elements = this.exprList();
        this.take(RBracket);
        return { kind: "ListLit", elements, span: c.span(tok.startOffset, this.prevEnd()) };
      }
      case LParen: {
        this.i++;
        const inner = this.expr();
        this.take(RParen);
        return { kind: "ParenExpr", expr: inner, span: c.span(tok.startOffset, this.prevEnd()) };
      }
      case kw.if: {
        this.i++;
        const condition = this.expr();
        this.take(kw.then);
        const thenE = this.expr();
        this.take(kw.else);
        const elseE = this.expr();
        return { kind: "IfExpr", condition, then: thenE, else: elseE, span: c.span(tok.startOffset, this.prevEnd()) };
      }
      case kw.count: {
        this.i++;
        this.take(LParen);
        const binding = this.take(Identifier);
        this.take(kw.in);
        const collection = this.expr();
        let where: Expr | undefined;
        if (this.peek() === kw.where) {
          this.i++;
          where = this.expr();
        }
        this.take(RParen);
        return { kind: "CountExpr", binding: this.id(binding), collection, where, span: c.span(tok.startOffset, this.prevEnd()) };
      }
      default:
        throw GIVE_UP; // records, unterminated strings, bad numbers, or no expression at all
    }
  }

  /** Comma-separated expressions up to a closer (not consumed); a trailing comma is allowed. */
  private exprList(): Expr[] {
    const items: Expr[] = [];
    if (!this.startsExpression()) return items;
    items.push(this.expr());
    while (this.peek() === Comma) {
      this.i++;
      if (this.startsExpression()) items.push(this.expr());
      else if (this.peek() === Comma) throw GIVE_UP; // `f(a,,b)`
    }
    return items;
  }

  private startsExpression(): boolean {
    return this.i < this.n && EXPR_FIRST.has(this.t[this.i]!.tokenType);
  }
}

export const fastParser = new FastParser();
