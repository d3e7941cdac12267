// The decision contract (language.md §6): what compiled `decide`, the reference interpreter
// and the enforcer return. Plain JSON-serialisable data, nothing else.

export interface Reason {
  /** Full rule id: `PACKAGE.RULE`. */
  readonly rule: string;
  readonly effect: "permit" | "forbid";
  /** The rendered `reason` template, when the rule has one. */
  readonly message?: string;
  /** From `@id(...)`. */
  readonly id?: string;
  /** From `@severity(...)`. */
  readonly severity?: string;
  /** `file:line:col`, 1-based, of the rule declaration. */
  readonly location: string;
}

export interface EvalError {
  readonly rule: string;
  readonly message: string;
  /** `file:line:col` of the expression that failed (or of the rule). */
  readonly location: string;
}

export interface Notification {
  readonly rule: string;
  readonly channel: string;
}

/** Break glass: given to `decide(request, { override })` to bypass `@enforce("soft")` forbids. */
export interface Override {
  readonly by: string;
  readonly justification: string;
}

export interface Decision {
  readonly allowed: boolean;
  readonly decision: "allow" | "deny";
  /** Rules that decided it, in source order (forbids for a deny, permits for an allow). */
  readonly reasons: readonly Reason[];
  readonly errors: readonly EvalError[];
  /** Matched `@enforce("advisory")` forbids: reported, never deny. */
  readonly advisories: readonly Reason[];
  /** One per matched rule with `@notify("channel")`. */
  readonly notifications: readonly Notification[];
  readonly policy: { readonly package: string; readonly version: string };
  /** Present when an override bypassed at least one matching soft forbid. */
  readonly override?: Override & { readonly bypassed: readonly Reason[] };
}

export interface DecideOptions {
  readonly override?: Override;
}

/** What a compiled policy module exports (language.md §8). */
export interface PolicyModule {
  decide(request: unknown, options?: DecideOptions): Decision;
  readonly manifest: Manifest;
}

export interface ManifestRule {
  /** `PACKAGE.RULE` */
  readonly id: string;
  readonly name: string;
  readonly effect: "permit" | "forbid";
  /** Annotation name -> value (the first argument's value; `true` for a bare `@flag`). */
  readonly annotations: Readonly<Record<string, string | number | boolean>>;
  readonly doc?: string;
  /** `file:line:col` */
  readonly location: string;
  /** From git, when the sources are in a repository: who last changed the rule's lines. */
  readonly git?: { readonly commit: string; readonly author: string; readonly date: string };
}

export interface Manifest {
  readonly package: string;
  /** `sha256:<hex>` of the bundle: stable across runs and machines. */
  readonly version: string;
  readonly defaultDecision: "allow" | "deny";
  readonly sources: readonly { readonly file: string; readonly sha256: string }[];
  readonly rules: readonly ManifestRule[];
  readonly compiler: { readonly name: "edict"; readonly version: string };
}
