// Differential property test: random well-typed policies and random requests (missing
// attributes and values of the wrong kind included); the reference interpreter and the
// compiled module must return the same WHOLE decision (outcome, reasons with order and
// messages, errors with locations, advisories, notifications, override).
// Policies come from a small grammar over a fixed `request` declaration, with when/unless/
// let/for clauses, reason templates, soft/advisory/notify annotations, defs with parameters,
// quantifiers, count, if, and several rules constrained on `action` so the rule index is used.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compilePackages, loadCompiled } from "../../compiler/codegen/compile.ts";
import { evaluatePackage } from "../../compiler/eval/evaluate.ts";
import { buildPackages } from "../../compiler/semantics/package-model.ts";
import { SourceFile } from "../../compiler/source/source-file.ts";
import { parseFile } from "../../compiler/syntax/parse.ts";

const HEADER = `request {
  action: String
  n: Number
  m: Number
  flag: Bool
  tags: Set<String>
  user: { name: String, level: Number, roles: Set<String> }
  opt?: String
}

def big(x: Number): Bool = x > 2
def level = user.level
`;

const str = fc.constantFrom('"a"', '"b"', '"c"', '"r1"', '""');
type G = fc.Arbitrary<string>;

function num(depth: number, locals: readonly string[]): G {
  const leaves: G[] = [fc.constantFrom("n", "m", "user.level", "level", "0", "1", "2", "3.5", "tags.size()"), ...(locals.includes("x") ? [fc.constant("x")] : [])];
  if (depth <= 0) return fc.oneof(...leaves);
  const sub = num(depth - 1, locals);
  return fc.oneof(
    ...leaves,
    fc.tuple(sub, fc.constantFrom("+", "-", "*", "/", "%"), sub).map(([a, op, b]) => `(${a} ${op} ${b})`),
    boolean(depth - 1, locals).map((c) => `count(t in tags where ${c.replace(/\bt\b/g, "t")})`),
    fc.constant("count(r in user.roles)"),
  );
}

function text(depth: number, locals: readonly string[]): G {
  const leaves: G[] = [str, fc.constantFrom("action", "user.name", "opt", "action.lower()", "user.name.upper()"), ...locals.filter((l) => l === "t" || l === "r").map((l) => fc.constant(l))];
  if (depth <= 0) return fc.oneof(...leaves);
  return fc.oneof(...leaves, fc.tuple(boolean(depth - 1, locals), text(depth - 1, locals), text(depth - 1, locals)).map(([c, a, b]) => `(if ${c} then ${a} else ${b})`));
}

function boolean(depth: number, locals: readonly string[]): G {
  const n = num(Math.min(depth, 1), locals);
  const s = text(Math.min(depth, 1), locals);
  const leaves: G[] = [
    fc.constantFrom("flag", "true", "false", "user has name", "user has nickname", "big(n)", "big(level)"),
    fc.tuple(s, fc.constantFrom("==", "!="), s).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(n, fc.constantFrom("<", "<=", ">", ">=", "==", "!="), n).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(str, fc.constantFrom("tags", "user.roles")).map(([a, c]) => `${a} in ${c}`),
    fc.tuple(s, fc.subarray(['"a"', '"b"', '"c"'], { minLength: 1 })).map(([a, l]) => `${a} in [${l.join(", ")}]`),
    fc.tuple(s, fc.constantFrom('"a*"', '"*b"', '"r\\\\*"', '"*"')).map(([a, p]) => `${a} like ${p}`),
    fc.tuple(s, fc.constantFrom('"^a"', '"b$"', '"[0-9]"')).map(([a, p]) => `${a} matches ${p}`),
    fc.tuple(s, str).map(([a, b]) => `${a}.startsWith(${b})`),
    str.map((a) => `tags.contains(${a})`),
  ];
  if (depth <= 0) return fc.oneof(...leaves);
  const sub = boolean(depth - 1, locals);
  const inT = boolean(depth - 1, [...locals, "t"]);
  return fc.oneof(
    { arbitrary: fc.oneof(...leaves), weight: 3 },
    { arbitrary: fc.tuple(sub, fc.constantFrom("and", "or"), sub).map(([a, op, b]) => `(${a} ${op} ${b})`), weight: 2 },
    { arbitrary: sub.map((a) => `not (${a})`), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom("some", "every"), inT).map(([q, b]) => `(${q} t in tags: ${b})`), weight: 1 },
    { arbitrary: fc.tuple(sub, sub, sub).map(([c, a, b]) => `(if ${c} then ${a} else ${b})`), weight: 1 },
  );
}

const annotation = fc.constantFrom("", '@enforce("soft")', '@enforce("advisory")', '@notify("ops")', '@id("X-1") @severity("high")', '@notify("a") @notify("b")');

interface RuleSpec {
  effect: string;
  annotation: string;
  action: string | undefined;
  forIn: string | undefined;
  lets: boolean;
  when: string[];
  unless: string | undefined;
  reason: string | undefined;
  /** The reason clause written before the `when`/`unless` clauses (it is still rendered last). */
  reasonFirst: boolean;
}

const rule: fc.Arbitrary<RuleSpec> = fc
  .record({
    effect: fc.constantFrom("permit", "forbid"),
    annotation,
    action: fc.option(fc.constantFrom('action == "a"', 'action == "b"', 'action in ["b", "c"]', '"c" == action', 'user.name == "a"'), { nil: undefined }),
    forIn: fc.option(fc.constantFrom("t in tags", "r in user.roles"), { nil: undefined }),
    lets: fc.boolean(),
    reasonFirst: fc.boolean(),
  })
  .chain((base) => {
    const locals = [...(base.forIn?.startsWith("t") ? ["t"] : base.forIn ? ["r"] : []), ...(base.lets ? ["x"] : [])];
    const interp = fc.constantFrom("{action}", "{n}", "{user.name}", "{tags}", "{level}", "{opt}", ...(locals.includes("t") ? ["{t}"] : []), ...(locals.includes("r") ? ["{r}"] : []), ...(locals.includes("x") ? ["{x}"] : []), "\\{lit\\}");
    return fc.record({
      effect: fc.constant(base.effect),
      annotation: fc.constant(base.annotation),
      action: fc.constant(base.action),
      forIn: fc.constant(base.forIn),
      lets: fc.constant(base.lets),
      reasonFirst: fc.constant(base.reasonFirst),
      when: fc.array(boolean(2, locals), { maxLength: 2 }),
      unless: fc.option(boolean(1, locals), { nil: undefined }),
      reason: fc.option(fc.array(fc.oneof(interp, fc.constantFrom("text ", "why: ", " and ")), { minLength: 1, maxLength: 4 }).map((p) => p.join("")), { nil: undefined }),
    });
  });

function ruleText(r: RuleSpec, i: number): string {
  const lines = [r.annotation, `${r.effect} r${i} {`];
  if (r.action) lines.push(`  when ${r.action}`);
  if (r.forIn) lines.push(`  for ${r.forIn}`);
  if (r.lets) lines.push(`  let x = n + 1`);
  if (r.reason !== undefined && r.reasonFirst) lines.push(`  reason "${r.reason}"`);
  for (const w of r.when) lines.push(`  when ${w}`);
  if (r.unless) lines.push(`  unless ${r.unless}`);
  if (r.reason !== undefined && !r.reasonFirst) lines.push(`  reason "${r.reason}"`);
  lines.push("}");
  return lines.join("\n");
}

// Packages of more than 16 rules get a rule index (codegen/emit-package.ts): half the policies
// carry 16 filler rules for other actions, so both shapes are compared.
const FILLER = Array.from({ length: 16 }, (_, i) => `forbid filler${i} {\n  when action == "z${i}"\n  when flag\n}`).join("\n\n");
const policy = fc
  .record({ defaultAllow: fc.boolean(), rules: fc.array(rule, { minLength: 1, maxLength: 7 }), filler: fc.boolean() })
  .map(({ defaultAllow, rules, filler }) => `package p${defaultAllow ? " default allow" : ""}\n${HEADER}\n${rules.map(ruleText).join("\n\n")}\n${filler ? `\n${FILLER}\n` : ""}`);

const MISSING = Symbol("missing");
const anyValue = fc.constantFrom<unknown>(null, 0, 1, "a", "b", true, [], {}, ["a"], MISSING);
const request = fc.oneof(
  { weight: 8, arbitrary: fc
    .record({
      action: fc.oneof(fc.constantFrom("a", "b", "c", "d", "A"), anyValue),
      n: fc.oneof(fc.constantFrom(0, 1, 2, 3, -1, 2.5, 1e308), anyValue),
      m: fc.oneof(fc.constantFrom(0, 2, 5), anyValue),
      flag: fc.oneof(fc.boolean(), anyValue),
      tags: fc.oneof(fc.array(fc.constantFrom("a", "b", "c", "r1", "r*x"), { maxLength: 4 }), fc.array(anyValue, { maxLength: 2 }), anyValue),
      user: fc.oneof(
        fc.record({
          name: fc.oneof(fc.constantFrom("a", "b", "Ann", "r1"), anyValue),
          level: fc.oneof(fc.constantFrom(0, 1, 3), anyValue),
          roles: fc.oneof(fc.array(fc.constantFrom("r1", "rx", "a"), { maxLength: 3 }), anyValue),
        }),
        anyValue,
      ),
      opt: fc.oneof(fc.constantFrom("a", "zz"), anyValue),
    })
    .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== MISSING).map(([k, v]) => [k, v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([, w]) => w !== MISSING)) : v]))) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 7, "x", [], [1]) },
);
// Requests of the declared types only (the fast paths' common case): `opt` present or not.
const typedRequest = fc
  .record({
    action: fc.constantFrom("a", "b", "c", "d", "A"),
    n: fc.constantFrom(0, 1, 2, 3, -1, 2.5),
    m: fc.constantFrom(0, 2, 5),
    flag: fc.boolean(),
    tags: fc.array(fc.constantFrom("a", "b", "c", "r1", "r*x"), { maxLength: 4 }),
    user: fc.record({ name: fc.constantFrom("a", "b", "Ann", "r1"), level: fc.constantFrom(0, 1, 3), roles: fc.array(fc.constantFrom("r1", "rx", "a"), { maxLength: 3 }) }),
    opt: fc.option(fc.constantFrom("a", "zz"), { nil: undefined }),
  })
  .map((r) => (r.opt === undefined ? Object.fromEntries(Object.entries(r).filter(([k]) => k !== "opt")) : r));
const override = fc.constantFrom<unknown>(undefined, { by: "ann", justification: "INC-1" }, { by: "", justification: "x" }, { by: "ann" });

describe("compiled code agrees with the interpreter", () => {
  it("on random policies and requests", async () => {
    await fc.assert(
      // With fast paths (each leaf's exact code as data, after a bail-out), and without (each
      // leaf's exact code written out): both must be the interpreter.
      fc.asyncProperty(policy, fc.array(fc.tuple(request, override), { minLength: 1, maxLength: 12 }), fc.constantFrom<"on" | "off">("on", "off"), async (text, requests, fastPaths) => {
        const parsed = parseFile(new SourceFile("diff.edict", text));
        expect(parsed.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
        const [pkg] = buildPackages([parsed]);
        const compiled = await compilePackages([{ pkg: pkg! }], { outFile: "diff.mjs", fastPaths });
        const mod = await loadCompiled(compiled.code);
        const version = compiled.manifests[0]!.version;
        for (const [req, ov] of requests) {
          const options = ov === undefined ? undefined : { override: ov as never };
          const expected = evaluatePackage(pkg!, req, { version, ...(options ?? {}) });
          const actual = mod.decide(req, options);
          expect(JSON.parse(JSON.stringify(actual)), `${text}\nrequest: ${JSON.stringify(req)} override: ${JSON.stringify(ov)}`).toEqual(JSON.parse(JSON.stringify(expected)));
          expect(JSON.stringify(actual)).toBe(JSON.stringify(expected)); // key order too
          // Twice: the second answer may come from the decision cache.
          expect(JSON.stringify(mod.decide(req, options))).toBe(JSON.stringify(actual));
        }
      }),
      { numRuns: 200 },
    );
  }, 120_000);

  // The fast paths (compiler/codegen/emit-fast-leaf.ts) answer alone here: a bail-out becomes an
  // internal-error decision instead of running the exact code. Every other answer came from a
  // fast path and must be the interpreter's; and most well-typed requests must get one.
  it("on the fast paths alone, whenever they answer", async () => {
    let answered = 0;
    let asked = 0;
    await fc.assert(
      fc.asyncProperty(policy, fc.array(fc.tuple(fc.oneof({ weight: 3, arbitrary: typedRequest }, { weight: 1, arbitrary: request }), override), { minLength: 1, maxLength: 12 }), async (text, requests) => {
        const [pkg] = buildPackages([parseFile(new SourceFile("diff.edict", text))]);
        const compiled = await compilePackages([{ pkg: pkg! }], { outFile: "diff.mjs", fastPaths: "alone" });
        const mod = await loadCompiled(compiled.code);
        const version = compiled.manifests[0]!.version;
        for (const [req, ov] of requests) {
          const options = ov === undefined ? undefined : { override: ov as never };
          const actual = mod.decide(req, options);
          asked++;
          if (actual.errors.some((e) => e.message.startsWith("internal error"))) continue;
          answered++;
          const expected = evaluatePackage(pkg!, req, { version, ...(options ?? {}) });
          expect(JSON.stringify(actual), `${text}\nrequest: ${JSON.stringify(req)} override: ${JSON.stringify(ov)}`).toBe(JSON.stringify(expected));
        }
      }),
      { numRuns: 150 },
    );
    expect(answered / asked).toBeGreaterThan(0.6);
  }, 120_000);

  // A reason clause may come before other clauses; its message is still rendered last, so a
  // value it reads first is not yet read by the clauses written after it.
  it("renders a reason written before later clauses after them, on the fast paths alone", async () => {
    const text = `package p\nrequest {\n  action: String\n  opt?: String\n}\ndef shout = opt.upper()\npermit r0 {\n  reason "{opt} {shout}"\n  when opt == "a"\n  when shout == "A"\n}\n`;
    const [pkg] = buildPackages([parseFile(new SourceFile("reason-first.edict", text))]);
    const compiled = await compilePackages([{ pkg: pkg! }], { outFile: "reason-first.mjs", fastPaths: "alone" });
    const mod = await loadCompiled(compiled.code);
    for (const req of [{ action: "x", opt: "a" }, { action: "x", opt: "b" }]) {
      const actual = mod.decide(req);
      expect(actual.errors).toEqual([]);
      expect(JSON.stringify(actual)).toBe(JSON.stringify(evaluatePackage(pkg!, req, { version: compiled.manifests[0]!.version })));
    }
  });
});
