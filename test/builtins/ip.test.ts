// Ip parsing, formatting, containment and classification (runtime/builtins/ip.ts).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EdictError, equals, fnIp, ipContains, ipIsIpv4, ipIsIpv6, ipIsLoopback, ipIsPrivate, parseIp, toIp } from "../../runtime/builtins/index.ts";

describe("ip parsing", () => {
  it.each([
    ["10.1.2.3", "10.1.2.3"],
    ["0.0.0.0", "0.0.0.0"],
    ["255.255.255.255", "255.255.255.255"],
    ["10.0.0.0/8", "10.0.0.0/8"],
    ["10.1.2.3/32", "10.1.2.3"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["::1", "::1"],
    ["::", "::"],
    ["::/0", "::/0"],
    ["fe80::/10", "fe80::/10"],
    ["FE80::1", "fe80::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
    ["1::", "1::"],
    ["::ffff:1.2.3.4", "::ffff:1.2.3.4"],
    ["64:ff9b::192.0.2.33", "64:ff9b::c000:221"],
    ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"],
    ["1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"],
  ])("accepts %s as %s", (text, canonical) => {
    expect(String(toIp(text))).toBe(canonical);
  });

  it.each([
    "",
    "10.1.2",
    "10.1.2.3.4",
    "256.1.2.3",
    "010.1.2.3",
    "10.1.2.3/33",
    "10.1.2.3/",
    "10.1.2.3/08",
    "10.1.2.-3",
    " 10.1.2.3",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7",
    "1::2::3",
    ":::",
    "12345::",
    "fe80::1%eth0",
    "::1/129",
    "g::1",
    "1:2:3:4:5:6:7:8::",
    "::ffff:1.2.3",
    "localhost",
  ])("rejects %j", (text) => {
    expect(parseIp(text)).toBeUndefined();
    expect(() => toIp(text)).toThrow(EdictError);
  });

  it("explains what an ip looks like", () => {
    expect(() => fnIp("10.1.2")).toThrow('"10.1.2" is not an ip address or range (expected something like "10.1.2.3", "10.0.0.0/8" or "::1")');
    expect(() => fnIp(7)).toThrow("expected an ip, not a number");
  });

  it("round-trips any IPv4 and IPv6 address", () => {
    fc.assert(
      fc.property(fc.ipV4(), (a) => {
        expect(String(toIp(a))).toBe(a);
      }),
    );
    fc.assert(
      fc.property(fc.ipV6(), (a) => {
        const ip = parseIp(a);
        expect(ip).toBeDefined();
        expect(equals(toIp(String(ip)), ip)).toBe(true);
      }),
    );
  });
});

describe("ip operations", () => {
  it("range containment", () => {
    expect(ipContains("10.0.0.0/8", "10.200.3.4")).toBe(true);
    expect(ipContains("10.0.0.0/8", "11.0.0.0")).toBe(false);
    expect(ipContains("172.16.0.0/12", "172.31.255.255")).toBe(true);
    expect(ipContains("172.16.0.0/12", "172.32.0.0")).toBe(false);
    expect(ipContains("10.0.0.0/8", "10.1.0.0/16")).toBe(true);
    expect(ipContains("10.1.0.0/16", "10.0.0.0/8")).toBe(false);
    expect(ipContains("0.0.0.0/0", "1.2.3.4")).toBe(true);
    expect(ipContains("fe80::/10", "fe80::1")).toBe(true);
    expect(ipContains("fe80::/10", "febf::1")).toBe(true);
    expect(ipContains("fe80::/10", "fec0::1")).toBe(false);
    expect(ipContains("10.1.2.3", "10.1.2.3")).toBe(true);
    expect(ipContains("0.0.0.0/0", "::1")).toBe(false); // families never mix
    expect(ipContains("::/0", "1.2.3.4")).toBe(false);
  });

  it("classification", () => {
    expect(ipIsLoopback("127.0.0.1")).toBe(true);
    expect(ipIsLoopback("127.255.0.1")).toBe(true);
    expect(ipIsLoopback("::1")).toBe(true);
    expect(ipIsLoopback("::2")).toBe(false);
    expect(ipIsLoopback("10.0.0.1")).toBe(false);
    for (const a of ["10.0.0.1", "172.16.5.4", "192.168.1.1", "fd00::1", "fc00::/7"]) expect(ipIsPrivate(a)).toBe(true);
    for (const a of ["8.8.8.8", "172.32.0.1", "192.169.0.1", "::1", "2001:db8::1", "10.0.0.0/7"]) expect(ipIsPrivate(a)).toBe(false);
    expect(ipIsIpv4("1.2.3.4")).toBe(true);
    expect(ipIsIpv6("1.2.3.4")).toBe(false);
    expect(ipIsIpv6("::1")).toBe(true);
  });

  it("equality coerces a string on the other side of a wrapper", () => {
    expect(equals(toIp("::1"), "0:0:0:0:0:0:0:1")).toBe(true);
    expect(equals("10.1.2.3", toIp("10.1.2.3/32"))).toBe(true);
    expect(equals(toIp("10.0.0.0/8"), "10.0.0.0/16")).toBe(false);
    expect(equals(toIp("10.0.0.1"), "not an ip")).toBe(false);
    expect(equals(toIp("10.0.0.1"), 10)).toBe(false);
  });
});
