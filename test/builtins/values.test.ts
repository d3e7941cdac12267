// Attribute access, equality, ordering, arithmetic, membership, conditions and rendering
// (runtime/builtins/access.ts, operators.ts).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as b from "../../runtime/builtins/index.ts";

const { EdictError } = b;

describe("getAttr reads own properties only", () => {
  it("reads present attributes", () => {
    expect(b.getAttr({ a: 1 }, "a")).toBe(1);
    expect(b.getAttr({ a: null }, "a")).toBe(null);
    expect(b.getAttr({ a: false }, "a")).toBe(false);
  });

  it.each(["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf", "__defineGetter__"])("`%s` is an ordinary, missing attribute", (k) => {
    expect(() => b.getAttr({}, k)).toThrow(`attribute \`${k}\` is missing`);
    expect(b.hasAttr({}, k)).toBe(false);
  });

  it("reads a JSON `__proto__` key as data", () => {
    const o = JSON.parse('{"__proto__": {"admin": true}, "constructor": 5}');
    expect(b.getAttr(o, "__proto__")).toEqual({ admin: true });
    expect(b.getAttr(o, "constructor")).toBe(5);
    expect(() => b.getAttr(o, "admin")).toThrow("attribute `admin` is missing");
  });

  it("works on Object.create(null)", () => {
    const o = Object.create(null) as Record<string, unknown>;
    o.x = 1;
    expect(b.getAttr(o, "x")).toBe(1);
    expect(b.hasAttr(o, "x")).toBe(true);
    expect(() => b.getAttr(o, "y")).toThrow("attribute `y` is missing");
  });

  it("ignores inherited attributes", () => {
    const o = Object.create({ role: "admin" }) as object;
    expect(() => b.getAttr(o, "role")).toThrow("attribute `role` is missing");
    expect(b.hasAttr(o, "role")).toBe(false);
  });

  it.each([
    [[], "a list"],
    [[1], "a list"],
    [null, "null"],
    [42, "a number"],
    ["s", "a string"],
    [true, "a boolean"],
    [undefined, "nothing"],
    [new b.Time(0), "a time"],
    [new b.Duration(0), "a duration"],
  ])("reading from %j is an error naming %s", (v, kind) => {
    expect(() => b.getAttr(v, "x")).toThrow(`cannot read attribute \`x\` of ${kind}`);
    expect(() => b.getAttr(v, "length")).toThrow(EdictError);
    expect(() => b.hasAttr(v, "x")).toThrow(`cannot test attribute \`x\` of ${kind}`);
  });

  it("does not expose wrapper internals", () => {
    expect(() => b.getAttr(b.toIp("::1"), "prefix")).toThrow("cannot read attribute `prefix` of an ip");
    expect(() => b.getAttr(new b.Time(0), "ms")).toThrow("cannot read attribute `ms` of a time");
  });
});

describe("getIndex", () => {
  it("indexes lists by whole numbers and maps by own keys", () => {
    expect(b.getIndex([10, 20], 1)).toBe(20);
    expect(b.getIndex({ a: 1 }, "a")).toBe(1);
    expect(() => b.getIndex([10], 1)).toThrow("index 1 is out of range for a list of 1 item");
    expect(() => b.getIndex([10], -1)).toThrow("index -1 is out of range");
    expect(() => b.getIndex([10], 0.5)).toThrow("a list index must be a whole number, not a number");
    expect(() => b.getIndex([10], "0")).toThrow("a list index must be a whole number, not a string");
    expect(() => b.getIndex({ a: 1 }, "toString")).toThrow('key "toString" is missing');
    expect(() => b.getIndex({ a: 1 }, 1)).toThrow("a map key must be a string, not a number");
    expect(() => b.getIndex("abc", 1)).toThrow("cannot index a string");
  });
});

describe("records built by policies", () => {
  it("`__proto__` is a plain field, never the prototype", () => {
    const r = b.makeRecord(["__proto__", "a"], [{ admin: true }, 1]);
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
    expect(b.getAttr(r, "__proto__")).toEqual({ admin: true });
    expect(Object.keys(r)).toEqual(["__proto__", "a"]);
    const w = b.recordWith(r, ["__proto__"], [null]);
    expect(b.getAttr(w, "__proto__")).toBe(null);
    expect(b.getAttr(w, "a")).toBe(1);
    expect(b.getAttr(r, "__proto__")).toEqual({ admin: true }); // the base is untouched
  });

  it("`with` needs a record", () => {
    expect(() => b.recordWith([1], ["a"], [1])).toThrow("`with` needs a record on the left, not a list");
  });
});

describe("equality is strict and structural", () => {
  it.each([
    ["1", 1, false],
    [1, 1, true],
    [0, -0, true],
    [null, null, true],
    [null, false, false],
    ["", false, false],
    [[1, 2], [1, 2], true],
    [[1, 2], [2, 1], false], // sets are arrays: order matters
    [[1], [1, 1], false],
    [{ a: 1, b: [2] }, { b: [2], a: 1 }, true],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [{ a: undefined }, { b: undefined }, false],
    [{}, [], false],
    [[], {}, false],
    [{ a: 1 }, "[object Object]", false],
    [[1], 1, false],
    [[1], "1", false],
  ])("%j == %j is %s", (x, y, want) => {
    expect(b.equals(x, y)).toBe(want);
    expect(b.equals(y, x)).toBe(want);
    expect(b.notEquals(x, y)).toBe(!want);
  });

  it("coerces the other side of a wrapper, failure means not equal", () => {
    expect(b.equals(b.toTime("2026-01-05T10:00:00Z"), "2026-01-05T12:00:00+02:00")).toBe(true);
    expect(b.equals("2026-01-05T12:00:00+02:00", b.toTime("2026-01-05T10:00:00Z"))).toBe(true);
    expect(b.equals(b.toTime("2026-01-05T10:00:00Z"), "not a time")).toBe(false);
    expect(b.equals(b.toDuration("90s"), "1m30s")).toBe(true);
    expect(b.equals(b.toDuration("90s"), 90_000)).toBe(false);
    expect(b.equals([b.toTime("2026-01-05T10:00:00Z")], ["2026-01-05T10:00:00Z"])).toBe(true);
    expect(b.equals({ t: b.toDuration("1h") }, { t: "60m" })).toBe(true);
    expect(b.equals(b.toTime("1970-01-01T00:00:00Z"), b.toDuration("0s"))).toBe(false);
    // Without a wrapper, strings are strings.
    expect(b.equals("2026-01-05T10:00:00Z", "2026-01-05T12:00:00+02:00")).toBe(false);
  });

  it("is reflexive and symmetric on JSON values, and agrees with canonical JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (x, y) => {
        expect(b.equals(x, structuredClone(x))).toBe(true);
        expect(b.equals(x, y)).toBe(b.equals(y, x));
      }),
    );
  });

  it("guards depth (cyclic or absurdly nested JS values) with an EdictError", () => {
    const a: unknown[] = [];
    a.push(a);
    const c: unknown[] = [];
    c.push(c);
    expect(() => b.equals(a, c)).toThrow("values are nested too deeply to compare");
    expect(b.equals(a, a)).toBe(true);
  });
});

describe("ordering", () => {
  it("numbers, times and durations", () => {
    expect(b.lt(1, 2)).toBe(true);
    expect(b.le(2, 2)).toBe(true);
    expect(b.gt(2, 1)).toBe(true);
    expect(b.ge(1, 2)).toBe(false);
    expect(b.lt("2026-01-05T10:00:00Z", b.toTime("2026-01-05T11:00:00Z"))).toBe(true);
    expect(b.lt("2026-01-05T10:00:00Z", "2026-01-05T11:00:00+02:00")).toBe(false); // compared as instants
    expect(b.gt(b.toDuration("1h"), "59m")).toBe(true);
    expect(b.ge("15m", "900s")).toBe(true);
  });

  it.each([
    ["a", "b", "cannot compare a string with a string using `<` (it needs two numbers, two times or two durations)"],
    [1, "2", "cannot compare a number with a string using `<`"],
    [null, 1, "cannot compare null with a number"],
    ["1h", "2026-01-05T10:00:00Z", "cannot compare a string with a string"],
    [[1], [2], "cannot compare a list with a list"],
  ])("%j < %j is an error", (x, y, msg) => {
    expect(() => b.lt(x, y)).toThrow(msg);
  });
});

describe("arithmetic", () => {
  it("numbers", () => {
    expect(b.add(1, 2)).toBe(3);
    expect(b.sub(1, 2)).toBe(-1);
    expect(b.mul(3, 4)).toBe(12);
    expect(b.div(1, 4)).toBe(0.25);
    expect(b.mod(7, 3)).toBe(1);
    expect(b.mod(-7, 3)).toBe(-1);
    expect(b.neg(5)).toBe(-5);
    expect(String(b.neg(b.toDuration("5m")))).toBe("-5m");
  });

  it("errors on wrong kinds, division by zero and overflow", () => {
    expect(() => b.add("a", "b")).toThrow("cannot apply `+` to a string and a string");
    expect(() => b.add(1, "1")).toThrow("cannot apply `+` to a number and a string");
    expect(() => b.mul(2, null)).toThrow("cannot apply `*` to a number and null");
    expect(() => b.div(1, 0)).toThrow("division by zero");
    expect(() => b.mod(1, 0)).toThrow("division by zero in `%`");
    expect(() => b.mul(1e200, 1e200)).toThrow("arithmetic overflow: the result is not a finite number");
    expect(() => b.add(Number.MAX_VALUE, Number.MAX_VALUE)).toThrow("arithmetic overflow");
    expect(() => b.neg("x")).toThrow("cannot negate a string");
  });
});

describe("in", () => {
  it("lists and sets by equality, maps by own key", () => {
    expect(b.inOp("read", ["read", "write"])).toBe(true);
    expect(b.inOp("delete", ["read", "write"])).toBe(false);
    expect(b.inOp(1, ["1"])).toBe(false);
    expect(b.inOp([1], [[1], [2]])).toBe(true);
    expect(b.inOp({ a: 1 }, [{ a: 1 }])).toBe(true);
    expect(b.inOp("a", { a: 1 })).toBe(true);
    expect(b.inOp("toString", { a: 1 })).toBe(false);
    expect(b.inOp("__proto__", {})).toBe(false);
    expect(b.inOp("x", Object.create(null))).toBe(false);
    expect(b.inOp(b.toTime("2026-01-05T10:00:00Z"), ["2026-01-05T10:00:00Z"])).toBe(true);
  });

  it("errors on non-collections", () => {
    expect(() => b.inOp("a", "abc")).toThrow("`in` needs a list, a set or a map on the right, not a string");
    expect(() => b.inOp("a", null)).toThrow("not null");
    expect(() => b.inOp(1, { a: 1 })).toThrow("a map key must be a string, not a number");
  });
});

describe("conditions and iteration", () => {
  it("conditions must be booleans", () => {
    expect(b.truthy(true)).toBe(true);
    expect(b.truthy(false)).toBe(false);
    for (const [v, kind] of [[1, "a number"], ["true", "a string"], [null, "null"], [[], "a list"], [{}, "a record"]] as const) {
      expect(() => b.truthy(v)).toThrow(`a condition must be a boolean, not ${kind}`);
    }
  });

  it("only lists and sets iterate", () => {
    expect(b.iterate([1, 2])).toEqual([1, 2]);
    expect(() => b.iterate({ a: 1 })).toThrow("cannot iterate over a record (use `.keys()` or `.values()`)");
    expect(() => b.iterate("ab")).toThrow("cannot iterate over a string");
  });
});

describe("renderValue", () => {
  it.each([
    ["text", "text"],
    [42, "42"],
    [1.5, "1.5"],
    [true, "true"],
    [null, "null"],
    [[1, "a"], '[1,"a"]'],
    [{ a: [true] }, '{"a":[true]}'],
    [b.toTime("2026-01-05T12:00:00+02:00"), "2026-01-05T10:00:00Z"],
    [b.toDuration("90m"), "90m"],
    [b.toIp("10.0.0.0/8"), "10.0.0.0/8"],
    [[b.toDuration("15m")], '["15m"]'],
  ])("renders %j as %s", (v, text) => {
    expect(b.renderValue(v)).toBe(text);
  });

  it("a cyclic value is an EdictError, not a crash", () => {
    const o: Record<string, unknown> = {};
    o.self = o;
    expect(() => b.renderValue(o)).toThrow(EdictError);
  });
});
