// Literal arguments of the builtin constructors. Owns: E0309, the compile-time validation of
// `time("...")`, `ip("...")` and `duration("...")` (and string literals given where a Time,
// an Ip or a Duration is expected) with the same parsers the run time uses, so a literal the
// checker accepts never fails at run time.
import { parseDurationMs, parseIp, parseTimeMs } from "../../runtime/builtins/index.ts";

export type LiteralKind = "time" | "ip" | "duration";

/** What is wrong with `text` as a literal of `kind` (a help text), or undefined when valid. */
export function literalProblem(kind: LiteralKind, text: string): string | undefined {
  switch (kind) {
    case "time":
      return parseTimeMs(text) === undefined ? 'write an ISO-8601 instant with a timezone, like `"2026-01-05T10:00:00Z"`' : undefined;
    case "ip":
      return parseIp(text) === undefined ? 'write an IPv4 or IPv6 address or a CIDR range, like `"10.0.0.1"` or `"10.0.0.0/8"`' : undefined;
    case "duration":
      return parseDurationMs(text) === undefined ? 'write a number followed by a unit (ms, s, m, h, d), like `"15m"` or `"1h30m"`' : undefined;
  }
}

export const LITERAL_NOUN: Record<LiteralKind, string> = { time: "time", ip: "IP address or range", duration: "duration" };
