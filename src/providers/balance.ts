import * as z from "../util/zod.js";
import { lazy, looseNumberish } from "./parse-helpers.js";
import { unexpectedResponse } from "./response-error.js";
import type { BalanceInfo, BalanceSupport } from "./types.js";

const number = (value: string | number | undefined): number | undefined => {
  const n = typeof value === "string" ? Number(value) : value;
  return n !== undefined && Number.isFinite(n) ? n : undefined;
};

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
    build: () => ({ method: "GET", path: "/v1/balance" }),
    parse(body): BalanceInfo {
      const parsed = apimartBody().safeParse(body);
      if (!parsed.success) throw unexpectedResponse(provider, "the balance answer is not a JSON object");
      const b = parsed.data;
      const remaining = number(b.remain_balance);
      if (remaining === undefined)
        throw unexpectedResponse(provider, "no remain_balance in the balance answer");
      const unlimited = b.unlimited_quota === true || remaining === -1;
      return {
        unlimited,
        remaining: unlimited ? null : remaining,
        used: number(b.used_balance) ?? null,
        unit: `${provider} credit`,
      };
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
    build: () => ({ method: "GET", path: "/api/usage/token/" }),
    parse(body): BalanceInfo {
      const parsed = newApiBody().safeParse(body);
      if (!parsed.success) throw unexpectedResponse(provider, "the token usage answer has no data object");
      const d = parsed.data.data;
      const remaining = number(d.total_available);
      if (remaining === undefined && d.unlimited_quota !== true) {
        throw unexpectedResponse(provider, "no total_available in the token usage answer");
      }
      const unlimited = d.unlimited_quota === true;
      return {
        unlimited,
        remaining: unlimited ? null : (remaining ?? null),
        used: number(d.total_used) ?? null,
        unit: "quota",
        quotaPerUsd: NEW_API_QUOTA_PER_USD,
      };
    },
  };
}
