// fast-check arbitraries for well-formed Edict programs, as token lists joined with random
// layout: spaces, line breaks, blank lines and comments between tokens. Used by the
// formatter's property test. Every compound operand is parenthesised, so any combination is
// syntactically valid whatever the precedence rules; names need not resolve (the formatter
// only needs a clean parse).
import fc from "fast-check";

type Tokens = string[];

const names = ["a", "b", "user", "roles", "x_1", "item"];
const name = fc.constantFrom(...names);
const attr = fc.constantFrom("id", "roles", "type", "name", "default");
const text = fc.string({ unit: fc.constantFrom("a", "b", " ", '"', "\\", "\n", "\t", "é", "{", "}", "/", "*", "\u0001", "😀"), maxLength: 8 });

const stringTok = text.map((s) => [JSON.stringify(s)]);
const numberTok = fc.constantFrom("0", "12", "3.5", "1e3", "2E-2", "0.25").map((n) => [n]);
const durationTok = fc.constantFrom("90s", "15m", "24h", "7d", "250ms", "1.5h").map((d) => [d]);

const atom: fc.Arbitrary<Tokens> = fc.oneof<fc.Arbitrary<Tokens>[]>(
  name.map((n) => [n]),
  stringTok,
  numberTok,
  durationTok,
  fc.constantFrom<Tokens>(["true"], ["false"]),
);

function commaList(items: Tokens[]): Tokens {
  return items.flatMap((t, i) => (i === 0 ? t : [",", ...t]));
}

const { expr } = fc.letrec<{ expr: Tokens; operand: Tokens }>((tie) => ({
  operand: fc.oneof(
    { maxDepth: 3, depthSize: "small", withCrossShrink: true },
    atom,
    // `.name`, `has name` and `key:` are single tokens: a keyword used as a name must stay
    // on the line of the `.`/`has`/`:` that makes it a name (the parser re-synchronises on
    // declaration keywords at the start of a line).
    fc.tuple(tie("operand"), attr).map(([o, a]) => [...o, "." + a]),
    fc.tuple(tie("operand"), tie("expr")).map(([o, i]) => [...o, "[", ...i, "]"]),
    fc.tuple(tie("operand"), fc.constantFrom("lower", "contains", "size"), fc.array(tie("expr"), { maxLength: 2 })).map(([o, m, args]) => [
      ...o,
      "." + m,
      "(",
      ...commaList(args),
      ")",
    ]),
    fc.tuple(fc.constantFrom("ip", "time", "f"), fc.array(tie("expr"), { maxLength: 3 })).map(([f, args]) => [f, "(", ...commaList(args), ")"]),
    fc.tuple(fc.array(tie("expr"), { maxLength: 4 }), fc.boolean()).map(([xs, trailing]) => ["[", ...commaList(xs), ...(trailing && xs.length > 0 ? [","] : []), "]"]),
    fc.array(fc.tuple(fc.oneof(attr, text.map((s) => JSON.stringify(s))), tie("expr")), { maxLength: 3 }).map((fs) => [
      "{",
      ...commaList(fs.map(([k, v]) => [k + ":", ...v])),
      "}",
    ]),
    tie("expr").map((e) => ["(", ...e, ")"]),
    fc.tuple(tie("expr"), tie("expr"), tie("expr")).map(([c, a, b]) => ["(", "if", ...c, "then", ...a, "else", ...b, ")"]),
    fc.tuple(name, tie("expr"), fc.option(tie("expr"))).map(([n, c, w]) => ["count", "(", n, "in", ...c, ...(w ? ["where", ...w] : []), ")"]),
    fc.tuple(fc.constantFrom("some", "every"), name, tie("operand"), tie("expr")).map(([q, n, c, b]) => ["(", q, n, "in", ...c, ":", ...b, ")"]),
    fc.tuple(tie("operand"), fc.array(fc.tuple(attr, tie("expr")), { minLength: 1, maxLength: 2 })).map(([o, fs]) => [
      "(",
      ...o,
      "with",
      "{",
      ...commaList(fs.map(([k, v]) => [k + ":", ...v])),
      "}",
      ")",
    ]),
    tie("operand").map((o) => ["-", ...o]),
  ),
  expr: fc.oneof(
    { maxDepth: 3, depthSize: "small", withCrossShrink: true },
    tie("operand"),
    fc.tuple(tie("operand"), fc.constantFrom("==", "!=", "<", "<=", ">", ">=", "in", "+", "-", "*", "/", "%", "and", "or", "like", "matches"), tie("operand")).map(
      ([l, op, r]) => [...l, op, ...r],
    ),
    fc.tuple(tie("operand"), fc.constantFrom("and", "or", "+", "*"), tie("operand"), tie("operand")).map(([a, op, b, c]) => [...a, op, ...b, op, ...c]),
    tie("operand").map((o) => ["not", ...o]),
    fc.tuple(tie("operand"), attr).map(([o, a]) => [...o, "has " + a]),
  ),
}));

const typeExpr: fc.Arbitrary<Tokens> = fc.oneof<fc.Arbitrary<Tokens>[]>(
  fc.constantFrom<Tokens>(["String"], ["Number"], ["Bool"], ["Time"], ["Any"], ["Set", "<", "String", ">"], ["Map", "<", "Number", ">"]),
  fc.array(text.map((s) => JSON.stringify(s)), { minLength: 2, maxLength: 4 }).map((xs) => xs.flatMap((x, i) => (i === 0 ? [x] : ["|", x]))),
  fc.array(fc.tuple(attr, fc.boolean()), { minLength: 1, maxLength: 3 }).map((fs) => ["{", ...commaList(fs.map(([n, opt]) => [n + (opt ? "?:" : ":"), "String"])), "}"]),
);

const fields = fc
  .array(fc.tuple(fc.option(fc.nat(99)), fc.constantFrom("id", "roles", "name", "owner"), fc.boolean(), typeExpr), { maxLength: 4 })
  .map((fs) =>
    fs.flatMap(([doc, n, opt, t], i) => [
      ...(i > 0 && i % 2 === 0 ? [","] : []),
      ...(doc !== null ? [`\n/// field doc ${doc}\n`] : []),
      n + (opt ? "?:" : ":"),
      ...t,
    ]),
  );

const annotation = fc.oneof(
  fc.constantFrom("owner", "internal").map((n) => ["@", n]),
  fc.tuple(fc.constantFrom("id", "severity", "notify"), text).map(([n, v]) => ["@", n, "(", JSON.stringify(v), ")"]),
);

const templateText = fc.string({ unit: fc.constantFrom("a", " ", "{", "}", '"', "\\", "é"), maxLength: 6 }).map((s) =>
  JSON.stringify(s)
    .slice(1, -1)
    .replace(/[{}]/g, "\\$&"),
);
const template = fc.array(fc.oneof(templateText, fc.tuple(name, attr).map(([n, a]) => `{${n}.${a}}`)), { maxLength: 4 }).map((parts) => `"${parts.join("")}"`);

const clause = fc.oneof(
  fc.tuple(name, expr).map(([n, e]) => ["for", n, "in", ...e]),
  fc.tuple(name, expr).map(([n, e]) => ["let", n, "=", ...e]),
  expr.map((e) => ["when", ...e]),
  expr.map((e) => ["unless", ...e]),
  template.map((t) => ["reason", t]),
);

const decl: fc.Arbitrary<Tokens> = fc.oneof(
  fc.tuple(fc.array(annotation, { maxLength: 2 }), fc.constantFrom("T", "Doc"), fields).map(([as, n, fs]) => [...as.flat(), "type", n, "{", ...fs, "}"]),
  fc.tuple(fc.constantFrom("Kind", "E"), typeExpr).map(([n, t]) => ["type", n, "=", ...t]),
  fields.map((fs) => ["request", "{", ...fs, "}"]),
  fc.tuple(name, expr).map(([n, e]) => ["def", n, "=", ...e]),
  fc.tuple(name, fc.array(fc.tuple(name, fc.option(typeExpr)), { maxLength: 2 }), fc.option(typeExpr), expr).map(([n, ps, rt, e]) => [
    "def",
    n,
    "(",
    ...commaList(ps.map(([p, t]) => (t ? [p, ":", ...t] : [p]))),
    ")",
    ...(rt ? [":", ...rt] : []),
    "=",
    ...e,
  ]),
  fc.tuple(fc.array(annotation, { maxLength: 3 }), fc.constantFrom("permit", "forbid"), name, fc.array(clause, { maxLength: 4 })).map(([as, eff, n, cs]) => [
    ...as.flat(),
    eff,
    n,
    "{",
    ...cs.flat(),
    "}",
  ]),
  fc.tuple(text, expr, fc.option(expr), fc.constantFrom("allow", "deny"), fc.array(name, { maxLength: 2 })).map(([n, req, ov, out, by]) => [
    "test",
    JSON.stringify(n),
    "{",
    "request",
    ...req,
    ...(ov ? ["override", ...ov] : []),
    "expect",
    out,
    ...(by.length > 0 ? ["by", ...commaList(by.map((b) => [b]))] : []),
    "}",
  ]),
);

/**
 * `///` doc lines where people write them: above declarations. (A `///` in the middle of
 * code documents nothing; the formatter keeps it off the line above a declaration, but two
 * such stray lines in a row cannot both be kept off it — see the formatter's known limits.)
 */
const docLines = fc.array(fc.nat(99).map((n) => `\n/// doc ${n}\n`), { maxLength: 2 });

/** A program as tokens: `package` first, then declarations. */
export const programTokens: fc.Arbitrary<Tokens> = fc
  .tuple(docLines, fc.boolean(), fc.array(fc.tuple(docLines, decl), { maxLength: 5 }))
  .map(([pkgDoc, allow, ds]) => [...pkgDoc, "package", "p", ...(allow ? ["default", "allow"] : []), ...ds.flatMap(([doc, d]) => [...doc, ...d])]);

const separator = fc.oneof(
  { weight: 12, arbitrary: fc.constant(" ") },
  { weight: 3, arbitrary: fc.constant("\n") },
  { weight: 1, arbitrary: fc.constant("\n\n") },
  { weight: 1, arbitrary: fc.constant("  \t") },
  { weight: 1, arbitrary: fc.nat(99).map((n) => ` /* c${n} */ `) },
  { weight: 1, arbitrary: fc.nat(99).map((n) => ` // c${n}\n`) },
  { weight: 1, arbitrary: fc.nat(99).map((n) => `\n// own ${n}\n`) },
);

/** A program's source text: its tokens with random layout and comments between them. */
export const programText: fc.Arbitrary<string> = programTokens.chain((tokens) =>
  fc.array(separator, { minLength: tokens.length, maxLength: tokens.length }).map((seps) => tokens.map((t, i) => (i === 0 ? t : seps[i]! + t)).join("") + "\n"),
);
