// `test` declarations: `test "NAME" { request E  [override E]  expect allow|deny [by r1, r2] }`
// (the three parts in any order, each at most once; junk in the body is skipped one run at a
// time, as in a rule body). Part of the one parser class (parser.ts), split by concept:
// ... <- ClauseParser <- TestParser <- EdictParser.
import type { IToken } from "chevrotain";
import type { Annotation, ExpectClause, Expr, Identifier, StringLit, TestDecl } from "./ast.ts";
import { identifier, stringLit, tokenSpan } from "./lower.ts";
import { ClauseParser } from "./parser-clauses.ts";
import type { ParsedDecl } from "./parser.ts";
import { AnyToken, Comma, Identifier as IdentifierTok, kw, RBrace, StringLiteral, LBrace } from "./tokens.ts";

const TEST_WORDS = ["request", "override", "expect"];

export abstract class TestParser extends ClauseParser {
  testDecl = this.RULE("testDecl", (start?: number, annotations?: Annotation[]): ParsedDecl | undefined => {
    const kwTok = this.CONSUME(kw.test);
    let nameTok: IToken | undefined;
    let request: Expr | undefined;
    let override: Expr | undefined;
    let expect: ExpectClause | undefined;
    this.OPTION(() => {
      nameTok = this.CONSUME(StringLiteral);
    });
    if (!this.RECORDING_PHASE && !nameTok) this.missing("the test name (a string) after `test`");
    const open = this.take(LBrace);
    if (!this.RECORDING_PHASE && !open) this.missing("`{` after the test name");
    if (!this.RECORDING_PHASE) this.junkRun = false;
    this.MANY({
      GATE: () => this.LA(1).tokenType !== RBrace,
      DEF: () => {
        this.OR({
          MAX_LOOKAHEAD: 1,
          IGNORE_AMBIGUITIES: true,
          DEF: [
          {
            ALT: () => {
              const t = this.CONSUME(kw.request);
              const e = this.SUBRULE(this.expression);
              this.ACTION(() => {
                if (request) this.c.error("E0105", "a test has one `request`", tokenSpan(this.c, t));
                else request = e;
                this.junkRun = false;
              });
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(kw.override);
              const e = this.SUBRULE2(this.expression);
              this.ACTION(() => {
                if (override) this.c.error("E0105", "a test has one `override`", tokenSpan(this.c, t));
                else override = e;
                this.junkRun = false;
              });
            },
          },
          {
            ALT: () => {
              const e = this.SUBRULE(this.expectClause);
              this.ACTION(() => {
                if (expect) this.c.error("E0105", "a test has one `expect`", e.span);
                else expect = e;
                this.junkRun = false;
              });
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(AnyToken);
              if (!this.RECORDING_PHASE) this.junk(t, "in a test", "a test holds `request`, an optional `override` and `expect`", TEST_WORDS);
            },
          },
          ],
        });
      },
    });
    if (!this.RECORDING_PHASE) this.expectClose(RBrace, "`}` to close the test", open);
    return this.ACTION(() => {
      const s = start ?? kwTok.startOffset;
      const decl: TestDecl = {
        kind: "TestDecl",
        name: nameTok ? (stringLit(this.c, nameTok) as StringLit) : undefined,
        request,
        override,
        expect,
        doc: this.c.doc(s),
        annotations: annotations ?? [],
        span: this.c.span(s, this.prevEnd()),
      };
      return { kind: "Decl", decl };
    });
  });

  expectClause = this.RULE("expectClause", (): ExpectClause => {
    const kwTok = this.CONSUME(kw.expect);
    let outcome: "allow" | "deny" | undefined;
    const by: Identifier[] = [];
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(kw.allow);
            outcome = "allow";
          },
        },
        {
          ALT: () => {
            this.CONSUME(kw.deny);
            outcome = "deny";
          },
        },
      ]);
    });
    if (!this.RECORDING_PHASE && !outcome) this.unexpected("`allow` or `deny` after `expect`");
    this.OPTION2(() => {
      this.CONSUME(kw.by);
      let first: IToken | undefined;
      this.OPTION3(() => {
        first = this.CONSUME(IdentifierTok);
        if (!this.RECORDING_PHASE) by.push(identifier(this.c, first!));
        this.MANY({
          GATE: () => this.LA(2).tokenType === IdentifierTok,
          DEF: () => {
            this.CONSUME(Comma);
            const t = this.CONSUME2(IdentifierTok);
            if (!this.RECORDING_PHASE) by.push(identifier(this.c, t));
          },
        });
        this.OPTION4(() => {
          this.CONSUME2(Comma);
          if (!this.RECORDING_PHASE) this.unexpected("a rule name after `,`");
        });
      });
      if (!this.RECORDING_PHASE && !first) this.unexpected("a rule name after `by`");
    });
    return this.ACTION(() => ({ kind: "ExpectClause", outcome, by, span: this.c.span(kwTok.startOffset, this.prevEnd()) }));
  });
}
