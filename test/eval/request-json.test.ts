// Positions of JSON errors in `edict eval` requests (JSON.parse's messages often lack them).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findJsonError, parseRequestJson } from "../../cli/commands/eval-request.ts";

describe("request JSON", () => {
  it.each([
    ['{"a": }', "line 1, column 7: expected a value, found `}`"],
    ['{"a": 1', "line 1, column 8: expected `,` or `}`, found the end of the input"],
    ["", "line 1, column 1: expected a value, found the end of the input"],
    ["[1,2,]", "line 1, column 6: a trailing comma before `]` is not allowed in JSON"],
    ['{"a":1}x', "line 1, column 8: unexpected `x` after the JSON value"],
    ["{a: 1}", "line 1, column 2: expected a property name in double quotes, found `a`"],
    ['{"a" 1}', "line 1, column 6: expected `:` after a property name, found `1`"],
    ['"abc', "line 1, column 5: unterminated string"],
    ['"\\x"', "line 1, column 2: bad escape `\\x` in a string"],
    ["{\n  'a': 1\n}", "line 2, column 3: expected a property name in double quotes, found `'`"],
    ["[1 2]", "line 1, column 4: expected `,` or `]`, found `2`"],
    ["nul", "line 1, column 1: expected a value, found `n`"],
  ])("%j → %s", (text, message) => {
    const r = parseRequestJson(text);
    expect(r).toEqual({ ok: false, message });
  });

  it("accepts what JSON.parse accepts (and a BOM)", () => {
    expect(parseRequestJson('\ufeff{"a": [1, {"b": null}]}')).toEqual({ ok: true, value: { a: [1, { b: null }] } });
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v, null, 1);
        expect(findJsonError(text)).toBeUndefined();
      }),
    );
  });

  it("finds an error wherever JSON.parse does", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), fc.constantFrom("}", "]", ",", ":", "x", '"'), (v, at, junk) => {
        const good = JSON.stringify(v);
        const i = at % (good.length + 1);
        const text = good.slice(0, i) + junk + good.slice(i);
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        expect(findJsonError(text) === undefined).toBe(parses);
      }),
    );
  });
});
