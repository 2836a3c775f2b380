import { describe, expect, it } from "vitest";
import { aimlapi, aimlStatusTable } from "../../src/providers/aimlapi.js";
import { mapStatus } from "../../src/providers/parse-helpers.js";
import { findModel } from "../../src/providers/specs.js";
import type { CreateParams, LoadedImage } from "../../src/providers/types.js";
import {
  AIML_ID,
  AIML_VIDEO_URL,
  aimlCompleted,
  aimlCreate,
  aimlError,
} from "../fixtures/platform-examples.js";
import { jsonBody, NOW } from "./support.js";

// Facts from providers.md §10d (AIML API) and §10e (its status words).
const base = findModel(aimlapi, "grok-imagine-video");
if (!base) throw new Error("aimlapi must take grok-imagine-video");
const params = (over: Partial<CreateParams<LoadedImage>> = {}): CreateParams<LoadedImage> => ({
  prompt: "a cat playing with a ball",
  model: "grok-imagine-video",
  images: [],
  ...over,
});
const IMAGE = "https://example.test/cat.png";

describe("aimlapi spec (§10d Create, Poll)", () => {
  it("base URL, /v2 routes, generation_id as a query parameter", () => {
    expect(aimlapi).toMatchObject({ id: "aimlapi", defaultBaseUrl: "https://api.aimlapi.com" });
    expect(aimlapi.buildQuery(AIML_ID)).toStrictEqual({
      method: "GET",
      path: "/v2/video/generations",
      query: { generation_id: AIML_ID },
    });
    expect(aimlapi.anonymousDownloads).toBe(true);
  });

  it("models and limits: x-ai/ ids, 1-15 s default 10, 480/720/1080, ≤ 7 references", () => {
    expect(aimlapi.models.map((m) => m.id)).toEqual([
      "x-ai/grok-imagine-video",
      "x-ai/grok-imagine-video-1.5-preview",
    ]);
    expect(findModel(aimlapi, "grok-imagine-video-1.5-preview")?.id).toBe(
      "x-ai/grok-imagine-video-1.5-preview",
    );
    expect(base).toMatchObject({ durations: { kind: "range", min: 1, max: 15 }, defaultDuration: 10 });
    expect(base.resolutions).toEqual([480, 720, 1080]);
    expect(base.references?.max).toBe(7);
  });

  it("create: §10d's field names; image_url or reference_images", () => {
    const spec = aimlapi.buildCreate(params({ duration: 5, ratio: "9:16", resolution: 1080 }), base);
    expect(spec).toMatchObject({ method: "POST", path: "/v2/video/generations" });
    expect(jsonBody(spec)).toStrictEqual({
      model: "x-ai/grok-imagine-video",
      prompt: "a cat playing with a ball",
      duration: 5,
      aspect_ratio: "9:16",
      resolution: "1080p",
    });
    const image = jsonBody(aimlapi.buildCreate(params({ images: [{ kind: "url", url: IMAGE }] }), base));
    expect(image).toMatchObject({ image_url: IMAGE });
    const refs = jsonBody(aimlapi.buildCreate(params({ references: [{ kind: "url", url: IMAGE }] }), base));
    expect(refs).toMatchObject({ reference_images: [IMAGE] });
    expect(refs).not.toHaveProperty("image_url");
  });
});

describe("aimlapi answers (§10d Poll, Cost)", () => {
  it.each([
    ["queued", "queued"],
    ["generating", "running"],
    ["completed", "succeeded"],
    ["error", "failed"],
    ["GENERATING", "running"],
  ] as const)("%s -> %s", (word, status) => {
    expect(mapStatus(word, aimlStatusTable)).toStrictEqual({ status });
  });

  it("create {id, status: queued}", () => {
    expect(aimlapi.parseCreate(aimlCreate, NOW).task).toMatchObject({ id: AIML_ID, status: "queued" });
  });

  it("completed: video.url and the exact usd_spent", () => {
    const { task } = aimlapi.parseQuery(aimlCompleted, AIML_ID, NOW);
    expect(task).toMatchObject({ status: "succeeded", videoUrl: AIML_VIDEO_URL });
    expect(task.cost).toStrictEqual({ usd: 0.525 });
  });

  it("error: failed with {name, message}", () => {
    expect(aimlapi.parseQuery(aimlError, AIML_ID, NOW).task).toMatchObject({
      status: "failed",
      error: { code: "ModerationError", message: "The prompt was rejected" },
    });
    expect(aimlapi.parseError(400, { error: { name: "BadRequest", message: "no" } })).toStrictEqual({
      message: "no",
      code: "BadRequest",
    });
  });

  it("hostile usd_spent is ignored with a warning; unknown words warn", () => {
    for (const spent of [Number.NaN, Number.POSITIVE_INFINITY, "Infinity", 1e9]) {
      const body = { ...aimlCompleted, meta: { usage: { usd_spent: spent } } };
      const parsed = aimlapi.parseQuery(body, AIML_ID, NOW);
      expect(parsed.task.cost).toBeUndefined();
      expect(parsed.warnings.join()).toMatch(/cost/);
    }
    const odd = aimlapi.parseQuery({ status: "waiting" }, AIML_ID, NOW);
    expect(odd.task.status).toBe("running");
    expect(odd.warnings.join()).toMatch(/unknown status/);
  });

  it("completed without video.url is a failure", () => {
    expect(aimlapi.parseQuery({ status: "completed" }, AIML_ID, NOW).task).toMatchObject({
      status: "failed",
      error: { code: "no_video_url" },
    });
  });
});
