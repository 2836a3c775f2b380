/** Pure retry decisions, kept apart from I/O so every case is table-tested. */

export const RETRY_DEFAULTS = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxHintMs: 60_000,
} as const;

const RETRYABLE_STATUS = new Set([408, 425, 429]);

/** Errors where the request provably never reached the server, so even a paid create is safe to resend. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

/**
 * Failures to build the request on this machine (a header value no HTTP header can carry, a
 * malformed URL): nothing left it, and the same request would fail the same way every time.
 */
const UNSENDABLE_CODES = new Set([
  "UND_ERR_INVALID_ARG",
  "ERR_INVALID_URL",
  // node:http's refusal of a scheme it does not speak (undici's is UND_ERR_INVALID_ARG).
  "ERR_INVALID_PROTOCOL",
  "ERR_INVALID_CHAR",
  "ERR_INVALID_HTTP_TOKEN",
  "ERR_INVALID_ARG_TYPE",
  "ERR_INVALID_ARG_VALUE",
]);

export function isUnsendable(code: string | undefined): boolean {
  return code !== undefined && UNSENDABLE_CODES.has(code);
}

export type Outcome = { kind: "status"; status: number } | { kind: "network"; code: string | undefined };

/**
 * `idempotent` requests (status queries, downloads) retry on anything transient. A create is
 * retried only when it never left the machine: resending one that may have arrived could pay
 * twice. (`batch` resubmits a create refused with 429 itself, as it slows that provider down.)
 */
export function shouldRetry(outcome: Outcome, idempotent: boolean): boolean {
  if (outcome.kind === "network") {
    if (isUnsendable(outcome.code)) return false;
    return idempotent || (outcome.code !== undefined && NOT_SENT_CODES.has(outcome.code));
  }
  return idempotent && (RETRYABLE_STATUS.has(outcome.status) || outcome.status >= 500);
}

/** `retry-after-ms`, then `retry-after` (seconds or an HTTP date); undefined when absent or unusable. */
export function parseRetryAfter(
  headers: Readonly<Record<string, string | undefined>>,
  nowMs: number,
): number | undefined {
  const ms = headers["retry-after-ms"];
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Number(ms);
  const after = headers["retry-after"]?.trim();
  if (!after) return undefined;
  if (/^\d+(\.\d+)?$/.test(after)) return Number(after) * 1000;
  // Every HTTP-date names its month; Date.parse alone would take "-5" or "1e999" for a date.
  if (!/[a-z]{3}/i.test(after)) return undefined;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Capped exponential backoff with full jitter; a server hint wins when it is within the cap. */
export function retryDelay(attempt: number, hintMs: number | undefined, random: () => number): number {
  // A server asking for more than the cap still gets the cap, never less than it asked for below it.
  if (hintMs !== undefined && hintMs >= 0) return Math.min(hintMs, RETRY_DEFAULTS.maxHintMs);
  const ceiling = Math.min(RETRY_DEFAULTS.maxDelayMs, RETRY_DEFAULTS.baseDelayMs * 2 ** attempt);
  return Math.round(random() * ceiling);
}
