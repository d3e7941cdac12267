// The primary expressions of the grammar: literals, lists, records, `if`, `count(...)`, names,
// calls and parentheses, and comma-separated argument lists. Part of the one parser class
// (parser.ts), split by concept: ExpressionParser (operators, postfix) <- PrimaryParser <-
// TypeParser <- ClauseParser <- TestParser <- EdictParser. Recovery as in parser-expressions.ts:
// where no expression can start, an ErrorExpr is made and reported.
import { tokenMatcher, type IOrAlt, type IToken } from "chevrotain";
import type { Expr, RecordField, RecordLit } from "./ast.ts";
import { boolLit, durationLit, errorExpr, identifier, numberLit, stringLit } from "./lower.ts";
import { EXPR_START, ExpressionParser, PRIMARY_START } from "./parser-expressions.ts";
import {
  Colon,
  Comma,
  DurationLiteral,
  Identifier as IdentifierTok,
  Keyword,
  kw,
  LBracket,
  LParen,
  NumberLiteral,
  RBrace,
  RBracket,
  RParen,
  StringLiteral,
  UnterminatedString,
  LBrace,
} from "./tokens.ts";

function isRecordKey(t: IToken): boolean {
  return t.tokenType === IdentifierTok || t.tokenType === StringLiteral || t.tokenType === UnterminatedString || tokenMatcher(t, Keyword);
}

export abstract class PrimaryParser extends ExpressionParser {
  private primaryAlts: IOrAlt<Expr>[] | undefined;
  private callArgs: (() => Expr[]) | undefined;

  primary = this.RULE("primary", (): Expr => {
    if (!this.RECORDING_PHASE && !PRIMARY_START.has(this.LA(1).tokenType)) return this.noExpression();
    return this.OR((this.primaryAlts ??= this.makePrimaryAlts()));
  }, this.recover);

  private makePrimaryAlts(): IOrAlt<Expr>[] {
    const rec = () => this.RECORDING_PHASE;
    const none = undefined as unknown as Expr;
    return [
      {
        ALT: () => {
          const t = this.CONSUME(StringLiteral);
          return rec() ? none : stringLit(this.c, t);
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(NumberLiteral);
          return rec() ? none : numberLit(this.c, t);
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(DurationLiteral);
          return rec() ? none : durationLit(this.c, t);
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(kw.true);
          return rec() ? none : boolLit(this.c, t);
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(kw.false);
          return rec() ? none : boolLit(this.c, t);
        },
      },
      {
        ALT: () => {
          const open = this.CONSUME(LBracket);
          const elements = this.SUBRULE(this.exprList);
          if (rec()) return none;
          this.expectClose(RBracket, "`]` to close the list", open);
          return { kind: "ListLit" as const, elements, span: this.c.span(open.startOffset, this.prevEnd()) };
        },
      },
      {
        ALT: () => {
          const r = this.SUBRULE(this.recordLit);
          return rec() ? none : (r ?? errorExpr(this.c, this.prevEnd()));
        },
      },
      { ALT: () => this.SUBRULE(this.ifExpr) },
      { ALT: () => this.SUBRULE(this.countExpr) },
      {
        ALT: () => {
          const name = this.CONSUME(IdentifierTok);
          const args = this.OPTION(
            (this.callArgs ??= () => {
              const open = this.CONSUME(LParen);
              const list = this.SUBRULE2(this.exprList);
              if (!rec()) this.expectClose(RParen, "`)` to close the arguments", open);
              return list;
            }),
          );
          if (rec()) return none;
          return args
            ? { kind: "CallExpr" as const, callee: identifier(this.c, name), args, span: this.c.span(name.startOffset, this.prevEnd()) }
            : { kind: "NameRef" as const, name: name.image, span: this.c.span(name.startOffset, this.prevEnd()) };
        },
      },
      {
        ALT: () => {
          const open = this.CONSUME2(LParen);
          const inner = this.SUBRULE(this.expression);
          if (rec()) return none;
          this.expectClose(RParen, "`)` to close the parenthesis", open);
          return { kind: "ParenExpr" as const, expr: inner, span: this.c.span(open.startOffset, this.prevEnd()) };
        },
      },
    ];
  }
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
    if (!this.RECORDING_PHASE && !thenTok) this.missing("`then` after the `if` condition");
    if (this.RECORDING_PHASE || thenTok || EXPR_START.has(this.LA(1).tokenType)) thenE = this.SUBRULE2(this.expression);
    this.OPTION2(() => {
      elseTok = this.CONSUME(kw.else);
    });
    if (!this.RECORDING_PHASE && !elseTok) this.missing("`else`: an `if` expression needs both branches");
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
    if (!this.RECORDING_PHASE && !open) this.missing("`(` after `count`");
    this.OPTION2(() => {
      binding = this.CONSUME(IdentifierTok);
    });
    if (!this.RECORDING_PHASE && !binding) this.missing("a name: `count(x in collection where condition)`");
    this.OPTION3(() => {
      inTok = this.CONSUME(kw.in);
    });
    if (!this.RECORDING_PHASE && !inTok) this.missing("`in` after the `count` binding");
    const collection = this.SUBRULE(this.expression);
    this.OPTION4(() => {
      this.CONSUME(kw.where);
      where = this.SUBRULE2(this.expression);
    });
    if (!this.RECORDING_PHASE) this.expectClose(RParen, "`)` to close `count(`", open);
    return this.ACTION(() => ({
      kind: "CountExpr" as const,
      binding: binding ? identifier(this.c, binding) : undefined,
      collection,
      where,
      span: this.c.span(countTok.startOffset, this.prevEnd()),
    }));
  }, this.recover);

  /**
   * Comma-separated expressions up to a closer (not consumed here); a trailing comma is
   * allowed. Built without GATEs or per-call closures: it runs for every argument list.
   */
  exprList = this.RULE("exprList", (): Expr[] => {
    const items: Expr[] = [];
    const outer = this.listItems;
    this.listItems = items;
    try {
      this.OPTION((this.listFirst ??= () => this.pushItem(this.SUBRULE(this.expression))));
      this.MANY(
        (this.listMore ??= () => {
          const comma = this.CONSUME(Comma);
          const e = this.OPTION2((this.listNext ??= () => this.SUBRULE2(this.expression)));
          if (this.RECORDING_PHASE) return;
          if (e !== undefined) this.pushItem(e);
          // `f(a,,b)` or `[,]`: a comma not followed by an element (a trailing one is fine).
          else if (this.LA(1).tokenType === Comma || this.listItems.length === 0) this.c.error("E0105", "unexpected `,`, expected an expression", this.c.span(comma.startOffset, comma.startOffset + 1));
        }),
      );
    } finally {
      this.listItems = outer;
    }
    return items;
  });

  private listItems: Expr[] = [];
  private listFirst: (() => void) | undefined;
  private listMore: (() => void) | undefined;
  private listNext: (() => Expr) | undefined;

  /** Appends to the innermost list being parsed (nested lists restore it on return). */
  private pushItem(e: Expr): void {
    if (!this.RECORDING_PHASE) this.listItems.push(e);
  }

  recordLit = this.RULE(
    "recordLit",
    (): RecordLit | undefined => {
      const open = this.CONSUME(LBrace);
      const fields: RecordField[] = [];
      this.OPTION(() => {
        const first = this.SUBRULE(this.recordField);
        if (!this.RECORDING_PHASE) fields.push(first);
        this.MANY({
          // A missing comma between `key: value` pairs on separate lines is reported, not fatal.
          GATE: () => (this.LA(1).tokenType === Comma ? isRecordKey(this.LA(2)) : isRecordKey(this.LA(1)) && this.LA(2).tokenType === Colon),
          DEF: () => {
            let comma: IToken | undefined;
            this.OPTION2(() => {
              comma = this.CONSUME(Comma);
            });
            if (!this.RECORDING_PHASE && !comma) this.missing("`,` between record fields");
            const next = this.SUBRULE2(this.recordField);
            if (!this.RECORDING_PHASE) fields.push(next);
          },
        });
        this.OPTION3(() => this.CONSUME2(Comma));
      });
      if (!this.RECORDING_PHASE) this.expectClose(RBrace, "`}` to close the record", open);
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
    if (!this.RECORDING_PHASE && !colon) this.missing(`\`:\` after the key \`${key.image}\``);
    if (this.RECORDING_PHASE || colon || EXPR_START.has(this.LA(1).tokenType)) value = this.SUBRULE(this.expression);
    return this.ACTION(() => ({
      kind: "RecordField" as const,
      key: key.tokenType === StringLiteral || key.tokenType === UnterminatedString ? stringLit(this.c, key) : identifier(this.c, key),
      value,
      span: this.c.span(key.startOffset, this.prevEnd()),
    }));
  });
}
