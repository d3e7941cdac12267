// The time and ip parsers are char-code scanners (no allocation: they run per decision on fresh
// request text). Their specification is the regex/split definitions they replaced, kept here as
// the oracle: on random near-valid and mutated text, both must accept the same strings and read
// the same values.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fnIp, ipContains, ipInto, parseIp, parseTimeMs, rangeContainsText } from "../../runtime/builtins/index.ts";

// ---------------------------------------------------------------- oracle: time

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function oracleTime(text: string): number | undefined {
  const m = ISO_RE.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => +m[i]!) as [number, number, number, number, number];
  const second = m[6] === undefined ? 0 : +m[6];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = m[7] === undefined ? 0 : +(m[7] + "00").slice(0, 3);
  let offset = 0;
  if (m[8] === undefined) {
    const oh = +m[10]!;
    const om = +m[11]!;
    if (oh > 23 || om > 59) return undefined;
    offset = (oh * 60 + om) * 60_000 * (m[9] === "-" ? -1 : 1);
  }
  // Date.UTC with the year set explicitly (years 0..99 are not 19xx).
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  d.setUTCFullYear(year);
  return d.getTime() - offset;
}

// ---------------------------------------------------------------- oracle: ip

function oracleV4(text: string, out: number[]): boolean {
  const parts = text.split(".");
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || +p > 255) return false;
    out.push(+p);
  }
  return true;
}

function oracleV6(text: string, out: number[]): boolean {
  const dbl = text.indexOf("::");
  if (dbl >= 0 && text.indexOf("::", dbl + 1) >= 0) return false;
  const head = dbl >= 0 ? (text.slice(0, dbl) === "" ? [] : text.slice(0, dbl).split(":")) : [];
  const all = dbl >= 0 ? (text.slice(dbl + 2) === "" ? [] : text.slice(dbl + 2).split(":")) : text.split(":");
  let v4: string | undefined;
  if (all.length > 0 && all[all.length - 1]!.includes(".")) v4 = all.pop();
  const hex = /^[0-9A-Fa-f]{1,4}$/;
  if (![...head, ...all].every((g) => hex.test(g))) return false;
  const explicit = head.length + all.length + (v4 === undefined ? 0 : 2);
  if (dbl >= 0 ? explicit > 7 : explicit !== 8) return false;
  const words = [...head, ...new Array<string>(dbl >= 0 ? 8 - explicit : 0).fill("0"), ...all].map((g) => parseInt(g, 16));
  for (const w of words) out.push(w >> 8, w & 0xff);
  return v4 === undefined || oracleV4(v4, out);
}

/** [v6, bytes, prefix] or undefined. */
function oracleIp(text: string): [boolean, number[], number] | undefined {
  if (text.length === 0 || text.length > 64) return undefined;
  const slash = text.indexOf("/");
  const addr = slash >= 0 ? text.slice(0, slash) : text;
  const v6 = addr.includes(":");
  const bytes: number[] = [];
  if (!(v6 ? oracleV6(addr, bytes) : oracleV4(addr, bytes))) return undefined;
  let prefix = v6 ? 128 : 32;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || +p > prefix) return undefined;
    prefix = +p;
  }
  return [v6, bytes, prefix];
}

// ---------------------------------------------------------------- generators

/** A valid-looking string with up to 3 random edits (insert, delete, replace) from `alphabet`. */
function mutated(valid: fc.Arbitrary<string>, alphabet: string): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.constantFrom(...alphabet.split("")), fc.constantFrom("ins", "del", "rep", "none"));
  return fc.tuple(valid, fc.array(edit, { maxLength: 3 })).map(([s, edits]) => {
    for (const [pos, ch, kind] of edits) {
      const i = s.length === 0 ? 0 : pos % (s.length + 1);
      if (kind === "ins") s = s.slice(0, i) + ch + s.slice(i);
      else if (kind === "del") s = s.slice(0, i) + s.slice(i + 1);
      else if (kind === "rep") s = s.slice(0, i) + ch + s.slice(i + 1);
    }
    return s;
  });
}

const d = (n: number, max = 10 ** n - 1) => fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, "0"));
const validTime = fc
  .tuple(d(4), d(2, 13), d(2, 32), fc.constantFrom("T", "t", " "), d(2, 25), d(2, 61), fc.option(fc.tuple(d(2, 61), fc.option(fc.stringMatching(/^\d{1,10}$/)))), fc.oneof(fc.constantFrom("Z", "z", ""), fc.tuple(fc.constantFrom("+", "-"), d(2, 25), d(2, 61)).map(([s, h, m]) => `${s}${h}:${m}`)))
  .map(([y, mo, da, t, h, mi, sec, z]) => `${y}-${mo}-${da}${t}${h}:${mi}${sec ? `:${sec[0]}${sec[1] ? `.${sec[1]}` : ""}` : ""}${z}`);

const octet = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 300 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom("01", "00", "", "1a") });
const validV4 = fc.oneof({ weight: 6, arbitrary: fc.array(octet, { minLength: 4, maxLength: 4 }) }, { weight: 1, arbitrary: fc.array(octet, { minLength: 3, maxLength: 5 }) }).map((p) => p.join("."));
const group = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((v) => v.toString(16)) },
  { weight: 1, arbitrary: fc.constantFrom("", "0", "FFFF", "g", "fffff", "00000") },
);
const validV6 = fc
  .tuple(fc.boolean(), fc.option(validV4, { freq: 4 }), fc.integer({ min: -1, max: 1 }), fc.array(group, { minLength: 9, maxLength: 9 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 7 }))
  .map(([gap, v4, skew, pool, at, count]) => {
    // Without `::`: 8 groups (6 before a dotted quad); with it: fewer. `skew` makes some counts wrong.
    const n = Math.max(0, (gap ? count : 8) - (v4 ? 2 : 0) + (skew === 1 && at % 3 === 0 ? 1 : skew === -1 && at % 3 === 0 ? -1 : 0));
    const parts = pool.slice(0, n);
    if (v4) parts.push(v4);
    if (!gap) return parts.join(":");
    const i = Math.min(at, parts.length);
    return `${parts.slice(0, i).join(":")}::${parts.slice(i).join(":")}`;
  });
const validIp = fc.tuple(fc.oneof(validV4, validV6), fc.option(fc.oneof(fc.integer({ min: 0, max: 200 }).map(String), fc.constantFrom("08", "", "1/2")))).map(([a, p]) => (p === null ? a : `${a}/${p}`));

describe("char-code scanners agree with the regex definitions", () => {
  it("parseTimeMs", () => {
    fc.assert(
      fc.property(mutated(validTime, "0123456789-:.TtZz+ "), (s) => {
        expect(parseTimeMs(s)).toBe(oracleTime(s));
      }),
      { numRuns: 20_000 },
    );
  });

  it("ipInto / parseIp", () => {
    fc.assert(
      fc.property(mutated(validIp, "0123456789abcdefABCDEF:./g"), (s) => {
        const want = oracleIp(s);
        const out = new Uint8Array(16);
        const got = ipInto(s, out);
        if (want === undefined) {
          expect(got).toBe(-1);
          expect(parseIp(s)).toBeUndefined();
          return;
        }
        const [v6, bytes, prefix] = want;
        expect(got).toBe(v6 ? prefix + 256 : prefix);
        expect([...out.slice(0, bytes.length)]).toEqual(bytes);
        const ip = parseIp(s)!;
        expect([ip.isV6, [...ip.bytes], ip.prefix]).toEqual([v6, bytes, prefix]);
      }),
      { numRuns: 20_000 },
    );
  });

  it("rangeContainsText (the compiled contains() fast path) is ipContains on text that parses, undefined otherwise", () => {
    const ranges = ["10.0.0.0/8", "0.0.0.0/0", "192.168.1.7/32", "10.128.0.0/9", "203.0.113.0/31", "::/0", "2001:db8::/32", "fe80::/10", "::1/128"].map(fnIp);
    fc.assert(
      fc.property(fc.constantFrom(...ranges), mutated(validIp, "0123456789abcdefABCDEF:./g"), (range, s) => {
        expect(rangeContainsText(range, s)).toBe(parseIp(s) === undefined ? undefined : ipContains(range, s));
      }),
      { numRuns: 20_000 },
    );
  });

  it("the generators reach both answers", () => {
    const times = fc.sample(mutated(validTime, "0123456789-:.TtZz+ "), 2000);
    const ips = fc.sample(mutated(validIp, "0123456789abcdefABCDEF:./g"), 4000);
    expect(times.filter((s) => oracleTime(s) !== undefined).length).toBeGreaterThan(100);
    expect(times.filter((s) => oracleTime(s) === undefined).length).toBeGreaterThan(100);
    expect(ips.filter((s) => oracleIp(s)?.[0] === true).length).toBeGreaterThan(40);
    expect(ips.filter((s) => oracleIp(s)?.[0] === false).length).toBeGreaterThan(50);
    expect(ips.filter((s) => oracleIp(s) === undefined).length).toBeGreaterThan(100);
  });
});
