// The parser's foundation. Owns: the chevrotain configuration (recovery on, Edict-worded error
// messages), the per-parse SyntaxContext, and the hand-written recovery helpers the grammar
// uses: "take if present", "report missing", "skip one junk run", "close a bracket".
// INVARIANT (recording): every helper returns early while chevrotain records the grammar.
import { EmbeddedActionsParser, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
import { isRealToken, showToken, SyntaxContext, tokenEnd, tokenSpan } from "./lower.ts";
import { closestKeyword } from "../diagnostics/suggest.ts";
import { allTokens, describeTokenType, Eq, Identifier as IdentifierTok } from "./tokens.ts";

/** What a rule name means in "expected ..." messages when chevrotain finds no alternative. */
const RULE_EXPECTS: Record<string, string> = {
  declaration: "a declaration",
  typeExpr: "a type",
  typePrimary: "a type",
  fieldDecl: "a field name",
  recordField: "a field name",
  param: "a parameter name",
  annotation: "an annotation",
};

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    const want = describeTokenType(expected);
    return isRealToken(actual) ? `unexpected ${showToken(actual)}, expected ${want}` : `expected ${want}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${showToken(firstRedundant)}`;
  },
  buildNoViableAltMessage({ actual, ruleName }) {
    const want = RULE_EXPECTS[ruleName] ?? "an expression";
    const t = actual[0];
    return t && isRealToken(t) ? `unexpected ${showToken(t)}, expected ${want}` : `expected ${want}`;
  },
  buildEarlyExitMessage({ actual, ruleName }) {
    const want = RULE_EXPECTS[ruleName] ?? "an expression";
    const t = actual[0];
    return t && isRealToken(t) ? `unexpected ${showToken(t)}, expected ${want}` : `expected ${want}`;
  },
};

export abstract class ParserBase extends EmbeddedActionsParser {
  /** The current parse; set by parse.ts before each input. */
  c: SyntaxContext = new SyntaxContext("", "", undefined);
  /** Inside a junk run: later tokens of the same run are not reported again. */
  protected junkRun = false;

  constructor() {
    super(allTokens, { recoveryEnabled: true, maxLookahead: 1, errorMessageProvider: messages, skipValidations: process.env["EDICT_VALIDATE_GRAMMAR"] !== "1" });
  }

  /** End offset of the last consumed real token, or the input start. */
  protected prevEnd(): number {
    const t = this.LA(0);
    return isRealToken(t) ? tokenEnd(t) : this.c.inputStart;
  }

  /** Start offset of the next token, or the input end. */
  protected nextStart(): number {
    const t = this.LA(1);
    return isRealToken(t) ? t.startOffset : Math.max(this.prevEnd(), this.c.inputEnd);
  }

  /** E0106 at the end of the previous token: "expected X". */
  protected missing(what: string): void {
    if (this.RECORDING_PHASE) return;
    const at = this.prevEnd();
    this.c.error("E0106", `expected ${what}`, this.c.span(at, at));
  }

  /**
   * E0105 at the next token ("unexpected `}`, expected X") when it sits on the same line;
   * otherwise (end of input, or the next token starts a later line: the line was left
   * unfinished) E0106 "expected X" right after the previous token, on the unfinished line.
   */
  protected unexpected(what: string): void {
    if (this.RECORDING_PHASE) return;
    const t = this.LA(1);
    if (!isRealToken(t) || !this.nextOnSameLine()) return this.missing(what);
    this.c.error("E0105", `unexpected ${showToken(t)}, expected ${what}`, tokenSpan(this.c, t));
  }

  /** Consumes the next token if it has this type (outside the recorded grammar). */
  protected take(type: TokenType): IToken | undefined {
    if (this.RECORDING_PHASE) return undefined;
    const t = this.LA(1);
    if (t.tokenType !== type) return undefined;
    this.SKIP_TOKEN();
    return t;
  }

  /**
   * Closes a bracket: takes `type` if next; if one stray token sits before it, reports that token
   * and takes both (single-token deletion); otherwise reports the closer missing.
   */
  protected expectClose(type: TokenType, what: string, open?: IToken): boolean {
    if (this.RECORDING_PHASE) return false;
    if (this.take(type)) return true;
    const t = this.LA(1);
    if (isRealToken(t) && this.LA(2).tokenType === type) {
      this.c.error("E0105", `unexpected ${showToken(t)}, expected ${what}`, tokenSpan(this.c, t));
      this.SKIP_TOKEN();
      this.SKIP_TOKEN();
      return true;
    }
    const at = this.prevEnd();
    const opened = open && isRealToken(open) ? [{ span: tokenSpan(this.c, open), message: `opened here` }] : undefined;
    this.c.diagnostics.push({
      code: "E0106",
      severity: "error",
      message: `expected ${what}`,
      span: this.c.span(at, at),
      ...(opened ? { related: opened } : {}),
    });
    return false;
  }

  /** A token that fits nowhere in a body: the first of a run is reported, the rest skipped. */
  protected junk(t: IToken, where: string, help: string, keywords: readonly string[] = []): void {
    if (this.junkRun) return;
    this.junkRun = true;
    this.c.error("E0105", `unexpected ${showToken(t)} ${where}`, tokenSpan(this.c, t), this.adviceFor(t, keywords) ?? help);
  }

  /** Help for a token where a keyword was expected: a close keyword, or `==` for `=`. */
  protected adviceFor(t: IToken, keywords: readonly string[]): string | undefined {
    if (t.tokenType === Eq) return "compare with `==`; `=` only appears in `def` and `let`";
    if (t.tokenType !== IdentifierTok) return undefined;
    const k = closestKeyword(t.image, keywords);
    return k === undefined ? undefined : `did you mean \`${k}\`?`;
  }

  /** Is the next token on the same line as the previous one? (Keywords as attribute names.) */
  protected nextOnSameLine(): boolean {
    const t = this.LA(1);
    if (!isRealToken(t)) return false;
    const text = this.c.text;
    for (let i = this.prevEnd(); i < t.startOffset; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10 || ch === 13) return false;
    }
    return true;
  }
}
