// The expression half of the parser's fast path (see fast-parser.ts for the contract): token
// access and every expression form, mirroring parser-expressions.ts on its error-free path.
// Owns: precedence (`or`; `and`; `not`; quantifiers; one comparison; `+ -`; `* / %`; unary `-`;
// postfix `.attr` `[i]` `.method(args)` `with {..}`; primaries incl. records, `if`, `count`).
// INVARIANT: every method either returns the node the chevrotain grammar builds for the tokens
// it consumed (same shape, key order and spans) or throws GIVE_UP.
import type { IToken, TokenType } from "chevrotain";
import type { Expr, Identifier as IdentifierNode, RecordField, RecordLit, StringLit } from "./ast.ts";
import { binaryExpr, boolLit, durationLit, identifier, numberLit, stringLit, type SyntaxContext, tokenEnd } from "./lower.ts";
import {
  Colon,
  Comma,
  DurationLiteral,
  Dot,
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

/** Thrown (never escapes the fast path) where the chevrotain grammar would not parse cleanly. */
export const GIVE_UP = { giveUp: true };

const COMPARE = new Set<TokenType>([EqEq, NotEq, LtEq, GtEq, Lt, Gt, kw.in, kw.like, kw.matches]);
const KEYWORD = new Set<TokenType>(KEYWORDS.map((w) => kw[w]));
/** FIRST(expression) of the grammar: an optional expression (an argument) is entered on these. */
const EXPR_FIRST = new Set<TokenType>([StringLiteral, NumberLiteral, DurationLiteral, kw.true, kw.false, LBracket, LBrace, kw.if, kw.count, Identifier, LParen, Minus, kw.not, kw.some, kw.every]);

export abstract class FastExpressionParser {
  protected c: SyntaxContext = undefined as unknown as SyntaxContext;
  protected t: readonly IToken[] = [];
  protected i = 0;
  protected n = 0;

  // ---------------------------------------------------------------- tokens

  protected peek(): TokenType | undefined {
    return this.i < this.n ? this.t[this.i]!.tokenType : undefined;
  }

  protected take(type: TokenType): IToken {
    if (this.i >= this.n) throw GIVE_UP;
    const tok = this.t[this.i]!;
    if (tok.tokenType !== type) throw GIVE_UP;
    this.i++;
    return tok;
  }

  /** End of the last consumed token (the grammar's `prevEnd`). */
  protected prevEnd(): number {
    return tokenEnd(this.t[this.i - 1]!);
  }

  /** Same test as ParserBase.nextOnSameLine: a keyword is a name only on the previous token's line. */
  protected nextOnSameLine(): boolean {
    const text = this.c.text;
    const to = this.t[this.i]!.startOffset;
    for (let k = this.prevEnd(); k < to; k++) {
      const ch = text.charCodeAt(k);
      if (ch === 10 || ch === 13) return false;
    }
    return true;
  }

  /** A name after `.` or `has`: an identifier, or a keyword on the same line. */
  protected attributeName(): IToken {
    if (this.i >= this.n) throw GIVE_UP;
    const tok = this.t[this.i]!;
    if (tok.tokenType !== Identifier && !(KEYWORD.has(tok.tokenType) && this.nextOnSameLine())) throw GIVE_UP;
    this.i++;
    return tok;
  }

  protected id(tok: IToken): IdentifierNode {
    return identifier(this.c, tok);
  }

  // ---------------------------------------------------------------- expressions

  /** `or` over `and` runs, both left-associative (the grammar's `expression` rule). */
  protected expr(): Expr {
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

  protected notExpr(): Expr {
    const type = this.peek();
    if (type === kw.not) {
      const op = this.t[this.i++]!;
      const operand = this.notExpr();
      return { kind: "UnaryExpr", op: "not", operand, span: this.c.span(op.startOffset, this.prevEnd()) };
    }
    if (type === kw.some || type === kw.every) return this.quantifier();
    return this.comparison();
  }

  protected quantifier(): Expr {
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
  protected comparison(): Expr {
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
  protected arith(): Expr {
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
  protected operand(): Expr {
    const first = this.i;
    while (this.i < this.n && this.t[this.i]!.tokenType === Minus) this.i++;
    const last = this.i;
    let e = this.postfix();
    for (let k = last - 1; k >= first; k--) {
      e = { kind: "UnaryExpr", op: "-", operand: e, span: this.c.span(this.t[k]!.startOffset, e.span.end) };
    }
    return e;
  }

  protected postfix(): Expr {
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
        this.i++;
        if (this.peek() !== LBrace) throw GIVE_UP;
        const updates = this.recordLit();
        acc = { kind: "WithExpr", base: acc, updates, span: c.span(acc.span.start, this.prevEnd()) };
      } else return acc;
    }
  }

  protected primary(): Expr {
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
      case LBrace:
        return this.recordLit();
      default:
        throw GIVE_UP; // unterminated strings, bad numbers, or no expression at all
    }
  }

  /** `{k: v, ...}` with commas between fields (a missing one is the grammar's error), trailing comma allowed. */
  protected recordLit(): RecordLit {
    const open = this.t[this.i++]!;
    const fields: RecordField[] = [];
    if (this.isRecordKey(this.i)) {
      fields.push(this.recordField());
      for (;;) {
        const type = this.peek();
        if (type === Comma && this.isRecordKey(this.i + 1)) {
          this.i++;
          fields.push(this.recordField());
        } else if (this.isRecordKey(this.i) && this.i + 1 < this.n && this.t[this.i + 1]!.tokenType === Colon) {
          throw GIVE_UP; // `{a: 1 b: 2}`
        } else break;
      }
      if (this.peek() === Comma) this.i++;
    }
    this.take(RBrace);
    return { kind: "RecordLit", fields, span: this.c.span(open.startOffset, this.prevEnd()) };
  }

  private recordField(): RecordField {
    const key = this.t[this.i++]!;
    this.take(Colon);
    const value = this.expr();
    return {
      kind: "RecordField",
      key: key.tokenType === StringLiteral ? stringLit(this.c, key) : this.id(key),
      value,
      span: this.c.span(key.startOffset, this.prevEnd()),
    };
  }

  /** A record key: a name, a keyword or a string (an unterminated one is left to chevrotain). */
  private isRecordKey(k: number): boolean {
    if (k >= this.n) return false;
    const type = this.t[k]!.tokenType;
    return type === Identifier || type === StringLiteral || KEYWORD.has(type);
  }

  /** Comma-separated expressions up to a closer (not consumed); a trailing comma is allowed. */
  protected exprList(): Expr[] {
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

  protected startsExpression(): boolean {
    return this.i < this.n && EXPR_FIRST.has(this.t[this.i]!.tokenType);
  }
}
