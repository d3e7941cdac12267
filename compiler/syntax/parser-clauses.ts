// Rule clauses: `for X in E`, `let Y = E`, `when E`, `unless E`, `reason "template"` (the
// template is split after the declaration is parsed: parse.ts, template.ts). A clause whose
// expression throws past every recovery is kept with an ErrorExpr hole. Part of the one parser
// class (parser.ts): ExpressionParser <- TypeParser <- ClauseParser <- EdictParser.
import type { IToken } from "chevrotain";
import type { Clause, ForClause, LetClause, UnlessClause, WhenClause } from "./ast.ts";
import { identifier, newReasonClause } from "./lower.ts";
import { TypeParser } from "./parser-types.ts";
import { Eq, Identifier as IdentifierTok, kw, StringLiteral } from "./tokens.ts";

export abstract class ClauseParser extends TypeParser {
  forClause = this.RULE(
    "forClause",
    (): ForClause => {
      const kwTok = this.CONSUME(kw.for);
      let binding: IToken | undefined;
      this.OPTION(() => {
        binding = this.CONSUME(IdentifierTok);
      });
      if (!this.RECORDING_PHASE && !binding) this.missing("a name after `for`");
      let inTok: IToken | undefined;
      this.OPTION2(() => {
        inTok = this.CONSUME(kw.in);
      });
      if (!this.RECORDING_PHASE && !inTok) this.missing("`in` after the `for` binding");
      const collection = this.SUBRULE(this.expression);
      return this.ACTION(() => ({
        kind: "ForClause",
        binding: binding ? identifier(this.c, binding) : undefined,
        collection,
        span: this.c.span(kwTok.startOffset, this.prevEnd()),
      }));
    },
    { recoveryValueFunc: () => this.recoveredClause("ForClause") as ForClause },
  );

  letClause = this.RULE(
    "letClause",
    (): LetClause => {
      const kwTok = this.CONSUME(kw.let);
      let name: IToken | undefined;
      this.OPTION(() => {
        name = this.CONSUME(IdentifierTok);
      });
      if (!this.RECORDING_PHASE && !name) this.missing("a name after `let`");
      let eq: IToken | undefined;
      this.OPTION2(() => {
        eq = this.CONSUME(Eq);
      });
      if (!this.RECORDING_PHASE && !eq) this.missing("`=` after the `let` name");
      const value = this.SUBRULE(this.expression);
      return this.ACTION(() => ({
        kind: "LetClause",
        name: name ? identifier(this.c, name) : undefined,
        value,
        span: this.c.span(kwTok.startOffset, this.prevEnd()),
      }));
    },
    { recoveryValueFunc: () => this.recoveredClause("LetClause") as LetClause },
  );

  whenClause = this.RULE(
    "whenClause",
    (): WhenClause => {
      const kwTok = this.CONSUME(kw.when);
      const condition = this.SUBRULE(this.expression);
      return this.ACTION(() => ({ kind: "WhenClause", condition, span: this.c.span(kwTok.startOffset, this.prevEnd()) }));
    },
    { recoveryValueFunc: () => this.recoveredClause("WhenClause") as WhenClause },
  );

  unlessClause = this.RULE(
    "unlessClause",
    (): UnlessClause => {
      const kwTok = this.CONSUME(kw.unless);
      const condition = this.SUBRULE(this.expression);
      return this.ACTION(() => ({ kind: "UnlessClause", condition, span: this.c.span(kwTok.startOffset, this.prevEnd()) }));
    },
    { recoveryValueFunc: () => this.recoveredClause("UnlessClause") as UnlessClause },
  );

  reasonClause = this.RULE("reasonClause", (): Clause => {
    const kwTok = this.CONSUME(kw.reason);
    let str: IToken | undefined;
    this.OPTION(() => {
      str = this.CONSUME(StringLiteral);
    });
    if (!this.RECORDING_PHASE && !str) this.missing("a string after `reason`");
    return this.ACTION(() => newReasonClause(this.c, kwTok.startOffset, this.prevEnd(), str));
  });

  /** A clause whose expression threw past every recovery: keep the clause, mark the hole. */
  private recoveredClause(kind: "ForClause" | "LetClause" | "WhenClause" | "UnlessClause"): Clause {
    const at = this.prevEnd();
    const s = this.c.span(at, at);
    const hole = { kind: "ErrorExpr" as const, span: s };
    switch (kind) {
      case "ForClause":
        return { kind, binding: undefined, collection: hole, span: s };
      case "LetClause":
        return { kind, name: undefined, value: hole, span: s };
      default:
        return { kind, condition: hole, span: s };
    }
  }

}
