// `edict/runtime`: the public API a service embeds (contract: names may grow, not break).
//   createEnforcer(policy, options)   decide / swap / close, hooks, masking, fail-closed audit
//   fileAuditLog(path, options)       append-only JSONL log, hash chain, signed checkpoints
//   memoryAuditLog(options)           the same log in memory (tests, custom stores)
//   verifyAuditLog / verifyAuditFile  chain + signature verification (`edict audit verify`)
//   generateAuditKeyPair, keyFingerprint, loadPrivateKey, loadPublicKey   key helpers
//   canonicalize                      RFC 8785 canonical JSON, as the hashes use it
export type { Decision, DecideOptions, EvalError, Manifest, ManifestRule, Notification, Override, PolicyModule, Reason } from "./decision.ts";
export { createEnforcer } from "./enforcer.ts";
export type { DecisionEvent, EnforcedDecision, Enforcer, EnforcerOptions, EnforcerStats, NotificationEvent } from "./enforcer.ts";
export type { HookFailure, HookHandler } from "./hooks.ts";
export { fileAuditLog } from "./file-audit-log.ts";
export type { FileAuditLog, FileAuditLogOptions } from "./file-audit-log.ts";
export { memoryAuditLog } from "./memory-audit-log.ts";
export type { MemoryAuditLog, MemoryAuditLogOptions } from "./memory-audit-log.ts";
export type { AuditSink } from "./audit-sink.ts";
export { AuditVerifier, CompressedLogError, readLines, verifyAuditFile, verifyAuditLog } from "./audit-verify.ts";
export type { VerifyAnchor, VerifyResult, VerifyStatus } from "./audit-verify.ts";
export { generateAuditKeyPair, keyFingerprint, loadPrivateKey, loadPublicKey } from "./audit-keys.ts";
export type { AuditKeyPair, KeyInput } from "./audit-keys.ts";
export { canonicalize } from "./canonical-json.ts";
export { AUDIT_FORMAT } from "./audit-chain.ts";
export type { AuditCheckpoint } from "./audit-chain.ts";
