// `edict audit verify|show|keygen`: the auditor's side of the decision log.
//   verify FILE... --public-key PEM  exit 0 intact and closed, 1 tampered/corrupt (first bad
//                                  line named), 2 usage, 3 intact but incomplete (crash);
//                                  several files (rotated logs): the worst of their codes
//   verify FILE                    chain-only (hashes, order; signatures NOT checked): 1, 3
//                                  as above, 4 = chain intact and closed, signatures unchecked
//   show FILE... [filters]         a readable timeline (--who --action --rule --decision
//                                  --since --until, --json for the raw matching lines)
//   keygen --out DIR               an Ed25519 key pair for signing checkpoints
// Input: files named on the command line; output: text on stdout/stderr and the exit code.
import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { boolFlag, oneOf, parseArgs, stringFlag, UsageError } from "../args.ts";
import type { Command, CommandIO } from "../command.ts";
import { writeFilesAtomically, WriteError } from "../write-files.ts";
import { CompressedLogError, generateAuditKeyPair, keyFingerprint, loadPublicKey, readLines, verifyAuditFile } from "../../runtime/index.ts";
import type { KeyObject } from "node:crypto";
import type { VerifyAnchor, VerifyResult } from "../../runtime/index.ts";

const usage = `usage: edict audit verify FILE... [--public-key PEM] [--anchor SEQ:HASH] [--json]
       edict audit show FILE... [--who ID] [--action A] [--rule RULE] [--decision allow|deny]
                             [--since TIME] [--until TIME] [--json]
       edict audit keygen --out DIR [--force]

verify   checks the hash chain and the Ed25519-signed checkpoints of an audit log.
         exit 0: intact and cleanly closed; 1: tampered or corrupt (names the first bad
         line); 2: usage error; 3: intact but incomplete (records after the last
         checkpoint are unsigned, or the last line is torn, as after a crash).
         Without --public-key only the chain is checked (hashes, order, checkpoint places),
         NOT the signatures — anyone can rewrite a chain; only the signatures prove who wrote
         it: exit 4 = chain intact and closed, signatures not checked; 1 and 3 as above.
         --anchor SEQ:HASH: the log must hold record SEQ with this hash (a checkpoint shipped
         elsewhere, or the anchor an earlier verify printed); a log cut back to an earlier
         end or rewritten before it is tampered (exit 1); one file only.
         Several files (rotated logs: audit/*.jsonl) are each verified; the exit code is
         the worst of theirs (1, then 3, then 4, then 0). gzip-compressed files are read
         as they are (damaged compressed data: exit 1 where it becomes unreadable).
show     prints the decisions as a timeline (several files: one after the other). TIME is
         ISO-8601 (2026-11-23T10:00:00Z) or a duration back from now (15m, 2h, 7d).
         --rule matches \`pkg.rule\` or \`rule\`.
keygen   writes DIR/audit-signing.pem (private, mode 0600: give it to the service) and
         DIR/audit-signing.pub.pem (public: give it to auditors).
`;

export const auditCommand: Command = {
  name: "audit",
  summary: "verify, read and sign-key decision audit logs",
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === "verify") return verify(rest, io);
    if (sub === "show") return show(rest, io);
    if (sub === "keygen") return keygen(rest, io);
    throw new UsageError(sub === undefined ? "missing subcommand: `verify`, `show` or `keygen`" : `unknown subcommand \`${sub}\`; use \`verify\`, \`show\` or \`keygen\``);
  },
};

function readableFile(io: CommandIO, file: string): string {
  const path = resolve(io.cwd, file);
  if (!existsSync(path)) throw new UsageError(`cannot read \`${file}\`: no such file`);
  if (statSync(path).isDirectory()) throw new UsageError(`cannot read \`${file}\`: it is a directory; give the log file in it`);
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw new UsageError(`cannot read \`${file}\`: permission denied`);
  }
  return path;
}

async function verify(argv: readonly string[], io: CommandIO): Promise<number> {
  const args = parseArgs(argv, { "public-key": "string", anchor: "string", json: "boolean" }, "audit verify");
  const files = args.positionals;
  if (files.length === 0) throw new UsageError("missing the audit log file");
  const keyFile = stringFlag(args, "public-key");
  const key = keyFile === undefined ? undefined : readKey(io, keyFile);
  const anchorText = stringFlag(args, "anchor");
  if (anchorText !== undefined && files.length > 1) throw new UsageError("`--anchor` names a record of one log: verify that log on its own");
  const anchor = anchorText === undefined ? undefined : parseAnchor(anchorText);
  const paths = files.map((file) => readableFile(io, file)); // every name checked before any work
  const json: unknown[] = [];
  let worst = 0;
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const r = await verifyAuditFile(paths[i]!, key, anchor);
    const code = r.status === "intact" ? (key === undefined ? 4 : 0) : r.status === "incomplete" ? 3 : 1;
    if (SEVERITY.indexOf(code) > SEVERITY.indexOf(worst)) worst = code;
    if (boolFlag(args, "json")) json.push({ file, ...r, exitCode: code });
    else report(io, file, r, key);
  }
  // one file: its result as before; several (rotated logs): one result each, in order
  if (boolFlag(args, "json")) io.stdout(JSON.stringify(files.length === 1 ? json[0] : json, null, 2) + "\n");
  return worst;
}

/** Exit codes of verify from best to worst: with several files the worst one is the exit code. */
const SEVERITY = [0, 4, 3, 1];

function report(io: CommandIO, file: string, r: VerifyResult, key: KeyObject | undefined): void {
  const checkpoints = key === undefined ? `${r.checkpoints} checkpoint(s)` : `${r.checkpoints} signed checkpoint(s)`;
  const summary = `${r.records} record(s), ${checkpoints}${r.resumes > 0 ? `, reopened ${r.resumes} time(s)` : ""}`;
  if (r.status === "intact") {
    if (key === undefined) io.stdout(`${file}: chain intact: ${summary}, closed cleanly; signatures NOT checked (no --public-key): this does not prove who wrote the log\n`);
    else io.stdout(`${file}: intact: ${summary}, closed cleanly (key ${keyFingerprint(key)})\n`);
  } else if (r.status === "incomplete") {
    io.stdout(`${file}:${r.line}: incomplete: ${r.problem}\n`);
    io.stdout(`  ${summary}; ${key === undefined ? `checkpoints reach seq ${r.signedThrough} (signatures NOT checked)` : `seq 1..${r.signedThrough} are signed`}, the chain is intact through seq ${r.lastSeq}\n`);
  } else {
    io.stdout(`${file}:${r.line}: tampered: ${r.problem}\n`);
    io.stdout(`  the log is intact before line ${r.line} (${summary}${key === undefined ? "" : `, signed through seq ${r.signedThrough}`})\n`);
  }
  if (key === undefined && r.status !== "intact") io.stdout("  (chain only: signatures NOT checked; pass --public-key to check them)\n");
  if (r.status !== "tampered" && r.lastSeq > 0) io.stdout(`  anchor for the next verification (keep it outside this log's host): --anchor ${r.lastSeq}:${r.lastHash}\n`);
}

/** `SEQ:HASH` (`12345:sha256:…`, as verify prints it or a shipped checkpoint's seq and hash). */
function parseAnchor(text: string): VerifyAnchor {
  const at = text.indexOf(":");
  const seq = Number(text.slice(0, at));
  const hash = text.slice(at + 1);
  if (at < 0 || !Number.isInteger(seq) || seq < 1 || !/^sha256:[0-9a-f]{64}$/.test(hash)) {
    throw new UsageError(`\`--anchor\` must be SEQ:HASH with a record's seq (≥ 1) and hash, like \`1200:sha256:<64 hex digits>\`, not \`${text}\``);
  }
  return { seq, hash };
}

function readKey(io: CommandIO, keyFile: string): KeyObject {
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, keyFile), "utf8");
  } catch {
    throw new UsageError(`cannot read the public key \`${keyFile}\``);
  }
  try {
    const key = loadPublicKey(text);
    if (text.includes("PRIVATE KEY-----")) {
      // it works (the public half is derived), but the signing key should not be where auditors are
      io.stderr(`edict audit: note: \`${keyFile}\` is the private signing key; verifying needs only the public key (audit-signing.pub.pem): keep the private key with the service alone\n`);
    }
    return key;
  } catch (e) {
    throw new UsageError(`\`${keyFile}\`: ${e instanceof Error ? e.message : String(e)}`);
  }
}

interface Filters {
  readonly who?: string;
  readonly action?: string;
  readonly rule?: string;
  readonly decision?: string;
  readonly since?: number;
  readonly until?: number;
}

async function show(argv: readonly string[], io: CommandIO): Promise<number> {
  const spec = { who: "string", action: "string", rule: "string", decision: "string", since: "string", until: "string", json: "boolean" } as const;
  const args = parseArgs(argv, spec, "audit show");
  if (args.positionals.length === 0) throw new UsageError("missing the audit log file");
  const paths = args.positionals.map((file) => readableFile(io, file)); // every name checked before any output
  const decision = stringFlag(args, "decision");
  const filters: Filters = {
    who: stringFlag(args, "who"),
    action: stringFlag(args, "action"),
    rule: stringFlag(args, "rule"),
    decision: decision === undefined ? undefined : oneOf(decision, ["allow", "deny"] as const, "decision", "deny"),
    since: timeFlag(stringFlag(args, "since"), "since"),
    until: timeFlag(stringFlag(args, "until"), "until"),
  };
  const filtered = Object.values(filters).some((v) => v !== undefined);
  const json = boolFlag(args, "json");
  const paint = painter(io.color);
  let shown = 0;
  let total = 0;
  let damaged = false;
  for (let f = 0; f < paths.length; f++) {
    // several files (rotated logs): one after the other, each under its name
    if (paths.length > 1 && !json) io.stdout(paint.dim(`── ${args.positionals[f]}\n`));
    const counts = await showFile(io, paths[f]!, filters, filtered, json, paint);
    shown += counts.shown;
    total += counts.total;
    damaged ||= counts.damaged;
  }
  if (!json) io.stdout(paint.dim(`── ${shown} of ${total} decision(s) shown\n`));
  return damaged ? 1 : 0; // a compressed log that could not be read to its end
}

/** readLines, with damaged compressed data as a last line (`damaged`) instead of an exception. */
async function* linesOf(path: string): AsyncGenerator<{ text: string; torn: boolean; damaged?: true }> {
  try {
    yield* readLines(path);
  } catch (e) {
    if (!(e instanceof CompressedLogError)) throw e;
    yield { text: e.message, torn: false, damaged: true };
  }
}

async function showFile(io: CommandIO, path: string, filters: Filters, filtered: boolean, json: boolean, paint: Painter): Promise<{ shown: number; total: number; damaged: boolean }> {
  let lineNo = 0;
  let shown = 0;
  let total = 0;
  let lastPolicy = "";
  for await (const line of linesOf(path)) {
    lineNo++;
    if (line.damaged) {
      io.stdout(paint.dim(`── line ${lineNo}: ${line.text}\n`));
      return { shown, total, damaged: true };
    }
    if (line.torn) {
      io.stdout(paint.dim(`── line ${lineNo}: torn (an interrupted write), not a record\n`));
      continue;
    }
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(line.text) as Record<string, unknown>;
    } catch {
      io.stdout(paint.dim(`── line ${lineNo}: not valid JSON\n`));
      continue;
    }
    if (rec.type === "header") {
      if (!json) io.stdout(paint.dim(`── audit log created ${text(rec.created)} on ${text(rec.host)} (pid ${text(rec.pid)}), signing key ${text(rec.key)}\n`));
      continue;
    }
    if (rec.type === "checkpoint" && rec.resume === true) {
      if (!json) io.stdout(paint.dim(`── log reopened ${text(rec.ts)} on ${text(rec.host)} (pid ${text(rec.pid)}), continuing after seq ${text(rec.seq)}\n`));
      continue;
    }
    if (rec.type === "checkpoint") {
      if (!json && !filtered) io.stdout(paint.dim(`── ${rec.final === true ? "final " : ""}checkpoint through seq ${text(rec.seq)} (signed ${text(rec.ts)})\n`));
      continue;
    }
    total++;
    if (!matches(rec, filters)) continue;
    shown++;
    if (json) {
      io.stdout(line.text + "\n");
      continue;
    }
    const policy = rec.policy as { package?: unknown; version?: unknown } | undefined;
    const policyText = `${text(policy?.package)} ${text(policy?.version)}`;
    if (policyText !== lastPolicy) {
      io.stdout(paint.dim(`── policy ${policyText}\n`));
      lastPolicy = policyText;
    }
    io.stdout(formatRecord(rec, paint));
  }
  return { shown, total, damaged: false };
}

function matches(rec: Record<string, unknown>, f: Filters): boolean {
  if (f.who !== undefined && text(rec.who) !== f.who) return false;
  if (f.action !== undefined && text(rec.action) !== f.action) return false;
  if (f.decision !== undefined && rec.decision !== f.decision) return false;
  if (f.since !== undefined || f.until !== undefined) {
    const t = Date.parse(String(rec.ts));
    if (Number.isNaN(t) || (f.since !== undefined && t < f.since) || (f.until !== undefined && t > f.until)) return false;
  }
  if (f.rule !== undefined) {
    const rules = [...(Array.isArray(rec.reasons) ? rec.reasons : []), ...(Array.isArray(rec.errors) ? rec.errors : [])].map((r) => text((r as { rule?: unknown }).rule));
    if (!rules.some((r) => r === f.rule || r.endsWith("." + f.rule))) return false;
  }
  return true;
}

function formatRecord(rec: Record<string, unknown>, paint: Painter): string {
  const deny = rec.decision !== "allow";
  const verdict = deny ? paint.red("DENY ") : paint.green("ALLOW");
  let out = `${text(rec.ts)}  #${text(rec.seq)}  ${verdict}  ${text(rec.who)} ${paint.bold(text(rec.action))} ${text(rec.resource)}  ${paint.dim(text(rec.decisionId))}\n`;
  const reasons = Array.isArray(rec.reasons) ? (rec.reasons as Record<string, unknown>[]) : [];
  if (reasons.length === 0) out += paint.dim(`    no rule matched: package default ${deny ? "deny" : "allow"}\n`);
  for (const r of reasons) {
    const tags = [r.id, r.severity].filter((x) => x !== undefined).map(String);
    out += `    ${deny ? "✗" : "✓"} ${text(r.rule)}${tags.length ? ` [${tags.join(", ")}]` : ""}${r.message !== undefined ? `: ${text(r.message)}` : ""}\n`;
  }
  for (const e of Array.isArray(rec.errors) ? (rec.errors as Record<string, unknown>[]) : []) {
    out += paint.red(`    ! error in ${text(e.rule)}: ${text(e.message)} (${text(e.location)})\n`);
  }
  const o = rec.override as Record<string, unknown> | undefined;
  if (o !== undefined && o !== null) {
    const bypassed = Array.isArray(o.bypassed) ? (o.bypassed as Record<string, unknown>[]).map((b) => text(b.rule)) : [];
    out += paint.yellow(`    ⚑ override by ${text(o.by)}: ${text(o.justification)}${bypassed.length ? ` (bypassed ${bypassed.join(", ")})` : " (nothing bypassed)"}\n`);
  }
  return out;
}

/** A value for the terminal: non-strings as JSON, control characters escaped (a request can
 * carry ANSI escape sequences; printed raw they would rewrite the auditor's screen). */
function text(v: unknown): string {
  const s = typeof v === "string" ? v : (JSON.stringify(v) ?? "null");
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function timeFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const rel = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value);
  if (rel) {
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[rel[2] as "ms" | "s" | "m" | "h" | "d"];
    return Date.now() - Number(rel[1]) * unit;
  }
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new UsageError(`\`--${flag}\` must be an ISO-8601 time (2026-11-23T10:00:00Z) or a duration back from now (15m, 2h, 7d), not \`${value}\``);
  return t;
}

async function keygen(argv: readonly string[], io: CommandIO): Promise<number> {
  const args = parseArgs(argv, { out: "string", force: "boolean" }, "audit keygen");
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument \`${args.positionals[0]}\``);
  const out = stringFlag(args, "out");
  if (out === undefined) throw new UsageError("missing `--out DIR`: where to write audit-signing.pem and audit-signing.pub.pem");
  const dir = resolve(io.cwd, out);
  const priv = join(dir, "audit-signing.pem");
  const pub = join(dir, "audit-signing.pub.pem");
  if (!boolFlag(args, "force") && (existsSync(priv) || existsSync(pub))) {
    io.stderr(`edict audit keygen: \`${join(out, "audit-signing.pem")}\` already exists; refusing to replace a signing key (use --force)\n`);
    return 1;
  }
  const keys = generateAuditKeyPair();
  try {
    // both or neither (a pair half replaced would not match), each with its mode even when
    // --force replaces a file that had another (a private key left world-readable)
    await writeFilesAtomically([
      [priv, keys.privateKeyPem, 0o600],
      [pub, keys.publicKeyPem, 0o644],
    ]);
  } catch (e) {
    if (!(e instanceof WriteError)) throw e;
    io.stderr(`edict audit keygen: cannot write keys to \`${out}\`: ${e.reason}\n`);
    return 1;
  }
  io.stdout(`wrote ${join(out, "audit-signing.pem")} (private, mode 0600: for the service only)\n`);
  io.stdout(`wrote ${join(out, "audit-signing.pub.pem")} (public: for auditors, \`edict audit verify --public-key\`)\n`);
  io.stdout(`key fingerprint ${keys.fingerprint}\n`);
  return 0;
}

interface Painter {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

function painter(color: boolean): Painter {
  const wrap = (code: string) => (s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { red: wrap("31"), green: wrap("32"), yellow: wrap("33"), bold: wrap("1"), dim: wrap("2") };
}
