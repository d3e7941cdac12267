// The type grammar: record types `{ a: T, b?: T }` (fields separated by commas and/or
// newlines; a `///` doc above a field is its doc), unions of string literals `"a" | "b"`,
// named types with arguments `Set<String>`. Part of the one parser class (parser.ts), split
// by concept: ExpressionParser <- TypeParser <- ClauseParser <- EdictParser.
import type { IToken } from "chevrotain";
import type { FieldDecl, RecordType, TypeExpr } from "./ast.ts";
import { identifier, stringLit, tokenSpan } from "./lower.ts";
import { PrimaryParser } from "./parser-primaries.ts";
import { AnyToken, Colon, Comma, Gt, Identifier as IdentifierTok, Keyword, LBrace, Lt, Pipe, Question, RBrace, StringLiteral, UnterminatedString } from "./tokens.ts";

export abstract class TypeParser extends PrimaryParser {
  recordType = this.RULE("recordType", (): RecordType => {
    const open = this.CONSUME(LBrace);
    const fields: FieldDecl[] = [];
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
              const f = this.SUBRULE(this.fieldDecl);
              this.ACTION(() => {
                fields.push(f);
                this.junkRun = false;
              });
              this.OPTION(() => this.CONSUME(Comma));
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(AnyToken);
              if (!this.RECORDING_PHASE) this.junk(t, "in a record type", "fields look like `name: Type` or `name?: Type`");
            },
          },
          ],
        });
      },
    });
    if (!this.RECORDING_PHASE) this.expectClose(RBrace, "`}` to close the record type", open);
    return this.ACTION(() => ({ kind: "RecordType", fields, span: this.c.span(open.startOffset, this.prevEnd()) }));
  });

  fieldDecl = this.RULE("fieldDecl", (): FieldDecl => {
    const name = this.OR([{ ALT: () => this.CONSUME(IdentifierTok) }, { ALT: () => this.CONSUME(Keyword) }]);
    let optional = false;
    let type: TypeExpr | undefined;
    this.OPTION(() => {
      this.CONSUME(Question);
      optional = true;
    });
    let colon: IToken | undefined;
    this.OPTION2(() => {
      colon = this.CONSUME(Colon);
    });
    if (!this.RECORDING_PHASE && !colon) this.missing(`\`:\` after the field name \`${name.image}\``);
    if (this.RECORDING_PHASE || colon || this.startsType()) type = this.SUBRULE(this.typeExpr);
    return this.ACTION(() => ({
      kind: "FieldDecl",
      name: identifier(this.c, name),
      optional,
      type,
      doc: this.c.doc(name.startOffset),
      span: this.c.span(name.startOffset, this.prevEnd()),
    }));
  });

  typeExpr = this.RULE("typeExpr", (): TypeExpr | undefined => {
    const start = this.nextStart();
    const members: (TypeExpr | undefined)[] = [this.SUBRULE(this.typePrimary)];
    this.MANY(() => {
      this.CONSUME(Pipe);
      const m = this.SUBRULE2(this.typePrimary);
      if (!this.RECORDING_PHASE) members.push(m);
    });
    return this.ACTION(() => {
      const present = members.filter((m): m is TypeExpr => m !== undefined);
      if (members.length === 1) return present[0];
      return { kind: "UnionType", members: present, span: this.c.span(start, this.prevEnd()) };
    });
  });

  typePrimary = this.RULE("typePrimary", (): TypeExpr | undefined => {
    if (!this.RECORDING_PHASE && !this.startsType()) {
      this.unexpected("a type");
      return undefined;
    }
    return this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(StringLiteral);
          return this.ACTION(() => ({ kind: "StringLiteralType" as const, value: stringLit(this.c, t).value, span: tokenSpan(this.c, t) }));
        },
      },
      { ALT: () => this.SUBRULE(this.recordType) },
      {
        ALT: () => {
          const name = this.CONSUME(IdentifierTok);
          const args: TypeExpr[] = [];
          this.OPTION(() => {
            const open = this.CONSUME(Lt);
            const first = this.SUBRULE(this.typeExpr);
            if (!this.RECORDING_PHASE && first) args.push(first);
            this.MANY(() => {
              this.CONSUME(Comma);
              const t = this.SUBRULE2(this.typeExpr);
              if (!this.RECORDING_PHASE && t) args.push(t);
            });
            if (!this.RECORDING_PHASE) this.expectClose(Gt, "`>` to close the type arguments", open);
          });
          return this.ACTION(() => ({ kind: "NamedType" as const, name: identifier(this.c, name), args, span: this.c.span(name.startOffset, this.prevEnd()) }));
        },
      },
    ]);
  });

  protected startsType(): boolean {
    const t = this.LA(1).tokenType;
    return t === IdentifierTok || t === LBrace || t === StringLiteral || t === UnterminatedString;
  }
}
