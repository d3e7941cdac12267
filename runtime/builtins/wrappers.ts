// The three run-time value classes that JSON lacks. Owns: Time (instant, ms since the epoch),
// Duration (ms) and Ip (an IPv4/IPv6 address or CIDR range), their text forms, and the
// kind names used in every error message ("a string", "a list", "a time"...).
// Fields are private (#) so that attribute access (own properties only) never sees them:
// `t.ms` in a policy is a missing attribute, not the wrapper's internals.

export class Time {
  readonly #ms: number;
  constructor(ms: number) {
    this.#ms = ms;
  }
  get ms(): number {
    return this.#ms;
  }
  toString(): string {
    return formatTime(this.#ms);
  }
  toJSON(): string {
    return formatTime(this.#ms);
  }
}

export class Duration {
  readonly #ms: number;
  constructor(ms: number) {
    this.#ms = ms;
  }
  get ms(): number {
    return this.#ms;
  }
  toString(): string {
    return formatDuration(this.#ms);
  }
  toJSON(): string {
    return formatDuration(this.#ms);
  }
}

/** An address is a range with a full-length prefix (/32 or /128), as in Cedar. */
export class Ip {
  readonly #v6: boolean;
  readonly #bytes: Uint8Array;
  readonly #prefix: number;
  constructor(v6: boolean, bytes: Uint8Array, prefix: number) {
    this.#v6 = v6;
    this.#bytes = bytes;
    this.#prefix = prefix;
  }
  get isV6(): boolean {
    return this.#v6;
  }
  /** 4 or 16 bytes, network order. */
  get bytes(): Uint8Array {
    return this.#bytes;
  }
  get prefix(): number {
    return this.#prefix;
  }
  toString(): string {
    return formatIp(this);
  }
  toJSON(): string {
    return formatIp(this);
  }
}

/** `2026-01-05T10:00:00Z` (milliseconds shown only when not zero). */
export function formatTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith(".000Z") ? iso.slice(0, -5) + "Z" : iso;
}

const UNITS: readonly (readonly [string, number])[] = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
];

/** `15m`, `90s`, `1.5ms`, `-2h`, `0s`: the largest unit that divides the value exactly. */
export function formatDuration(ms: number): string {
  if (ms < 0) return "-" + formatDuration(-ms);
  if (ms === 0) return "0s";
  for (const [unit, size] of UNITS) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

/** Dotted IPv4, RFC 5952 IPv6 (longest zero run compressed, lowercase), `/n` for ranges. */
export function formatIp(ip: Ip): string {
  const b = ip.bytes;
  let text: string;
  if (!ip.isV6) {
    text = `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  } else if (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) {
    text = `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`; // IPv4-mapped: RFC 5952 section 5
  } else {
    const groups: number[] = [];
    for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
    let bestStart = -1;
    let bestLen = 1; // a single zero group is not compressed (RFC 5952 4.2.2)
    for (let i = 0; i < 8; ) {
      if (groups[i] !== 0) {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && groups[j] === 0) j++;
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(":");
    text = bestStart < 0 ? hex(groups) : `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
  }
  const full = ip.isV6 ? 128 : 32;
  return ip.prefix === full ? text : `${text}/${ip.prefix}`;
}

/** A JSON object (or a record built by a policy): not null, not a list, not a wrapper. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Time) && !(v instanceof Duration) && !(v instanceof Ip);
}

/** "a string", "a list", "null", "a time"...: how error messages name a value's kind. */
export function describeKind(v: unknown): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    case "undefined":
      return "nothing";
    case "object":
      if (Array.isArray(v)) return "a list";
      if (v instanceof Time) return "a time";
      if (v instanceof Duration) return "a duration";
      if (v instanceof Ip) return "an ip";
      return "a record";
    default:
      return `a ${typeof v} (not a JSON value)`;
  }
}

/** A short, safe quotation of a string for messages. */
export function quote(s: string): string {
  return JSON.stringify(s.length > 60 ? s.slice(0, 60) + "…" : s);
}
