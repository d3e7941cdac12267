// The expression grammar. Owns: precedence (loosest first) `or`; `and`; `not`; quantifiers
// `some|every X in C: P` (body extends as far right as possible); comparisons `== != < <= > >=
// in has like matches` (non-associative: a chain is reported once and kept left-nested);
// `+ -`; `* / %`; unary `-`; postfix `.attr` `[i]` `.method(args)` `with {..}`; primaries.
// Recovery: where no expression can start, an ErrorExpr is made and reported (never a
// chevrotain NoViableAlt), so `x == }` keeps `x ==` in the tree; `principal.` gives a
// MemberExpr whose property is undefined. Keywords are accepted as attribute names after `.`
// and `has` when on the same line (so `resource.type` works but a half-typed `principal.`
// does not swallow the `when` on the next line), and as record keys.
import { tokenMatcher, type IOrAlt, type IToken, type ParserMethod, type TokenType } from "chevrotain";
import type { Expr, Identifier, RecordLit, StringLit } from "./ast.ts";
import { binaryExpr, errorExpr, identifier, isRealToken, stringLit } from "./lower.ts";
import { ParserBase } from "./parser-base.ts";
import {
  ArithOp,
  BadNumber,
  Colon,
  CompareOp,
  DurationLiteral,
  Dot,
  Identifier as IdentifierTok,
  Keyword,
  kw,
  LBrace,
  LBracket,
  LogicOp,
  LParen,
  Minus,
  Plus,
  NumberLiteral,
  RBracket,
  RParen,
  StringLiteral,
  UnterminatedString,
} from "./tokens.ts";

export const PRIMARY_START = new Set<TokenType>([
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

const UNARY_START = new Set<TokenType>([...PRIMARY_START, Minus]);
export const EXPR_START = new Set<TokenType>([...UNARY_START, kw.not, kw.some, kw.every]);

export abstract class ExpressionParser extends ParserBase {
  // Rules of parser-primaries.ts (the subclass) that the operators and postfix forms call.
  abstract primary: ParserMethod<[], Expr>;
  abstract exprList: ParserMethod<[], Expr[]>;
  abstract recordLit: ParserMethod<[], RecordLit | undefined>;

  protected readonly recover = { recoveryValueFunc: () => errorExpr(this.c, this.prevEnd()) };

  /** Used by template interpolations: one expression, leftovers reported. */
  expressionEntry = this.RULE("expressionEntry", (): Expr => {
    const e = this.SUBRULE(this.expression);
    this.ACTION(() => {
      const t = this.LA(1);
      if (isRealToken(t)) this.c.error("E0105", `unexpected \`${t.image}\` after the expression`, this.c.span(t.startOffset, t.startOffset + t.image.length));
    });
    return e;
  }, this.recover);

  // Performance (bench/parse-10k.mjs): the hot rules below allocate nothing but AST nodes.
  // Chevrotain's DSL takes closures and arrays of alternatives; built per call they were most
  // of the garbage (and GC was a third of the parse time). So loop bodies and alternatives are
  // built once (`??=`) and pass the expression under construction through `this.acc`: a loop
  // body reads it first, parses its operand (which may reuse `acc`), then writes its result.
  // Node construction is guarded by `this.RECORDING_PHASE` instead of ACTION closures.
  private acc: Expr = undefined as unknown as Expr;
  private logicLoop: (() => void) | undefined;
  private orChain: Expr | undefined;
  private orOp: IToken | undefined;
  private arithLoop: (() => void) | undefined;
  private addChain: Expr | undefined;
  private addOp: IToken | undefined;
  private minusStack: IToken[] = [];
  private minusLoop1: (() => void) | undefined;
  private minusLoop2: (() => void) | undefined;
  private notAlts: IOrAlt<Expr>[] | undefined;
  private cmpLoop: (() => void) | undefined;
  private cmpAlts: IOrAlt<IToken>[] | undefined;
  private postfixLoop: (() => void) | undefined;
  private postfixAlts: IOrAlt<Expr>[] | undefined;
  private memberName: (() => IToken) | undefined;
  private memberNameAlts: IOrAlt<IToken>[] | undefined;
  private methodArgs: (() => Expr[]) | undefined;
  private cmpCount = 0;

  /**
   * `or` and `and` in one rule (three fewer rule calls per leaf than a rule per level, with
   * `additive`/`multiplicative`/`unary` folded the same way into `arith`). `and` binds tighter:
   * an `and` extends the current and-run (`acc`); an `or` closes it into the or-chain. Both
   * are left-associative. The loop body saves the chain state in locals before parsing its
   * operand (which may be a nested expression reusing the fields) and restores it after.
   */
  expression = this.RULE("expression", (): Expr => {
    const first = this.SUBRULE(this.notExpr);
    this.orChain = undefined;
    this.orOp = undefined;
    this.acc = first;
    this.MANY(
      (this.logicLoop ??= () => {
        const orChain = this.orChain;
        const orOp = this.orOp;
        const andRun = this.acc;
        const op = this.CONSUME(LogicOp);
        const right = this.SUBRULE2(this.notExpr);
        if (this.RECORDING_PHASE) return;
        if (op.tokenType === kw.and) {
          this.orChain = orChain;
          this.orOp = orOp;
          this.acc = this.binary(andRun, op, right);
        } else {
          this.orChain = orChain && orOp ? this.binary(orChain, orOp, andRun) : andRun;
          this.orOp = op;
          this.acc = right;
        }
      }),
    );
    if (this.RECORDING_PHASE || !this.orChain || !this.orOp) return this.acc;
    return this.binary(this.orChain, this.orOp, this.acc);
  }, this.recover);

  notExpr = this.RULE("notExpr", (): Expr => {
    if (!this.RECORDING_PHASE && !EXPR_START.has(this.LA(1).tokenType)) return this.noExpression();
    return this.OR(
      (this.notAlts ??= [
        {
          ALT: () => {
            const op = this.CONSUME(kw.not);
            const operand = this.SUBRULE(this.notExpr);
            if (this.RECORDING_PHASE) return operand;
            return { kind: "UnaryExpr" as const, op: "not" as const, operand, span: this.c.span(op.startOffset, this.prevEnd()) };
          },
        },
        { ALT: () => this.SUBRULE(this.quantifier) },
        { ALT: () => this.SUBRULE(this.comparison) },
      ]),
    );
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
    if (!this.RECORDING_PHASE && !binding) this.missing(`a name after \`${q.image}\``);
    this.OPTION2(() => {
      inTok = this.CONSUME(kw.in);
    });
    if (!this.RECORDING_PHASE && !inTok) this.missing(`\`in\` after \`${q.image}${binding ? " " + binding.image : ""}\``);
    const collection = this.SUBRULE(this.expression);
    this.OPTION3(() => {
      colon = this.CONSUME(Colon);
    });
    if (!this.RECORDING_PHASE && !colon) this.missing("`:` before the condition");
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
    const saved = this.cmpCount;
    this.cmpCount = 0;
    this.acc = this.SUBRULE(this.arith);
    this.MANY(
      (this.cmpLoop ??= () => {
        const n = ++this.cmpCount;
        const opTok = this.OR(
          (this.cmpAlts ??= [
            {
              ALT: () => {
                const left = this.acc;
                const op = this.CONSUME(CompareOp);
                const right = this.SUBRULE2(this.arith);
                if (!this.RECORDING_PHASE) this.acc = this.binary(left, op, right);
                return op;
              },
            },
            {
              ALT: () => {
                const left = this.acc;
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
                if (!this.RECORDING_PHASE) {
                  if (!attr) this.unexpected("an attribute name after `has`");
                  let attribute: Identifier | StringLit | undefined;
                  if (attr) attribute = attr.tokenType === StringLiteral || attr.tokenType === UnterminatedString ? stringLit(this.c, attr) : identifier(this.c, attr);
                  this.acc = { kind: "HasExpr" as const, object: left, attribute, span: this.c.span(left.span.start, this.prevEnd()) };
                }
                return has;
              },
            },
          ]),
        );
        if (n === 2 && !this.RECORDING_PHASE) {
          this.c.error("E0105", `comparisons do not chain: unexpected \`${opTok.image}\``, this.c.span(opTok.startOffset, opTok.startOffset + opTok.image.length), "combine comparisons with `and`, or group one with parentheses");
        }
      }),
    );
    this.cmpCount = saved;
    return this.acc;
  }, this.recover);

  /**
   * `+ -` and `* / %` in one rule; `*` binds tighter (folded like `expression`), both
   * left-associative; unary `-` prefixes each operand (tighter than `*`, looser than postfix).
   */
  arith = this.RULE("arith", (): Expr => {
    const first = this.arithOperand(1);
    this.addChain = undefined;
    this.addOp = undefined;
    this.acc = first;
    this.MANY(
      (this.arithLoop ??= () => {
        const addChain = this.addChain;
        const addOp = this.addOp;
        const mulRun = this.acc;
        const op = this.CONSUME(ArithOp);
        const right = this.arithOperand(2);
        if (this.RECORDING_PHASE) return;
        if (op.tokenType === Plus || op.tokenType === Minus) {
          this.addChain = addChain && addOp ? this.binary(addChain, addOp, mulRun) : mulRun;
          this.addOp = op;
          this.acc = right;
        } else {
          this.addChain = addChain;
          this.addOp = addOp;
          this.acc = this.binary(mulRun, op, right);
        }
      }),
    );
    if (this.RECORDING_PHASE || !this.addChain || !this.addOp) return this.acc;
    return this.binary(this.addChain, this.addOp, this.acc);
  }, this.recover);

  /** `-`* postfix, at DSL occurrence `idx` (1 for the first operand, 2 in the loop). */
  private arithOperand(idx: 1 | 2): Expr {
    const mark = this.minusStack.length;
    this.many(idx, idx === 1 ? (this.minusLoop1 ??= () => this.pushMinus(this.consume(1, Minus))) : (this.minusLoop2 ??= () => this.pushMinus(this.consume(2, Minus))));
    let e: Expr;
    if (!this.RECORDING_PHASE && !UNARY_START.has(this.LA(1).tokenType)) e = this.noExpression();
    else e = this.subrule(idx, this.postfix);
    if (this.RECORDING_PHASE) return e;
    for (let i = this.minusStack.length - 1; i >= mark; i--) {
      const m = this.minusStack[i]!;
      e = { kind: "UnaryExpr", op: "-", operand: e, span: this.c.span(m.startOffset, e.span.end) };
    }
    this.minusStack.length = mark;
    return e;
  }

  private pushMinus(t: IToken): void {
    if (!this.RECORDING_PHASE) this.minusStack.push(t);
  }

  postfix = this.RULE("postfix", (): Expr => {
    this.acc = this.SUBRULE(this.primary);
    this.MANY((this.postfixLoop ??= () => (this.acc = this.OR(this.postfixAlts ??= this.makePostfixAlts()))));
    return this.acc;
  }, this.recover);

  private makePostfixAlts(): IOrAlt<Expr>[] {
    return [
      {
        ALT: () => {
          const base = this.acc;
          this.CONSUME(Dot);
          let name: IToken | undefined;
          let args: Expr[] | undefined;
          // A keyword is an attribute name only on the dot's line (see the module comment).
          if (this.RECORDING_PHASE || this.LA(1).tokenType === IdentifierTok || this.nextOnSameLine()) {
            name = this.OPTION((this.memberName ??= () => this.OR2((this.memberNameAlts ??= [{ ALT: () => this.CONSUME(IdentifierTok) }, { ALT: () => this.CONSUME(Keyword) }]))));
          }
          if (!name && !this.RECORDING_PHASE) this.missing("an attribute or method name after `.`");
          if (this.RECORDING_PHASE || name) args = this.OPTION2((this.methodArgs ??= () => {
            const open = this.CONSUME(LParen);
            const list = this.SUBRULE(this.exprList);
            if (!this.RECORDING_PHASE) this.expectClose(RParen, "`)` to close the arguments", open);
            return list;
          }));
          if (this.RECORDING_PHASE) return base;
          const span = this.c.span(base.span.start, this.prevEnd());
          if (name && args) return { kind: "MethodCallExpr" as const, receiver: base, method: identifier(this.c, name), args, span };
          return { kind: "MemberExpr" as const, object: base, property: name ? identifier(this.c, name) : undefined, span };
        },
      },
      {
        ALT: () => {
          const base = this.acc;
          const open = this.CONSUME(LBracket);
          const index = this.SUBRULE(this.expression);
          if (this.RECORDING_PHASE) return base;
          this.expectClose(RBracket, "`]` to close the index", open);
          return { kind: "IndexExpr" as const, object: base, index, span: this.c.span(base.span.start, this.prevEnd()) };
        },
      },
      {
        ALT: () => {
          const base = this.acc;
          this.CONSUME(kw.with);
          let updates: RecordLit | undefined;
          this.OPTION3(() => {
            updates = this.SUBRULE(this.recordLit);
          });
          if (this.RECORDING_PHASE) return base;
          if (!updates) this.unexpected("`{` after `with`");
          return { kind: "WithExpr" as const, base, updates, span: this.c.span(base.span.start, this.prevEnd()) };
        },
      },
    ];
  }

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
    return binaryExpr(this.c, left, op, right);
  }
}
