// The decision corpus: policies + requests + expected decisions, the executable contract of
// language.md §6 and common.md. Reusable by every engine (the interpreter, compiled code):
//   for (const c of decisionCases()) {
//     const actual = await engine.decide(c.sources, c.request, { override: c.override, package: c.package });
//     expect(compareDecision(actual, c.expect, c.package)).toEqual([]);
//   }
// Layout of test/fixtures/decisions/: `NAME.edict` + `NAME.cases.json`, or a folder `NAME/`
// with any number of `*.edict` files and a `cases.json`. A cases file is
//   { "package"?: "p", "cases": [ { "name", "request", "override"?, "expect": {...} } ] }
// `expect` holds `decision` and `reasons` (required), `errors`, `advisories`, `notifications`
// (absent = must be empty) and `override` (absent = must be absent). Reasons compare `rule`
// and `message` always (a missing `message` means the reason must have none) and `effect`,
// `id`, `severity`, `location` when given; errors compare `rule`, `message` and `location`
// when given.
// Requests that JSON cannot express are written `{"$js": KIND, ...}` anywhere in a request:
//   {"$js": "cyclic"}                   an object whose fields point back at itself
//   {"$js": "nullProto", "value": V}    V with every object made by Object.create(null)
//   {"$js": "inherited", "proto": P, "own": O}   Object.create(P) with O's own fields
//   {"$js": "deep", "depth": N}         {"a": {"a": ... N levels}}
//   {"$js": "deepList", "depth": N}     [[[ ... N levels ]]]
//   {"$js": "undefined"}                undefined
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Decision, EvalError, Notification, Override, Reason } from "../../runtime/decision.ts";

export interface PolicySource {
  readonly path: string;
  readonly text: string;
}

export interface DecideEngineOptions {
  readonly override?: unknown;
  /** The package to decide with, when the sources hold several. */
  readonly package?: string;
}

/** Anything that turns policy sources + a request into a Decision. */
export interface Engine {
  readonly name: string;
  decide(policySources: readonly PolicySource[], request: unknown, options: DecideEngineOptions): Decision | Promise<Decision>;
}

export interface ExpectedReason {
  readonly rule: string;
  readonly message?: string;
  readonly effect?: "permit" | "forbid";
  readonly id?: string;
  readonly severity?: string;
  readonly location?: string;
}

export interface ExpectedError {
  readonly rule: string;
  readonly message: string;
  readonly location?: string;
}

export interface ExpectedDecision {
  readonly decision: "allow" | "deny";
  readonly reasons: readonly ExpectedReason[];
  readonly errors?: readonly ExpectedError[];
  readonly advisories?: readonly ExpectedReason[];
  readonly notifications?: readonly Notification[];
  readonly override?: Override & { readonly bypassed: readonly ExpectedReason[] };
}

export interface DecisionCase {
  /** `fixture > case name`, for test titles. */
  readonly title: string;
  readonly fixture: string;
  readonly name: string;
  readonly sources: readonly PolicySource[];
  readonly package: string | undefined;
  readonly request: unknown;
  readonly override: unknown;
  readonly expect: ExpectedDecision;
}

export const DECISIONS_DIR = join(import.meta.dirname, "..", "fixtures", "decisions");

interface CasesFile {
  readonly package?: string;
  readonly cases: readonly { name: string; request: unknown; override?: unknown; expect: ExpectedDecision }[];
}

/** Every case of the corpus, in a stable order (fixture path, then case order). */
export function decisionCases(dir: string = DECISIONS_DIR): DecisionCase[] {
  const out: DecisionCase[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const p = join(dir, entry);
    let fixture: string;
    let sources: PolicySource[];
    let casesPath: string;
    if (statSync(p).isDirectory()) {
      fixture = entry;
      sources = readdirSync(p)
        .filter((f) => f.endsWith(".edict"))
        .sort()
        .map((f) => ({ path: `${entry}/${f}`, text: readFileSync(join(p, f), "utf8") }));
      casesPath = join(p, "cases.json");
    } else if (entry.endsWith(".edict")) {
      fixture = entry.slice(0, -".edict".length);
      sources = [{ path: entry, text: readFileSync(p, "utf8") }];
      casesPath = join(dir, `${fixture}.cases.json`);
    } else continue;
    const file = JSON.parse(readFileSync(casesPath, "utf8")) as CasesFile;
    for (const c of file.cases) {
      out.push({
        title: `${fixture} > ${c.name}`,
        fixture,
        name: c.name,
        sources,
        package: file.package,
        request: materialize(c.request),
        override: c.override === undefined ? undefined : materialize(c.override),
        expect: c.expect,
      });
    }
  }
  return out;
}

/** Builds the JS values `{"$js": ...}` stands for (see the module comment). */
export function materialize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(materialize);
  if (typeof v !== "object" || v === null) return v;
  const o = v as Record<string, unknown>;
  if (typeof o.$js === "string") {
    switch (o.$js) {
      case "cyclic": {
        const c: Record<string, unknown> = { name: "loop" };
        c.self = c;
        c.items = [c, c];
        return c;
      }
      case "nullProto":
        return nullProto(materialize(o.value));
      case "inherited":
        return Object.assign(Object.create(materialize(o.proto) as object) as object, materialize(o.own));
      case "deep": {
        let d: unknown = "bottom";
        for (let i = 0; i < Number(o.depth); i++) d = { a: d };
        return d;
      }
      case "deepList": {
        let d: unknown = [];
        for (let i = 0; i < Number(o.depth); i++) d = [d];
        return d;
      }
      case "undefined":
        return undefined;
      default:
        throw new Error(`unknown $js kind ${String(o.$js)}`);
    }
  }
  const r: Record<string, unknown> = {};
  for (const k of Object.keys(o)) Object.defineProperty(r, k, { value: materialize(o[k]), enumerable: true, writable: true, configurable: true });
  return r;
}

function nullProto(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(nullProto);
  if (typeof v !== "object" || v === null) return v;
  const r = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(v)) r[k] = nullProto((v as Record<string, unknown>)[k]);
  return r;
}

/** Differences between an actual decision and the expectation; [] when it conforms. */
export function compareDecision(actual: Decision, expect: ExpectedDecision, pkg?: string): string[] {
  const problems: string[] = [];
  if (actual.decision !== expect.decision) problems.push(`decision: expected ${expect.decision}, got ${actual.decision}`);
  if (actual.allowed !== (actual.decision === "allow")) problems.push(`allowed (${actual.allowed}) disagrees with decision (${actual.decision})`);
  if (pkg !== undefined && actual.policy?.package !== pkg) problems.push(`policy.package: expected ${pkg}, got ${actual.policy?.package}`);
  if (typeof actual.policy?.version !== "string") problems.push("policy.version is not a string");
  compareReasons("reasons", actual.reasons, expect.reasons, problems);
  compareReasons("advisories", actual.advisories, expect.advisories ?? [], problems);
  compareErrors(actual.errors, expect.errors ?? [], problems);
  const notes = (actual.notifications ?? []).map((n) => `${n.rule}→${n.channel}`);
  const wantNotes = (expect.notifications ?? []).map((n) => `${n.rule}→${n.channel}`);
  if (JSON.stringify(notes) !== JSON.stringify(wantNotes)) problems.push(`notifications: expected ${JSON.stringify(wantNotes)}, got ${JSON.stringify(notes)}`);
  if (expect.override === undefined) {
    if (actual.override !== undefined) problems.push(`override: expected none, got ${JSON.stringify(actual.override)}`);
  } else if (actual.override === undefined) {
    problems.push("override: expected one, got none");
  } else {
    if (actual.override.by !== expect.override.by || actual.override.justification !== expect.override.justification) {
      problems.push(`override: expected by/justification ${JSON.stringify([expect.override.by, expect.override.justification])}, got ${JSON.stringify([actual.override.by, actual.override.justification])}`);
    }
    compareReasons("override.bypassed", actual.override.bypassed, expect.override.bypassed, problems);
  }
  try {
    JSON.stringify(actual);
  } catch {
    problems.push("the decision is not JSON-serialisable");
  }
  return problems;
}

function compareReasons(what: string, actual: readonly Reason[] | undefined, expect: readonly ExpectedReason[], problems: string[]): void {
  const got = actual ?? [];
  const summary = (rs: readonly (Reason | ExpectedReason)[]) => JSON.stringify(rs.map((r) => (r.message === undefined ? r.rule : `${r.rule}: ${r.message}`)));
  if (got.length !== expect.length) {
    problems.push(`${what}: expected ${summary(expect)}, got ${summary(got)}`);
    return;
  }
  expect.forEach((e, i) => {
    const a = got[i]!;
    if (a.rule !== e.rule || a.message !== e.message) problems.push(`${what}[${i}]: expected ${summary([e])}, got ${summary([a])}`);
    for (const k of ["effect", "id", "severity", "location"] as const) {
      if (e[k] !== undefined && a[k] !== e[k]) problems.push(`${what}[${i}].${k}: expected ${JSON.stringify(e[k])}, got ${JSON.stringify(a[k])}`);
    }
    if (typeof a.location !== "string" || !/:\d+:\d+$/.test(a.location)) problems.push(`${what}[${i}].location is not file:line:col: ${JSON.stringify(a.location)}`);
  });
}

function compareErrors(actual: readonly EvalError[] | undefined, expect: readonly ExpectedError[], problems: string[]): void {
  const got = actual ?? [];
  const summary = (es: readonly (EvalError | ExpectedError)[]) => JSON.stringify(es.map((e) => `${e.rule}: ${e.message}${e.location ? ` @${e.location}` : ""}`));
  if (got.length !== expect.length) {
    problems.push(`errors: expected ${summary(expect)}, got ${summary(got)}`);
    return;
  }
  expect.forEach((e, i) => {
    const a = got[i]!;
    if (a.rule !== e.rule || a.message !== e.message || (e.location !== undefined && a.location !== e.location)) problems.push(`errors[${i}]: expected ${summary([e])}, got ${summary([a])}`);
  });
}
