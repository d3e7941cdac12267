// Capturing a decision as an audit record, and writing the record's canonical JSON bytes.
// Input: the request, the Decision, the override asked for, the decision number, time and
// duration (a PendingRecord: references only, nothing serialised yet); output: the record's
// RFC 8785 canonical JSON (keys in JCS order, without the closing brace), written straight into
// the batch buffer by `writeBody` — which the sink calls inside `append`, i.e. still inside
// `decide`, so a later mutation of the request cannot change the record. Masked request paths,
// and who/action/resource when they lie under a masked path, become `"hmac:<hex>"`; masks
// inside a who/action/resource value apply to it as they do in `request`; a masked value of 8
// characters or more in a reason or error message is replaced by its mask (mask.ts, redactText).
// Invariant: the bytes written are exactly the UTF-8 of the record's canonical JSON as
// `canonicalize` gives it (property-tested in test/runtime/canonical-bytes.test.ts).
// Why bytes: fixed parts are pre-encoded constants, the common middle (no errors, no override)
// is cached per policy, reasons arrays of compiled modules (frozen, shared) are memoized, and
// values are stored byte by byte — no string of the record is ever built (see canonical-bytes.ts).
import type { Decision, EvalError, Override, Reason } from "./decision.ts";
import { writeAscii, writeBytes, writeRequest, writeString, writeText, writeUint, type ByteMasker, type ByteOut } from "./canonical-bytes.ts";
import { canonicalize, canonicalizeRequest, chunk, quote, type Chunk, type MaskTree } from "./canonical-json.ts";
import { hmacMasker, maskAt, maskedTexts, maskKeyBytes, maskTree, redactText } from "./mask.ts";

export interface CaptureOptions {
  readonly instance: string;
  readonly mask: readonly string[];
  readonly maskKey: string | Uint8Array | undefined;
  readonly who: string;
  readonly action: string;
  readonly resource: string;
  /** The decision ids' prefix: a record's decisionId is `idPrefix + id`. */
  readonly idPrefix: string;
}

/** A decision waiting to be written (by the sink, inside `append`). */
export interface PendingRecord {
  readonly capture: RecordCapture;
  readonly request: unknown;
  readonly decision: Decision;
  readonly override: Override | undefined;
  /** The decision's number: decisionId = idPrefix + id. */
  readonly id: number;
  readonly ts: string;
  readonly durationNs: number;
}

interface Extractor {
  readonly parts: readonly string[];
  /** The whole value is masked (the path or a prefix of it is). */
  readonly masked: boolean;
  /** Masks inside the value (a path under this one is masked: `who: "principal"` with `principal.ssn`). */
  readonly inner: MaskTree | undefined;
}

const enc = chunk;
const ACTION = enc('{"action":');
const DURATION = enc('","durationNs":');
const REASONS = enc('","reasons":');
const REQUEST = enc(',"request":');
const RESOURCE = enc(',"resource":');
const SEQ = enc(',"seq":');
const TS = enc(',"ts":"');
const WHO = enc('","who":');
const EMPTY_LIST = enc("[]");
const NULL = enc("null");
const UNREADABLE = enc('"[unreadable]"');
const R_ID = enc('{"id":');
const R_MESSAGE_FIRST = enc('{"message":');
const R_MESSAGE = enc(',"message":');
const R_RULE_FIRST = enc('{"rule":');
const R_RULE = enc(',"rule":');
const R_SEVERITY = enc(',"severity":');

export class RecordCapture {
  private readonly instance: string;
  private readonly tree: MaskTree | undefined;
  private readonly masker: ByteMasker;
  private readonly who: Extractor;
  private readonly action: Extractor;
  private readonly resource: Extractor;
  /** `,"decision":"allow","decisionId":"<prefix>` and its deny twin. */
  private readonly allowId: Chunk;
  private readonly denyId: Chunk;
  private lastMs = -1;
  private lastIso = "";
  private lastIsoBytes: Chunk = enc("");
  private lastPolicy: { package: string; version: string; json: string } | undefined;
  /** The bytes of `middle` for records without errors or override, for the policy JSON it was built with. */
  private middle: Chunk = enc("");
  private middlePolicy: string | undefined;
  /** Reasons arrays of compiled modules are frozen and shared by every decision they end in. */
  private readonly reasonsMemo = new WeakMap<readonly Reason[], Chunk>();
  /** The record being written's request, and its masked texts once a message needed them. */
  private writing: unknown;
  private secrets: readonly string[] | undefined;
  /** Messages with the request's masked values replaced by their masks (undefined: nothing is masked). */
  private readonly redact: ((text: string) => string) | undefined;

  constructor(options: CaptureOptions) {
    this.instance = quote(options.instance);
    this.tree = maskTree(options.mask);
    this.masker = hmacMasker(maskKeyBytes(options.maskKey));
    const extractor = (path: string): Extractor => {
      const parts = path.split(".");
      const at = maskAt(this.tree, parts);
      return { parts, masked: at === true, inner: at === true ? undefined : at };
    };
    this.who = extractor(options.who);
    this.action = extractor(options.action);
    this.resource = extractor(options.resource);
    // the prefix is ours (hex and "-"), but quote it like any value
    const prefix = quote(options.idPrefix).slice(1, -1);
    this.allowId = enc(`,"decision":"allow","decisionId":"${prefix}`);
    this.denyId = enc(`,"decision":"deny","decisionId":"${prefix}`);
    // A policy may put a masked attribute into a message (`reason "… {principal.email} …"`, an
    // error quoting a malformed value): the message is recorded with the value's mask instead.
    this.redact =
      this.tree === undefined
        ? undefined
        : (text) => {
            this.secrets ??= maskedTexts(this.tree, this.writing);
            return this.secrets.length === 0 ? text : redactText(text, this.secrets, this.masker);
          };
  }

  /** The decision time as ISO-8601 (formatted once per millisecond). */
  now(): string {
    const ms = Date.now();
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastIso = new Date(ms).toISOString();
      this.lastIsoBytes = enc(this.lastIso);
    }
    return this.lastIso;
  }

  /** `request` as a record holds it (masks applied), as a JSON value: for hooks that send it on. */
  maskedRequest(request: unknown): unknown {
    return JSON.parse(canonicalizeRequest(request, this.tree, this.masker)) as unknown;
  }

  capture(request: unknown, decision: Decision, override: Override | undefined, id: number, ts: string, durationNs: number): PendingRecord {
    return { capture: this, request, decision, override, id, ts, durationNs };
  }

  /**
   * Writes `r`'s canonical JSON without its closing brace at out.length, with `seq`, and
   * `prevLength` bytes of room for the previous hash (filled in when the chain seals the
   * record); returns where that room is.
   */
  writeBody(out: ByteOut, r: PendingRecord, seq: number, prevLength: number): number {
    const d = r.decision;
    this.writing = r.request;
    this.secrets = undefined;
    writeBytes(out, ACTION);
    this.extract(out, r.request, this.action);
    writeBytes(out, d.decision === "allow" ? this.allowId : this.denyId);
    writeUint(out, r.id);
    writeBytes(out, DURATION);
    writeUint(out, r.durationNs);
    this.writeMiddle(out, d, r.override);
    if (out.length + prevLength > out.limit) out.room(prevLength);
    const prevAt = out.length;
    out.length += prevLength;
    writeBytes(out, REASONS);
    this.writeReasons(out, d.reasons);
    writeBytes(out, REQUEST);
    writeRequest(out, r.request, this.tree, this.masker);
    writeBytes(out, RESOURCE);
    this.extract(out, r.request, this.resource);
    writeBytes(out, SEQ);
    writeUint(out, seq);
    writeBytes(out, TS);
    if (r.ts === this.lastIso) writeBytes(out, this.lastIsoBytes);
    else writeAscii(out, r.ts); // an ISO time of another millisecond (a decision made inside another's getter)
    writeBytes(out, WHO);
    this.extract(out, r.request, this.who);
    this.writing = this.secrets = undefined; // neither the request nor its secrets outlive the record
    return prevAt;
  }

  /** `,"errors":…,"instance":…[,"override":…],"policy":…,"prev":"` */
  private writeMiddle(out: ByteOut, d: Decision, override: Override | undefined): void {
    const policy = this.policyJson(d.policy);
    const errors = d.errors;
    if ((!Array.isArray(errors) || errors.length === 0) && override === undefined) {
      if (policy !== this.middlePolicy) {
        this.middlePolicy = policy;
        this.middle = enc(`,"errors":[],"instance":${this.instance},"policy":${policy},"prev":"`);
      }
      writeBytes(out, this.middle);
      return;
    }
    const o = override === undefined ? "" : `,"override":${overrideJson(override, d.override?.bypassed, this.redact)}`;
    writeText(out, `,"errors":${errorsJson(errors, this.redact)},"instance":${this.instance}${o},"policy":${policy},"prev":"`);
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

  private writeReasons(out: ByteOut, reasons: readonly Reason[] | undefined): void {
    if (!Array.isArray(reasons) || reasons.length === 0) {
      writeBytes(out, EMPTY_LIST);
      return;
    }
    const memo = this.reasonsMemo.get(reasons);
    if (memo !== undefined) {
      writeBytes(out, memo);
      return;
    }
    const start = out.length;
    const redacted = writeReasonList(out, reasons, this.redact);
    if (!redacted && Object.isFrozen(reasons) && reasons.every(memoizable)) {
      this.reasonsMemo.set(reasons, chunk(out.buf.subarray(start, out.length)));
    }
  }

  private extract(out: ByteOut, request: unknown, x: Extractor): void {
    let v: unknown = request;
    for (const part of x.parts) {
      if (typeof v !== "object" || v === null || !Object.hasOwn(v, part)) {
        writeBytes(out, NULL);
        return;
      }
      try {
        v = (v as Record<string, unknown>)[part];
      } catch {
        writeBytes(out, UNREADABLE);
        return;
      }
    }
    if (typeof v === "string") {
      if (x.masked) writeBytes(out, this.masker.bytes!(v));
      else writeString(out, v);
      return;
    }
    if (x.masked) writeText(out, this.masker(canonicalizeRequest(v, undefined, this.masker)));
    else writeRequest(out, v, x.inner, this.masker); // masks inside the value apply here as in `request`
  }
}

/** A reason whose recorded form cannot change: a frozen plain object whose recorded fields are string data properties (or absent). */
function memoizable(r: unknown): boolean {
  if (typeof r !== "object" || r === null || !Object.isFrozen(r) || Object.getPrototypeOf(r) !== Object.prototype) return false;
  for (const key of ["rule", "message", "id", "severity"]) {
    const d = Object.getOwnPropertyDescriptor(r, key);
    if (d === undefined ? key === "rule" : typeof d.value !== "string") return false;
  }
  return true;
}

/** A reason field as recorded: strings as such, anything else as canonical JSON. */
function writeField(out: ByteOut, v: unknown): void {
  if (typeof v === "string") writeString(out, v);
  else writeText(out, canonicalize(v));
}

/** Reasons as recorded: rule, message, id, severity (keys in canonical order); whether `redact` changed a message. */
function writeReasonList(out: ByteOut, reasons: readonly Reason[], redact: ((text: string) => string) | undefined): boolean {
  let redacted = false;
  for (let i = 0; i < reasons.length; i++) {
    const r = reasons[i] as Reason;
    // each field read once (a getter must not be asked twice for one record)
    const { id, message, rule, severity } = r;
    writeAscii(out, i === 0 ? "[" : ",");
    let open = true;
    if (id !== undefined) {
      writeBytes(out, R_ID);
      writeField(out, id);
      open = false;
    }
    if (message !== undefined) {
      writeBytes(out, open ? R_MESSAGE_FIRST : R_MESSAGE);
      const text = redact !== undefined && typeof message === "string" ? redact(message) : message;
      if (text !== message) redacted = true;
      writeField(out, text);
      open = false;
    }
    writeBytes(out, open ? R_RULE_FIRST : R_RULE);
    writeField(out, rule);
    if (severity !== undefined) {
      writeBytes(out, R_SEVERITY);
      writeField(out, severity);
    }
    writeAscii(out, "}");
  }
  writeAscii(out, "]");
  return redacted;
}

function str(v: unknown): string {
  return typeof v === "string" ? quote(v) : canonicalize(v);
}

/** Reasons as recorded, as a string (the override's `bypassed`). */
export function reasonsJson(reasons: readonly Reason[] | undefined, redact?: (text: string) => string): string {
  if (!Array.isArray(reasons) || reasons.length === 0) return "[]";
  let out = "[";
  for (let i = 0; i < reasons.length; i++) {
    const { id, message, rule, severity } = reasons[i] as Reason;
    out += i === 0 ? "{" : ",{";
    if (id !== undefined) out += `"id":${str(id)},`;
    if (message !== undefined) out += `"message":${str(redact !== undefined && typeof message === "string" ? redact(message) : message)},`;
    out += `"rule":${str(rule)}`;
    if (severity !== undefined) out += `,"severity":${str(severity)}`;
    out += "}";
  }
  return out + "]";
}

function errorsJson(errors: readonly EvalError[] | undefined, redact: ((text: string) => string) | undefined): string {
  if (!Array.isArray(errors) || errors.length === 0) return "[]";
  let out = "[";
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i] as EvalError;
    const { location, message, rule } = e; // each read once
    const text = redact !== undefined && typeof message === "string" ? redact(message) : message;
    out += `${i === 0 ? "" : ","}{"location":${str(location)},"message":${str(text)},"rule":${str(rule)}}`;
  }
  return out + "]";
}

function overrideJson(asked: Override, bypassed: readonly Reason[] | undefined, redact: ((text: string) => string) | undefined): string {
  // `asked` comes from the caller unchecked: read it defensively.
  const o = typeof asked === "object" && asked !== null ? asked : ({} as Partial<Override>);
  return `{"by":${str(o.by ?? null)},"bypassed":${reasonsJson(bypassed, redact)},"justification":${str(o.justification ?? null)}}`;
}
