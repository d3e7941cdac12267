// Masking of request values in audit records. Input: dotted paths (`context.token`,
// `users.*.ssn`) and a key; output: a MaskTree for canonical-json.ts and a masker that turns
// a value's canonical JSON into `"hmac:<hex>"` = HMAC-SHA256(key, canonical JSON).
// Invariant: equal values under the same key give equal masks (correlatable), and the
// plain value never reaches the log. Masks are cached (bounded) because the same principal
// or token recurs across many decisions and HMAC is the expensive part.
import { createHmac, randomBytes } from "node:crypto";
import type { ByteMasker } from "./canonical-bytes.ts";
import { chunk, quote, type Chunk, type MaskTree } from "./canonical-json.ts";

type MutableTree = { [key: string]: MutableTree | true };

export function maskTree(paths: readonly string[]): MaskTree | undefined {
  if (paths.length === 0) return undefined;
  // Nodes without a prototype: a path part like `__proto__` or `constructor` is a key like any
  // other (on a plain object `__proto__` would set the prototype, and `constructor` is inherited).
  const node0 = (): MutableTree => Object.create(null) as MutableTree;
  const root = node0();
  for (const path of paths) {
    const parts = path.split(".");
    if (path === "" || parts.some((p) => p === "")) throw new TypeError(`mask path \`${path}\` is not a dotted path like \`context.token\``);
    let node = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (i === parts.length - 1) {
        node[part] = true;
        break;
      }
      const next = node[part];
      if (next === true) break; // an enclosing value is already masked
      if (next === undefined) node = node[part] = node0();
      else node = next;
    }
  }
  return root;
}

export function maskKeyBytes(key: string | Uint8Array | undefined): Buffer {
  if (key === undefined) return randomBytes(32);
  const bytes = typeof key === "string" ? Buffer.from(key, "utf8") : Buffer.from(key);
  if (bytes.length < 16) throw new TypeError(`createEnforcer: option \`maskKey\` must be at least 16 bytes, not ${bytes.length} (32 random bytes, shared by the instances that should correlate, is a good key)`);
  return bytes;
}

export function hmacMasker(key: Buffer): ByteMasker {
  const masker: ByteMasker = bounded((canonical) => `"hmac:${createHmac("sha256", key).update(canonical).digest("hex")}"`);
  masker.string = bounded((value) => masker(quote(value)));
  // the same as bytes (the mask is ASCII), for the record writer
  masker.bytes = bounded((value) => chunk(masker.string!(value)));
  return masker;
}

/** `compute` memoized by its argument, at most 10,000 entries (then forgotten at once: an HMAC is cheap to redo). */
function bounded<V>(compute: (key: string) => V): (key: string) => V {
  const cache = new Map<string, V>();
  return (k) => {
    let v = cache.get(k);
    if (v === undefined) {
      v = compute(k);
      if (cache.size >= 10_000) cache.clear();
      cache.set(k, v);
    }
    return v;
  };
}

/**
 * What `tree` masks at `path` (split), as the request's writer applies it on its way down:
 * `true` when the path or one of its prefixes is masked, the subtree of masks inside the value
 * there, or undefined (nothing). An exact key wins over `*`, as in the writers.
 */
export function maskAt(tree: MaskTree | undefined, parts: readonly string[]): MaskTree | true | undefined {
  let node: MaskTree | true | undefined = tree;
  for (const part of parts) {
    if (node === undefined || node === true) return node;
    node = Object.hasOwn(node, part) ? node[part] : node["*"];
  }
  return node;
}

/** Shortest masked text that is also looked for in messages: shorter values (a role, a flag) are too common to replace. */
const REDACT_MIN_LENGTH = 8;
const REDACT_MAX_VALUES = 64;
const REDACT_MAX_NODES = 1000;

/**
 * The texts of the values `tree` masks in `request` (strings, and numbers as written) of at
 * least REDACT_MIN_LENGTH characters, longest first, for redacting them where a policy put
 * them in a message. Reads own data properties only (no getter is called again) and is bounded.
 */
export function maskedTexts(tree: MaskTree | undefined, request: unknown): string[] {
  const found = new Set<string>();
  let nodes = REDACT_MAX_NODES;
  const leaf = (v: unknown): void => {
    const text = typeof v === "string" ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : undefined;
    if (text !== undefined && text.length >= REDACT_MIN_LENGTH && found.size < REDACT_MAX_VALUES) found.add(text);
  };
  const walk = (v: unknown, node: MaskTree | true): void => {
    if (--nodes < 0 || found.size >= REDACT_MAX_VALUES) return;
    if (typeof v !== "object" || v === null) {
      if (node === true) leaf(v);
      return;
    }
    for (const k of Object.keys(v)) {
      const sub = node === true ? true : Object.hasOwn(node, k) ? node[k] : node["*"];
      if (sub === undefined) continue;
      const d = Object.getOwnPropertyDescriptor(v, k);
      if (d !== undefined && "value" in d) walk(d.value, sub);
    }
  };
  if (tree !== undefined) {
    try {
      walk(request, tree);
    } catch {
      // an exotic object (a Proxy whose traps throw): what was found so far
    }
  }
  return [...found].sort((a, b) => b.length - a.length);
}

/** `text` with each of `secrets` (maskedTexts) replaced by its mask, `hmac:<hex>`. */
export function redactText(text: string, secrets: readonly string[], masker: ByteMasker): string {
  if (text.length < REDACT_MIN_LENGTH) return text;
  for (const s of secrets) {
    if (text.includes(s)) text = text.split(s).join(masker.string!(s).slice(1, -1));
  }
  return text;
}
