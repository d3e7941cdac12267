// IP addresses and ranges. Owns: strict parsing of IPv4 (`10.1.2.3`, no leading zeros),
// IPv6 (`::1`, `fe80::1`, `::ffff:1.2.3.4`; no zone ids) and CIDR (`10.0.0.0/8`, `fe80::/10`),
// the coercion toIp used by every Ip operation (a wrapper or a parseable string), and the Ip
// methods. An address is a range with a full prefix (/32, /128); families never mix
// (an IPv4 range does not contain an IPv4-mapped IPv6 address).
import { EdictError } from "./error.ts";
import { describeKind, Ip, quote } from "./wrappers.ts";

function parseV4(text: string, out: Uint8Array, at: number): boolean {
  const parts = text.split(".");
  if (parts.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return false; // no leading zeros: `010` is ambiguous (octal?)
    const n = +p;
    if (n > 255) return false;
    out[at + i] = n;
  }
  return true;
}

function parseV6(text: string, out: Uint8Array): boolean {
  const dbl = text.indexOf("::");
  if (dbl >= 0 && text.indexOf("::", dbl + 1) >= 0) return false;
  const headText = dbl >= 0 ? text.slice(0, dbl) : text;
  const tailText = dbl >= 0 ? text.slice(dbl + 2) : "";
  const head = headText === "" ? [] : headText.split(":");
  const tail = tailText === "" ? [] : tailText.split(":");
  const groups: number[] = [];
  let v4Tail: string | undefined;
  const all = dbl >= 0 ? tail : head;
  // An embedded IPv4 address may end the text (`::ffff:1.2.3.4`).
  if (all.length > 0 && all[all.length - 1]!.includes(".")) v4Tail = all.pop();
  const hexGroup = /^[0-9A-Fa-f]{1,4}$/;
  for (const g of dbl >= 0 ? head : []) {
    if (!hexGroup.test(g)) return false;
    groups.push(parseInt(g, 16));
  }
  const headCount = groups.length;
  const tailGroups: number[] = [];
  for (const g of all) {
    if (!hexGroup.test(g)) return false;
    tailGroups.push(parseInt(g, 16));
  }
  const v4Groups = v4Tail === undefined ? 0 : 2;
  const explicit = headCount + tailGroups.length + v4Groups;
  if (dbl >= 0 ? explicit > 7 : explicit !== 8) return false;
  const zeros = 8 - explicit;
  const words = [...groups, ...new Array<number>(dbl >= 0 ? zeros : 0).fill(0), ...tailGroups];
  for (let i = 0; i < words.length; i++) {
    out[2 * i] = words[i]! >> 8;
    out[2 * i + 1] = words[i]! & 0xff;
  }
  if (v4Tail !== undefined && !parseV4(v4Tail, out, 12)) return false;
  return true;
}

// Recently parsed texts (a service sees the same client addresses again and again; an Ip is
// immutable, so one object can be shared). Bounded: cleared when full.
const IP_CACHE = new Map<string, Ip | null>();
const IP_CACHE_MAX = 64;

/** An Ip, or undefined when `text` is not an IPv4/IPv6 address or CIDR range. */
export function parseIp(text: string): Ip | undefined {
  const hit = IP_CACHE.get(text);
  if (hit !== undefined) return hit ?? undefined;
  const ip = parseIpText(text);
  if (IP_CACHE.size >= IP_CACHE_MAX) IP_CACHE.clear();
  IP_CACHE.set(text, ip ?? null);
  return ip;
}

function parseIpText(text: string): Ip | undefined {
  if (text.length === 0 || text.length > 64) return undefined;
  const slash = text.indexOf("/");
  const addr = slash >= 0 ? text.slice(0, slash) : text;
  const v6 = addr.includes(":");
  const bytes = new Uint8Array(v6 ? 16 : 4);
  if (!(v6 ? parseV6(addr, bytes) : parseV4(addr, bytes, 0))) return undefined;
  const full = v6 ? 128 : 32;
  let prefix = full;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return undefined;
    prefix = +p;
    if (prefix > full) return undefined;
  }
  return new Ip(v6, bytes, prefix);
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
