/**
 * Numbers as gateways and CDNs write them, read strictly. `Number()` alone takes "" and " " for 0,
 * "0x10" for 16, "1e999" for Infinity and "-0" for a negative zero; JSON's `1e400` is Infinity
 * before any of our code sees it. Each reader here says "unreadable" for all of those instead.
 */

/** A byte count (Content-Length, a Content-Range bound): digits only, and exact as a JS number. */
export function readByteCount(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

const DECIMAL = /^\s*-?\d+(\.\d+)?\s*$/;

/**
 * A JSON number, or a plain decimal string as some gateways send amounts: NaN when it is neither,
 * or not finite. -0 becomes 0, so it is never shown with a sign.
 */
export function readDecimal(value: number | string): number {
  const n = typeof value === "number" ? value : DECIMAL.test(value) ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n + 0 : Number.NaN;
}
