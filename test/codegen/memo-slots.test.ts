// Per-decision memo slots: a request path is read, and a parameterless def evaluated, at most
// once per decision; an error is never remembered, so every use that fails reports its own
// location (the interpreter's), and nothing leaks from one decision into the next.
import { describe, expect, it } from "vitest";
import { evaluatePackage } from "../../compiler/eval/evaluate.ts";
import { load } from "./compile-helpers.ts";

const POLICY = `package memo

request {
  action: String
  user: { name: String, roles: Set<String>, age: Number }
  resource: { owner: String, kind: String }
}

def admin = "admin" in user.roles
def adult = user.age >= 18

permit a {
  when action == "read"
  when admin
  reason "a {user.name}"
}

forbid b {
  when resource.kind == "secret"
  unless adult
  reason "b {user.name} on {resource.owner}"
}

permit c {
  when admin or resource.owner == user.name
  when adult
}

forbid d {
  when user.age > 90
}
`;

describe("memo slots", () => {
  it("decide as the interpreter, errors at each use's own location, nothing kept between decisions", async () => {
    const { mod, pkgs, result } = await load([{ path: "memo.edict", text: POLICY }]);
    const version = result.manifests[0]!.version;
    expect(result.code).toMatch(/^var P0_s\d+(, P0_s\d+)*;$/m); // the slots exist (the test is not vacuous)
    const users: unknown[] = [
      { name: "ann", roles: ["admin"], age: 30 },
      { name: "bob", roles: [], age: 12 },
      { name: "cy", roles: "admin", age: "x" },
      { name: "dee", age: 95 },
      { roles: ["admin"] },
      "nobody",
      null,
    ];
    const resources: unknown[] = [{ owner: "bob", kind: "secret" }, { owner: "ann", kind: "doc" }, { kind: "secret" }, [], undefined];
    const requests: unknown[] = [null, 3, [], {}];
    for (const user of users)
      for (const resource of resources)
        for (const action of ["read", "write", 5]) requests.push(resource === undefined ? { action, user } : { action, user, resource });
    // Twice over, in an order that alternates good and failing requests.
    for (const req of [...requests, ...requests.reverse()]) {
      const expected = evaluatePackage(pkgs[0]!, req, { version });
      expect(JSON.stringify(mod.decide(req)), JSON.stringify(req)).toBe(JSON.stringify(expected));
    }
  });
});

describe("a decide called while one is running", () => {
  it("(from a getter of the request) does not disturb the outer decision's memo slots", async () => {
    const text = `package nest

request {
  principal: { id: String, role: String }
  note: String
}

permit r {
  when principal.role == "admin"
  when note == "x"
  when principal.id == "alice"
  reason "{principal.id} is an admin"
}
`;
    const { mod, pkgs, result } = await load([{ path: "nest.edict", text }]);
    const inner: unknown[] = [];
    const outer = Object.defineProperty({ principal: { id: "alice", role: "admin" } }, "note", {
      enumerable: true,
      get() {
        // The nested call reads other values into the same slots.
        inner.push(mod.decide({ principal: { id: "bob", role: "user" }, note: "y" }));
        return "x";
      },
    });
    const got = mod.decide(outer);
    expect(got.allowed).toBe(true);
    expect(got.reasons.map((r) => r.message)).toEqual(["alice is an admin"]);
    expect((inner[0] as { allowed: boolean }).allowed).toBe(false);
    const expected = evaluatePackage(pkgs[0]!, outer, { version: result.manifests[0]!.version });
    expect(JSON.stringify(got)).toBe(JSON.stringify(expected));
    // And the next decision starts clean.
    expect(mod.decide({ principal: { id: "carol", role: "admin" }, note: "x" }).allowed).toBe(false);
  });
});
