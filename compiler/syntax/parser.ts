// The Edict grammar: chevrotain EmbeddedActionsParser building AST nodes directly (lower.ts
// makes the nodes). Owns: declarations, annotations and rule bodies. The one parser class is
// split by concept along a base-class chain: ParserBase (configuration, recovery helpers) <-
// ExpressionParser (operators, postfix) <- PrimaryParser <- TypeParser <- ClauseParser <-
// TestParser (`test` blocks) <- EdictParser (this file).
// Input: the tokens of ONE top-level declaration (parse.ts splits the file at declaration
// keywords, so an error can never leak into the declarations around it). Output: a Decl.
// Recovery strategy, in order of preference:
//   1. structural tokens (`{`, `}`, names, `=`) are taken when present and reported missing
//      otherwise (`expected ... after ...`), so a half-typed declaration keeps all its pieces;
//   2. unexpected tokens in a rule or test body are skipped one run at a time (one E0105),
//      re-synchronising at the next clause keyword (`when unless let for reason`);
//   3. where no expression can start, an ErrorExpr is made and reported (parser-expressions.ts);
//   4. anything else falls to chevrotain's own recovery (single-token insertion/deletion,
//      re-sync), whose errors parse.ts converts into Edict-worded diagnostics.
// INVARIANT: one instance, created on first use and reused (grammar analysis is costly).
// INVARIANT (recording): chevrotain runs every rule once with dummy values when the parser is
// built; node construction is guarded (ACTION, or a RECORDING_PHASE check on hot paths) and
// the manual helpers return early while recording.
import type { IOrAlt, IToken, OrMethodOpts } from "chevrotain";
import type {
  Annotation,
  Clause,
  Decl,
  DefDecl,
  Expr,
  PackageDecl,
  Param,
  RecordType,
  RequestDecl,
  RuleDecl,
  TypeDecl,
  TypeExpr,
} from "./ast.ts";
import { identifier, isRealToken, showToken, tokenSpan } from "./lower.ts";
import { TestParser } from "./parser-tests.ts";
import {
  AnyToken,
  At,
  Colon,
  Comma,
  Eq,
  Identifier as IdentifierTok,
  kw,
  LBrace,
  LParen,
  RBrace,
  RParen,
} from "./tokens.ts";

const DECLARATION_WORDS = ["package", "permit", "forbid", "def", "type", "request", "test"];
const CLAUSE_WORDS = ["when", "unless", "let", "for", "reason"];

export type ParsedDecl = { readonly kind: "Package"; readonly decl: PackageDecl } | { readonly kind: "Decl"; readonly decl: Decl };

export class EdictParser extends TestParser {
  private effectAlts: IOrAlt<IToken>[] | undefined;
  private clauseAlts: OrMethodOpts<Clause | undefined> | undefined;

  constructor() {
    super();
    this.performSelfAnalysis();
  }

  /** Top rule: one declaration with its annotations. Reports leftovers itself. */
  declaration = this.RULE("declaration", (): ParsedDecl | undefined => {
    const annotations: Annotation[] = [];
    const start = this.nextStart();
    this.MANY(() => {
      const a = this.SUBRULE(this.annotation);
      if (!this.RECORDING_PHASE && a) annotations.push(a);
    });
    let result: ParsedDecl | undefined;
    if (this.RECORDING_PHASE || this.startsDeclaration()) {
      result = this.OR([
        { ALT: () => this.SUBRULE(this.packageDecl, { ARGS: [start, annotations] }) },
        { ALT: () => this.SUBRULE(this.typeDecl, { ARGS: [start, annotations] }) },
        { ALT: () => this.SUBRULE(this.requestDecl, { ARGS: [start, annotations] }) },
        { ALT: () => this.SUBRULE(this.defDecl, { ARGS: [start, annotations] }) },
        { ALT: () => this.SUBRULE(this.ruleDecl, { ARGS: [start, annotations] }) },
        { ALT: () => this.SUBRULE(this.testDecl, { ARGS: [start, annotations] }) },
      ]);
    } else {
      // At the token, even on a later line: a misspelt keyword (`permti`) is the likely cause.
      const t = this.LA(1);
      const what = annotations.length > 0 ? "a declaration after the annotations" : "a declaration";
      if (isRealToken(t)) this.c.error("E0105", `unexpected ${showToken(t)}, expected ${what}`, tokenSpan(this.c, t), this.adviceFor(t, DECLARATION_WORDS));
      else this.missing(what);
    }
    if (!this.RECORDING_PHASE) this.reportLeftover();
    return result;
  });

  annotation = this.RULE("annotation", (): Annotation | undefined => {
    const at = this.CONSUME(At);
    let name: IToken | undefined;
    let args: Expr[] = [];
    this.OPTION(() => {
      name = this.CONSUME(IdentifierTok);
    });
    this.OPTION2(() => {
      const open = this.CONSUME(LParen);
      args = this.SUBRULE(this.exprList);
      if (!this.RECORDING_PHASE) this.expectClose(RParen, "`)` to close the annotation arguments", open);
    });
    return this.ACTION(() => {
      if (!name) {
        this.missing("an annotation name after `@`");
        return undefined;
      }
      return { kind: "Annotation", name: identifier(this.c, name), args, span: this.c.span(at.startOffset, this.prevEnd()) };
    });
  });

  packageDecl = this.RULE("packageDecl", (start?: number, annotations?: Annotation[]): ParsedDecl | undefined => {
    this.CONSUME(kw.package);
    let name: IToken | undefined;
    let defaultAllow = false;
    this.OPTION(() => {
      name = this.CONSUME(IdentifierTok);
    });
    if (!this.RECORDING_PHASE && !name) this.missing("a package name after `package`");
    this.OPTION2(() => {
      this.CONSUME(kw.default);
      let chosen = false;
      this.OPTION3(() => {
        this.OR([
          {
            ALT: () => {
              this.CONSUME(kw.allow);
              defaultAllow = true;
            },
          },
          { ALT: () => this.CONSUME(kw.deny) },
        ]);
        chosen = true;
      });
      if (!this.RECORDING_PHASE && !chosen) this.unexpected("`allow` or `deny` after `default`");
    });
    return this.ACTION(() => {
      const s = start ?? 0;
      if (annotations && annotations.length > 0) {
        this.c.error("E0402", "annotations are not allowed on `package`", this.c.span(annotations[0]!.span.start, annotations[annotations.length - 1]!.span.end));
      }
      const decl: PackageDecl = {
        kind: "PackageDecl",
        name: name ? identifier(this.c, name) : undefined,
        defaultAllow,
        doc: this.c.doc(s),
        span: this.c.span(s, this.prevEnd()),
      };
      return { kind: "Package", decl };
    });
  });

  typeDecl = this.RULE("typeDecl", (start?: number, annotations?: Annotation[]): ParsedDecl | undefined => {
    this.CONSUME(kw.type);
    let name: IToken | undefined;
    let body: TypeExpr | undefined;
    this.OPTION(() => {
      name = this.CONSUME(IdentifierTok);
    });
    if (!this.RECORDING_PHASE && !name) this.missing("a type name after `type`");
    if (this.RECORDING_PHASE || this.LA(1).tokenType === LBrace || this.LA(1).tokenType === Eq) {
      this.OR([
        { ALT: () => (body = this.SUBRULE(this.recordType)) },
        {
          ALT: () => {
            this.CONSUME(Eq);
            body = this.SUBRULE(this.typeExpr);
          },
        },
      ]);
    } else if (this.startsType()) {
      // `type Role "a" | "b"`: report the missing `=`, keep the type.
      this.missing("`=` or `{` after the type name");
      body = this.SUBRULE2(this.typeExpr);
    } else {
      this.unexpected("`{` or `=` after the type name");
    }
    return this.ACTION(() => {
      const s = start ?? 0;
      const decl: TypeDecl = {
        kind: "TypeDecl",
        name: name ? identifier(this.c, name) : undefined,
        body,
        doc: this.c.doc(s),
        annotations: annotations ?? [],
        span: this.c.span(s, this.prevEnd()),
      };
      return { kind: "Decl", decl };
    });
  });

  requestDecl = this.RULE("requestDecl", (start?: number, annotations?: Annotation[]): ParsedDecl | undefined => {
    this.CONSUME(kw.request);
    let body: RecordType | undefined;
    if (this.RECORDING_PHASE || this.LA(1).tokenType === LBrace) {
      body = this.SUBRULE(this.recordType);
    } else {
      this.unexpected("`{` after `request`");
    }
    return this.ACTION(() => {
      const s = start ?? 0;
      const decl: RequestDecl = {
        kind: "RequestDecl",
        fields: body?.fields ?? [],
        doc: this.c.doc(s),
        annotations: annotations ?? [],
        span: this.c.span(s, this.prevEnd()),
      };
      return { kind: "Decl", decl };
    });
  });

  defDecl = this.RULE("defDecl", (start?: number, annotations?: Annotation[]): ParsedDecl | undefined => {
    this.CONSUME(kw.def);
    let name: IToken | undefined;
    let params: Param[] | undefined;
    let returnType: TypeExpr | undefined;
    let body: Expr | undefined;
    this.OPTION(() => {
      name = this.CONSUME(IdentifierTok);
    });
    if (!this.RECORDING_PHASE && !name) this.missing("a name after `def`");
    this.OPTION2(() => {
      const open = this.CONSUME(LParen);
      params = this.SUBRULE(this.paramList);
      if (!this.RECORDING_PHASE) this.expectClose(RParen, "`)` to close the parameters", open);
    });
    this.OPTION3(() => {
      this.CONSUME(Colon);
      returnType = this.SUBRULE(this.typeExpr);
    });
    let eq: IToken | undefined;
    this.OPTION4(() => {
      eq = this.CONSUME(Eq);
    });
    if (!this.RECORDING_PHASE && !eq) this.missing(name ? `\`=\` after \`${name.image}\`` : "`=`");
    if (this.RECORDING_PHASE || eq || this.startsExpression()) body = this.SUBRULE(this.expression);
    return this.ACTION(() => {
      const s = start ?? 0;
      const decl: DefDecl = {
        kind: "DefDecl",
        name: name ? identifier(this.c, name) : undefined,
        params,
        returnType,
        body,
        doc: this.c.doc(s),
        annotations: annotations ?? [],
        span: this.c.span(s, this.prevEnd()),
      };
      return { kind: "Decl", decl };
    });
  });

  paramList = this.RULE("paramList", (): Param[] => {
    const params: Param[] = [];
    this.OPTION({
      GATE: () => this.LA(1).tokenType === IdentifierTok || this.LA(1).tokenType === Colon,
      DEF: () => {
      const p = this.SUBRULE(this.param);
      if (!this.RECORDING_PHASE && p) params.push(p);
      this.MANY({
        GATE: () => this.LA(2).tokenType === IdentifierTok || this.LA(2).tokenType === Colon,
        DEF: () => {
          this.CONSUME(Comma);
          const q = this.SUBRULE2(this.param);
          if (!this.RECORDING_PHASE && q) params.push(q);
        },
      });
      this.OPTION2(() => this.CONSUME2(Comma));
      },
    });
    return params;
  });

  /** `name: Type`; the type may be left out (it is then `Any`). */
  param = this.RULE("param", (): Param | undefined => {
    const start = this.nextStart();
    let name: IToken | undefined;
    let type: TypeExpr | undefined;
    this.OPTION(() => {
      name = this.CONSUME(IdentifierTok);
    });
    if (!this.RECORDING_PHASE && !name) this.missing("a parameter name");
    this.OPTION2(() => {
      this.CONSUME(Colon);
      type = this.SUBRULE(this.typeExpr);
    });
    return this.ACTION(() => ({
      kind: "Param",
      name: name ? identifier(this.c, name) : undefined,
      type,
      span: this.c.span(start, this.prevEnd()),
    }));
  });

  ruleDecl = this.RULE("ruleDecl", (start?: number, annotations?: Annotation[]): ParsedDecl | undefined => {
    const effectTok = this.OR((this.effectAlts ??= [{ ALT: () => this.CONSUME(kw.permit) }, { ALT: () => this.CONSUME(kw.forbid) }]));
    let name: IToken | undefined;
    const clauses: Clause[] = [];
    this.OPTION(() => {
      name = this.CONSUME(IdentifierTok);
    });
    if (!this.RECORDING_PHASE && !name) this.missing(`a rule name after \`${effectTok.image}\``);
    const open = this.take(LBrace);
    if (!this.RECORDING_PHASE && !open) this.missing("`{` after the rule name");
    if (!this.RECORDING_PHASE) this.junkRun = false;
    this.MANY({
      GATE: () => this.LA(1).tokenType !== RBrace,
      DEF: () => {
        // LL(1), first match wins: a clause keyword starts a clause, anything else is junk.
        // Built once: a fresh options object per clause was a tenth of all parse garbage.
        const clause = this.OR2((this.clauseAlts ??= {
          MAX_LOOKAHEAD: 1,
          IGNORE_AMBIGUITIES: true,
          DEF: [
          { ALT: () => this.SUBRULE(this.forClause) },
          { ALT: () => this.SUBRULE(this.letClause) },
          { ALT: () => this.SUBRULE(this.whenClause) },
          { ALT: () => this.SUBRULE(this.unlessClause) },
          { ALT: () => this.SUBRULE(this.reasonClause) },
          {
            ALT: () => {
              const t = this.CONSUME(AnyToken);
              if (!this.RECORDING_PHASE) this.junk(t, "in a rule body", "a rule body holds `when`, `unless`, `let`, `for` and `reason` clauses", CLAUSE_WORDS);
              return undefined;
            },
          },
          ],
        }));
        this.ACTION(() => {
          if (clause) {
            clauses.push(clause);
            this.junkRun = false;
          }
        });
      },
    });
    if (!this.RECORDING_PHASE) this.expectClose(RBrace, name ? `\`}\` to close rule \`${name.image}\`` : "`}` to close the rule", open);
    return this.ACTION(() => {
      const s = start ?? effectTok.startOffset;
      const decl: RuleDecl = {
        kind: "RuleDecl",
        effect: effectTok.image === "forbid" ? "forbid" : "permit",
        name: name ? identifier(this.c, name) : undefined,
        annotations: annotations ?? [],
        clauses,
        doc: this.c.doc(s),
        span: this.c.span(s, this.prevEnd()),
      };
      return { kind: "Decl", decl };
    });
  });

  // ---------------------------------------------------------------- helpers

  private startsDeclaration(): boolean {
    const t = this.LA(1).tokenType;
    return t === kw.package || t === kw.type || t === kw.request || t === kw.def || t === kw.permit || t === kw.forbid || t === kw.test;
  }

  /** After the declaration: anything left in this chunk is unexpected (reported once). */
  private reportLeftover(): void {
    const t = this.LA(1);
    if (!isRealToken(t)) return;
    this.c.error("E0105", `unexpected ${showToken(t)} after the end of the declaration`, tokenSpan(this.c, t), "a declaration starts with `permit`, `forbid`, `def`, `type`, `request`, `test` or an `@annotation`");
  }
}

let shared: EdictParser | undefined;

/**
 * The one shared parser, built on first use: building the grammar costs about a tenth of a
 * second, and a clean file never needs it (the fast path of fast-parser.ts parses it).
 */
export function chevrotainParser(): EdictParser {
  return (shared ??= new EdictParser());
}

export function parserBuilt(): boolean {
  return shared !== undefined;
}
