import { checkAuth, FAILURE_STATUS } from "./auth.js";
import { type RequestContext, sendJson } from "./context.js";
import { keyOf } from "./hostile.js";
import { type ErrorRenderer, type Route, rejectUnauthorized } from "./routing.js";

/**
 * Balance endpoints (providers.md section 6b). The numbers are fixed so tests can assert them; the key
 * scripts the account, like every other outcome: "unlimited" -> an unlimited key, "nobalance" -> a
 * drained one (which may still look at its balance, as at its tasks).
 */

const REMAIN_USD = 87.5;
const USED_USD = 12.5;
/** new-api's default QuotaPerUnit: 500,000 quota units per USD (operator-configurable). */
const QUOTA_PER_USD = 500_000;
/** What new-api's dashboard reports as the limit of an unlimited token (controller/billing.go). */
const UNLIMITED_USD = 100_000_000;

interface Account {
  remainUsd: number;
  usedUsd: number;
  unlimited: boolean;
}

function readAccount(ctx: RequestContext): Account {
  const key = keyOf(ctx.req);
  return {
    remainUsd: key.includes("nobalance") ? 0 : REMAIN_USD,
    usedUsd: USED_USD,
    unlimited: key.includes("unlimited"),
  };
}

/** apimart's documented body; remain_balance is -1 when the key is unlimited. */
function handleApimartBalance(ctx: RequestContext, render: ErrorRenderer): void {
  if (rejectUnauthorized(ctx, render, "query")) return;
  const account = readAccount(ctx);
  sendJson(ctx, 200, {
    success: true,
    remain_balance: account.unlimited ? -1 : account.remainUsd,
    used_balance: account.usedUsd,
    unlimited_quota: account.unlimited,
  });
}

/** GET /v1/balance (this key) and GET /v1/user/balance (the account); xcompute may share them [I]. */
export function apimartBalanceRoutes(render: ErrorRenderer): Route[] {
  return [
    { pattern: ["v1", "balance"], methods: ["GET"], handle: (ctx) => handleApimartBalance(ctx, render) },
    {
      pattern: ["v1", "user", "balance"],
      methods: ["GET"],
      handle: (ctx) => handleApimartBalance(ctx, render),
    },
  ];
}

const toQuota = (usd: number) => Math.round(usd * QUOTA_PER_USD);

/**
 * new-api's GET /api/usage/token/ (controller/token.go GetTokenUsage): its own auth answers
 * {success:false, message} with 401 (docs.newapi.pro token-usage), not the OpenAI-style error body.
 */
function handleTokenUsage(ctx: RequestContext): void {
  const failure = checkAuth(ctx.req, "query");
  if (failure) {
    sendJson(ctx, FAILURE_STATUS[failure.kind], { success: false, message: failure.message });
    return;
  }
  const account = readAccount(ctx);
  sendJson(ctx, 200, {
    code: true,
    message: "ok",
    data: {
      object: "token_usage",
      name: "sandbox",
      total_granted: toQuota(account.remainUsd + account.usedUsd),
      total_used: toQuota(account.usedUsd),
      total_available: toQuota(account.remainUsd),
      unlimited_quota: account.unlimited,
      model_limits: {},
      model_limits_enabled: false,
      // Unix seconds; new-api turns "never expires" (-1) into 0.
      expires_at: 0,
    },
  });
}

/** OpenAI's old dashboard billing shape, as new-api serves it (controller/billing.go GetSubscription). */
function handleSubscription(ctx: RequestContext, render: ErrorRenderer): void {
  if (rejectUnauthorized(ctx, render, "query")) return;
  const account = readAccount(ctx);
  const limit = account.unlimited ? UNLIMITED_USD : account.remainUsd + account.usedUsd;
  sendJson(ctx, 200, {
    object: "billing_subscription",
    has_payment_method: true,
    soft_limit_usd: limit,
    hard_limit_usd: limit,
    system_hard_limit_usd: limit,
    access_until: 0,
  });
}

/** total_usage is in hundredths of a USD (controller/billing.go GetUsage). */
function handleUsage(ctx: RequestContext, render: ErrorRenderer): void {
  if (rejectUnauthorized(ctx, render, "query")) return;
  sendJson(ctx, 200, { object: "list", total_usage: readAccount(ctx).usedUsd * 100 });
}

/** new-api registers the usage route with a trailing slash, and the billing routes with and without /v1. */
export function newApiBalanceRoutes(render: ErrorRenderer): Route[] {
  const get = (pattern: string[], handle: (ctx: RequestContext) => void): Route => ({
    pattern,
    methods: ["GET"],
    handle,
  });
  const subscription = (ctx: RequestContext) => handleSubscription(ctx, render);
  const usage = (ctx: RequestContext) => handleUsage(ctx, render);
  return [
    get(["api", "usage", "token", ""], handleTokenUsage),
    get(["api", "usage", "token"], handleTokenUsage),
    get(["dashboard", "billing", "subscription"], subscription),
    get(["v1", "dashboard", "billing", "subscription"], subscription),
    get(["dashboard", "billing", "usage"], usage),
    get(["v1", "dashboard", "billing", "usage"], usage),
  ];
}
