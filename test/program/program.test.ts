// Program: parse once per text, check once per package version, invalidate exactly the
// edited file's package, and hand out snapshots that later edits never change.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Program } from "../../compiler/program.ts";
import { compareDiagnostics } from "../../compiler/diagnostics/diagnostic.ts";

const alpha1 = `package alpha

request { user: { name: String, role: String } }

permit admins {
  when user.role == "admin"
}
`;
const alpha2 = `package alpha

permit readers {
  when user.name == "reader"
}
`;
const beta = `package beta

permit everyone {
  when true
}
`;
/** Syntax errors: a rule without its closing brace, a stray token. */
const broken = `package beta

permit oops {
  when ==
`;

function fresh(): Program {
  return Program.fromTexts([
    { path: "a/one.edict", text: alpha1 },
    { path: "a/two.edict", text: alpha2 },
    { path: "b/beta.edict", text: beta },
  ]);
}

describe("Program", () => {
  it("parses every file once and checks every package once", () => {
    const p = fresh();
    expect(p.stats).toEqual({ parses: 3, checks: 0 });
    const result = p.check();
    expect(result.packages.map((c) => c.pkg.name)).toEqual(["alpha", "beta"]);
    expect(p.stats).toEqual({ parses: 3, checks: 2 });
    expect(p.check()).toBe(result); // cached until an update
    expect(p.stats.checks).toBe(2);
    expect(p.files().map((f) => f.source.path)).toEqual(["a/one.edict", "a/two.edict", "b/beta.edict"]);
    expect(p.packageOf("a/two.edict")?.pkg.name).toBe("alpha");
  });

  it("ignores an update with the same text", () => {
    const p = fresh();
    const before = p.check();
    expect(p.update("a/one.edict", alpha1)).toBe(false);
    expect(p.check()).toBe(before);
    expect(p.stats).toEqual({ parses: 3, checks: 2 });
  });

  it("re-parses only the edited file and re-checks only its package", () => {
    const p = fresh();
    const first = p.check();
    const betaChecked = first.packages.find((c) => c.pkg.name === "beta");
    const twoParsed = p.parsed("a/two.edict");
    expect(p.update("a/one.edict", alpha1 + "\n// a comment\n")).toBe(true);
    const second = p.check();
    expect(p.stats).toEqual({ parses: 4, checks: 3 });
    expect(second).not.toBe(first);
    expect(second.packages.find((c) => c.pkg.name === "beta")).toBe(betaChecked);
    expect(p.parsed("a/two.edict")).toBe(twoParsed);
  });

  it("reports syntax and semantic diagnostics together, sorted", () => {
    const p = fresh();
    expect(p.check().diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    p.update("b/beta.edict", broken);
    p.update("a/two.edict", alpha2.replace("user.name", "user.nmae"));
    const diags = p.check().diagnostics;
    expect(diags.some((d) => d.code.startsWith("E01") && d.span.file === "b/beta.edict")).toBe(true);
    expect(diags.some((d) => d.code === "E0301" && d.span.file === "a/two.edict")).toBe(true);
    expect([...diags].sort(compareDiagnostics)).toEqual(diags);
    expect(p.snapshot().diagnosticsFor("a/two.edict").every((d) => d.span.file === "a/two.edict")).toBe(true);
  });

  it("keeps snapshots unchanged by later updates", () => {
    const p = fresh();
    const snap = p.snapshot();
    const result = snap.check();
    p.update("a/two.edict", alpha2.replace("user.name", "user.nmae"));
    p.remove("b/beta.edict");
    expect(snap.check()).toBe(result);
    expect(snap.parsed("a/two.edict")?.source.text).toBe(alpha2);
    expect(snap.paths()).toEqual(["a/one.edict", "a/two.edict", "b/beta.edict"]);
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(Object.isFrozen(result.diagnostics)).toBe(true);
    const now = p.snapshot();
    expect(now.version).toBeGreaterThan(snap.version);
    expect(now.paths()).toEqual(["a/one.edict", "a/two.edict"]);
    expect(now.check().diagnostics.some((d) => d.code === "E0301")).toBe(true);
  });

  it("drops a removed file's package and re-checks a package a file moves out of", () => {
    const p = fresh();
    p.check();
    expect(p.remove("b/beta.edict")).toBe(true);
    expect(p.remove("b/beta.edict")).toBe(false);
    expect(p.check().packages.map((c) => c.pkg.name)).toEqual(["alpha"]);
    // a/two.edict moves from alpha to a new package gamma: alpha and gamma are re-checked.
    const checks = p.stats.checks;
    p.update("a/two.edict", alpha2.replace("package alpha", "package gamma"));
    const names = p.check().packages.map((c) => c.pkg.name);
    expect(names).toEqual(["alpha", "gamma"]);
    expect(p.stats.checks).toBe(checks + 2);
    expect(p.packageOf("a/two.edict")?.pkg.name).toBe("gamma");
    expect(p.packageOf("a/one.edict")?.pkg.files.map((f) => f.source.path)).toEqual(["a/one.edict"]);
  });

  it("adds new files through update", () => {
    const p = new Program();
    expect(p.check().packages).toEqual([]);
    p.update("x.edict", beta);
    expect(p.check().packages.map((c) => c.pkg.name)).toEqual(["beta"]);
    expect(p.has("x.edict")).toBe(true);
  });
});

describe("Program incremental ≡ from scratch (property)", () => {
  // Texts to pick from: clean, broken, other packages, a typo the checker reports.
  const texts = [alpha1, alpha2, beta, broken, alpha2.replace("user.name", "user.nmae"), alpha2.replace("package alpha", "package beta"), ""];
  const paths = ["a.edict", "b.edict", "c/d.edict"];
  const op = fc.oneof(
    fc.record({ kind: fc.constant("update" as const), path: fc.constantFrom(...paths), text: fc.constantFrom(...texts) }),
    fc.record({ kind: fc.constant("remove" as const), path: fc.constantFrom(...paths) }),
    fc.record({ kind: fc.constant("check" as const) }),
  );

  it("any sequence of updates, removals and checks ends with what a fresh Program reports", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
        const p = new Program();
        const final = new Map<string, string>();
        for (const o of ops) {
          if (o.kind === "update") {
            p.update(o.path, o.text);
            final.set(o.path, o.text);
          } else if (o.kind === "remove") {
            p.remove(o.path);
            final.delete(o.path);
          } else p.check();
        }
        const fresh = Program.fromTexts([...final].map(([path, text]) => ({ path, text })));
        const show = (r: ReturnType<Program["check"]>) => ({
          packages: r.packages.map((c) => [c.pkg.name, c.pkg.files.map((f) => f.source.path)]),
          diagnostics: r.diagnostics.map((d) => `${d.span.file}:${d.span.start}-${d.span.end} ${d.code} ${d.message}`),
        });
        expect(show(p.check())).toEqual(show(fresh.check()));
      }),
      { numRuns: 60 },
    );
  });
});
