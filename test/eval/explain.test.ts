// Explain traces: each rule, each clause, the values it saw, matched or not and why.
import { describe, expect, it } from "vitest";
import { evaluatePackage, explainPackage } from "../../compiler/eval/evaluate.ts";
import { abbreviate, formatTrace } from "../../compiler/eval/trace.ts";
import { packagesOf } from "../helpers/interpreter-engine.ts";

const policy = `package docs

request {
  principal: { id: String, roles: Set<String> }
  action: String
  resource: { id: String, owner: String, tags: List<String> }
}

def is_admin = "admin" in principal.roles

permit admins {
  when is_admin
}

forbid delete_tagged {
  when action == "delete"
  for t in resource.tags
  when t like "legal-*"
  reason "{resource.id} is tagged {t}"
}

permit owners {
  let me = principal.id
  when resource.owner == me
  reason "{me} owns it"
}
`;

const pkg = () => packagesOf([{ path: "docs.edict", text: policy }])[0]!;
const request = (action: string, tags: string[] = []) => ({ principal: { id: "ann", roles: ["editor"] }, action, resource: { id: "d1", owner: "bob", tags } });

describe("explain", () => {
  it("says which clause stopped a rule and what the values were", () => {
    const { trace } = explainPackage(pkg(), request("read"));
    const text = formatTrace(trace);
    expect(text).toContain('forbid docs.delete_tagged  [docs.edict:15:1]  → not matched');
    expect(text).toContain('  when action == "delete": `action` was "read" → false, rule stops');
    expect(text).toContain("  when is_admin: `is_admin` was false → false, rule stops");
    expect(text).toContain('  let me = principal.id: `principal.id` was "ann" → me = "ann"');
    expect(text).toContain('  when resource.owner == me: `resource.owner` was "bob", `me` was "ann" → false, rule stops');
    expect(text).toContain("decision: deny (package default: no rule decided)");
  });

  it("shows each binding of a for rule and the messages", () => {
    const { trace, decision } = explainPackage(pkg(), request("delete", ["legal-hold", "misc"]));
    expect(decision.reasons.map((r) => r.message)).toEqual(["d1 is tagged legal-hold"]);
    const rule = trace.rules.find((r) => r.rule === "docs.delete_tagged")!;
    expect(rule.outcome).toBe("matched");
    expect(rule.matches).toBe(1);
    const text = formatTrace(trace);
    expect(text).toContain('  for t in resource.tags: `resource.tags` was ["legal-hold", "misc"] → 2 items');
    expect(text).toContain('    t = "legal-hold" → binding 1 of 2');
    expect(text).toContain('    when t like "legal-*": `t` was "legal-hold" → true');
    expect(text).toContain('    reason → "d1 is tagged legal-hold"');
    expect(text).toContain('    when t like "legal-*": `t` was "misc" → false, rule stops');
    expect(text).toContain("decision: deny\n  because docs.delete_tagged: d1 is tagged legal-hold  [docs.edict:15:1]");
  });

  it("reports errors with their message, and how the rule counts", () => {
    const { trace } = explainPackage(pkg(), { principal: { id: "ann" }, action: "delete", resource: { id: "d1", owner: "ann" } });
    const text = formatTrace(trace);
    expect(text).toContain("permit docs.admins  [docs.edict:11:1]  → error, counts as not matching");
    expect(text).toContain("  when is_admin → error: attribute `roles` is missing");
    expect(text).toContain("forbid docs.delete_tagged  [docs.edict:15:1]  → error, counts as matching");
    expect(text).toContain("  for t in resource.tags → error: attribute `tags` is missing");
    expect(text).toContain("  error in docs.admins: attribute `roles` is missing  [docs.edict:9:27]");
  });

  it("agrees with evaluatePackage, which traces only when asked", () => {
    for (const req of [request("read"), request("delete", ["legal-x"]), null, 42]) {
      const explained = explainPackage(pkg(), req).decision;
      expect(evaluatePackage(pkg(), req)).toEqual(explained);
      const withTrace = evaluatePackage(pkg(), req, { trace: true });
      expect(withTrace.trace.rules.length).toBe(3);
      expect("trace" in evaluatePackage(pkg(), req)).toBe(false);
    }
  });

  it("never throws on cyclic or huge values", () => {
    const cyclic: Record<string, unknown> = { id: "x" };
    cyclic.roles = [cyclic];
    const { trace } = explainPackage(pkg(), { principal: cyclic, action: "read", resource: { id: "d", owner: "x", tags: [] } });
    expect(formatTrace(trace)).toContain("→ matched");
  });
});

describe("abbreviate", () => {
  it("keeps values short and safe", () => {
    expect(abbreviate("x")).toBe('"x"');
    expect(abbreviate([1, 2, 3, 4, 5, 6, 7])).toBe("[1, 2, 3, 4, 5, … 2 more]");
    expect(abbreviate({ a: { b: { c: { d: 1 } } } })).toBe("{a: {b: {c: {…}}}}");
    expect(abbreviate({ "x-y": 1 })).toBe('{"x-y": 1}');
    expect(abbreviate("y".repeat(500)).length).toBeLessThanOrEqual(80);
    const c: unknown[] = [];
    c.push(c);
    expect(abbreviate(c)).toBe("[[[[…]]]]");
  });
});
