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
// In and out of the corporate range 10.0.0.0/8, IPv4 and IPv6.
const IPS = ["10.1.2.3", "10.200.0.17", "10.0.0.1", "203.0.113.9", "192.168.1.20", "11.0.0.1", "::1", "2001:db8::7", "fe80::1"];
// Weekdays and weekend days (2026-01-05 is a Monday), with and without an offset.
const TIMES = [
  "2026-01-05T10:00:00Z", "2026-01-07T23:30:00Z", "2026-01-09T08:15:00Z", "2026-01-10T12:00:00Z",
  "2026-01-11T18:45:10Z", "2026-01-10T01:00:00+02:00", "2026-01-09T23:30:00-05:00", "2026-01-06T09:00:00.250Z",
];

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
    const context = { mfa: rnd() < 0.7, ip: pick(IPS), now: pick(TIMES) };
    out.push({ principal, action: pick(ACTIONS), resource, context });
  }
  return out;
}
