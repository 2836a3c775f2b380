import * as z from "../util/zod.js";
import { lazy, looseNumberish } from "./parse-helpers.js";
import { unexpectedResponse } from "./response-error.js";
import { readDecimal } from "../util/numbers.js";
import { sanitizeText } from "../util/untrusted.js";
import type { BalanceInfo, BalanceSupport, ParsedBalance } from "./types.js";
import { apimartBalanceRequest } from "./apimart-family-spec.js";
import { newApiBalanceRequest } from "./duoyuanx-spec.js";

/**
 * More than any key holds in any unit a gateway counts in: 10^15 new-api quota is $2 billion at its
 * default rate. Beyond it an amount is garbage, and would print as a 300-digit number.
 */
const MAX_AMOUNT = 1e15;

/**
 * Reads one amount of a balance answer: absent is undefined; present but no amount (not a number,
 * not finite, absurd, or negative where it cannot be) is null, with a warning naming the field.
 * Only what is left may be below zero: new-api lets the last job overdraw a key.
 */
function readAmount(
  provider: string,
  field: string,
  value: string | number | undefined,
  warnings: string[],
  mayBeNegative: boolean,
): number | null | undefined {
  if (value === undefined) return undefined;
  const n = readDecimal(value);
  if (Math.abs(n) <= MAX_AMOUNT && (mayBeNegative || n >= 0)) return n;
  const shown = typeof value === "number" ? String(value) : JSON.stringify(sanitizeText(value, 40));
  warnings.push(`${provider} reported ${field} ${shown}, which is no amount; shown as unknown`);
  return null;
}

const apimartBody = lazy(() =>
  z.object({
    success: z.boolean().optional().catch(undefined),
    remain_balance: looseNumberish(),
    used_balance: looseNumberish(),
    unlimited_quota: z.boolean().optional().catch(undefined),
  }),
);

/**
 * apimart's `GET /v1/balance` (this key): `{success, remain_balance, used_balance,
 * unlimited_quota}`, remain_balance -1 when unlimited. Its page names no currency, so the amount
 * is shown in apimart's own unit. xcompute resells apimart and is assumed to answer alike
 * (providers.md §6b, inferred).
 */
export function apimartBalance(provider: string): BalanceSupport {
  return {
    build: apimartBalanceRequest,
    parse(body): ParsedBalance {
      const parsed = apimartBody().safeParse(body);
      if (!parsed.success) throw unexpectedResponse(provider, "the balance answer is not a JSON object");
      const b = parsed.data;
      const warnings: string[] = [];
      const remaining = readAmount(provider, "remain_balance", b.remain_balance, warnings, true);
      if (remaining === undefined)
        throw unexpectedResponse(provider, "no remain_balance in the balance answer");
      const unlimited = b.unlimited_quota === true || remaining === -1;
      const info: BalanceInfo = {
        unlimited,
        remaining: unlimited ? null : remaining,
        used: readAmount(provider, "used_balance", b.used_balance, warnings, false) ?? null,
        unit: `${provider} credit`,
      };
      return { info, warnings };
    },
  };
}

const newApiBody = lazy(() =>
  z.object({
    data: z.object({
      total_granted: looseNumberish(),
      total_used: looseNumberish(),
      total_available: looseNumberish(),
      unlimited_quota: z.boolean().optional().catch(undefined),
      expires_at: looseNumberish(),
    }),
  }),
);

/** new-api's default rate; an operator may change it, so dollars are shown as an estimate. */
export const NEW_API_QUOTA_PER_USD = 500_000;

/**
 * new-api family (duoyuanx): `GET /api/usage/token/` answers in quota units for the key used
 * (docs.newapi.pro token usage; new-api router/dashboard.go).
 */
export function newApiBalance(provider: string): BalanceSupport {
  return {
    build: newApiBalanceRequest,
    parse(body): ParsedBalance {
      const parsed = newApiBody().safeParse(body);
      if (!parsed.success) throw unexpectedResponse(provider, "the token usage answer has no data object");
      const d = parsed.data.data;
      const warnings: string[] = [];
      const unlimited = d.unlimited_quota === true;
      // An unlimited key's total_available means nothing, so it is neither read nor warned about.
      const remaining = unlimited
        ? null
        : readAmount(provider, "total_available", d.total_available, warnings, true);
      if (remaining === undefined) {
        throw unexpectedResponse(provider, "no total_available in the token usage answer");
      }
      const info: BalanceInfo = {
        unlimited,
        remaining,
        used: readAmount(provider, "total_used", d.total_used, warnings, false) ?? null,
        unit: "quota",
        quotaPerUsd: NEW_API_QUOTA_PER_USD,
      };
      return { info, warnings };
    },
  };
}
