// IP addresses and ranges. Owns: strict parsing of IPv4 (`10.1.2.3`, no leading zeros),
// IPv6 (`::1`, `fe80::1`, `::ffff:1.2.3.4`; no zone ids) and CIDR (`10.0.0.0/8`, `fe80::/10`),
// the coercion toIp used by every Ip operation (a wrapper or a parseable string), and the Ip
// methods. An address is a range with a full prefix (/32, /128); families never mix
// (an IPv4 range does not contain an IPv4-mapped IPv6 address).
import { EdictError } from "./error.ts";
import { describeKind, Ip, quote } from "./wrappers.ts";

// The parsers scan char codes into a caller's byte array and allocate nothing: the compiled
// `range.contains(context.ip)` parses a fresh address per decision (see `ipInto`).

/** The dotted quad from `at` to the end of `text` into `out[o..o+3]` (see ipv4Number). */
function parseV4(text: string, at: number, out: Uint8Array, o: number): boolean {
  const a = ipv4Number(text, at);
  if (a < 0) return false;
  out[o] = a >>> 24;
  out[o + 1] = (a >>> 16) & 0xff;
  out[o + 2] = (a >>> 8) & 0xff;
  out[o + 3] = a & 0xff;
  return true;
}

const HEX = (c: number): number => (c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1);
const WORDS = new Uint16Array(8);

/**
 * IPv6 text into 16 bytes: hex groups of 1–4 digits separated by `:`, at most one `::` standing
 * for at least one zero group, optionally ending with a dotted quad (`::ffff:1.2.3.4`).
 */
function parseV6(text: string, out: Uint8Array): boolean {
  const n = text.length;
  let i = 0;
  let count = 0; // groups read
  let gap = -1; // groups before `::` (-1: none)
  let v4At = -1; // where an embedded IPv4 address starts
  if (text.charCodeAt(0) === 58 /* : */) {
    if (text.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
  }
  while (i < n) {
    const start = i;
    let v = 0;
    while (i < n) {
      const h = HEX(text.charCodeAt(i));
      if (h < 0) break;
      v = v * 16 + h;
      i++;
    }
    if (i < n && text.charCodeAt(i) === 46 /* . */) {
      v4At = start; // the rest must be the dotted quad
      break;
    }
    const len = i - start;
    if (len === 0 || len > 4 || count === 8) return false;
    WORDS[count++] = v;
    if (i === n) break;
    if (text.charCodeAt(i) !== 58) return false;
    if (text.charCodeAt(i + 1) === 58) {
      if (gap >= 0) return false;
      gap = count;
      i += 2;
    } else {
      i++;
      if (i === n) return false; // a trailing single `:`
    }
  }
  const explicit = count + (v4At >= 0 ? 2 : 0);
  if (gap >= 0 ? explicit > 7 : explicit !== 8) return false;
  if (v4At >= 0 && !parseV4(text, v4At, out, 12)) return false;
  const words = 8 - (v4At >= 0 ? 2 : 0);
  const zeros = 8 - explicit;
  for (let w = 0, k = 0; w < words; w++) {
    const value = gap >= 0 && w >= gap && w < gap + zeros ? 0 : WORDS[k++]!;
    out[2 * w] = value >> 8;
    out[2 * w + 1] = value & 0xff;
  }
  return true;
}

/**
 * Reads an address or CIDR range into `out` (16 bytes for IPv6, the first 4 for IPv4) without
 * allocating. Returns the prefix length (+ 256 for IPv6), or -1 when `text` is not an ip.
 */
export function ipInto(text: string, out: Uint8Array): number {
  const n = text.length;
  if (n === 0 || n > 64) return -1;
  let slash = -1;
  let v6 = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 47 /* / */) {
      slash = i;
      break;
    }
    if (c === 58) v6 = true;
  }
  const addr = slash >= 0 ? text.slice(0, slash) : text;
  if (!(v6 ? parseV6(addr, out) : parseV4(addr, 0, out, 0))) return -1;
  const full = v6 ? 128 : 32;
  let prefix = full;
  if (slash >= 0) {
    // `0|[1-9]\d{0,2}` and at most the address's bits.
    const len = n - slash - 1;
    if (len === 0 || len > 3 || (len > 1 && text.charCodeAt(slash + 1) === 48)) return -1;
    prefix = 0;
    for (let i = slash + 1; i < n; i++) {
      const d = text.charCodeAt(i) - 48;
      if (!(d >= 0 && d <= 9)) return -1;
      prefix = prefix * 10 + d;
    }
    if (prefix > full) return -1;
  }
  return v6 ? prefix + 256 : prefix;
}

/** An Ip, or undefined when `text` is not an IPv4/IPv6 address or CIDR range. */
export function parseIp(text: string): Ip | undefined {
  const bytes = new Uint8Array(16);
  const r = ipInto(text, bytes);
  if (r < 0) return undefined;
  return r >= 256 ? new Ip(true, bytes, r - 256) : new Ip(false, bytes.slice(0, 4), r);
}

/** Coerces an Ip wrapper or an address/CIDR string to an Ip; else EdictError. */
export function toIp(v: unknown): Ip {
  if (v instanceof Ip) return v;
  if (typeof v === "string") {
    const ip = parseIp(v);
    if (ip !== undefined) return ip;
    throw new EdictError(`${quote(v)} is not an ip address or range (expected something like "10.1.2.3", "10.0.0.0/8" or "::1")`);
  }
  throw new EdictError(`expected an ip, not ${describeKind(v)}`);
}

/** Whether the first `prefix` bits of two byte arrays agree. */
function samePrefix(a: Uint8Array, b: Uint8Array, prefix: number): boolean {
  let i = 0;
  for (; prefix >= 8; prefix -= 8, i++) if (a[i] !== b[i]) return false;
  if (prefix === 0) return true;
  const mask = (0xff << (8 - prefix)) & 0xff;
  return (a[i]! & mask) === (b[i]! & mask);
}

const SCRATCH = new Uint8Array(16);

/**
 * `range.contains(text)` for an address or range written as text, without building an Ip:
 * true/false, or undefined when `text` is not an ip (the caller reports that error).
 */
export function rangeContainsText(range: Ip, text: string): boolean | undefined {
  if (!range.isV6) {
    // The common case, an IPv4 range and a dotted quad: compared as 32-bit numbers.
    const a = ipv4Number(text);
    if (a >= 0) {
      const p = range.prefix;
      if (p === 0) return true;
      const b = range.bytes;
      const r = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
      return a >>> (32 - p) === r >>> (32 - p);
    }
  }
  const r = ipInto(text, SCRATCH);
  if (r < 0) return undefined;
  const v6 = r >= 256;
  const prefix = v6 ? r - 256 : r;
  return range.isV6 === v6 && prefix >= range.prefix && samePrefix(range.bytes, SCRATCH, range.prefix);
}

/**
 * The dotted quad from `at` to the end of `text` as an unsigned 32-bit number, or -1: 4 parts
 * `0|[1-9]\d{0,2}`, each ≤ 255 (no leading zeros: `010` is ambiguous, octal?).
 */
function ipv4Number(text: string, at = 0): number {
  const n = text.length;
  if (n - at < 7 || n - at > 15) return -1;
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  let first = 0;
  for (let i = at; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || part > 255 || (digits > 1 && first === 48)) return -1;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 0) first = c;
      if (++digits > 3) return -1;
      part = part * 10 + (c - 48);
    } else return -1;
  }
  return parts === 4 ? value : -1;
}

function rangeContains(range: Ip, other: Ip): boolean {
  return range.isV6 === other.isV6 && other.prefix >= range.prefix && samePrefix(range.bytes, other.bytes, range.prefix);
}

/** Same family, same bytes, same prefix. */
export function ipEquals(a: Ip, b: Ip): boolean {
  if (a.isV6 !== b.isV6 || a.prefix !== b.prefix) return false;
  const x = a.bytes;
  const y = b.bytes;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** The builtin function `ip(s)`. */
export function fnIp(v: unknown): Ip {
  return toIp(v);
}

/** `range.contains(ip)`: the range contains the address (or the whole other range). */
export function ipContains(range: unknown, other: unknown): boolean {
  return rangeContains(toIp(range), toIp(other));
}

const LOOPBACK_V4 = () => new Ip(false, Uint8Array.of(127, 0, 0, 0), 8);
const LOOPBACK_V6 = () => new Ip(true, Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), 128);

/** `ip.isLoopback()`: within 127.0.0.0/8 or ::1. */
export function ipIsLoopback(v: unknown): boolean {
  const ip = toIp(v);
  return rangeContains(ip.isV6 ? LOOPBACK_V6() : LOOPBACK_V4(), ip);
}

/** `ip.isPrivate()`: within 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918) or fc00::/7 (RFC 4193). */
export function ipIsPrivate(v: unknown): boolean {
  const ip = toIp(v);
  if (ip.isV6) return rangeContains(new Ip(true, Uint8Array.of(0xfc, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 7), ip);
  return (
    rangeContains(new Ip(false, Uint8Array.of(10, 0, 0, 0), 8), ip) ||
    rangeContains(new Ip(false, Uint8Array.of(172, 16, 0, 0), 12), ip) ||
    rangeContains(new Ip(false, Uint8Array.of(192, 168, 0, 0), 16), ip)
  );
}

/** `ip.isIpv4()` */
export function ipIsIpv4(v: unknown): boolean {
  return !toIp(v).isV6;
}

/** `ip.isIpv6()` */
export function ipIsIpv6(v: unknown): boolean {
  return toIp(v).isV6;
}
