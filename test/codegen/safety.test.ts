// Nothing in a policy can inject code; attribute access never reaches a prototype; decide
// never throws. Hostile text goes into string literals, reason templates, annotations, doc
// comments, enum types and FILE NAMES; the module must import, run and hand the text back
// unchanged. Prototype and hostile-input cases are checked against the interpreter.
import { describe, expect, it } from "vitest";
import { evaluatePackage } from "../../compiler/eval/evaluate.ts";
import { load } from "./compile-helpers.ts";

const EVIL = "\"'`${globalThis.__edictPwned=1}\\ </script><!-- \u2028\u2029 */ /* \n\r\t \u0000 -->";
/** EVIL as an Edict string literal (Edict strings use JSON escapes). */
const lit = JSON.stringify(EVIL);
/** In a reason template braces must be escaped to stay text. */
const templ = lit.replace(/[{}]/g, (c) => `\\${c}`);
const EVIL_FILE = "pol\"icy'`${globalThis.__edictPwned=2}</script>\u2028*/\nx.edict";

describe("no injection", () => {
  it("hostile strings in literals, reasons, annotations, doc comments, enums and file names", async () => {
    const text = `/// package doc */ </script> \${x} \` \\
package evil

type Kind = ${lit} | "plain"

request {
  action: String
  kind: Kind
}

/// rule doc */ </script> \${globalThis.__edictPwned=3} \` "quoted" \\ backslash
@owner(${lit}) @id(${lit}) @notify(${lit})
permit evil_rule {
  when action == ${lit}
  when action in [${lit}, "other"]
  when action like ${JSON.stringify(EVIL.replace(/[\\*]/g, (c) => "\\" + c))}
  reason ${templ}
}

forbid evil_forbid {
  when action == "deny-me"
  reason "{action} ${templ.slice(1, -1)}"
}
`;
    const { mod, result } = await load([{ path: EVIL_FILE, text }]);
    expect((globalThis as Record<string, unknown>).__edictPwned).toBeUndefined();
    const d = mod.decide({ action: EVIL, kind: "plain" });
    expect(d.decision).toBe("allow");
    expect(d.reasons).toHaveLength(1);
    expect(d.reasons[0]!.message).toBe(EVIL);
    expect(d.reasons[0]!.id).toBe(EVIL);
    expect(d.reasons[0]!.location.startsWith(EVIL_FILE + ":")).toBe(true);
    expect(d.notifications).toEqual([{ rule: "evil.evil_rule", channel: EVIL }]);
    const denied = mod.decide({ action: "deny-me", kind: "plain" });
    expect(denied.reasons.map((r) => r.message)).toEqual([`deny-me ${EVIL}`]);
    const rule = mod.manifest.rules[0]!;
    expect(rule.annotations.owner).toBe(EVIL);
    expect(rule.doc).toContain('rule doc */ </script> ${globalThis.__edictPwned=3} ` "quoted" \\ backslash');
    expect(mod.manifest.sources[0]!.file).toBe(EVIL_FILE);
    // The generated text itself: no raw line separators, no closing script tag, no eval.
    expect(result.code).not.toMatch(/[\u2028\u2029]|<\/script|\beval\(|new Function/i);
    expect(result.dts).not.toMatch(/[\u2028\u2029]|<\/script/i);
    expect(JSON.parse(result.map).sources).toEqual([EVIL_FILE]);
    expect((globalThis as Record<string, unknown>).__edictPwned).toBeUndefined();
  });

  it("an annotation named __proto__ is a plain manifest key, not a prototype", async () => {
    const text = `package p\n\n@__proto__(${lit})\n@owner("team")\npermit r {\n  when input.a == 1\n}\n`;
    const { mod } = await load([{ path: "p.edict", text }]);
    const annotations = mod.manifest.rules[0]!.annotations as Record<string, unknown>;
    expect(Object.getPrototypeOf(annotations)).toBe(Object.prototype);
    expect(Object.hasOwn(annotations, "__proto__")).toBe(true);
    expect(annotations["__proto__"]).toBe(EVIL);
    expect(annotations.owner).toBe("team");
  });
});

const PROTO = `package proto

permit own_proto {
  when input.__proto__ == "x"
}

permit has_ctor {
  when input has constructor
}

permit to_string {
  when input.toString == "s"
}

permit literal_proto {
  when {"__proto__": 1}.__proto__ == 1
  when ({"__proto__": 2} with {a: 3}).__proto__ == 2
  when input.k in {"__proto__": 1}
}
`;

describe("own properties only", () => {
  const requests: [string, unknown][] = [
    ["an own __proto__ key (JSON.parse)", JSON.parse('{"__proto__": "x", "k": "__proto__"}')],
    ["constructor and toString as data", { constructor: 1, toString: "s", k: "constructor" }],
    ["plain object: inherited members are missing", {}],
    ["Object.create(null)", Object.assign(Object.create(null) as object, { toString: "s", k: "__proto__" })],
    ["inherited fields do not count", Object.create({ toString: "s", constructor: 1, k: "__proto__" }) as object],
  ];
  for (const [name, req] of requests) {
    it(name, async () => {
      const { mod, pkgs, result } = await load([{ path: "proto.edict", text: PROTO }]);
      const expected = evaluatePackage(pkgs[0]!, req, { version: result.manifests[0]!.version });
      expect(JSON.stringify(mod.decide(req))).toBe(JSON.stringify(expected));
    });
  }
  it("a polluted Object.prototype adds no attribute (fields, nested attributes, the index)", async () => {
    const text = `package polluted\n\nrequest {\n  action: String\n  user: { role: String }\n}\n\npermit admins {\n  when action == "read"\n  when user.role == "admin"\n}\n\npermit by_action {\n  when action == "write"\n}\n`;
    const { mod, pkgs, result } = await load([{ path: "polluted.edict", text }]);
    const proto = Object.prototype as Record<string, unknown>;
    try {
      proto.role = "admin";
      proto.action = "write";
      for (const req of [{ action: "read", user: {} }, { user: { role: "guest" } }, JSON.parse('{"action":"read","user":{}}')]) {
        const expected = evaluatePackage(pkgs[0]!, req, { version: result.manifests[0]!.version });
        const got = mod.decide(req);
        expect(JSON.stringify(got)).toBe(JSON.stringify(expected));
        expect(got.allowed).toBe(false);
      }
    } finally {
      delete proto.role;
      delete proto.action;
    }
    // Without the pollution the same policy allows an own admin role (the fast path is taken).
    expect(mod.decide({ action: "read", user: { role: "admin" } }).allowed).toBe(true);
  });

  it("reads own data, never the prototype", async () => {
    const { mod } = await load([{ path: "proto.edict", text: PROTO }]);
    expect(mod.decide(JSON.parse('{"__proto__": "x", "k": "__proto__"}')).reasons.map((r) => r.rule)).toEqual(["proto.own_proto", "proto.literal_proto"]);
    expect(mod.decide({}).decision).toBe("deny");
    expect(mod.decide(Object.create({ toString: "s", constructor: 1 }) as object).reasons).toEqual([]);
  });
});

const HOSTILE = `package hostile

request {
  user: { name: String, roles: Set<String> }
  action: String
}

permit reader {
  when action == "read"
  when "viewer" in user.roles
  reason "{user.name} reads"
}

@notify("x")
forbid banned {
  for r in user.roles
  when r == "banned"
  reason "{user.name} is banned"
}
`;

describe("decide never throws", () => {
  const cyclic: Record<string, unknown> = { action: "read" };
  cyclic.user = cyclic;
  let deep: unknown = {};
  for (let i = 0; i < 100_000; i++) deep = { user: deep, action: "read" };
  const throwingProxy = new Proxy({}, { get: () => { throw new Error("trap"); }, has: () => { throw new Error("trap"); }, getOwnPropertyDescriptor: () => { throw new Error("trap"); }, ownKeys: () => { throw new Error("trap"); } });
  const getter = Object.defineProperty({ action: "read" }, "user", { enumerable: true, get() { throw new Error("getter"); } });
  const inputs: [string, unknown][] = [
    ["undefined", undefined],
    ["null", null],
    ["a number", 42],
    ["a string", "read"],
    ["a list", ["read"]],
    ["a cyclic object", cyclic],
    ["a 100000-deep object", deep],
    ["roles of the wrong kind", { action: "read", user: { name: 1, roles: "viewer" } }],
    ["roles with non-strings", { action: "read", user: { name: "a", roles: [1, null, {}, ["banned"], "banned"] } }],
  ];
  for (const [name, req] of inputs) {
    it(`${name}: same decision as the interpreter`, async () => {
      const { mod, pkgs, result } = await load([{ path: "hostile.edict", text: HOSTILE }]);
      const expected = evaluatePackage(pkgs[0]!, req, { version: result.manifests[0]!.version });
      expect(JSON.stringify(mod.decide(req))).toBe(JSON.stringify(expected));
    });
  }
  it("Proxies and getters that throw, hostile options", async () => {
    const { mod } = await load([{ path: "hostile.edict", text: HOSTILE }]);
    for (const req of [throwingProxy, getter]) {
      const d = mod.decide(req);
      expect(d.allowed).toBe(false);
      expect(d.errors.length).toBeGreaterThan(0);
    }
    const badOptions = Object.defineProperty({}, "override", { get() { throw new Error("options getter"); } });
    const d = mod.decide({ action: "read", user: { name: "a", roles: ["banned"] } }, badOptions as never);
    expect(d.allowed).toBe(false);
    expect(() => mod.decide({ action: "read" }, throwingProxy as never)).not.toThrow();
  });
});
