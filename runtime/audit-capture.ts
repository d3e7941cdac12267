// Capturing a decision as an audit record on the hot path. Input: the request, the Decision,
// the override asked for, the decision id and duration; output: a PendingRecord whose fields
// are canonical JSON strings (so a later mutation of the request cannot change the record, and
// the chain only concatenates and hashes them). Masked request paths, and who/action/resource
// when they lie under a masked path, become `"hmac:<hex>"`.
import type { Decision, EvalError, Override, Reason } from "./decision.ts";
import type { PendingRecord } from "./audit-chain.ts";
import { canonicalize, canonicalizeRequest, quote, type Masker, type MaskTree } from "./canonical-json.ts";
import { hmacMasker, isMaskedPath, maskKeyBytes, maskTree } from "./mask.ts";

export interface CaptureOptions {
  readonly instance: string;
  readonly mask: readonly string[];
  readonly maskKey: string | Uint8Array | undefined;
  readonly who: string;
  readonly action: string;
  readonly resource: string;
}

interface Extractor {
  readonly parts: readonly string[];
  readonly masked: boolean;
}

export class RecordCapture {
  private readonly instance: string;
  private readonly tree: MaskTree | undefined;
  private readonly masker: Masker;
  private readonly who: Extractor;
  private readonly action: Extractor;
  private readonly resource: Extractor;
  private lastMs = -1;
  private lastIso = "";
  private lastPolicy: { package: string; version: string; json: string } | undefined;
  /** The `middle` of records without errors or override, for the policy JSON it was built with. */
  private middle = "";
  private middlePolicy: string | undefined;

  constructor(options: CaptureOptions) {
    this.instance = quote(options.instance);
    this.tree = maskTree(options.mask);
    this.masker = hmacMasker(maskKeyBytes(options.maskKey));
    const extractor = (path: string): Extractor => {
      const parts = path.split(".");
      return { parts, masked: isMaskedPath(this.tree, parts) };
    };
    this.who = extractor(options.who);
    this.action = extractor(options.action);
    this.resource = extractor(options.resource);
  }

  /** The decision time as ISO-8601 (formatted once per millisecond). */
  now(): string {
    const ms = Date.now();
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastIso = new Date(ms).toISOString();
    }
    return this.lastIso;
  }

  capture(request: unknown, d: Decision, override: Override | undefined, decisionId: string, ts: string, durationNs: number): PendingRecord {
    const policy = this.policyJson(d.policy);
    const errors = errorsJson(d.errors);
    let middle: string;
    if (errors === "[]" && override === undefined) {
      if (policy !== this.middlePolicy) {
        this.middlePolicy = policy;
        this.middle = `,"errors":[],"instance":${this.instance},"policy":${policy},"prev":"`;
      }
      middle = this.middle;
    } else {
      const o = override === undefined ? "" : `,"override":${overrideJson(override, d.override?.bypassed)}`;
      middle = `,"errors":${errors},"instance":${this.instance}${o},"policy":${policy},"prev":"`;
    }
    return {
      seq: 0,
      ts,
      decisionId,
      who: this.extract(request, this.who),
      action: this.extract(request, this.action),
      resource: this.extract(request, this.resource),
      decision: d.decision === "allow" ? "allow" : "deny",
      reasons: reasonsJson(d.reasons),
      middle,
      request: canonicalizeRequest(request, this.tree, this.masker),
      durationNs,
    };
  }

  private policyJson(policy: Decision["policy"] | undefined): string {
    const pkg = policy?.package;
    const version = policy?.version;
    const last = this.lastPolicy;
    if (last !== undefined && last.package === pkg && last.version === version) return last.json;
    const json = canonicalize({ package: pkg ?? null, version: version ?? null });
    if (typeof pkg === "string" && typeof version === "string") this.lastPolicy = { package: pkg, version, json };
    return json;
  }

  private extract(request: unknown, x: Extractor): string {
    let v: unknown = request;
    for (const part of x.parts) {
      if (typeof v !== "object" || v === null || !Object.hasOwn(v, part)) return "null";
      try {
        v = (v as Record<string, unknown>)[part];
      } catch {
        return '"[unreadable]"';
      }
    }
    if (typeof v === "string") return x.masked ? this.masker(quote(v)) : quote(v);
    const json = canonicalizeRequest(v, undefined, this.masker);
    return x.masked ? this.masker(json) : json;
  }
}

function str(v: unknown): string {
  return typeof v === "string" ? quote(v) : canonicalize(v);
}

/** Reasons as recorded: rule, message, id, severity (keys in canonical order). */
export function reasonsJson(reasons: readonly Reason[] | undefined): string {
  if (!Array.isArray(reasons) || reasons.length === 0) return "[]";
  let out = "[";
  for (let i = 0; i < reasons.length; i++) {
    const r = reasons[i] as Reason;
    out += i === 0 ? "{" : ",{";
    if (r.id !== undefined) out += `"id":${str(r.id)},`;
    if (r.message !== undefined) out += `"message":${str(r.message)},`;
    out += `"rule":${str(r.rule)}`;
    if (r.severity !== undefined) out += `,"severity":${str(r.severity)}`;
    out += "}";
  }
  return out + "]";
}

function errorsJson(errors: readonly EvalError[] | undefined): string {
  if (!Array.isArray(errors) || errors.length === 0) return "[]";
  let out = "[";
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i] as EvalError;
    out += `${i === 0 ? "" : ","}{"location":${str(e.location)},"message":${str(e.message)},"rule":${str(e.rule)}}`;
  }
  return out + "]";
}

function overrideJson(asked: Override, bypassed: readonly Reason[] | undefined): string {
  // `asked` comes from the caller unchecked: read it defensively.
  const o = typeof asked === "object" && asked !== null ? asked : ({} as Partial<Override>);
  return `{"by":${str(o.by ?? null)},"bypassed":${reasonsJson(bypassed)},"justification":${str(o.justification ?? null)}}`;
}
