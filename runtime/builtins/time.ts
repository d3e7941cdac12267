// Time and Duration operations. Owns: strict parsing of ISO-8601 instants (a timezone is
// REQUIRED: `2026-01-05T10:00:00Z`, `...+02:00`) and of duration strings (`15m`, `1h30m`,
// `250ms`, `-2d`), the coercions toTime/toDuration used by every operation (JSON input has
// no wrappers: a wrapper or a parseable string is accepted, anything else is an EdictError),
// and the Time/Duration methods.
// INVARIANT: a Time's ms is finite and within JS Date's range (±8.64e15); a Duration's ms is finite.
import { EdictError } from "./error.ts";
import { describeKind, Duration, quote, Time } from "./wrappers.ts";

const MAX_TIME_MS = 8.64e15;

// YYYY-MM-DDTHH:MM[:SS[.fraction]](Z|±HH:MM)
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Recently parsed texts (bounded: cleared when full; a number is immutable).
const TIME_CACHE = new Map<string, number | null>();
const TIME_CACHE_MAX = 64;

/** Milliseconds since the epoch, or undefined when `text` is not a strict ISO-8601 instant. */
export function parseTimeMs(text: string): number | undefined {
  const hit = TIME_CACHE.get(text);
  if (hit !== undefined) return hit ?? undefined;
  const ms = parseTimeText(text);
  if (TIME_CACHE.size >= TIME_CACHE_MAX) TIME_CACHE.clear();
  TIME_CACHE.set(text, ms ?? null);
  return ms;
}

function parseTimeText(text: string): number | undefined {
  const m = ISO_RE.exec(text);
  if (m === null) return undefined;
  const year = +m[1]!;
  const month = +m[2]!;
  const day = +m[3]!;
  const hour = +m[4]!;
  const minute = +m[5]!;
  const second = m[6] === undefined ? 0 : +m[6];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = m[7] === undefined ? 0 : +(m[7] + "00").slice(0, 3); // truncate to milliseconds
  let offset = 0;
  if (m[8] === undefined) {
    const oh = +m[10]!;
    const om = +m[11]!;
    if (oh > 23 || om > 59) return undefined;
    offset = (oh * 60 + om) * 60_000 * (m[9] === "-" ? -1 : 1);
  }
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
  if (v instanceof Time) return v;
  if (typeof v === "string") {
    const ms = parseTimeMs(v);
    if (ms !== undefined) return makeTime(ms);
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
  const ms = toTime(t).ms;
  return Math.floor((((ms % DAY) + DAY) % DAY) / 3_600_000);
}

/** `t.minute()`: minute of the hour, 0..59, UTC. */
export function timeMinute(t: unknown): number {
  const ms = toTime(t).ms;
  return Math.floor((((ms % 3_600_000) + 3_600_000) % 3_600_000) / 60_000);
}

/** `t.weekday()`: 1 = Monday .. 7 = Sunday (ISO-8601), UTC. 1970-01-01 was a Thursday. */
export function timeWeekday(t: unknown): number {
  const days = Math.floor(toTime(t).ms / DAY);
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
