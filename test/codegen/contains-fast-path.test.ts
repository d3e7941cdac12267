// $contains (the IPv4 fast path of `range.contains(text)`) gives exactly what the builtin
// `contains` gives — same result, same error — for ranges of every prefix and for address
// text that is valid, almost valid (leading zeros, 256, 5 parts, spaces, CIDR, IPv6) or not an ip.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { $contains } from "../../compiler/codegen/support/decide-support.ts";
import { contains, fnIp } from "../../runtime/builtins/index.ts";

function outcome(f: () => unknown): string {
  try {
    return `ok:${String(f())}`;
  } catch (e) {
    return `error:${(e as Error).message}`;
  }
}

const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.constantFrom("256", "300", "00", "01", "007", "1000", "", " 1", "a", "-1"));
const text = fc.oneof(
  fc.tuple(octet, octet, octet, octet).map((p) => p.join(".")),
  fc.tuple(octet, octet, octet, octet, octet).map((p) => p.join(".")),
  fc.tuple(octet, octet, octet).map((p) => p.join(".")),
  fc.constantFrom("10.1.2.3/8", "::1", "2001:db8::7", "::ffff:10.1.2.3", "10.1.2.3 ", "", "10..1.2", "10.1.2.3."),
  fc.string({ maxLength: 16 }),
);
const range = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 32 })).map(([a, b, p]) => `${a}.${b}.0.0/${p}`),
  fc.constantFrom("10.0.0.0/8", "10.1.2.3", "0.0.0.0/0", "255.255.255.255/32", "::/0", "2001:db8::/32"),
);

describe("$contains", () => {
  it("agrees with contains on ip ranges and address text", () => {
    fc.assert(
      fc.property(range, text, (r, t) => {
        const ip = fnIp(r);
        expect(outcome(() => $contains(ip, t, "f:1:1"))).toBe(outcome(() => contains(ip, t)));
      }),
      { numRuns: 3000 },
    );
  });

  it("leaves other receivers to contains", () => {
    for (const [v, x] of [[["a", "b"], "b"], ["prod-1", "prod"], [{ k: 1 }, "k"], ["10.0.0.0/8", "10.1.2.3"], [5, "x"]] as const) {
      expect(outcome(() => $contains(v, x, "f:1:1"))).toBe(outcome(() => contains(v, x)));
    }
  });
});
