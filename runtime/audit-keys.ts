// Ed25519 keys for signing audit checkpoints: loading (PEM text or KeyObject), the public key
// fingerprint written into every log (`sha256:<hex>` of the SPKI DER encoding, so a verifier
// can say which key signed a log), and key pair generation for `edict audit keygen`.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from "node:crypto";

export type KeyInput = string | Buffer | KeyObject;

const KEYGEN_HINT = "`edict audit keygen --out DIR` makes a key pair";

/**
 * The Ed25519 private key that signs checkpoints, from PEM text (string or Buffer) or a
 * KeyObject; a TypeError that says what was given and what to pass otherwise.
 */
export function loadPrivateKey(key: KeyInput): KeyObject {
  const k = key instanceof KeyObject ? key : parseKey(key, "private");
  if (k.type !== "private" || k.asymmetricKeyType !== "ed25519") {
    const what = k.type === "public" ? "a public key" : `a ${k.asymmetricKeyType ?? "secret"} ${k.type} key`;
    throw new TypeError(`the audit signing key must be an Ed25519 private key, not ${what}: checkpoints are signed with the private key (give the public key to auditors); ${KEYGEN_HINT}`);
  }
  return k;
}

/** The Ed25519 public key that verifies a log (a private key gives its public half). */
export function loadPublicKey(key: KeyInput): KeyObject {
  const k = key instanceof KeyObject ? (key.type === "private" ? createPublicKey(key) : key) : parseKey(key, "public");
  if (k.asymmetricKeyType !== "ed25519") {
    throw new TypeError(`the audit public key must be an Ed25519 key, not ${k.asymmetricKeyType ?? "a secret key"}; ${KEYGEN_HINT}`);
  }
  return k;
}

function parseKey(key: unknown, kind: "private" | "public"): KeyObject {
  const what = kind === "private" ? "the audit signing key" : "the audit public key";
  if (typeof key !== "string" && !Buffer.isBuffer(key)) {
    const given = key === undefined ? "missing" : key === null ? "null" : `a ${typeof key}`;
    throw new TypeError(`${what} is ${given}: pass PEM text (a string or Buffer) or a KeyObject; ${KEYGEN_HINT}`);
  }
  const text = key.toString();
  try {
    return kind === "private" ? createPrivateKey(key) : createPublicKey(key);
  } catch (e) {
    if (kind === "private" && text.includes("PUBLIC KEY-----")) {
      throw new TypeError(`${what} is a public key: checkpoints are signed with the private key (\`audit-signing.pem\` from \`edict audit keygen\`, not \`audit-signing.pub.pem\`)`);
    }
    const found = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text);
    const shape = found ? `a PEM "${found[1]}"` : "not PEM text (no -----BEGIN ...----- line)";
    throw new TypeError(`${what} cannot be read: it is ${shape} (${e instanceof Error ? e.message : String(e)}); ${KEYGEN_HINT}`);
  }
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
