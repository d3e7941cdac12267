// Random requests for the documents example, generated from its types (examples/documents/model.edict)
// with a seeded PRNG, so every run and every engine sees the same requests.
// Output: plain JSON values shaped like the `request {}` declaration (Time and Ip as strings, the way a
// service receives them). Invariant: every request is well typed; `shared_with` is present about half the time.

/** mulberry32: small, fast, good enough for test data; same sequence on every machine. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PEOPLE = ["alice", "bob", "carol", "dave", "erin", "root"];
const DEPARTMENTS = ["eng", "sales", "legal", "it"];
const ROLES = ["admin", "editor", "viewer", "cleared"];
const ACTIONS = ["read", "comment", "write", "delete", "share"];
const CLASSIFICATIONS = ["public", "internal", "confidential", "secret"];
// Addresses and times are fresh per request, as a service sees them (a small pool would let
// the compiled module's parse caches answer every time): IPv4 in and out of the corporate
// range 10.0.0.0/8 and IPv6; instants over two weeks from Monday 2026-01-05, weekdays and
// weekends, in UTC, with milliseconds, or with an offset.
const V6 = ["::1", "2001:db8::", "fe80::", "2001:db8:85a3::8a2e:370:"];

function randomIp(rnd) {
  const octet = () => Math.floor(rnd() * 256);
  const r = rnd();
  if (r < 0.5) return `10.${octet()}.${octet()}.${octet()}`;
  if (r < 0.8) return `${[11, 172, 192, 203][Math.floor(rnd() * 4)]}.${octet()}.${octet()}.${octet()}`;
  const base = V6[Math.floor(rnd() * V6.length)];
  return base === "::1" ? base : `${base}${Math.floor(rnd() * 65536).toString(16)}`;
}

const pad = (n, w = 2) => String(n).padStart(w, "0");

function randomTime(rnd) {
  const ms = Date.UTC(2026, 0, 5) + Math.floor(rnd() * 14 * 86_400_000);
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const clock = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const r = rnd();
  if (r < 0.6) return `${date}T${clock}Z`;
  if (r < 0.8) return `${date}T${clock}.${pad(d.getUTCMilliseconds(), 3)}Z`;
  // The same instant written with an offset (local clock = UTC + offset).
  const offsetH = [-5, 2, 9][Math.floor(rnd() * 3)];
  const l = new Date(ms + offsetH * 3_600_000);
  const local = `${l.getUTCFullYear()}-${pad(l.getUTCMonth() + 1)}-${pad(l.getUTCDate())}T${pad(l.getUTCHours())}:${pad(l.getUTCMinutes())}:${pad(l.getUTCSeconds())}`;
  return `${local}${offsetH < 0 ? "-" : "+"}${pad(Math.abs(offsetH))}:00`;
}

export function randomRequests(count, seed = 42) {
  const rnd = prng(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const subset = (xs, p) => xs.filter(() => rnd() < p);
  const out = [];
  for (let i = 0; i < count; i++) {
    const id = pick(PEOPLE);
    const principal = { id, roles: subset(ROLES, 0.3), department: pick(DEPARTMENTS) };
    const resource = {
      id: `doc-${Math.floor(rnd() * 1000)}`,
      owner: rnd() < 0.25 ? id : pick(PEOPLE),
      department: rnd() < 0.5 ? principal.department : pick(DEPARTMENTS),
      classification: pick(CLASSIFICATIONS),
      legal_hold: rnd() < 0.15,
    };
    if (rnd() < 0.5) resource.shared_with = subset(PEOPLE, 0.3);
    const context = { mfa: rnd() < 0.7, ip: randomIp(rnd), now: randomTime(rnd) };
    out.push({ principal, action: pick(ACTIONS), resource, context });
  }
  return out;
}
