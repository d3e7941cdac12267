// Time and Duration parsing, formatting, methods and arithmetic (runtime/builtins/time.ts).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  add,
  Duration,
  durationHours,
  durationMinutes,
  durationSeconds,
  EdictError,
  formatDuration,
  formatTime,
  parseDurationMs,
  parseTimeMs,
  sub,
  Time,
  timeHour,
  timeMinute,
  timeWeekday,
  toDuration,
  toTime,
} from "../../runtime/builtins/index.ts";

describe("time parsing", () => {
  it.each([
    ["2026-01-05T10:00:00Z", Date.UTC(2026, 0, 5, 10)],
    ["2026-01-05t10:00:00z", Date.UTC(2026, 0, 5, 10)],
    ["2026-01-05T10:00Z", Date.UTC(2026, 0, 5, 10)],
    ["2026-01-05T12:00:00+02:00", Date.UTC(2026, 0, 5, 10)],
    ["2026-01-05T05:30:00-04:30", Date.UTC(2026, 0, 5, 10)],
    ["2026-01-05T10:00:00.5Z", Date.UTC(2026, 0, 5, 10) + 500],
    ["2026-01-05T10:00:00.123456789Z", Date.UTC(2026, 0, 5, 10) + 123],
    ["2024-02-29T00:00:00Z", Date.UTC(2024, 1, 29)],
    ["2000-02-29T00:00:00Z", Date.UTC(2000, 1, 29)],
    ["1969-12-31T23:59:59Z", -1000],
    ["0001-01-01T00:00:00Z", -62135596800000],
  ])("accepts %s", (text, ms) => {
    expect(parseTimeMs(text)).toBe(ms);
    expect(toTime(text).ms).toBe(ms);
  });

  it.each([
    "2026-01-05T10:00:00", // no timezone: ambiguous, rejected
    "2026-01-05",
    "2026-1-5T10:00:00Z",
    "2026-13-05T10:00:00Z",
    "2026-00-05T10:00:00Z",
    "2023-02-29T00:00:00Z",
    "1900-02-29T00:00:00Z",
    "2026-04-31T00:00:00Z",
    "2026-01-05T24:00:00Z",
    "2026-01-05T10:60:00Z",
    "2026-01-05T10:00:60Z",
    "2026-01-05T10:00:00+24:00",
    "2026-01-05T10:00:00+0200",
    " 2026-01-05T10:00:00Z",
    "2026-01-05T10:00:00Z ",
    "2026-01-05 10:00:00Z",
    "yesterday",
    "",
  ])("rejects %j", (text) => {
    expect(parseTimeMs(text)).toBeUndefined();
    expect(() => toTime(text)).toThrow(EdictError);
  });

  it("names the expected format in the error", () => {
    expect(() => toTime("2026-01-05")).toThrow('"2026-01-05" is not a time (expected ISO-8601 with a timezone, like "2026-01-05T10:00:00Z")');
    expect(() => toTime(42)).toThrow("expected a time, not a number");
    expect(() => toTime(null)).toThrow("expected a time, not null");
  });

  it("formats without milliseconds when they are zero", () => {
    expect(formatTime(Date.UTC(2026, 0, 5, 10))).toBe("2026-01-05T10:00:00Z");
    expect(formatTime(Date.UTC(2026, 0, 5, 10) + 5)).toBe("2026-01-05T10:00:00.005Z");
  });

  it("round-trips any instant through its text", () => {
    fc.assert(
      fc.property(fc.integer({ min: -62135596800000, max: 253402300799999 }), (ms) => {
        expect(parseTimeMs(formatTime(ms))).toBe(ms);
      }),
    );
  });
});

describe("time methods (UTC)", () => {
  it("hour, minute and ISO weekday", () => {
    expect(timeHour("2026-01-05T12:34:00+02:00")).toBe(10);
    expect(timeMinute("2026-01-05T12:34:00+02:00")).toBe(34);
    expect(timeWeekday("2026-01-05T10:00:00Z")).toBe(1); // a Monday
    expect(timeWeekday("2026-01-11T23:59:59Z")).toBe(7); // a Sunday
    expect(timeWeekday("1970-01-01T00:00:00Z")).toBe(4); // a Thursday
    expect(timeWeekday("1969-12-28T12:00:00Z")).toBe(7); // before the epoch
    expect(timeHour("1969-12-31T23:00:00Z")).toBe(23);
  });

  it("agrees with Date for any instant", () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        const d = new Date(ms);
        const t = new Time(ms);
        expect(timeHour(t)).toBe(d.getUTCHours());
        expect(timeMinute(t)).toBe(d.getUTCMinutes());
        expect(timeWeekday(t)).toBe(((d.getUTCDay() + 6) % 7) + 1);
      }),
    );
  });
});

describe("durations", () => {
  it.each([
    ["90s", 90_000],
    ["15m", 900_000],
    ["24h", 86_400_000],
    ["7d", 604_800_000],
    ["250ms", 250],
    ["1.5h", 5_400_000],
    ["1h30m", 5_400_000],
    ["-2d", -172_800_000],
    ["0s", 0],
  ])("parses %s", (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
    expect(toDuration(text).ms).toBe(ms);
  });

  it.each(["", "-", "15", "m", "15 m", "15M", "1h 30m", "1.h", ".5h", "15min", "+5m"])("rejects %j", (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
    expect(() => toDuration(text)).toThrow(EdictError);
  });

  it("formats with the largest exact unit", () => {
    expect(formatDuration(90_000)).toBe("90s");
    expect(formatDuration(900_000)).toBe("15m");
    expect(formatDuration(86_400_000)).toBe("1d");
    expect(formatDuration(5_400_000)).toBe("90m");
    expect(formatDuration(1.5)).toBe("1.5ms");
    expect(formatDuration(-7_200_000)).toBe("-2h");
    expect(formatDuration(0)).toBe("0s");
  });

  it("methods give fractional numbers", () => {
    expect(durationSeconds("90s")).toBe(90);
    expect(durationMinutes("90s")).toBe(1.5);
    expect(durationHours("1h30m")).toBe(1.5);
    expect(() => durationHours(3)).toThrow("expected a duration, not a number");
  });
});

describe("time arithmetic", () => {
  it("Time ± Duration, Time - Time, Duration ± Duration", () => {
    expect(String(add("2026-01-05T10:00:00Z", "15m"))).toBe("2026-01-05T10:15:00Z");
    expect(String(add(new Duration(60_000), new Time(0)))).toBe("1970-01-01T00:01:00Z");
    expect(String(sub("2026-01-05T10:00:00Z", "1d"))).toBe("2026-01-04T10:00:00Z");
    expect(String(sub("2026-01-05T10:00:00Z", "2026-01-05T09:00:00Z"))).toBe("1h");
    expect(String(sub("2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z"))).toBe("-1h");
    expect(String(add("1h", "30m"))).toBe("90m");
    expect(String(sub("1h", "30m"))).toBe("30m");
  });

  it("rejects nonsense and out-of-range times", () => {
    expect(() => add(new Time(0), new Time(0))).toThrow("cannot apply `+` to a time and a time");
    expect(() => sub(new Duration(1), new Time(0))).toThrow("cannot apply `-` to a duration and a time");
    expect(() => add(new Time(8.64e15), new Duration(1))).toThrow("time is out of range");
  });
});
