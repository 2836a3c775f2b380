import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AnySandboxDialect, type Sandbox, startSandbox } from "../../src/sandbox/server.js";

const KEY = "sk-balance-test";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ now: () => 1_760_000_000_000 });
});

afterAll(() => sandbox.close());

async function get(dialect: AnySandboxDialect, path: string, key: string | null = KEY) {
  const headers: Record<string, string> = key === null ? {} : { Authorization: `Bearer ${key}` };
  const response = await fetch(`${sandbox.baseUrl(dialect)}${path}`, { headers });
  const body: unknown = await response.json();
  return { status: response.status, body };
}

describe("apimart and xcompute balance", () => {
  const routes = [
    ["apimart", "/v1/balance"],
    ["apimart", "/v1/user/balance"],
    ["xcompute", "/v1/balance"],
    ["xcompute", "/v1/user/balance"],
  ] as const;

  it.each(routes)("%s %s answers the documented shape", async (dialect, path) => {
    expect(await get(dialect, path)).toEqual({
      status: 200,
      body: { success: true, remain_balance: 87.5, used_balance: 12.5, unlimited_quota: false },
    });
  });

  it.each(routes)("%s %s: an unlimited key has remain_balance -1", async (dialect, path) => {
    expect((await get(dialect, path, "sk-unlimited-1")).body).toEqual({
      success: true,
      remain_balance: -1,
      used_balance: 12.5,
      unlimited_quota: true,
    });
  });

  it("a drained key may look at its balance; a missing or invalid key is refused in apimart's error body", async () => {
    expect((await get("apimart", "/v1/balance", "sk-nobalance")).body).toMatchObject({ remain_balance: 0 });
    const missing = await get("apimart", "/v1/balance", null);
    expect(missing).toEqual({
      status: 401,
      body: { error: { code: 401, message: expect.any(String), type: "authentication_error" } },
    });
    expect((await get("xcompute", "/v1/user/balance", "sk-invalid")).status).toBe(401);
  });
});

describe("duoyuanx (new-api) balance", () => {
  // 87.5 USD left and 12.5 used, at new-api's 500,000 quota units per USD.
  const usage = (unlimited: boolean) => ({
    code: true,
    message: "ok",
    data: {
      object: "token_usage",
      name: "sandbox",
      total_granted: 50_000_000,
      total_used: 6_250_000,
      total_available: 43_750_000,
      unlimited_quota: unlimited,
      model_limits: {},
      model_limits_enabled: false,
      expires_at: 0,
    },
  });

  it("GET /api/usage/token/ answers new-api's token_usage in quota units, with or without the slash", async () => {
    expect(await get("duoyuanx", "/api/usage/token/")).toEqual({ status: 200, body: usage(false) });
    expect(await get("duoyuanx", "/api/usage/token")).toEqual({ status: 200, body: usage(false) });
    expect((await get("duoyuanx", "/api/usage/token/", "sk-unlimited")).body).toEqual(usage(true));
  });

  it("refuses a missing or invalid key with new-api's own {success:false, message}", async () => {
    for (const key of [null, "sk-invalid"]) {
      expect(await get("duoyuanx", "/api/usage/token/", key)).toEqual({
        status: 401,
        body: { success: false, message: expect.any(String) },
      });
    }
  });

  it("serves the dashboard billing pair, /v1 or not: hard limit in USD, usage in hundredths", async () => {
    const subscription = {
      object: "billing_subscription",
      has_payment_method: true,
      soft_limit_usd: 100,
      hard_limit_usd: 100,
      system_hard_limit_usd: 100,
      access_until: 0,
    };
    for (const prefix of ["", "/v1"]) {
      expect(await get("duoyuanx", `${prefix}/dashboard/billing/subscription`)).toEqual({
        status: 200,
        body: subscription,
      });
      expect(await get("duoyuanx", `${prefix}/dashboard/billing/usage`)).toEqual({
        status: 200,
        body: { object: "list", total_usage: 1250 },
      });
    }
    expect((await get("duoyuanx", "/dashboard/billing/subscription", "sk-unlimited")).body).toMatchObject({
      hard_limit_usd: 100_000_000,
    });
    expect((await get("duoyuanx", "/dashboard/billing/usage", null)).body).toMatchObject({
      error: { type: "new_api_error", code: "invalid_api_key" },
    });
  });
});

describe("no balance route", () => {
  it.each([
    ["jimmyai", "/v1/balance"],
    ["jimmyai", "/api/usage/token/"],
    ["xai", "/v1/balance"],
    ["xai", "/api/usage/token/"],
    ["duoyuanx", "/v1/balance"],
    ["apimart", "/api/usage/token/"],
  ] as const)("%s %s is 404 like any unknown route", async (dialect, path) => {
    expect((await get(dialect, path)).status).toBe(404);
  });
});
