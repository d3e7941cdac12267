// The reference interpreter: the executable definition of Edict decisions (language.md §6,
// docs/semantics.md). Owns: combining rule results into a Decision:
//   1. any matching hard forbid, or soft forbid without a valid override → deny, reasons = those;
//   2. else any matching permit → allow, reasons = the matching permits;
//   3. else the package default (deny, or allow for `default allow`), reasons empty.
// Advisory forbids go to `advisories` and never deny; soft forbids bypassed by an override are
// recorded in `override.bypassed`; `@notify` channels of every matching rule (any effect,
// any enforcement, each binding) go to `notifications`; errors in source order of rules.
// INVARIANT: never throws, for any request (null, numbers, arrays, cyclic or huge objects).
import type { Decision, EvalError, Notification, Override, Reason } from "../../runtime/decision.ts";
import { isRecord } from "../../runtime/builtins/index.ts";
import type { PackageModel } from "../semantics/package-model.ts";
import { preparePackage, type EvalContext } from "./context.ts";
import type { RuleInfo } from "./rule-info.ts";
import { evaluateRule } from "./rules.ts";
import type { RuleTrace, Trace } from "./trace.ts";

export interface EvaluateOptions {
  /** Break glass for `@enforce("soft")` forbids: both fields non-empty (not blank) strings. */
  readonly override?: Override;
  /** `policy.version` in the decision; defaults to "sha256:dev". */
  readonly version?: string;
  /** Also return an explain trace (as `trace` on the result). */
  readonly trace?: boolean;
}

export const DEV_VERSION = "sha256:dev";

/** The override, when it is valid: a record with non-blank string `by` and `justification`. */
export function validOverride(o: unknown): Override | undefined {
  if (!isRecord(o)) return undefined;
  const by = Object.hasOwn(o, "by") ? o.by : undefined;
  const justification = Object.hasOwn(o, "justification") ? o.justification : undefined;
  if (typeof by !== "string" || typeof justification !== "string" || by.trim() === "" || justification.trim() === "") return undefined;
  return { by, justification };
}

function reasonOf(info: RuleInfo, message: string | undefined): Reason {
  // Key order is the documented one: rule, effect, message, id, severity, location.
  return {
    rule: info.id,
    effect: info.effect,
    ...(message !== undefined ? { message } : {}),
    ...(info.externalId !== undefined ? { id: info.externalId } : {}),
    ...(info.severity !== undefined ? { severity: info.severity } : {}),
    location: info.location,
  };
}

export function evaluatePackage(pkg: PackageModel, request: unknown, options?: EvaluateOptions & { trace?: false }): Decision;
export function evaluatePackage(pkg: PackageModel, request: unknown, options: EvaluateOptions & { trace: true }): Decision & { trace: Trace };
export function evaluatePackage(pkg: PackageModel, request: unknown, options: EvaluateOptions = {}): Decision | (Decision & { trace: Trace }) {
  const { decision, trace } = run(pkg, request, options, options.trace === true);
  return options.trace === true ? { ...decision, trace } : decision;
}

/** The decision and a trace of how it was reached (every rule, clause and value seen). */
export function explainPackage(pkg: PackageModel, request: unknown, options: EvaluateOptions = {}): { decision: Decision; trace: Trace } {
  return run(pkg, request, options, true);
}

function run(pkg: PackageModel, request: unknown, options: EvaluateOptions, tracing: boolean): { decision: Decision; trace: Trace } {
  const version = typeof options.version === "string" ? options.version : DEV_VERSION;
  const policy = { package: pkg.name, version };
  try {
    return decide(pkg, request, options, policy, tracing);
  } catch (err) {
    // Defence in depth: rule evaluation already catches everything; this keeps the promise.
    const message = `internal error: ${err instanceof Error ? err.message : String(err)}`;
    const decision: Decision = {
      allowed: false,
      decision: "deny",
      reasons: [],
      errors: [{ rule: pkg.name, message, location: "" }],
      advisories: [],
      notifications: [],
      policy,
    };
    return { decision, trace: { package: pkg.name, rules: [], decision } };
  }
}

function decide(pkg: PackageModel, request: unknown, options: EvaluateOptions, policy: Decision["policy"], tracing: boolean): { decision: Decision; trace: Trace } {
  const prep = preparePackage(pkg);
  const override = validOverride(options.override);
  const ctx: EvalContext = { prep, request, defs: new Map(), callDepth: 0, quiet: 0, recorder: undefined };
  const denyReasons: Reason[] = [];
  const permitReasons: Reason[] = [];
  const advisories: Reason[] = [];
  const bypassed: Reason[] = [];
  const notifications: Notification[] = [];
  const errors: EvalError[] = [];
  const traces: RuleTrace[] = [];

  for (const info of prep.rules) {
    const result = evaluateRule(info, ctx, tracing);
    errors.push(...result.errors);
    if (result.trace) traces.push(result.trace);
    for (const m of result.matches) {
      const reason = reasonOf(info, m.message);
      for (const channel of info.notify) notifications.push({ rule: info.id, channel });
      if (info.effect === "permit") permitReasons.push(reason);
      else if (info.enforce === "advisory") advisories.push(reason);
      else if (info.enforce === "soft" && override !== undefined) bypassed.push(reason);
      else denyReasons.push(reason);
    }
  }

  const allowed = denyReasons.length > 0 ? false : permitReasons.length > 0 ? true : pkg.defaultAllow;
  const decision: { -readonly [K in keyof Decision]: Decision[K] } = {
    allowed,
    decision: allowed ? "allow" : "deny",
    reasons: denyReasons.length > 0 ? denyReasons : permitReasons,
    errors,
    advisories,
    notifications,
    policy,
  };
  if (override !== undefined && bypassed.length > 0) decision.override = { by: override.by, justification: override.justification, bypassed };
  return { decision, trace: { package: pkg.name, rules: traces, decision } };
}
