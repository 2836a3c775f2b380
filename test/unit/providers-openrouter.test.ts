import { describe, expect, it } from "vitest";
import { openrouter, openRouterStatusTable } from "../../src/providers/openrouter.js";
import { mapStatus } from "../../src/providers/parse-helpers.js";
import { findModel } from "../../src/providers/specs.js";
import type { CreateParams, LoadedImage, ModelSpec } from "../../src/providers/types.js";
import {
  OPENROUTER_ID,
  OPENROUTER_UNSIGNED,
  openRouterCompleted,
  openRouterCreate,
  openRouterCredits,
  openRouterError402,
} from "../fixtures/platform-examples.js";
import { jsonBody, NOW } from "./support.js";

// Facts from providers.md §10c (OpenRouter videos API) and §10e (its status words).
const base = findModel(openrouter, "grok-imagine-video");
if (!base) throw new Error("openrouter must take grok-imagine-video");
const params = (over: Partial<CreateParams<LoadedImage>> = {}): CreateParams<LoadedImage> => ({
  prompt: "a cat playing with a ball",
  model: "grok-imagine-video",
  images: [],
  ...over,
});
const IMAGE = "https://example.test/cat.png";

describe("openrouter spec (§10c Create, Poll, Download, Balance)", () => {
  it("base URL with /api, routes after it as §10c writes them, OPENROUTER_API_KEY", () => {
    expect(openrouter).toMatchObject({ id: "openrouter", defaultBaseUrl: "https://openrouter.ai/api" });
    expect(openrouter.ecosystemKeyVariable).toBe("OPENROUTER_API_KEY");
    expect(openrouter.buildQuery("vid 1")).toStrictEqual({ method: "GET", path: "/v1/videos/vid%201" });
    expect(openrouter.balance?.build()).toStrictEqual({ method: "GET", path: "/v1/credits" });
    expect(openrouter.buildCancel).toBeUndefined();
  });

  it("the two sure models; a name without x-ai/ finds them", () => {
    expect(openrouter.models.map((m: ModelSpec) => m.id)).toEqual([
      "x-ai/grok-imagine-video",
      "x-ai/grok-imagine-video-1.5-lite",
    ]);
    expect(findModel(openrouter, "grok-imagine-video-1.5-lite")?.id).toBe("x-ai/grok-imagine-video-1.5-lite");
  });

  it("create: the canonical model id and §10c's field names", () => {
    const spec = openrouter.buildCreate(params({ duration: 8, resolution: 720, ratio: "16:9" }), base);
    expect(spec).toMatchObject({ method: "POST", path: "/v1/videos" });
    expect(jsonBody(spec)).toStrictEqual({
      model: "x-ai/grok-imagine-video",
      prompt: "a cat playing with a ball",
      duration: 8,
      resolution: "720p",
      aspect_ratio: "16:9",
    });
  });

  it("image: frame_images first_frame; references: input_references", () => {
    const first = jsonBody(openrouter.buildCreate(params({ images: [{ kind: "url", url: IMAGE }] }), base));
    expect(first).toMatchObject({
      frame_images: [{ type: "image_url", image_url: { url: IMAGE }, frame_type: "first_frame" }],
    });
    const refs = jsonBody(
      openrouter.buildCreate(params({ references: [{ kind: "url", url: IMAGE }] }), base),
    );
    expect(refs).toMatchObject({ input_references: [{ type: "image_url", image_url: { url: IMAGE } }] });
    expect(refs).not.toHaveProperty("frame_images");
  });

  it("download: same-origin /content?index=0 with the key; unsigned_urls elsewhere without", () => {
    expect(openrouter.buildContent?.(OPENROUTER_ID)).toStrictEqual({
      method: "GET",
      path: `/v1/videos/${OPENROUTER_ID}/content`,
      query: { index: "0" },
    });
    expect(openrouter).toMatchObject({ sameOriginContent: true, anonymousDownloads: true });
  });
});

describe("openrouter answers", () => {
  it.each([
    ["pending", "queued"],
    ["in_progress", "running"],
    ["completed", "succeeded"],
    ["failed", "failed"],
    ["expired", "failed"],
    ["cancelled", "cancelled"],
    ["IN_PROGRESS", "running"],
  ] as const)("%s -> %s", (word, status) => {
    expect(mapStatus(word, openRouterStatusTable)).toStrictEqual({ status });
  });

  it("create answer {id, polling_url, status: pending} is queued", () => {
    expect(openrouter.parseCreate(openRouterCreate, NOW).task).toMatchObject({
      id: OPENROUTER_ID,
      status: "queued",
    });
  });

  it("completed: the unsigned URL and the exact usage.cost (no estimate marker)", () => {
    const { task } = openrouter.parseQuery(openRouterCompleted, OPENROUTER_ID, NOW);
    expect(task).toMatchObject({ status: "succeeded", videoUrl: OPENROUTER_UNSIGNED });
    expect(task.cost).toStrictEqual({ usd: 0.35 });
  });

  it("completed without unsigned_urls still succeeds: /content serves it", () => {
    const { task } = openrouter.parseQuery({ id: OPENROUTER_ID, status: "completed" }, OPENROUTER_ID, NOW);
    expect(task).toMatchObject({ status: "succeeded", videoUrl: null });
  });

  it("hostile costs are ignored with a warning", () => {
    for (const cost of [Number.NaN, Number.POSITIVE_INFINITY, "1e999", -1]) {
      const parsed = openrouter.parseQuery({ ...openRouterCompleted, usage: { cost } }, OPENROUTER_ID, NOW);
      expect(parsed.task.cost).toBeUndefined();
      expect(parsed.warnings.join()).toMatch(/cost/);
    }
  });

  it("failed with the error string; expired fails with code expired; unknown word warns", () => {
    const failed = openrouter.parseQuery(
      { status: "failed", error: "content policy" },
      OPENROUTER_ID,
      NOW,
    ).task;
    expect(failed).toMatchObject({ status: "failed", error: { message: "content policy" } });
    const expired = openrouter.parseQuery({ status: "expired" }, OPENROUTER_ID, NOW).task;
    expect(expired).toMatchObject({ status: "failed", error: { code: "expired" } });
    const odd = openrouter.parseQuery({ status: "rendering" }, OPENROUTER_ID, NOW);
    expect(odd.task.status).toBe("running");
    expect(odd.warnings.join()).toMatch(/unknown status/);
  });

  it("parseError reads {error: {code, message}}", () => {
    expect(openrouter.parseError(402, openRouterError402)).toStrictEqual({
      message: "Insufficient credits",
      code: "402",
    });
    expect(openrouter.parseError(500, { detail: "x" })).toBeUndefined();
  });

  it("credits: what is left is total_credits - total_usage, in USD; garbage amounts warn", () => {
    const { info, warnings } = openrouter.balance?.parse(openRouterCredits) ?? { info: null, warnings: [] };
    expect(info).toStrictEqual({ unlimited: false, remaining: 7.5, used: 42.5, unit: "USD" });
    expect(warnings).toEqual([]);
    const bad = openrouter.balance?.parse({ data: { total_credits: "lots", total_usage: 1 } });
    expect(bad?.info.remaining).toBeNull();
    expect(bad?.warnings.join()).toMatch(/total_credits/);
  });
});
