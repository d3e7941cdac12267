// Ed25519 keys for signing audit checkpoints: loading (PEM text or KeyObject), the public key
// fingerprint written into every log (`sha256:<hex>` of the SPKI DER encoding, so a verifier
// can say which key signed a log), and key pair generation for `edict audit keygen`.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from "node:crypto";

export type KeyInput = string | Buffer | KeyObject;

export function loadPrivateKey(key: KeyInput): KeyObject {
  const k = key instanceof KeyObject ? key : createPrivateKey(key);
  if (k.type !== "private" || k.asymmetricKeyType !== "ed25519") {
    throw new TypeError(`the audit signing key must be an Ed25519 private key, not ${k.type} ${k.asymmetricKeyType ?? ""}`.trimEnd());
  }
  return k;
}

export function loadPublicKey(key: KeyInput): KeyObject {
  const k = key instanceof KeyObject ? (key.type === "private" ? createPublicKey(key) : key) : createPublicKey(key);
  if (k.asymmetricKeyType !== "ed25519") {
    throw new TypeError(`the audit public key must be an Ed25519 key, not ${k.asymmetricKeyType ?? "unknown"}`);
  }
  return k;
}

/** `sha256:<hex>` of the public key's SPKI DER bytes. Accepts a private or public key. */
export function keyFingerprint(key: KeyObject): string {
  const pub = key.type === "private" ? createPublicKey(key) : key;
  const der = pub.export({ type: "spki", format: "der" });
  return "sha256:" + createHash("sha256").update(der).digest("hex");
}

export interface AuditKeyPair {
  /** PKCS#8 PEM. Keep it secret: whoever holds it can re-sign a rewritten log. */
  readonly privateKeyPem: string;
  /** SPKI PEM: give it to auditors. */
  readonly publicKeyPem: string;
  readonly fingerprint: string;
}

export function generateAuditKeyPair(): AuditKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    fingerprint: keyFingerprint(publicKey),
  };
}
