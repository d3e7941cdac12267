// Strings (like, matches, methods), collection and map methods, and method/function dispatch
// (runtime/builtins/text.ts, collections.ts, dispatch.ts).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as b from "../../runtime/builtins/index.ts";

describe("like (glob)", () => {
  it.each([
    ["prod-eu", "prod-*", true],
    ["prod-", "prod-*", true],
    ["staging", "prod-*", false],
    ["xprod-eu", "prod-*", false],
    ["abc", "abc", true],
    ["abcd", "abc", false],
    ["", "", true],
    ["", "*", true],
    ["anything", "*", true],
    ["a*b", "a\\*b", true],
    ["axb", "a\\*b", false],
    ["a\\b", "a\\\\b", true],
    ["abcabd", "a*b*d", true],
    ["abd", "a*b*d", true],
    ["abdx", "a*b*d", false],
    ["aXbYc", "*b*", true],
    ["aba", "a*a", true],
    ["a", "a*a", false],
    ["ab", "*a*b*", true],
    ["ba", "*a*b*", false],
    ["héllo wörld", "h*w*d", true],
  ])("%j like %j is %s", (s, p, want) => {
    expect(b.like(s, p)).toBe(want);
  });

  it("agrees with an anchored regular expression on random inputs", () => {
    const toRegex = (p: string) => new RegExp("^" + p.split("*").map((x) => x.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$", "s");
    fc.assert(
      fc.property(fc.stringMatching(/^[ab*]{0,8}$/), fc.stringMatching(/^[ab]{0,12}$/), (p, s) => {
        expect(b.like(s, p)).toBe(toRegex(p).test(s));
      }),
    );
  });

  it("is fast on adversarial inputs (no backtracking)", () => {
    const s = "a".repeat(20_000);
    expect(b.like(s, "*a*a*a*a*a*a*a*a*b")).toBe(false);
  });

  it("needs strings", () => {
    expect(() => b.like(3, "*")).toThrow("`like` needs a string on the left, not a number");
    expect(() => b.like("a", null)).toThrow("a `like` pattern must be a string, not null");
  });
});

describe("matches (regex search)", () => {
  it("is a search, not a whole-string match", () => {
    expect(b.matchesRegex("deploy-prod-1", b.compileRegex("prod"))).toBe(true);
    expect(b.matchesRegex("deploy-prod-1", b.compileRegex("^prod"))).toBe(false);
    expect(b.matchesRegex("ab12", b.compileRegex("^[a-z]+\\d+$"))).toBe(true);
  });

  it("a compiled regex is reusable (no lastIndex state)", () => {
    const re = b.compileRegex("x");
    expect(b.matchesRegex("x", re)).toBe(true);
    expect(b.matchesRegex("x", re)).toBe(true);
  });

  it("errors", () => {
    expect(() => b.compileRegex("(")).toThrow(/^invalid regular expression "\("/);
    expect(() => b.matchesRegex(1, /x/)).toThrow("`matches` needs a string on the left, not a number");
  });
});

describe("string methods", () => {
  it("work on strings", () => {
    expect(b.strLower("HeLLo")).toBe("hello");
    expect(b.strUpper("straße")).toBe("STRASSE");
    expect(b.strTrim("  x \n")).toBe("x");
    expect(b.strStartsWith("prod-eu", "prod")).toBe(true);
    expect(b.strEndsWith("prod-eu", "-us")).toBe(false);
    expect(b.strContains("prod-eu", "d-e")).toBe(true);
    expect(b.strSize("héllo")).toBe(5);
    expect(b.strSize("a😀b")).toBe(3);
    expect(b.strSize("")).toBe(0);
  });

  it("reject other kinds with the method's name", () => {
    expect(() => b.strLower(1)).toThrow("`lower()` needs a string, not a number");
    expect(() => b.strStartsWith("a", 1)).toThrow("`startsWith(...)'s argument` needs a string, not a number");
  });
});

describe("collection and map methods", () => {
  it("lists and sets", () => {
    expect(b.collSize([1, 2])).toBe(2);
    expect(b.collIsEmpty([])).toBe(true);
    expect(b.collContains(["a", "b"], "b")).toBe(true);
    expect(b.collContains([{ a: 1 }], { a: 1 })).toBe(true);
    expect(b.collContainsAll(["a", "b", "c"], ["c", "a"])).toBe(true);
    expect(b.collContainsAll(["a"], [])).toBe(true);
    expect(b.collContainsAll(["a"], ["a", "z"])).toBe(false);
    expect(b.collContainsAny(["a", "b"], ["z", "b"])).toBe(true);
    expect(b.collContainsAny(["a", "b"], [])).toBe(false);
    expect(() => b.collSize("ab")).toThrow("`size()` needs a list or a set, not a string");
    expect(() => b.collContainsAll(["a"], "a")).toThrow("`containsAll(...)'s argument` needs a list or a set, not a string");
  });

  it("maps use own keys only", () => {
    const m = { b: 2, a: 1 };
    expect(b.mapSize(m)).toBe(2);
    expect(b.mapIsEmpty({})).toBe(true);
    expect(b.mapContains(m, "a")).toBe(true);
    expect(b.mapContains(m, "toString")).toBe(false);
    expect(b.mapKeys(m)).toEqual(["b", "a"]);
    expect(b.mapValues(m)).toEqual([2, 1]);
    expect(b.mapKeys(Object.create(null))).toEqual([]);
    expect(() => b.mapKeys([1])).toThrow("`keys()` needs a map, not a list");
  });
});

describe("dispatch by run-time kind", () => {
  it("callMethod picks the version for the receiver", () => {
    expect(b.callMethod("abc", "size", [])).toBe(3);
    expect(b.callMethod([1, 2], "size", [])).toBe(2);
    expect(b.callMethod({ a: 1 }, "size", [])).toBe(1);
    expect(b.callMethod("abc", "contains", ["b"])).toBe(true);
    expect(b.callMethod(["a"], "contains", ["a"])).toBe(true);
    expect(b.callMethod({ a: 1 }, "contains", ["a"])).toBe(true);
    expect(b.callMethod(b.toIp("10.0.0.0/8"), "contains", ["10.1.1.1"])).toBe(true);
    expect(b.callMethod("10.0.0.0/8", "contains", ["10.1.1.1"])).toBe(true); // CIDR text from JSON
    expect(b.callMethod("10.0.0.0/8", "contains", [b.toIp("11.1.1.1")])).toBe(false);
    expect(b.callMethod("a/b", "contains", ["/"])).toBe(true);
    expect(b.callMethod("2026-01-05T10:00:00Z", "hour", [])).toBe(10);
    expect(b.callMethod("90m", "hours", [])).toBe(1.5);
    expect(b.callMethod("127.0.0.1", "isLoopback", [])).toBe(true);
    expect(b.callMethod([], "isEmpty", [])).toBe(true);
    expect(b.callMethod({ x: 1 }, "keys", [])).toEqual(["x"]);
  });

  it("callMethod errors clearly", () => {
    expect(() => b.callMethod("a", "nope", [])).toThrow("unknown method `nope`");
    expect(() => b.callMethod("a", "toString", [])).toThrow("unknown method `toString`");
    expect(() => b.callMethod("a", "__proto__", [])).toThrow("unknown method `__proto__`");
    expect(() => b.callMethod("a", "lower", [1])).toThrow("`lower()` takes 0 arguments, not 1");
    expect(() => b.callMethod(1, "size", [])).toThrow("`size()` needs a string, a list, a set or a map, not a number");
    expect(() => b.callMethod("x", "isEmpty", [])).toThrow("`isEmpty()` needs a list, a set or a map, not a string");
    expect(() => b.callMethod(null, "contains", [1])).toThrow("not null");
    expect(() => b.callMethod("yesterday", "hour", [])).toThrow('"yesterday" is not a time');
  });

  it("callFunction", () => {
    expect(String(b.callFunction("ip", ["::1"]))).toBe("::1");
    expect(String(b.callFunction("time", ["2026-01-05T10:00:00Z"]))).toBe("2026-01-05T10:00:00Z");
    expect(String(b.callFunction("duration", ["1h"]))).toBe("1h");
    expect(b.isBuiltinFunction("ip")).toBe(true);
    expect(b.isBuiltinFunction("constructor")).toBe(false);
    expect(() => b.callFunction("constructor", [""])).toThrow("unknown function `constructor`");
    expect(() => b.callFunction("ip", [])).toThrow("`ip()` takes 1 argument, not 0");
  });
});
