// The floor: the documents example's rules (examples/documents/*.edict) written by hand in plain
// JavaScript, the way a careful engineer would write them for a service — same Decision shape as
// compiled Edict (reasons with rendered messages, ids, severities, locations; advisories;
// notifications), frozen shared decisions for outcomes without messages, no allocation there.
// Input: a request shaped like the example's `request {}` (Time and Ip as strings).
// Deviation (documented in bench/README.md): it trusts the request to be well typed — the
// service validated it — and fails closed with one generic error when it is not an object.
// Compiled Edict checks every value it touches instead.

const F = "examples/documents/";
const EMPTY = Object.freeze([]);

function meta(rule, effect, location, id, severity) {
  const r = { rule: `documents.${rule}`, effect };
  if (id !== undefined) r.id = id;
  if (severity !== undefined) r.severity = severity;
  r.location = F + location;
  return r;
}
function withMessage(m, message) {
  const r = { rule: m.rule, effect: m.effect, message };
  if (m.id !== undefined) r.id = m.id;
  if (m.severity !== undefined) r.severity = m.severity;
  r.location = m.location;
  return r;
}

// Permits, in source order (bit i of the permit mask).
const ADMIN_ALL = meta("admin_all", "permit", "grants.edict:4:1");
const PERMITS = [
  ADMIN_ALL,
  meta("read_public", "permit", "grants.edict:12:1"),
  meta("department_readers", "permit", "grants.edict:18:1"),
  meta("department_editors", "permit", "grants.edict:25:1"),
  meta("owner_full", "permit", "grants.edict:32:1"),
  meta("shared_readers", "permit", "grants.edict:38:1"),
].map(Object.freeze);
const LEGAL_HOLD = meta("legal_hold", "forbid", "restrictions.edict:4:1", "DOC-7", "high");
const NEEDS_MFA = meta("secret_needs_mfa", "forbid", "restrictions.edict:15:1", "DOC-3", "critical");
const NEEDS_CLEARANCE = meta("secret_needs_clearance", "forbid", "restrictions.edict:23:1", "DOC-4", "critical");
const OUTSIDE_NETWORK = meta("outside_network", "forbid", "restrictions.edict:32:1", "DOC-5", "medium");
const SHARE_CONFIDENTIAL = meta("share_confidential", "forbid", "restrictions.edict:41:1", "DOC-6", "medium");
const WEEKEND = meta("weekend_secret_access", "forbid", "restrictions.edict:51:1", undefined, "low");
const NOTE_ADMIN = Object.freeze({ rule: "documents.admin_all", channel: "admin-activity" });
const NOTE_LEGAL = Object.freeze({ rule: "documents.legal_hold", channel: "legal" });
const ADMIN_NOTES = Object.freeze([NOTE_ADMIN]);

/** Is `s` an IPv4 address in 10.0.0.0/8? IPv6 text (a colon) is never in an IPv4 range. */
function inCorporateNetwork(s) {
  if (s.charCodeAt(0) !== 49 || s.charCodeAt(1) !== 48 || s.charCodeAt(2) !== 46) return false; // "10."
  // The rest must be three decimal octets 0..255 without leading zeros.
  let parts = 0;
  let i = 3;
  while (i <= s.length) {
    let n = 0;
    const start = i;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) n = n * 10 + s.charCodeAt(i++) - 48;
    const len = i - start;
    if (len === 0 || len > 3 || n > 255 || (len > 1 && s.charCodeAt(start) === 48)) return false;
    parts++;
    if (i === s.length) break;
    if (s.charCodeAt(i) !== 46) return false;
    i++;
  }
  return parts === 3;
}

/** ISO weekday (1 = Monday .. 7 = Sunday) in UTC of an ISO-8601 timestamp with a timezone. */
function weekday(s) {
  const days = Math.floor(Date.parse(s) / 86400000);
  return ((((days % 7) + 7) % 7) + 3) % 7 + 1;
}

export function makeDecide(version) {
  const policy = Object.freeze({ package: "documents", version });
  const DEFAULT_DENY = Object.freeze({
    allowed: false, decision: "deny", reasons: EMPTY, errors: EMPTY, advisories: EMPTY, notifications: EMPTY, policy,
  });
  // Frozen allow decisions by permit mask, for masks without a message-bearing permit (0 and 3).
  const allowCache = [];
  function cachedAllow(mask) {
    let d = allowCache[mask];
    if (d === undefined) {
      const reasons = [];
      for (let i = 0; i < PERMITS.length; i++) if (mask & (1 << i)) reasons.push(PERMITS[i]);
      d = allowCache[mask] = Object.freeze({
        allowed: true, decision: "allow", reasons: Object.freeze(reasons), errors: EMPTY, advisories: EMPTY, notifications: EMPTY, policy,
      });
    }
    return d;
  }

  return function decide(req) {
    if (typeof req !== "object" || req === null) {
      return { ...DEFAULT_DENY, errors: [{ rule: "documents", message: "the request is not a record", location: "" }] };
    }
    const p = req.principal;
    const action = req.action;
    const res = req.resource;
    const ctx = req.context;
    const roles = p.roles;
    const cls = res.classification;
    const isAdmin = roles.includes("admin");
    const isOwner = res.owner === p.id;
    const sameDepartment = p.department === res.department;
    const reading = action === "read" || action === "comment";

    // Forbids (and the advisory), source order.
    const secret = cls === "secret";
    const legal = (action === "delete" || action === "write") && res.legal_hold === true;
    const mfa = secret && ctx.mfa !== true;
    const clearance = secret && !roles.includes("cleared");
    const network = (secret || cls === "confidential") && !inCorporateNetwork(ctx.ip);
    const share = action === "share" && cls === "confidential" && !(isOwner || isAdmin);
    const weekend = secret && weekday(ctx.now) >= 6;

    // Permits, source order.
    let mask = 0;
    if (isAdmin) mask |= 1;
    if (action === "read" && cls === "public") mask |= 2;
    if (reading && sameDepartment && (roles.includes("viewer") || roles.includes("editor"))) mask |= 4;
    if (action === "write" && sameDepartment && roles.includes("editor")) mask |= 8;
    if (isOwner && !(action === "share" && secret)) mask |= 16;
    if (reading && Object.hasOwn(res, "shared_with") && res.shared_with.includes(p.id)) mask |= 32;

    const denied = legal || mfa || clearance || network || share;
    if (!denied && !weekend && !isAdmin) {
      // The common paths: nothing to render, nothing to allocate.
      if (mask === 0) return DEFAULT_DENY;
      if ((mask & 8) === 0) return cachedAllow(mask);
    }

    let reasons;
    if (denied) {
      reasons = [];
      if (legal) reasons.push(withMessage(LEGAL_HOLD, `document ${res.id} is under legal hold`));
      if (mfa) reasons.push(withMessage(NEEDS_MFA, `secret document ${res.id} needs multi-factor authentication`));
      if (clearance) reasons.push(withMessage(NEEDS_CLEARANCE, `${p.id} is not cleared for secret document ${res.id}`));
      if (network) reasons.push(withMessage(OUTSIDE_NETWORK, `${cls} document ${res.id} requested from ${ctx.ip}`));
      if (share) reasons.push(withMessage(SHARE_CONFIDENTIAL, `only the owner may share confidential document ${res.id}`));
    } else if (mask !== 0) {
      reasons = [];
      for (let i = 0; i < PERMITS.length; i++) {
        if ((mask & (1 << i)) === 0) continue;
        if (i === 0) reasons.push(withMessage(ADMIN_ALL, `${p.id} is an admin`));
        else if (i === 3) reasons.push(withMessage(PERMITS[3], `${p.id} edits ${res.department} documents`));
        else reasons.push(PERMITS[i]);
      }
    } else reasons = EMPTY;
    const advisories = weekend ? [withMessage(WEEKEND, `secret document ${res.id} opened on a weekend (${ctx.now})`)] : EMPTY;
    const notifications = isAdmin ? (legal ? [NOTE_ADMIN, NOTE_LEGAL] : ADMIN_NOTES) : legal ? [NOTE_LEGAL] : EMPTY;
    const allowed = !denied && mask !== 0;
    return { allowed, decision: allowed ? "allow" : "deny", reasons, errors: EMPTY, advisories, notifications, policy };
  };
}
