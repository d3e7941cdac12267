// Time and Duration operations. Owns: strict parsing of ISO-8601 instants (a timezone is
// REQUIRED: `2026-01-05T10:00:00Z`, `...+02:00`) and of duration strings (`15m`, `1h30m`,
// `250ms`, `-2d`), the coercions toTime/toDuration used by every operation (JSON input has
// no wrappers: a wrapper or a parseable string is accepted, anything else is an EdictError),
// and the Time/Duration methods.
// INVARIANT: a Time's ms is finite and within JS Date's range (±8.64e15); a Duration's ms is finite.
import { EdictError } from "./error.ts";
import { describeKind, Duration, quote, Time } from "./wrappers.ts";

const MAX_TIME_MS = 8.64e15;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The digits of `text` from `at` to `at + n` as a number, or -1 unless they are all ASCII digits. */
function digitsAt(text: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = text.charCodeAt(i) - 48; // NaN past the end
    if (!(d >= 0 && d <= 9)) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Milliseconds since the epoch, or undefined when `text` is not a strict ISO-8601 instant:
 * `YYYY-MM-DDTHH:MM[:SS[.fraction]](Z|±HH:MM)` (fraction 1–9 digits, truncated to ms; `t`/`z`
 * accepted in lower case). A scanner over char codes, not a regex: a service sends a fresh
 * `now` with every request, and this runs per decision without allocating.
 */
export function parseTimeMs(text: string): number | undefined {
  const n = text.length;
  if (n < 17) return undefined; // YYYY-MM-DDTHH:MMZ
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0) return undefined;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58) return undefined; // - - :
  const t = text.charCodeAt(10);
  if (t !== 84 && t !== 116) return undefined; // T t
  let i = 16;
  let second = 0;
  let ms = 0;
  if (text.charCodeAt(i) === 58 /* : */) {
    second = i + 3 <= n ? digitsAt(text, i + 1, 2) : -1;
    if (second < 0) return undefined;
    i += 3;
    if (text.charCodeAt(i) === 46 /* . */) {
      const from = ++i;
      while (i < n && i - from < 10) {
        const d = text.charCodeAt(i) - 48;
        if (!(d >= 0 && d <= 9)) break;
        if (i - from < 3) ms = ms * 10 + d;
        i++;
      }
      const count = i - from;
      if (count === 0 || count > 9) return undefined;
      for (let k = count; k < 3; k++) ms *= 10;
    }
  }
  let offset = 0;
  const z = text.charCodeAt(i);
  if (z === 90 || z === 122) {
    if (i + 1 !== n) return undefined; // Z z
  } else if (z === 43 || z === 45) {
    if (i + 6 !== n || text.charCodeAt(i + 3) !== 58) return undefined; // ±HH:MM
    const oh = digitsAt(text, i + 1, 2);
    const om = digitsAt(text, i + 4, 2);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return undefined;
    offset = (oh * 60 + om) * 60_000 * (z === 45 ? -1 : 1);
  } else return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  // Date.UTC maps years 0..99 to 19xx; days-from-civil arithmetic does not.
  return daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + ms - offset;
}

// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds, or undefined when `text` is not a duration like `15m`, `1h30m`, `-2d`. */
export function parseDurationMs(text: string): number | undefined {
  // Sticky regexes keep state; a fresh one per call keeps this function pure.
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;
  let i = 0;
  let sign = 1;
  if (text.charCodeAt(0) === 45 /* - */) {
    sign = -1;
    i = 1;
  }
  if (i >= text.length) return undefined;
  let total = 0;
  while (i < text.length) {
    part.lastIndex = i;
    const m = part.exec(text);
    if (m === null) return undefined;
    total += +m[1]! * DURATION_UNITS[m[2]!]!;
    i = part.lastIndex;
  }
  const ms = sign * total;
  return Number.isFinite(ms) ? ms : undefined;
}

export function makeTime(ms: number): Time {
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_TIME_MS) throw new EdictError("time is out of range");
  return new Time(ms);
}

export function makeDuration(ms: number): Duration {
  if (!Number.isFinite(ms)) throw new EdictError("duration is out of range");
  return new Duration(ms);
}

/** Coerces a Time wrapper or an ISO-8601 string (with timezone) to a Time; else EdictError. */
export function toTime(v: unknown): Time {
  return v instanceof Time ? v : new Time(timeMs(v));
}

/** The instant `toTime(v)` denotes, in ms, without building a Time (the methods' path). */
function timeMs(v: unknown): number {
  if (v instanceof Time) return v.ms;
  if (typeof v === "string") {
    const ms = parseTimeMs(v);
    if (ms !== undefined) {
      if (!Number.isFinite(ms) || Math.abs(ms) > MAX_TIME_MS) throw new EdictError("time is out of range");
      return ms;
    }
    throw new EdictError(`${quote(v)} is not a time (expected ISO-8601 with a timezone, like "2026-01-05T10:00:00Z")`);
  }
  throw new EdictError(`expected a time, not ${describeKind(v)}`);
}

/** Coerces a Duration wrapper or a string like `15m` to a Duration; else EdictError. */
export function toDuration(v: unknown): Duration {
  if (v instanceof Duration) return v;
  if (typeof v === "string") {
    const ms = parseDurationMs(v);
    if (ms !== undefined) return new Duration(ms);
    throw new EdictError(`${quote(v)} is not a duration (expected something like "15m", "24h", "1h30m")`);
  }
  throw new EdictError(`expected a duration, not ${describeKind(v)}`);
}

/** The Time or Duration a value denotes (a wrapper or a string that parses), else undefined. */
export function temporalOf(v: unknown): Time | Duration | undefined {
  if (v instanceof Time || v instanceof Duration) return v;
  if (typeof v === "string") {
    const t = parseTimeMs(v);
    if (t !== undefined && Math.abs(t) <= MAX_TIME_MS) return new Time(t);
    const d = parseDurationMs(v);
    if (d !== undefined) return new Duration(d);
  }
  return undefined;
}

// ---------------------------------------------------------------- methods and functions

const DAY = 86_400_000;

/** `t.hour()`: hour of the day, 0..23, UTC. */
export function timeHour(t: unknown): number {
  const ms = timeMs(t);
  return Math.floor((((ms % DAY) + DAY) % DAY) / 3_600_000);
}

/** `t.minute()`: minute of the hour, 0..59, UTC. */
export function timeMinute(t: unknown): number {
  const ms = timeMs(t);
  return Math.floor((((ms % 3_600_000) + 3_600_000) % 3_600_000) / 60_000);
}

/** `t.weekday()`: 1 = Monday .. 7 = Sunday (ISO-8601), UTC. 1970-01-01 was a Thursday. */
export function timeWeekday(t: unknown): number {
  const days = Math.floor(timeMs(t) / DAY);
  return ((((days % 7) + 7) % 7) + 3) % 7 + 1;
}

/** `d.seconds()` (may be fractional). */
export function durationSeconds(d: unknown): number {
  return toDuration(d).ms / 1000;
}

/** `d.minutes()` (may be fractional). */
export function durationMinutes(d: unknown): number {
  return toDuration(d).ms / 60_000;
}

/** `d.hours()` (may be fractional). */
export function durationHours(d: unknown): number {
  return toDuration(d).ms / 3_600_000;
}

/** The builtin function `time(s)`. */
export function fnTime(v: unknown): Time {
  return toTime(v);
}

/** The builtin function `duration(s)`. */
export function fnDuration(v: unknown): Duration {
  return toDuration(v);
}
