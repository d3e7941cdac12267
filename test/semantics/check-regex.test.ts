// The `matches` safety analysis on a table of patterns: accepted ones must be accepted (no
// false alarm on everyday patterns), rejected ones must be rejected for the right reason.
import { describe, expect, it } from "vitest";
import { regexProblem } from "../../compiler/semantics/check-regex.ts";

const accepted = [
  "^[a-z0-9-]+$",
  "^([a-z0-9]+\\.)+[a-z]+$",
  "^(cat|car)+$",
  "^[a-z0-9-]{1,63}$",
  "prod",
  "^\\d{4}-\\d{2}-\\d{2}$",
  "^(?:[0-9]{1,3}\\.){3}[0-9]{1,3}$",
  "^arn:aws:iam::\\d{12}:role/[A-Za-z0-9+=,.@_-]+$",
  "(ab)+",
  "^(a+b)+$",
  "^(a+b+)+$",
  "^[^@]+@[^@]+$",
  "^(?<major>\\d+)\\.(?<minor>\\d+)$",
  "\\u{1F600}",
  "^\\p{L}+$",
  ".*",
];

const rejectedSlow = [
  ["^(a+)+$", "repeated group"],
  ["(a*)*", "repeated group"],
  ["^(a|a)*$", "repeated group"],
  ["^(a|ab)*c$", "repeated group"],
  ["(\\w|\\d)+", "repeated group"],
  ["^(\\w+\\s?)+$", "repeated group"],
  ["(.*a){10}", "repeated group"],
  ["^(a+|b)+$", "repeated group"],
  ["(x+x+)+y", "repeated group"],
  ["(a)\\1", "backreference"],
  ["(?<x>a)\\k<x>", "backreference"],
  ["^(?=.*[0-9]).+$", "lookaround"],
  ["(?<!a)b", "lookaround"],
] as const;

const invalid = ["[a-", "(", "a{2,1}", "\\k", "(?<n>a)(?<n>b)"];

describe("regexProblem", () => {
  it.each(accepted)("accepts %s", (p) => expect(regexProblem(p)).toBeUndefined());
  it.each(rejectedSlow)("rejects %s (%s)", (p, why) => {
    const r = regexProblem(p);
    expect(r?.kind).toBe("slow");
    expect(r && r.message).toContain(why);
  });
  it.each(invalid)("reports %s as invalid", (p) => expect(regexProblem(p)?.kind).toBe("invalid"));
});
