// `createEnforcer(policy, options)`: what a service embeds. Input: a compiled PolicyModule
// and options (audit sink, masking, hooks, failure policy); output: an Enforcer whose
// synchronous `decide` returns the module's Decision plus a `decisionId`, records it, and
// queues hooks. Invariants:
//  - `decide` never throws and is never delayed by hooks or I/O;
//  - with an audit sink and onAuditFailure "deny" (the default), a decision the sink refuses
//    (failed, full, closed) is returned as a deny with an `audit log unavailable: …` reason:
//    nothing the log cannot hold is enforced as an allow;
//  - `swap` replaces the policy between two decisions (JS runs `decide` to completion), so
//    every record carries the version that actually decided it.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { RecordCapture } from "./audit-capture.ts";
import type { AuditSink } from "./audit-sink.ts";
import type { DecideOptions, Decision, EvalError, Notification, Override, PolicyModule, Reason } from "./decision.ts";
import { HookRunner, type HookFailure, type HookHandler } from "./hooks.ts";
import { checkOptions, describe, isBytes, isFunction, isFunctionRecord, isNonEmptyString, isPositiveInt, isRequestPath, isRequestPaths, oneOf, type OptionCheck } from "./options.ts";

export interface EnforcedDecision extends Decision {
  /** Unique per decision: a random per-enforcer prefix and a counter. */
  readonly decisionId: string;
}

export interface DecisionEvent {
  readonly decisionId: string;
  readonly decision: EnforcedDecision;
  /** The request as given (not masked: hooks are trusted in-process code). */
  readonly request: unknown;
  /**
   * The request with the enforcer's masks applied, as a JSON value — what the audit record
   * holds: send this, not `request`, to a pager, chat or ticket. Computed when called.
   */
  readonly maskedRequest: () => unknown;
  readonly ts: string;
}

export interface NotificationEvent extends DecisionEvent {
  readonly channel: string;
  readonly rule: string;
}

export interface EnforcerOptions {
  /** Where decisions are recorded (fileAuditLog, memoryAuditLog). Without one nothing is recorded. */
  readonly audit?: AuditSink;
  /** Request paths whose values are recorded as `hmac:<hex>` (`context.token`, `users.*.ssn`). */
  readonly mask?: readonly string[];
  /** HMAC key for masking (≥ 16 bytes). Share it between instances to correlate across them; random per enforcer by default. */
  readonly maskKey?: string | Uint8Array;
  /** Handlers per `@notify("channel")`; `"*"` catches channels without their own handler. */
  readonly notify?: Readonly<Record<string, HookHandler<NotificationEvent>>>;
  readonly onDecision?: HookHandler<DecisionEvent>;
  readonly onDeny?: HookHandler<DecisionEvent>;
  /** Decisions with evaluation errors (including `audit log unavailable`). */
  readonly onError?: HookHandler<DecisionEvent>;
  /** What a decision the audit log cannot record becomes: "deny" (default) or "allow" (reported). */
  readonly onAuditFailure?: "deny" | "allow";
  /** Called when the audit sink fails or refuses records; default: a process warning. */
  readonly onAuditError?: (error: Error, info: { readonly lost: number }) => void;
  /** Called when a hook throws, rejects or does not settle in `hookTimeoutMs`; default: a process warning per hook. */
  readonly onHookError?: (error: Error, info: HookFailure) => void;
  /** Request paths for the record's `who`, `action`, `resource` (defaults `principal.id`, `action`, `resource.id`). */
  readonly who?: string;
  readonly action?: string;
  readonly resource?: string;
  /** This process's name in records (default `hostname-pid`). */
  readonly instance?: string;
  readonly hookTimeoutMs?: number;
  /** Most hook events waiting to run (default 10,000); more are dropped and reported. */
  readonly maxHookQueue?: number;
}

export interface EnforcerStats {
  readonly decisions: number;
  readonly denied: number;
  /** Decisions the audit log refused (and, with onAuditFailure "deny", turned into denies). */
  readonly unrecorded: number;
  /** Accepted records whose batch write failed (some of their lines may still have reached the disk). */
  readonly lost: number;
  readonly hookFailures: number;
  readonly hookEventsDropped: number;
}

export interface Enforcer {
  decide(request: unknown, options?: DecideOptions): EnforcedDecision;
  /** Atomically replaces the policy: later decisions use (and record) the new version. */
  swap(policy: PolicyModule): void;
  readonly policy: PolicyModule;
  readonly stats: EnforcerStats;
  /**
   * Why the audit log refuses every record now — it failed for good (a write, fsync or seal
   * failed, or it could not be opened) — or undefined while it records (and without a log).
   * With onAuditFailure "deny" every decision is a deny from then on: a readiness probe should
   * take the instance out of service (examples/service: `GET /healthz`).
   */
  readonly auditError: Error | undefined;
  /** Resolves once every decision so far is written (not necessarily fsync'd). */
  flush(): Promise<void>;
  /** Runs queued hooks, flushes the log, writes its final signed checkpoint and closes it. */
  close(): Promise<void>;
}

const RUNTIME_LOCATION = "edict:runtime";

const isSink: OptionCheck = (v) =>
  typeof v === "object" && v !== null && typeof (v as AuditSink).append === "function" && typeof (v as AuditSink).onFailure === "function"
    ? undefined
    : "an audit sink: fileAuditLog(path, { signingKey }) or memoryAuditLog()";

const ENFORCER_OPTIONS: Readonly<Record<keyof EnforcerOptions, OptionCheck>> = {
  audit: isSink,
  mask: isRequestPaths,
  maskKey: isBytes,
  notify: isFunctionRecord,
  onDecision: isFunction,
  onDeny: isFunction,
  onError: isFunction,
  onAuditFailure: oneOf("deny", "allow"),
  onAuditError: isFunction,
  onHookError: isFunction,
  who: isRequestPath,
  action: isRequestPath,
  resource: isRequestPath,
  instance: isNonEmptyString,
  hookTimeoutMs: isPositiveInt,
  maxHookQueue: isPositiveInt,
};

export function createEnforcer(policy: PolicyModule, options: EnforcerOptions = {}): Enforcer {
  checkOptions("createEnforcer", options, ENFORCER_OPTIONS, { log: "audit", auditLog: "audit", sink: "audit", onDenied: "onDeny", failurePolicy: "onAuditFailure" });
  return new EnforcerImpl(policy, options);
}

class EnforcerImpl implements Enforcer {
  private current: PolicyModule;
  private readonly sink: AuditSink | undefined;
  private readonly capture: RecordCapture;
  private readonly hooks: HookRunner;
  private readonly failOpen: boolean;
  private readonly prefix = randomBytes(8).toString("hex") + "-";
  private counter = 0;
  private denied = 0;
  private unrecorded = 0;
  private lost = 0;
  private lastAuditError: Error | undefined;
  private readonly hasHooks: boolean;
  private readonly notify: Readonly<Record<string, HookHandler<NotificationEvent>>> | undefined;
  private readonly unhandledChannels = new Set<string>();

  constructor(
    policy: PolicyModule,
    private readonly options: EnforcerOptions,
  ) {
    checkPolicy(policy);
    this.current = policy;
    this.sink = options.audit;
    this.failOpen = options.onAuditFailure === "allow";
    this.capture = new RecordCapture({
      instance: options.instance ?? `${hostname()}-${process.pid}`,
      mask: options.mask ?? [],
      maskKey: options.maskKey,
      who: options.who ?? "principal.id",
      action: options.action ?? "action",
      resource: options.resource ?? "resource.id",
      idPrefix: this.prefix,
    });
    this.notify = options.notify;
    this.hasHooks = Boolean(options.onDecision || options.onDeny || options.onError || options.notify);
    this.hooks = new HookRunner({ onHookError: options.onHookError, timeoutMs: options.hookTimeoutMs ?? 1000, maxQueue: options.maxHookQueue ?? 10_000 });
    this.sink?.onFailure((error, lost) => {
      this.lost += lost;
      if (lost > 0 || error !== this.lastAuditError) this.reportAudit(error, lost);
    });
  }

  get policy(): PolicyModule {
    return this.current;
  }

  get auditError(): Error | undefined {
    return this.sink?.failure;
  }

  get stats(): EnforcerStats {
    return {
      decisions: this.counter,
      denied: this.denied,
      unrecorded: this.unrecorded,
      lost: this.lost,
      hookFailures: this.hooks.failures,
      hookEventsDropped: this.hooks.dropped,
    };
  }

  decide(request: unknown, options?: DecideOptions): EnforcedDecision {
    const policy = this.current;
    const override = options?.override;
    const t0 = performance.now();
    let d: Decision;
    try {
      d = policy.decide(request, options);
      if (typeof d !== "object" || d === null || typeof d.allowed !== "boolean") d = failed(policy, "the policy module returned no decision");
    } catch (e) {
      d = failed(policy, `the policy module threw: ${e instanceof Error ? e.message : String(e)}`);
    }
    const durationNs = Math.round((performance.now() - t0) * 1e6);
    const id = ++this.counter;
    const decisionId = this.prefix + id;
    const ts = this.capture.now();
    const sink = this.sink;
    if (sink !== undefined) {
      let refused = sink.failure;
      if (refused === undefined) {
        try {
          refused = sink.append(this.capture.capture(request, d, override, id, ts, durationNs));
        } catch (e) {
          refused = e instanceof Error ? e : new Error(String(e));
        }
      }
      if (refused !== undefined) {
        this.unrecorded++;
        if (refused !== this.lastAuditError) this.reportAudit(refused, 0);
        if (!this.failOpen) d = auditDenied(d, refused);
      } else this.lastAuditError = undefined;
    }
    const result: EnforcedDecision =
      d.override === undefined
        ? { allowed: d.allowed, decision: d.decision, reasons: d.reasons, errors: d.errors, advisories: d.advisories, notifications: d.notifications, policy: d.policy, decisionId }
        : { allowed: d.allowed, decision: d.decision, reasons: d.reasons, errors: d.errors, advisories: d.advisories, notifications: d.notifications, policy: d.policy, override: d.override, decisionId };
    if (!result.allowed) this.denied++;
    if (this.hasHooks) {
      try {
        this.queueHooks(result, request, ts);
      } catch (e) {
        // a malformed decision (e.g. a notification that is not an object) must not make decide throw
        this.hooks.report(e, { hook: "notify", decisionId });
      }
    }
    return result;
  }

  private queueHooks(decision: EnforcedDecision, request: unknown, ts: string): void {
    const o = this.options;
    const capture = this.capture;
    const event: DecisionEvent = { decisionId: decision.decisionId, decision, request, maskedRequest: () => capture.maskedRequest(request), ts };
    if (o.onDecision) this.hooks.enqueue("onDecision", o.onDecision, event);
    if (o.onDeny && !decision.allowed) this.hooks.enqueue("onDeny", o.onDeny, event);
    if (o.onError && Array.isArray(decision.errors) && decision.errors.length > 0) this.hooks.enqueue("onError", o.onError, event);
    const notify = this.notify;
    if (notify && Array.isArray(decision.notifications)) {
      for (const n of decision.notifications as readonly Notification[]) {
        const handler = (Object.hasOwn(notify, n.channel) ? notify[n.channel] : undefined) ?? notify["*"];
        if (handler) this.hooks.enqueue(`notify:${n.channel}`, handler, { ...event, channel: n.channel, rule: n.rule });
        else if (!this.unhandledChannels.has(n.channel)) {
          this.unhandledChannels.add(n.channel);
          this.hooks.report(new Error(`no handler for notification channel \`${n.channel}\` (rule \`${n.rule}\`)`), { hook: `notify:${n.channel}`, decisionId: decision.decisionId });
        }
      }
    }
  }

  private reportAudit(error: Error, lost: number): void {
    this.lastAuditError = error;
    const message = lost > 0 ? `${error.message} (${lost} decided records were not written)` : error.message;
    const handler = this.options.onAuditError;
    if (handler) {
      try {
        handler(error, { lost });
        return;
      } catch {
        // fall back to the warning
      }
    }
    process.emitWarning(
      `edict: audit log unavailable: ${message}; ${this.failOpen ? "decisions are ALLOWED UNRECORDED (onAuditFailure: \"allow\")" : "decisions are denied until it is fixed"}`,
      "EdictAuditWarning",
    );
  }

  swap(policy: PolicyModule): void {
    checkPolicy(policy);
    this.current = policy;
  }

  flush(): Promise<void> {
    return this.sink?.flush() ?? Promise.resolve();
  }

  async close(): Promise<void> {
    await this.hooks.close();
    await this.sink?.close();
  }
}

function checkPolicy(policy: PolicyModule): void {
  if (typeof policy !== "object" || policy === null || typeof policy.decide !== "function" || typeof policy.manifest !== "object" || policy.manifest === null) {
    const given = typeof policy === "object" && policy !== null && typeof (policy as { then?: unknown }).then !== "function" ? "" : ` (got ${describe(policy)})`;
    throw new TypeError(`not a compiled Edict policy module${given}: expected \`decide\` and \`manifest\` exports (compile it with \`edict compile\`, then pass the module: \`import * as policy from "./policy.mjs"\`)`);
  }
}

function failed(policy: PolicyModule, message: string): Decision {
  const m = policy.manifest;
  const error: EvalError = { rule: `${m.package}`, message, location: RUNTIME_LOCATION };
  return { allowed: false, decision: "deny", reasons: [], errors: [error], advisories: [], notifications: [], policy: { package: m.package, version: m.version } };
}

function auditDenied(d: Decision, error: Error): Decision {
  const message = `audit log unavailable: ${error.message}`;
  const reason: Reason = { rule: "edict.audit", effect: "forbid", message, location: RUNTIME_LOCATION };
  const errors: EvalError[] = [...(Array.isArray(d.errors) ? d.errors : []), { rule: "edict.audit", message, location: RUNTIME_LOCATION }];
  return { allowed: false, decision: "deny", reasons: [reason], errors, advisories: d.advisories, notifications: d.notifications, policy: d.policy };
}

export type { Override };
