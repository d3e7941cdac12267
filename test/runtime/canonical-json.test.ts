// RFC 8785 canonical JSON: the RFC's own examples, and properties: output parses back to the
// JSON meaning of the input, is a fixed point, and every record the writer assembles from
// pre-serialised pieces equals the canonical form the verifier recomputes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalize, createEnforcer, memoryAuditLog, verifyAuditLog } from "../../runtime/index.ts";
import type { Decision, PolicyModule } from "../../runtime/decision.ts";
import { manifestFor } from "../audit/fake-policy.ts";

describe("canonicalize (RFC 8785)", () => {
  it("RFC 8785 §3.2.2 example: numbers, strings, literals", () => {
    const input = JSON.parse('{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}');
    expect(canonicalize(input)).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it("RFC 8785 §3.2.3 example: keys sorted by UTF-16 code units", () => {
    const input = JSON.parse('{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control", "\\u00f6": "Latin Small Letter O With Diaeresis"}');
    // (Object.keys would list "1" first: integer-like keys; read the order off the text.)
    const keys = [...canonicalize(input).matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
    expect(keys).toEqual(["\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33"]);
  });

  it("numbers as ECMAScript serialises them; -0 is 0; non-finite is null", () => {
    expect(canonicalize([0, -0, 1, -1.5, 1e21, 1e-7, 123456789012345680000, Number.NaN, Infinity])).toBe("[0,0,1,-1.5,1e+21,1e-7,123456789012345680000,null,null]");
  });

  it("controls, quotes and lone surrogates are escaped like JSON.stringify", () => {
    expect(canonicalize("\u0000\b\t\n\f\r\u001f\"\\\ud800")).toBe('"\\u0000\\b\\t\\n\\f\\r\\u001f\\"\\\\\\ud800"');
  });

  it("drops undefined members, keeps array holes as null", () => {
    expect(canonicalize({ b: undefined, a: [undefined, () => 1], c: Symbol("s") })).toBe('{"a":[null,null]}');
  });

  it("key order is the sorted order whatever the insertion order, across many shapes sharing keys (property)", () => {
    // exercises the per-shape key cache: permutations of one key set, and > 16 shapes per first key
    const key = fc.string({ unit: "binary", maxLength: 4 });
    fc.assert(
      fc.property(fc.uniqueArray(key, { minLength: 1, maxLength: 24 }), fc.integer(), (keys, seed) => {
        const shuffled = [...keys].sort((a, b) => ((hashOf(a + seed) - hashOf(b + seed)) | 0));
        const sorted = [...keys].sort();
        for (const order of [keys, shuffled, sorted, [keys[0]!, ...sorted.filter((k) => k !== keys[0])]]) {
          const obj: Record<string, number> = {};
          for (const k of order) obj[k] = k.length;
          expect(canonicalize(obj)).toBe(expectedCanonical(sorted));
        }
      }),
      { numRuns: 300 },
    );
    for (let n = 0; n < 40; n++) {
      const obj: Record<string, number> = { z: 0 };
      for (let i = n; i >= 0; i--) obj[`k${i}`] = i;
      expect(canonicalize(obj)).toBe(expectedCanonical(Object.keys(obj).sort(), obj));
    }
  });

  it("round-trips and is a fixed point (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const c = canonicalize(v);
        expect(JSON.parse(c)).toEqual(JSON.parse(JSON.stringify(v)));
        expect(canonicalize(JSON.parse(c))).toBe(c);
      }),
      { numRuns: 300 },
    );
  });
});

describe("writer and verifier agree on every record (property)", () => {
  const text = fc.string({ unit: "binary", maxLength: 12 });
  const reason = fc.record({ rule: text, effect: fc.constantFrom("permit" as const, "forbid" as const), message: fc.option(text, { nil: undefined }), id: fc.option(text, { nil: undefined }), severity: fc.option(text, { nil: undefined }), location: text });
  const decision = fc.record({
    allowed: fc.boolean(),
    reasons: fc.array(reason, { maxLength: 3 }),
    errors: fc.array(fc.record({ rule: text, message: text, location: text }), { maxLength: 2 }),
    bypassed: fc.option(fc.array(reason, { maxLength: 2 }), { nil: undefined }),
    pkg: text,
    version: text,
  });
  it("random requests, decisions and overrides verify intact", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.jsonValue({ stringUnit: "binary" }), decision, fc.option(fc.record({ by: text, justification: text }), { nil: undefined })), { minLength: 1, maxLength: 6 }), async (cases) => {
        let i = 0;
        const policy: PolicyModule = {
          manifest: manifestFor("p", "v"),
          decide(): Decision {
            const [, d] = cases[i++]!;
            return {
              allowed: d.allowed,
              decision: d.allowed ? "allow" : "deny",
              reasons: d.reasons,
              errors: d.errors,
              advisories: [],
              notifications: [],
              policy: { package: d.pkg, version: d.version },
              ...(d.bypassed ? { override: { by: "x", justification: "y", bypassed: d.bypassed } } : {}),
            };
          },
        };
        const log = memoryAuditLog({ checkpointEvery: 2 });
        const e = createEnforcer(policy, { audit: log, mask: ["a", "b.c"], who: "w", instance: "i\u2028\"" });
        for (const [request, , override] of cases) e.decide(request, override ? { override } : undefined);
        await e.close();
        expect(verifyAuditLog(log.text(), log.publicKey)).toMatchObject({ status: "intact", records: cases.length });
        // each record line is its canonical form with `hash` added before the closing brace
        for (const line of log.lines().slice(1)) {
          const { hash, ...body } = JSON.parse(line) as Record<string, unknown>;
          if (body.type !== undefined) continue;
          expect(line).toBe(canonicalize(body).slice(0, -1) + `,"hash":${JSON.stringify(hash)}}`);
        }
      }),
      { numRuns: 60 },
    );
  });
});

function hashOf(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}

/** `{"k":v,...}` for `sorted` keys (values: the key's length, or `obj[k]`), built by hand. */
function expectedCanonical(sorted: readonly string[], obj?: Record<string, number>): string {
  return "{" + sorted.map((k) => `${JSON.stringify(k)}:${obj ? obj[k] : k.length}`).join(",") + "}";
}
