// The rule index: rules constrained on a request path (`action == "x"`, `action in [...]`,
// `"x" == action`, `resource.kind == "y"`) are skipped for other values, and results never
// change because of it (every request below is also decided by the interpreter).
import { describe, expect, it } from "vitest";
import { evaluatePackage } from "../../compiler/eval/evaluate.ts";
import { load } from "./compile-helpers.ts";

function policy(): string {
  const rules: string[] = [];
  for (let i = 0; i < 30; i++) {
    rules.push(`permit a${i} {\n  when action == "act${i}"\n  when resource.owner == user\n  reason "a${i} for {user}"\n}`);
  }
  rules.push(`forbid multi {\n  when action in ["act1", "act2"] and resource.kind == "doc"\n  when resource.locked\n}`);
  rules.push(`forbid reversed {\n  when "act3" == action\n  when resource.locked\n}`);
  rules.push(`permit kinds_a {\n  when resource.kind == "img"\n}`);
  rules.push(`permit kinds_b {\n  when resource.kind == "doc"\n  when user == "root"\n}`);
  rules.push(`@notify("audit")\nforbid always {\n  when user == "mallory"\n}`);
  return `package idx\n\nrequest {\n  action: String\n  user: String\n  resource: { owner: String, kind: String, locked: Bool }\n}\n\n${rules.join("\n\n")}\n`;
}

describe("rule index", () => {
  it("dispatches on action and skips the rules of other actions", async () => {
    const { result } = await load([{ path: "idx.edict", text: policy() }]);
    const code = result.code;
    expect(code).toContain("// index on action: 30 values");
    // The runner for "act7": its own rule plus the unconstrained ones, not the 29 others.
    const target = /"act7", (P0_\w+)\]/.exec(code)?.[1];
    expect(target).toBeDefined();
    const index = new RegExp(`function ${target}\\(\\$r, o\\) \\{[\\s\\S]*?\\n\\}`).exec(code)![0];
    // The index enters the leaf's fast path (rules inlined as labelled blocks `rN: {`), which
    // falls back to the exact runner of the same leaf (its rule list as data: `$run(P0, $r, o, K3)`).
    const leaves = [...index.matchAll(/return (P0_\w+)\(/g)].map((m) => m[1]!);
    const body = (f: string) => new RegExp(`function ${f}\\(\\$r, o\\) \\{[\\s\\S]*?\\n\\}`).exec(code)?.[0] ?? "";
    const fast = leaves.map(body).join("\n");
    const exact = [...fast.matchAll(/return (P0_run\d+)\(\$r, o\);/g)].map((m) => body(m[1]!)).join("\n");
    const lists = [...exact.matchAll(/\$run\(P0, \$r, o, (K\d+)\)/g)].map((m) => new RegExp(`const ${m[1]} = Object\\.freeze\\(\\[([\\d, ]*)\\]\\)`).exec(code)![1]!);
    const inlined = new Set([...fast.matchAll(/\br(\d+): \{/g)].map((m) => Number(m[1])));
    const called = new Set(lists.flatMap((l) => l.split(", ").map(Number)));
    for (const rules of [inlined, called]) {
      expect(rules.has(7)).toBe(true);
      expect(rules.has(8)).toBe(false);
      expect(rules.has(0)).toBe(false);
      expect(rules.has(34)).toBe(true);
    }
  });

  it("gives the interpreter's decision for every kind of request", async () => {
    const { mod, pkgs, result } = await load([{ path: "idx.edict", text: policy() }]);
    const version = result.manifests[0]!.version;
    const resources = [{ owner: "ann", kind: "doc", locked: true }, { owner: "ann", kind: "img", locked: false }, { owner: "bob", kind: "doc" }, { owner: "ann" }, {}, "doc", null];
    const actions: unknown[] = ["act0", "act1", "act2", "act3", "act7", "act29", "other", "", 7, null, ["act1"], { a: 1 }];
    const requests: unknown[] = [null, 5, [], {}, { user: "ann" }];
    for (const action of actions)
      for (const resource of resources)
        for (const user of ["ann", "root", "mallory"]) {
          requests.push({ action, resource, user });
          requests.push({ resource, user });
        }
    for (const req of requests) {
      const expected = evaluatePackage(pkgs[0]!, req, { version });
      expect(JSON.stringify(mod.decide(req)), JSON.stringify(req)).toBe(JSON.stringify(expected));
    }
  });
});

describe("rule index on a cross product", () => {
  // 60 tenants × 5 actions × 4 classes with 6 base rules: a depth-3 tree would repeat the base
  // rules in every (tenant, action, class) leaf; over budget the cases become leaves and the
  // runners beyond the straight-line budget run as data ($run). Decisions must not change.
  function big(): string {
    const acts = ["read", "write", "share", "delete", "comment"];
    const cls = ["a", "b", "c", "d"];
    const rules: string[] = [];
    for (let i = 0; i < 6; i++) rules.push(`permit base${i} {\n  when action == "${acts[i % 5]}"\n  when resource.cls == "${cls[i % 4]}"\n  reason "base${i} {user}"\n}`);
    for (let i = 0; i < 1200; i++)
      rules.push(`${i % 4 === 3 ? "forbid" : "permit"} t${i} {\n  when dept == "t${i % 60}"\n  when action == "${acts[i % 5]}"\n  when resource.cls == "${cls[(i >> 2) % 4]}"\n  when user != "x"\n}`);
    return `package big\n\nrequest {\n  action: String\n  user: String\n  dept: String\n  resource: { cls: String }\n}\n\n${rules.join("\n\n")}\n`;
  }

  it("keeps the module proportional to the rules and decides as the interpreter", async () => {
    const { mod, pkgs, result } = await load([{ path: "big.edict", text: big() }]);
    expect(result.code.length).toBeLessThan(2_000 * 1206);
    expect(result.code).toContain("$run(P0");
    const version = result.manifests[0]!.version;
    for (const dept of ["t0", "t7", "t59", "other", 3])
      for (const action of ["read", "share", "comment", "nope"])
        for (const cls of ["a", "c", "z"])
          for (const user of ["ann", "x"]) {
            const req = { action, user, dept, resource: { cls } };
            expect(JSON.stringify(mod.decide(req)), JSON.stringify(req)).toBe(JSON.stringify(evaluatePackage(pkgs[0]!, req, { version })));
          }
  });
});
