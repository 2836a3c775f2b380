import { describe, expect, it } from "vitest";
import type { ManifestEntry } from "../../src/core/batch/report.js";
import { summarize } from "../../src/core/batch/report.js";
import { describeCost, renderGallery } from "../../src/core/gallery/render-html.js";
import { nextDelay } from "../../src/core/jobs/poll.js";
import { parseRetryAfter, RETRY_DEFAULTS, retryDelay } from "../../src/http/retry-policy.js";
import type { GalleryCard } from "../../src/core/gallery/types.js";
import { apimart } from "../../src/providers/apimart.js";
import { apimartBalance, newApiBalance } from "../../src/providers/balance.js";
import { toIsoTime } from "../../src/providers/parse-helpers.js";
import { xai } from "../../src/providers/xai.js";
import { MAX_JOB_COST_USD, sumCostsUsd } from "../../src/util/cost.js";
import { readByteCount } from "../../src/util/numbers.js";
import {
  apimartBalance200,
  apimartQueryCompletedUrlString,
  newApiTokenUsage200,
  xaiQueryDone,
} from "../fixtures/seed-examples.js";
import { NOW } from "./support.js";

/**
 * Every number a gateway sends that grokvid shows or adds up: accepted only when it is finite, in
 * range and plausible; otherwise unknown, with a warning, and never Infinity, NaN or a minus sign
 * on the screen. JSON text is parsed as the HTTP layer parses it, so `1e400` arrives as Infinity.
 */

const REQUEST_ID = "d97415a1-5796-b7ec-379f-4e6819e08fdf";

/** providers.md's done answer with `ticks` (JSON text) as its cost_in_usd_ticks. */
function xaiDone(ticks: string) {
  const text = JSON.stringify(xaiQueryDone).replace(
    '"cost_in_usd_ticks":500000000',
    `"cost_in_usd_ticks":${ticks}`,
  );
  return xai.parseQuery(JSON.parse(text), REQUEST_ID, NOW);
}

// eslint-disable-next-line no-control-regex
const ONE_CLEAN_LINE = /^[^\u0000-\u001f\u007f-\u009f]+$/;

describe("the cost a gateway reports", () => {
  it("providers.md's example: 500,000,000 ticks is $0.05, with no warning", () => {
    expect(xai.parseQuery(xaiQueryDone, REQUEST_ID, NOW)).toMatchObject({
      task: { status: "succeeded", cost: { usd: 0.05 } },
      warnings: [],
    });
  });

  it(`is accepted up to ${MAX_JOB_COST_USD} USD a job, and -0 is 0`, () => {
    expect(xaiDone("100000000000000").task.cost).toEqual({ usd: MAX_JOB_COST_USD });
    expect(xaiDone('"100000000000000"').task.cost).toEqual({ usd: MAX_JOB_COST_USD });
    const zero = xaiDone("-0").task.cost?.usd;
    expect(Object.is(zero, 0)).toBe(true);
  });

  it.each([
    ["1e400", "Infinity"],
    ["-1e400", "-Infinity"],
    ["-5", "-5e-10"],
    ["1.7e308", "1.7e+298"],
    ["100000000000001", "10000.0000000001"],
    ['"Infinity"', "not a number"],
    ['"1e999"', "not a number"],
    ['"-0"', "not a number"],
    ['"NaN"', "not a number"],
    ['""', "not a number"],
    ['"0x10"', "not a number"],
    [`"${"9".repeat(400)}"`, "Infinity"],
  ])("ticks %s: no cost, one warning that says so", (ticks, shown) => {
    const { task, warnings } = xaiDone(ticks);
    expect(task.status).toBe("succeeded");
    expect(task).not.toHaveProperty("cost");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(ONE_CLEAN_LINE);
    expect(warnings[0]).toContain(shown === "not a number" ? "a cost that is not a number" : `${shown} USD`);
    expect(warnings[0]).toMatch(/the cost of task \S+ is unknown/);
  });

  it("null or no usage at all is no cost and no warning: silence is not a price", () => {
    expect(xaiDone("null")).toMatchObject({ warnings: [] });
    expect(xaiDone("null").task).not.toHaveProperty("cost");
  });

  it("sums stay exact and finite whatever the count", () => {
    expect(sumCostsUsd([0.1, 0.2])).toBe(0.3);
    expect(sumCostsUsd(Array.from({ length: 100_000 }, () => MAX_JOB_COST_USD))).toBe(1e9);
    expect(sumCostsUsd([Infinity, Number.NaN, -1, 1e300, 0.05])).toBe(0.05);
  });
});

function card(costUsd: number | undefined): GalleryCard {
  return {
    id: "job-1",
    provider: "xai",
    model: "grok-imagine-video",
    prompt: "p",
    operation: "create",
    requested: {},
    warnings: [],
    status: "succeeded",
    error: null,
    ...(costUsd === undefined ? {} : { costUsd }),
    createdAt: "2026-12-06T07:09:00.000Z",
  };
}

const HOSTILE_COSTS = [Infinity, -Infinity, Number.NaN, -0.01, 1e300, MAX_JOB_COST_USD + 0.01];

describe("costs an older journal may hold", () => {
  it("the gallery counts them as unknown and never prints Infinity, NaN or a negative price", () => {
    const cards = [card(0.05), ...HOSTILE_COSTS.map(card)];
    expect(describeCost(cards)).toBe("Total cost $0.05 · cost unknown for 6 jobs");
    const html = renderGallery(
      { title: "g", generatedAt: "2026-12-06T08:00:00.000Z", file: "/tmp/g.html", cards },
      {},
    );
    expect(html).not.toMatch(/Infinity|NaN|\$-|e\+\d/);
    expect(html.match(/data-cost=/g)).toHaveLength(1);
    expect(html.match(/cost unknown<\/span>/g)).toHaveLength(6);
  });

  it("the gallery's total of 1,000 jobs at the ceiling is exact", () => {
    const cards = Array.from({ length: 1000 }, () => card(MAX_JOB_COST_USD));
    expect(describeCost(cards)).toBe("Total cost $10000000.00");
  });

  it("a batch summary adds only plausible costs", () => {
    const line = (n: number, usd: number): ManifestEntry => ({
      line: n,
      id: `t${n}`,
      provider: "xai",
      status: "skipped",
      path: null,
      error: null,
      code: 0,
      cost: { usd },
    });
    const summary = summarize([line(1, 0.05), ...HOSTILE_COSTS.map((usd, i) => line(i + 2, usd))]);
    expect(summary).toContain("cost $0.05 (1 job with a reported cost)");
    expect(summary).not.toMatch(/Infinity|NaN|\$-/);
  });
});

describe("times a gateway sends", () => {
  it.each([1e16, 1e300, 8.64e15 + 1, -1, "99999999999999999999", "1e999"])(
    "%s is no time (null), never a crash",
    (value) => {
      expect(toIsoTime(value)).toBeNull();
    },
  );

  it("an apimart answer created at 1e300 still parses, its creation time unknown", () => {
    const body = structuredClone(apimartQueryCompletedUrlString);
    body.data.created = 1e300;
    const { task } = apimart.parseQuery(body, body.data.id, NOW);
    expect(task).toMatchObject({ status: "succeeded", createdAt: null });
  });
});

describe("byte counts in download headers", () => {
  it.each([
    ["100", 100],
    ["0", 0],
    ["1e3", undefined],
    ["", undefined],
    [" ", undefined],
    ["-5", undefined],
    ["0x10", undefined],
    ["10.5", undefined],
    ["Infinity", undefined],
    ["9007199254740993", undefined],
    ["100, 100", undefined],
    [undefined, undefined],
  ])("%j is %s", (text, bytes) => {
    expect(readByteCount(text)).toBe(bytes);
  });
});

describe("balance amounts", () => {
  const apimartParse = (over: Record<string, unknown>) =>
    apimartBalance("apimart").parse({ ...apimartBalance200, ...over });
  const newApiParse = (over: Record<string, unknown>) =>
    newApiBalance("duoyuanx").parse({ data: { ...newApiTokenUsage200.data, ...over } });

  it("providers.md's shapes read as they are, with no warning", () => {
    expect(apimartBalance("apimart").parse(apimartBalance200)).toEqual({
      info: { unlimited: false, remaining: 87.5, used: 12.5, unit: "apimart credit" },
      warnings: [],
    });
    expect(newApiBalance("duoyuanx").parse(newApiTokenUsage200)).toMatchObject({
      info: { unlimited: false, remaining: 3_750_000, used: 1_250_000, unit: "quota" },
      warnings: [],
    });
  });

  it("-1 is still apimart's unlimited; an overdrawn key may be below zero; -0 is 0", () => {
    expect(apimartParse({ remain_balance: -1 }).info).toMatchObject({ unlimited: true, remaining: null });
    expect(apimartParse({ remain_balance: -3.5 }).info.remaining).toBe(-3.5);
    expect(Object.is(apimartParse({ remain_balance: "-0" }).info.remaining, 0)).toBe(true);
    expect(apimartParse({ remain_balance: " 12.25 " }).info.remaining).toBe(12.25);
  });

  it.each<[string, unknown]>([
    ["Infinity (JSON 1e400)", JSON.parse("1e400")],
    ["a string Infinity", "Infinity"],
    ["a string 1e999", "1e999"],
    ["NaN", "NaN"],
    ["an empty string", ""],
    ["hex", "0x10"],
    ["absurdly large", 1e300],
    ["absurdly negative", -1e300],
  ])("remain_balance %s: unknown, with a warning, not an error", (_what, value) => {
    const { info, warnings } = apimartParse({ remain_balance: value });
    expect(info.remaining).toBeNull();
    expect(info.unlimited).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^apimart reported remain_balance .* shown as unknown$/);
    expect(warnings[0]).toMatch(ONE_CLEAN_LINE);
  });

  it("a negative amount used is no amount", () => {
    expect(apimartParse({ used_balance: -5 })).toMatchObject({
      info: { used: null },
      warnings: [expect.any(String)],
    });
    expect(newApiParse({ total_used: "-1" })).toMatchObject({
      info: { used: null },
      warnings: [expect.any(String)],
    });
  });

  it("new-api's total_available of 1e400 is unknown, not Infinity quota", () => {
    const { info, warnings } = newApiParse({ total_available: JSON.parse("1e400") });
    expect(info.remaining).toBeNull();
    expect(warnings).toEqual([expect.stringMatching(/^duoyuanx reported total_available Infinity/)]);
  });
});

describe("waits a gateway asks for", () => {
  const now = Date.UTC(2026, 0, 1);

  it.each(["-5", "1e999", "Infinity", "NaN", "0x10", ""])("Retry-After %j is no hint", (value) => {
    expect(parseRetryAfter({ "retry-after": value, "retry-after-ms": value }, now)).toBeUndefined();
  });

  it("a 400-digit Retry-After, or a date in year 275760, waits the cap, not for ever", () => {
    const digits = parseRetryAfter({ "retry-after": "9".repeat(400) }, now);
    expect(retryDelay(0, digits, () => 0.5)).toBe(RETRY_DEFAULTS.maxHintMs);
    const far = parseRetryAfter({ "retry-after": "Sat, 13 Sep 275760 00:00:00 GMT" }, now);
    expect(retryDelay(0, far, () => 0.5)).toBe(RETRY_DEFAULTS.maxHintMs);
  });

  it("a poll hint of Infinity or 1e9 ms waits at most a minute", () => {
    expect(nextDelay(1000, 0, Infinity, () => 0.5)).toBe(60_000);
    expect(nextDelay(1000, 0, 1e9, () => 0.5)).toBe(60_000);
  });
});
