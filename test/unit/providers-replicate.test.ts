import { describe, expect, it } from "vitest";
import { mapStatus } from "../../src/providers/parse-helpers.js";
import { replicate, replicateStatusTable } from "../../src/providers/replicate.js";
import { withCancelAfter } from "../../src/providers/replicate-spec.js";
import type { CreateParams, LoadedImage, ModelSpec } from "../../src/providers/types.js";
import { UsageError } from "../../src/util/errors.js";
import {
  REPLICATE_ID,
  REPLICATE_VIDEO_URL,
  replicateCreate201,
  replicateError402,
  replicateError422,
  replicateSucceeded,
} from "../fixtures/platform-examples.js";
import { jsonBody, NOW, thrownAs } from "./support.js";

// Facts from providers.md §10b (Replicate predictions API) and §10e (its status words).
function model(id: string): ModelSpec {
  const found = replicate.models.find((m) => m.id === id);
  if (!found) throw new Error(`replicate must declare ${id}`);
  return found;
}
const base = model("grok-imagine-video");
const v15 = model("grok-imagine-video-1.5");
const params = (over: Partial<CreateParams<LoadedImage>> = {}): CreateParams<LoadedImage> => ({
  prompt: "a cat playing with a ball",
  model: base.id,
  images: [],
  ...over,
});
const IMAGE = "https://example.test/cat.png";
const VIDEO = "https://replicate.delivery/in.mp4";

describe("replicate spec: a model name per mode, fields under input (§10b Create)", () => {
  it("base URL, Bearer (the default scheme), REPLICATE_API_TOKEN", () => {
    expect(replicate).toMatchObject({ id: "replicate", defaultBaseUrl: "https://api.replicate.com" });
    expect(replicate.authScheme).toBeUndefined();
    expect(replicate.ecosystemKeyVariable).toBe("REPLICATE_API_TOKEN");
  });

  it("text-to-video: /v1/models/xai/grok-imagine-video/predictions with {input}", () => {
    const spec = replicate.buildCreate(params({ duration: 8, resolution: 480, ratio: "auto" }), base);
    expect(spec).toMatchObject({ method: "POST", path: "/v1/models/xai/grok-imagine-video/predictions" });
    expect(jsonBody(spec)).toStrictEqual({
      input: { prompt: "a cat playing with a ball", duration: 8, resolution: "480p", aspect_ratio: "auto" },
    });
    expect(jsonBody(replicate.buildCreate(params(), base))).toStrictEqual({
      input: { prompt: "a cat playing with a ball" },
    });
  });

  it("image-to-video: `image` is one URI; 1.5 goes to its own model and needs the image", () => {
    const spec = replicate.buildCreate(params({ model: v15.id, images: [{ kind: "url", url: IMAGE }] }), v15);
    expect(spec.path).toBe("/v1/models/xai/grok-imagine-video-1.5/predictions");
    expect(jsonBody(spec)).toStrictEqual({ input: { prompt: "a cat playing with a ball", image: IMAGE } });
    expect(v15).toMatchObject({ modes: ["image-to-video"], images: { min: 1, max: 1 } });
    expect(thrownAs(UsageError, () => replicate.buildCreate(params({ model: v15.id }), v15)).message).toMatch(
      /does not do text-to-video/,
    );
  });

  it("reference-to-video goes to xai/grok-imagine-r2v with reference_images (1-7, up to 10 s)", () => {
    const spec = replicate.buildCreate(params({ references: [{ kind: "url", url: IMAGE }] }), base);
    expect(spec.path).toBe("/v1/models/xai/grok-imagine-r2v/predictions");
    expect(jsonBody(spec)).toStrictEqual({
      input: { prompt: "a cat playing with a ball", reference_images: [IMAGE] },
    });
    expect(base.references).toMatchObject({ max: 7, maxDuration: 10 });
  });

  it("edit: `video` on the base model (≤ 8.7 s); extend: xai/grok-imagine-video-extension (2-10 s)", () => {
    const edit = replicate.operations?.edit?.build({ prompt: "at night", model: base.id, videoUrl: VIDEO });
    expect(edit?.path).toBe("/v1/models/xai/grok-imagine-video/predictions");
    expect(edit && jsonBody(edit)).toStrictEqual({ input: { prompt: "at night", video: VIDEO } });
    expect(replicate.operations?.edit?.maxSourceSeconds).toBe(8.7);
    const extend = replicate.operations?.extend?.build({
      prompt: "on",
      model: base.id,
      videoUrl: VIDEO,
      duration: 4,
    });
    expect(extend?.path).toBe("/v1/models/xai/grok-imagine-video-extension/predictions");
    expect(extend && jsonBody(extend)).toStrictEqual({ input: { prompt: "on", video: VIDEO, duration: 4 } });
    expect(replicate.operations?.extend).toMatchObject({
      defaultDuration: 6,
      sourceSeconds: { min: 2, max: 15 },
    });
  });

  it("limits: 1-15 s (default 5), 720p|480p, aspect_ratio incl. auto", () => {
    expect(base).toMatchObject({
      durations: { kind: "range", min: 1, max: 15 },
      defaultDuration: 5,
      resolutions: [480, 720],
    });
    expect(base.ratios).toEqual(["auto", "16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3"]);
  });

  it("poll and cancel routes; Cancel-After as an optional header", () => {
    expect(replicate.buildQuery("a b")).toStrictEqual({ method: "GET", path: "/v1/predictions/a%20b" });
    expect(replicate.buildCancel?.({ id: REPLICATE_ID })).toStrictEqual({
      method: "POST",
      path: `/v1/predictions/${REPLICATE_ID}/cancel`,
    });
    const spec = withCancelAfter(replicate.buildCreate(params(), base), "10m");
    expect(spec.headers).toStrictEqual({ "Cancel-After": "10m" });
    expect(() => withCancelAfter(spec, "soon")).toThrow(UsageError);
  });
});

describe("replicate answers (§10b Prediction, Statuses, Output)", () => {
  it.each([
    ["starting", "queued"],
    ["processing", "running"],
    ["succeeded", "succeeded"],
    ["failed", "failed"],
    ["canceled", "cancelled"],
    ["aborted", "cancelled"],
    ["SUCCEEDED", "succeeded"],
  ] as const)("%s -> %s", (word, status) => {
    expect(mapStatus(word, replicateStatusTable)).toStrictEqual({ status });
  });

  it("the 201 create answer is a queued task", () => {
    const { task } = replicate.parseCreate(replicateCreate201, NOW);
    expect(task).toMatchObject({ id: REPLICATE_ID, status: "queued", model: "xai/grok-imagine-video-1.5" });
    expect(task.createdAt).toBe("2026-01-02T03:04:05.000Z");
  });

  it("succeeded: the output string, and an estimate from the echoed input (10 s × $0.14)", () => {
    const { task } = replicate.parseQuery(replicateSucceeded, REPLICATE_ID, NOW);
    expect(task).toMatchObject({
      status: "succeeded",
      videoUrl: REPLICATE_VIDEO_URL,
      cost: { usd: 1.4, estimate: true },
    });
  });

  it("an output array is accepted; defaults are priced when the input omits them", () => {
    const body = {
      ...replicateSucceeded,
      model: "xai/grok-imagine-video",
      input: { prompt: "x" },
      output: [REPLICATE_VIDEO_URL],
    };
    const { task } = replicate.parseQuery(body, REPLICATE_ID, NOW);
    expect(task).toMatchObject({ videoUrl: REPLICATE_VIDEO_URL, cost: { usd: 0.35, estimate: true } });
  });

  it("r2v at the base model's price; no estimate for an unknown model; a hostile duration is dropped", () => {
    const r2v = replicate.parseQuery(
      { ...replicateSucceeded, model: "xai/grok-imagine-r2v" },
      REPLICATE_ID,
      NOW,
    );
    // The echoed input's 10 s at 720p, at $0.07 a second.
    expect(r2v.task.cost).toEqual({ usd: 0.7, estimate: true });
    const unknown = replicate.parseQuery(
      { ...replicateSucceeded, model: "xai/some-new-model" },
      REPLICATE_ID,
      NOW,
    );
    expect(unknown.task.cost).toBeUndefined();
    const hostile = { ...replicateSucceeded, input: { duration: Number.POSITIVE_INFINITY } };
    const parsed = replicate.parseQuery(hostile, REPLICATE_ID, NOW);
    expect(parsed.task.cost).toBeUndefined();
    expect(parsed.warnings.join()).toMatch(/not a number/);
  });

  it("failed carries `error`; aborted is cancelled, not billed; the id never changes", () => {
    const failed = replicate.parseQuery(
      { ...replicateCreate201, status: "failed", error: "NSFW" },
      REPLICATE_ID,
      NOW,
    );
    expect(failed.task).toMatchObject({ status: "failed", error: { message: "NSFW" } });
    const aborted = replicate.parseQuery(
      { ...replicateCreate201, status: "aborted", id: "other" },
      REPLICATE_ID,
      NOW,
    );
    expect(aborted.task).toMatchObject({ id: REPLICATE_ID, status: "cancelled", error: { code: "aborted" } });
    expect(aborted.task.error?.message).toMatch(/not billed/);
    expect(aborted.task.cost).toBeUndefined();
  });

  it("an unknown word is running plus a warning; succeeded without output fails", () => {
    const odd = replicate.parseQuery({ ...replicateCreate201, status: "booting" }, REPLICATE_ID, NOW);
    expect(odd.task.status).toBe("running");
    expect(odd.warnings.join()).toMatch(/unknown status/);
    const empty = replicate.parseQuery({ ...replicateSucceeded, output: null }, REPLICATE_ID, NOW);
    expect(empty.task).toMatchObject({ status: "failed", error: { code: "no_video_url" } });
  });

  it("parseError reads problem details, with invalid_fields on a 422", () => {
    expect(replicate.parseError(402, replicateError402)).toStrictEqual({
      message: "You have insufficient credit to run this model.",
      code: "Insufficient credit",
    });
    expect(replicate.parseError(422, replicateError422)?.message).toBe(
      "- input.duration: Must be less than or equal to 15 (invalid: input.duration: Must be less than or equal to 15)",
    );
    expect(replicate.parseError(500, "x")).toBeUndefined();
  });
});
