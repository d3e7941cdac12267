// Fixtures shared by the byte writer's tests: a ByteOut that grows while being written, the
// maskers (with and without the string/bytes shortcuts), objects with exactly given own keys.
import { hmacMasker } from "../../runtime/mask.ts";
import type { ByteOut } from "../../runtime/canonical-bytes.ts";

/** A ByteOut that starts tiny, so that values grow it in the middle of being written. */
export function smallOut(): ByteOut {
  const out: ByteOut = {
    buf: Buffer.alloc(8),
    view: new DataView(new ArrayBuffer(8)),
    length: 0,
    limit: 8,
    room(bytes: number) {
      if (out.length + bytes <= out.limit) return;
      const bigger = Buffer.alloc(Math.max(out.limit * 2, out.length + bytes));
      out.buf.copy(bigger, 0, 0, out.length);
      out.buf = bigger;
      out.view = new DataView(bigger.buffer, bigger.byteOffset, bigger.length);
      out.limit = bigger.length;
    },
  };
  out.view = new DataView(out.buf.buffer, out.buf.byteOffset, out.buf.length);
  return out;
}

export const masker = hmacMasker(Buffer.alloc(32, 7));
export const plainMasker = (() => {
  // a masker without the string/bytes shortcuts: the generic path
  const m = hmacMasker(Buffer.alloc(32, 7));
  return (canonical: string) => m(canonical);
})();

/** An object with exactly these own enumerable keys (`__proto__` included as an own key). */
export function objectOf(pairs: readonly (readonly [string, unknown])[], nullProto: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = nullProto ? Object.create(null) : {};
  for (const [k, v] of pairs) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}
