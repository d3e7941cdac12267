// Hand-written policy modules satisfying the PolicyModule contract, for runtime and audit
// tests that must not depend on the compiler. `fakePolicy(version)` allows `read`, denies
// `delete` of a held document with a forbid reason that notifies `legal`, and otherwise denies
// by default; `throwing` is a module whose decide throws.
// Also: `runtimeBundle(dir)` bundles runtime/index.ts into one .mjs for child processes.
import { buildSync } from "esbuild";
import { join } from "node:path";
import type { Decision, Manifest, PolicyModule } from "../../runtime/decision.ts";

export function manifestFor(pkg: string, version: string): Manifest {
  return { package: pkg, version, defaultDecision: "deny", sources: [], rules: [], compiler: { name: "edict", version: "test" } };
}

export function fakePolicy(version = "sha256:v1", pkg = "docs"): PolicyModule {
  const policy = { package: pkg, version };
  return {
    manifest: manifestFor(pkg, version),
    decide(request: unknown, options?: { override?: { by: string; justification: string } }): Decision {
      const r = request as { action?: unknown; resource?: { id?: unknown; held?: unknown } } | null;
      const base = { errors: [], advisories: [], policy };
      if (r?.action === "read") {
        return { ...base, allowed: true, decision: "allow", reasons: [{ rule: `${pkg}.readers`, effect: "permit", message: "anyone may read", location: "docs.edict:1:1" }], notifications: [] };
      }
      if (r?.action === "delete" && r.resource?.held === true) {
        const reason = { rule: `${pkg}.legal_hold`, effect: "forbid" as const, message: `document ${String(r.resource.id)} is under legal hold`, id: "DOC-7", severity: "high", location: "docs.edict:5:1" };
        if (options?.override) {
          return { ...base, allowed: true, decision: "allow", reasons: [], notifications: [{ rule: reason.rule, channel: "legal" }], override: { ...options.override, bypassed: [reason] } };
        }
        return { ...base, allowed: false, decision: "deny", reasons: [reason], notifications: [{ rule: reason.rule, channel: "legal" }] };
      }
      return { ...base, allowed: false, decision: "deny", reasons: [], notifications: [] };
    },
  };
}

export const throwingPolicy: PolicyModule = {
  manifest: manifestFor("boom", "sha256:boom"),
  decide() {
    throw new Error("kaboom");
  },
};

export function request(i: number, action = i % 2 ? "read" : "edit"): Record<string, unknown> {
  return { principal: { id: `u${i % 5}`, email: `user${i % 5}@example.com` }, action, resource: { id: `doc-${i}` }, context: { token: `tok-SECRET-${i % 3}` } };
}

/** Bundles the runtime into `dir/runtime.mjs` (independent of dist/, which others rebuild). */
export function runtimeBundle(dir: string): string {
  const out = join(dir, "runtime.mjs");
  buildSync({ entryPoints: [join(import.meta.dirname, "../../runtime/index.ts")], bundle: true, platform: "node", format: "esm", outfile: out, logLevel: "error" });
  return out;
}
