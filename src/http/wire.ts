import { sanitizeText } from "../util/untrusted.js";

/** Header values are untrusted text like any body (a CDN may send C1 bytes): cleaned as they come in. */
export function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k.toLowerCase()] = sanitizeText(Array.isArray(v) ? v.join(", ") : v, 4096);
  return out;
}

/** The error code of a failed request, looked for down its chain of causes (undici wraps them). */
export function networkCode(err: unknown): string | undefined {
  const code = err && typeof err === "object" && "code" in err ? err.code : undefined;
  const cause = err && typeof err === "object" && "cause" in err ? err.cause : undefined;
  return typeof code === "string" ? code : cause ? networkCode(cause) : undefined;
}

/** What undici refuses in a header value (its own check), so a bad key is caught before sending. */
const NOT_IN_A_HEADER = /[^\t\x20-\x7e\x80-\xff]/;

export function fitsInHeader(value: string): boolean {
  return !NOT_IN_A_HEADER.test(value);
}
