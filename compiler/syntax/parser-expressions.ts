// The expression grammar. Owns: precedence (loosest first) `or`; `and`; `not`; quantifiers
// `some|every X in C: P` (body extends as far right as possible); comparisons `== != < <= > >=
// in has like matches` (non-associative: a chain is reported once and kept left-nested);
// `+ -`; `* / %`; unary `-`; postfix `.attr` `[i]` `.method(args)` `with {..}`; primaries.
// Recovery: where no expression can start, an ErrorExpr is made and reported (never a
// chevrotain NoViableAlt), so `x == }` keeps `x ==` in the tree; `principal.` gives a
// MemberExpr whose property is undefined. Keywords are accepted as attribute names after `.`
// and `has` when on the same line (so `resource.type` works but a half-typed `principal.`
// does not swallow the `when` on the next line), and as record keys.
import { tokenMatcher, type IToken, type TokenType } from "chevrotain";
import type { BinaryOp, Expr, Identifier, RecordField, RecordLit, StringLit } from "./ast.ts";
import { boolLit, durationLit, errorExpr, identifier, isRealToken, numberLit, stringLit } from "./lower.ts";
import { ParserBase } from "./parser-base.ts";
import {
  AddOp,
  BadNumber,
  Colon,
  Comma,
  CompareOp,
  DurationLiteral,
  Dot,
  Identifier as IdentifierTok,
  Keyword,
  kw,
  LBrace,
  LBracket,
  LParen,
  Minus,
  MulOp,
  NumberLiteral,
  RBrace,
  RBracket,
  RParen,
  StringLiteral,
  UnterminatedString,
} from "./tokens.ts";

const PRIMARY_START = new Set<TokenType>([
  StringLiteral,
  UnterminatedString,
  NumberLiteral,
  BadNumber,
  DurationLiteral,
  kw.true,
  kw.false,
  LBracket,
  LBrace,
  kw.if,
  kw.count,
  IdentifierTok,
  LParen,
]);
function isRecordKey(t: IToken): boolean {
  return t.tokenType === IdentifierTok || t.tokenType === StringLiteral || t.tokenType === UnterminatedString || tokenMatcher(t, Keyword);
}

const UNARY_START = new Set<TokenType>([...PRIMARY_START, Minus]);
const EXPR_START = new Set<TokenType>([...UNARY_START, kw.not, kw.some, kw.every]);

export abstract class ExpressionParser extends ParserBase {
  private readonly recover = { recoveryValueFunc: () => errorExpr(this.c, this.prevEnd()) };

  /** Used by template interpolations: one expression, leftovers reported. */
  expressionEntry = this.RULE("expressionEntry", (): Expr => {
    const e = this.SUBRULE(this.expression);
    this.ACTION(() => {
      const t = this.LA(1);
      if (isRealToken(t)) this.c.error("E0105", `unexpected \`${t.image}\` after the expression`, this.c.span(t.startOffset, t.startOffset + t.image.length));
    });
    return e;
  }, this.recover);

  expression = this.RULE("expression", (): Expr => {
    let left = this.SUBRULE(this.andExpr);
    this.MANY(() => {
      const op = this.CONSUME(kw.or);
      const right = this.SUBRULE2(this.andExpr);
      left = this.ACTION(() => this.binary(left, op, right));
    });
    return left;
  }, this.recover);

  andExpr = this.RULE("andExpr", (): Expr => {
    let left = this.SUBRULE(this.notExpr);
    this.MANY(() => {
      const op = this.CONSUME(kw.and);
      const right = this.SUBRULE2(this.notExpr);
      left = this.ACTION(() => this.binary(left, op, right));
    });
    return left;
  }, this.recover);

  notExpr = this.RULE("notExpr", (): Expr => {
    if (!this.RECORDING_PHASE && !EXPR_START.has(this.LA(1).tokenType)) return this.noExpression();
    return this.OR([
      {
        ALT: () => {
          const op = this.CONSUME(kw.not);
          const operand = this.SUBRULE(this.notExpr);
          return this.ACTION(() => ({ kind: "UnaryExpr" as const, op: "not" as const, operand, span: this.c.span(op.startOffset, this.prevEnd()) }));
        },
      },
      { ALT: () => this.SUBRULE(this.quantifier) },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]);
  }, this.recover);

  quantifier = this.RULE("quantifier", (): Expr => {
    const q = this.OR([{ ALT: () => this.CONSUME(kw.some) }, { ALT: () => this.CONSUME(kw.every) }]);
    let binding: IToken | undefined;
    let inTok: IToken | undefined;
    let colon: IToken | undefined;
    let body: Expr | undefined;
    this.OPTION(() => {
      binding = this.CONSUME(IdentifierTok);
    });
    this.ACTION(() => !binding && this.missing(`a name after \`${q.image}\``));
    this.OPTION2(() => {
      inTok = this.CONSUME(kw.in);
    });
    this.ACTION(() => !inTok && this.missing(`\`in\` after \`${q.image}${binding ? " " + binding.image : ""}\``));
    const collection = this.SUBRULE(this.expression);
    this.OPTION3(() => {
      colon = this.CONSUME(Colon);
    });
    this.ACTION(() => !colon && this.missing("`:` before the condition"));
    if (this.RECORDING_PHASE || colon || EXPR_START.has(this.LA(1).tokenType)) body = this.SUBRULE2(this.expression);
    return this.ACTION(() => ({
      kind: "QuantifierExpr" as const,
      quantifier: q.image === "every" ? ("every" as const) : ("some" as const),
      binding: binding ? identifier(this.c, binding) : undefined,
      collection,
      body,
      span: this.c.span(q.startOffset, this.prevEnd()),
    }));
  }, this.recover);

  comparison = this.RULE("comparison", (): Expr => {
    let left = this.SUBRULE(this.additive);
    let n = 0;
    this.MANY(() => {
      const opTok = this.OR([
        {
          ALT: () => {
            const op = this.CONSUME(CompareOp);
            const right = this.SUBRULE2(this.additive);
            left = this.ACTION(() => this.binary(left, op, right));
            return op;
          },
        },
        {
          ALT: () => {
            const has = this.CONSUME(kw.has);
            let attr: IToken | undefined;
            this.OPTION({
              GATE: () => !tokenMatcher(this.LA(1), Keyword) || this.nextOnSameLine(),
              DEF: () => {
                attr = this.OR2([
                  { ALT: () => this.CONSUME(IdentifierTok) },
                  { ALT: () => this.CONSUME(Keyword) },
                  { ALT: () => this.CONSUME(StringLiteral) },
                ]);
              },
            });
            this.ACTION(() => !attr && this.unexpected("an attribute name after `has`"));
            left = this.ACTION(() => {
              let attribute: Identifier | StringLit | undefined;
              if (attr) attribute = attr.tokenType === StringLiteral || attr.tokenType === UnterminatedString ? stringLit(this.c, attr) : identifier(this.c, attr);
              return { kind: "HasExpr" as const, object: left, attribute, span: this.c.span(left.span.start, this.prevEnd()) };
            });
            return has;
          },
        },
      ]);
      this.ACTION(() => {
        if (++n === 2) {
          this.c.error("E0105", `comparisons do not chain: unexpected \`${opTok.image}\``, this.c.span(opTok.startOffset, opTok.startOffset + opTok.image.length), "combine comparisons with `and`, or group one with parentheses");
        }
      });
    });
    return left;
  }, this.recover);

  additive = this.RULE("additive", (): Expr => {
    let left = this.SUBRULE(this.multiplicative);
    this.MANY(() => {
      const op = this.CONSUME(AddOp);
      const right = this.SUBRULE2(this.multiplicative);
      left = this.ACTION(() => this.binary(left, op, right));
    });
    return left;
  }, this.recover);

  multiplicative = this.RULE("multiplicative", (): Expr => {
    let left = this.SUBRULE(this.unary);
    this.MANY(() => {
      const op = this.CONSUME(MulOp);
      const right = this.SUBRULE2(this.unary);
      left = this.ACTION(() => this.binary(left, op, right));
    });
    return left;
  }, this.recover);

  unary = this.RULE("unary", (): Expr => {
    if (!this.RECORDING_PHASE && !UNARY_START.has(this.LA(1).tokenType)) return this.noExpression();
    return this.OR([
      {
        ALT: () => {
          const op = this.CONSUME(Minus);
          const operand = this.SUBRULE(this.unary);
          return this.ACTION(() => ({ kind: "UnaryExpr" as const, op: "-" as const, operand, span: this.c.span(op.startOffset, this.prevEnd()) }));
        },
      },
      { ALT: () => this.SUBRULE(this.postfix) },
    ]);
  }, this.recover);

  postfix = this.RULE("postfix", (): Expr => {
    let e = this.SUBRULE(this.primary);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(Dot);
            let name: IToken | undefined;
            let args: Expr[] | undefined;
            this.OPTION({
              GATE: () => this.LA(1).tokenType === IdentifierTok || this.nextOnSameLine(),
              DEF: () => {
                name = this.OR2([{ ALT: () => this.CONSUME(IdentifierTok) }, { ALT: () => this.CONSUME(Keyword) }]);
              },
            });
            this.ACTION(() => !name && this.missing("an attribute or method name after `.`"));
            this.OPTION2({
              GATE: () => name !== undefined,
              DEF: () => {
                const open = this.CONSUME(LParen);
                args = this.SUBRULE(this.exprList, { ARGS: [RParen] });
                this.ACTION(() => this.expectClose(RParen, "`)` to close the arguments", open));
              },
            });
            e = this.ACTION(() => {
              const span = this.c.span(e.span.start, this.prevEnd());
              if (name && args) return { kind: "MethodCallExpr" as const, receiver: e, method: identifier(this.c, name), args, span };
              return { kind: "MemberExpr" as const, object: e, property: name ? identifier(this.c, name) : undefined, span };
            });
          },
        },
        {
          ALT: () => {
            const open = this.CONSUME(LBracket);
            const index = this.SUBRULE(this.expression);
            this.ACTION(() => this.expectClose(RBracket, "`]` to close the index", open));
            e = this.ACTION(() => ({ kind: "IndexExpr" as const, object: e, index, span: this.c.span(e.span.start, this.prevEnd()) }));
          },
        },
        {
          ALT: () => {
            this.CONSUME(kw.with);
            let updates: RecordLit | undefined;
            this.OPTION3(() => {
              updates = this.SUBRULE(this.recordLit);
            });
            this.ACTION(() => !updates && this.unexpected("`{` after `with`"));
            e = this.ACTION(() => ({ kind: "WithExpr" as const, base: e, updates, span: this.c.span(e.span.start, this.prevEnd()) }));
          },
        },
      ]);
    });
    return e;
  }, this.recover);

  primary = this.RULE("primary", (): Expr => {
    if (!this.RECORDING_PHASE && !PRIMARY_START.has(this.LA(1).tokenType)) return this.noExpression();
    return this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(StringLiteral);
          return this.ACTION(() => stringLit(this.c, t));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(NumberLiteral);
          return this.ACTION(() => numberLit(this.c, t));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(DurationLiteral);
          return this.ACTION(() => durationLit(this.c, t));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(kw.true);
          return this.ACTION(() => boolLit(this.c, t));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(kw.false);
          return this.ACTION(() => boolLit(this.c, t));
        },
      },
      {
        ALT: () => {
          const open = this.CONSUME(LBracket);
          const elements = this.SUBRULE(this.exprList, { ARGS: [RBracket] });
          this.ACTION(() => this.expectClose(RBracket, "`]` to close the list", open));
          return this.ACTION(() => ({ kind: "ListLit" as const, elements, span: this.c.span(open.startOffset, this.prevEnd()) }));
        },
      },
      {
        ALT: () => {
          const r = this.SUBRULE(this.recordLit);
          return this.ACTION(() => r ?? errorExpr(this.c, this.prevEnd()));
        },
      },
      { ALT: () => this.SUBRULE(this.ifExpr) },
      { ALT: () => this.SUBRULE(this.countExpr) },
      {
        ALT: () => {
          const name = this.CONSUME(IdentifierTok);
          let args: Expr[] | undefined;
          this.OPTION(() => {
            const open = this.CONSUME(LParen);
            args = this.SUBRULE2(this.exprList, { ARGS: [RParen] });
            this.ACTION(() => this.expectClose(RParen, "`)` to close the arguments", open));
          });
          return this.ACTION(() =>
            args
              ? { kind: "CallExpr" as const, callee: identifier(this.c, name), args, span: this.c.span(name.startOffset, this.prevEnd()) }
              : { kind: "NameRef" as const, name: name.image, span: this.c.span(name.startOffset, this.prevEnd()) },
          );
        },
      },
      {
        ALT: () => {
          const open = this.CONSUME2(LParen);
          const inner = this.SUBRULE(this.expression);
          this.ACTION(() => this.expectClose(RParen, "`)` to close the parenthesis", open));
          return this.ACTION(() => ({ kind: "ParenExpr" as const, expr: inner, span: this.c.span(open.startOffset, this.prevEnd()) }));
        },
      },
    ]);
  }, this.recover);

  ifExpr = this.RULE("ifExpr", (): Expr => {
    const ifTok = this.CONSUME(kw.if);
    const condition = this.SUBRULE(this.expression);
    let thenTok: IToken | undefined;
    let elseTok: IToken | undefined;
    let thenE: Expr | undefined;
    let elseE: Expr | undefined;
    this.OPTION(() => {
      thenTok = this.CONSUME(kw.then);
    });
    this.ACTION(() => !thenTok && this.missing("`then` after the `if` condition"));
    if (this.RECORDING_PHASE || thenTok || EXPR_START.has(this.LA(1).tokenType)) thenE = this.SUBRULE2(this.expression);
    this.OPTION2(() => {
      elseTok = this.CONSUME(kw.else);
    });
    this.ACTION(() => !elseTok && this.missing("`else`: an `if` expression needs both branches"));
    if (this.RECORDING_PHASE || elseTok || EXPR_START.has(this.LA(1).tokenType)) elseE = this.SUBRULE3(this.expression);
    return this.ACTION(() => ({ kind: "IfExpr" as const, condition, then: thenE, else: elseE, span: this.c.span(ifTok.startOffset, this.prevEnd()) }));
  }, this.recover);

  countExpr = this.RULE("countExpr", (): Expr => {
    const countTok = this.CONSUME(kw.count);
    let open: IToken | undefined;
    let binding: IToken | undefined;
    let inTok: IToken | undefined;
    let where: Expr | undefined;
    this.OPTION(() => {
      open = this.CONSUME(LParen);
    });
    this.ACTION(() => !open && this.missing("`(` after `count`"));
    this.OPTION2(() => {
      binding = this.CONSUME(IdentifierTok);
    });
    this.ACTION(() => !binding && this.missing("a name: `count(x in collection where condition)`"));
    this.OPTION3(() => {
      inTok = this.CONSUME(kw.in);
    });
    this.ACTION(() => !inTok && this.missing("`in` after the `count` binding"));
    const collection = this.SUBRULE(this.expression);
    this.OPTION4(() => {
      this.CONSUME(kw.where);
      where = this.SUBRULE2(this.expression);
    });
    this.ACTION(() => this.expectClose(RParen, "`)` to close `count(`", open));
    return this.ACTION(() => ({
      kind: "CountExpr" as const,
      binding: binding ? identifier(this.c, binding) : undefined,
      collection,
      where,
      span: this.c.span(countTok.startOffset, this.prevEnd()),
    }));
  }, this.recover);

  /** Comma-separated expressions up to `close` (not consumed); a trailing comma is allowed. */
  exprList = this.RULE("exprList", (close?: TokenType): Expr[] => {
    const items: Expr[] = [];
    this.OPTION(() => {
      const first = this.SUBRULE(this.expression);
      this.ACTION(() => items.push(first));
      this.MANY({
        GATE: () => this.LA(2).tokenType !== close,
        DEF: () => {
          this.CONSUME(Comma);
          const next = this.SUBRULE2(this.expression);
          this.ACTION(() => items.push(next));
        },
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    return items;
  });

  recordLit = this.RULE(
    "recordLit",
    (): RecordLit | undefined => {
      const open = this.CONSUME(LBrace);
      const fields: RecordField[] = [];
      this.OPTION(() => {
        const first = this.SUBRULE(this.recordField);
        this.ACTION(() => fields.push(first));
        this.MANY({
          // A missing comma between `key: value` pairs on separate lines is reported, not fatal.
          GATE: () => (this.LA(1).tokenType === Comma ? isRecordKey(this.LA(2)) : isRecordKey(this.LA(1)) && this.LA(2).tokenType === Colon),
          DEF: () => {
            let comma: IToken | undefined;
            this.OPTION2(() => {
              comma = this.CONSUME(Comma);
            });
            this.ACTION(() => !comma && this.missing("`,` between record fields"));
            const next = this.SUBRULE2(this.recordField);
            this.ACTION(() => fields.push(next));
          },
        });
        this.OPTION3(() => this.CONSUME2(Comma));
      });
      this.ACTION(() => this.expectClose(RBrace, "`}` to close the record", open));
      return this.ACTION(() => ({ kind: "RecordLit" as const, fields, span: this.c.span(open.startOffset, this.prevEnd()) }));
    },
    { recoveryValueFunc: () => undefined },
  );

  recordField = this.RULE("recordField", (): RecordField => {
    const key = this.OR([
      { ALT: () => this.CONSUME(IdentifierTok) },
      { ALT: () => this.CONSUME(Keyword) },
      { ALT: () => this.CONSUME(StringLiteral) },
    ]);
    let colon: IToken | undefined;
    let value: Expr | undefined;
    this.OPTION(() => {
      colon = this.CONSUME(Colon);
    });
    this.ACTION(() => !colon && this.missing(`\`:\` after the key \`${key.image}\``));
    if (this.RECORDING_PHASE || colon || EXPR_START.has(this.LA(1).tokenType)) value = this.SUBRULE(this.expression);
    return this.ACTION(() => ({
      kind: "RecordField" as const,
      key: key.tokenType === StringLiteral || key.tokenType === UnterminatedString ? stringLit(this.c, key) : identifier(this.c, key),
      value,
      span: this.c.span(key.startOffset, this.prevEnd()),
    }));
  });

  // ---------------------------------------------------------------- helpers

  protected startsExpression(): boolean {
    return EXPR_START.has(this.LA(1).tokenType);
  }

  /** No expression can start here: report and leave a zero-width ErrorExpr (nothing consumed). */
  protected noExpression(): Expr {
    this.unexpected("an expression");
    return errorExpr(this.c, this.prevEnd());
  }

  protected binary(left: Expr, op: IToken, right: Expr | undefined): Expr {
    return {
      kind: "BinaryExpr",
      op: op.image as BinaryOp,
      left,
      right,
      opSpan: this.c.span(op.startOffset, op.startOffset + op.image.length),
      span: this.c.span(left.span.start, this.prevEnd()),
    };
  }
}
