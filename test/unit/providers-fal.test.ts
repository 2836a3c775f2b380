import { describe, expect, it } from "vitest";
import { fal, falStatusTable } from "../../src/providers/fal.js";
import { falEndpoint, falSpec } from "../../src/providers/fal-spec.js";
import { mapStatus } from "../../src/providers/parse-helpers.js";
import type { CreateParams, LoadedImage, ModelSpec } from "../../src/providers/types.js";
import { mapHttpError } from "../../src/http/map-error.js";
import { ExitCode, UsageError } from "../../src/util/errors.js";
import {
  FAL_REQUEST_ID,
  FAL_VIDEO_URL,
  falCancel202,
  falCancel400,
  falCancel404,
  falError422,
  falErrorDetail,
  falResult200,
  falStatusCompleted,
  falStatusInProgress,
  falStatusInQueue,
  falSubmit200,
} from "../fixtures/platform-examples.js";
import { jsonBody, NOW, thrownAs } from "./support.js";

// Facts from providers.md §10a (fal.ai queue API) and §10e (its status words).
function model(id: string): ModelSpec {
  const found = fal.models.find((m) => m.id === id);
  if (!found) throw new Error(`fal must declare ${id}`);
  return found;
}
const v1 = model("grok-imagine-video");
const v15 = model("grok-imagine-video-1.5");
const lite = model("grok-imagine-video-1.5-lite");
const params = (over: Partial<CreateParams<LoadedImage>> = {}): CreateParams<LoadedImage> => ({
  prompt: "a cat playing with a ball",
  model: "grok-imagine-video",
  images: [],
  ...over,
});
const IMAGE = "https://example.test/cat.png";
const ref = {
  id: FAL_REQUEST_ID,
  links: {
    status: falSubmit200.status_url,
    result: falSubmit200.response_url,
    cancel: falSubmit200.cancel_url,
  },
};

describe("fal spec: endpoint per model and mode, flat body (§10a Submit)", () => {
  it("the defaults, the Key scheme and FAL_KEY", () => {
    expect(falSpec).toMatchObject({ id: "fal", defaultBaseUrl: "https://queue.fal.run", authScheme: "Key" });
    expect(falSpec.ecosystemKeyVariable).toBe("FAL_KEY");
    expect(falSpec.anonymousDownloads).toBe(true);
  });

  it("text-to-video on v1: the endpoint path, prompt and only what was asked", () => {
    const spec = fal.buildCreate(params({ duration: 10, resolution: 720, ratio: "9:16" }), v1);
    expect(spec).toMatchObject({ method: "POST", path: "/xai/grok-imagine-video/text-to-video" });
    expect(jsonBody(spec)).toStrictEqual({
      prompt: "a cat playing with a ball",
      duration: 10,
      resolution: "720p",
      aspect_ratio: "9:16",
    });
    expect(jsonBody(fal.buildCreate(params(), v1))).toStrictEqual({ prompt: "a cat playing with a ball" });
  });

  it("--model grok-imagine-video-1.5 --image -> xai/grok-imagine-video/v1.5/image-to-video with image_url", () => {
    const spec = fal.buildCreate(
      params({ model: v15.id, images: [{ kind: "url", url: IMAGE }], resolution: 1080 }),
      v15,
    );
    expect(spec.path).toBe("/xai/grok-imagine-video/v1.5/image-to-video");
    expect(jsonBody(spec)).toStrictEqual({
      prompt: "a cat playing with a ball",
      resolution: "1080p",
      image_url: IMAGE,
    });
  });

  it("reference-to-video: reference_image_urls in order, URLs or data: URIs", () => {
    const uri = "data:image/png;base64,iVBORw0KGgo=";
    const spec = fal.buildCreate(
      params({
        prompt: "<IMAGE_0> meets <IMAGE_1>",
        references: [
          { kind: "url", url: IMAGE },
          { kind: "data-uri", uri },
        ],
      }),
      v1,
    );
    expect(spec.path).toBe("/xai/grok-imagine-video/reference-to-video");
    expect(jsonBody(spec)).toStrictEqual({
      prompt: "<IMAGE_0> meets <IMAGE_1>",
      reference_image_urls: [IMAGE, uri],
    });
  });

  it("lite does text-to-video only; v1.5 has no edit: refused before any request", () => {
    expect(fal.buildCreate(params({ model: lite.id }), lite).path).toBe(
      "/xai/grok-imagine-video/v1.5/lite/text-to-video",
    );
    expect(lite.modes).toEqual(["text-to-video"]);
    expect(lite.images.max).toBe(0);
    expect(lite.references).toBeUndefined();
    const err = thrownAs(UsageError, () =>
      fal.buildCreate(params({ model: lite.id, images: [{ kind: "url", url: IMAGE }] }), lite),
    );
    expect(err.message).toMatch(/does not do image-to-video/);
    expect(() => falEndpoint("grok-imagine-video-1.5", "edit")).toThrow(UsageError);
  });

  it("limits as data: 1-15 s, default 6; 1080p only on v1.5; 1-7 references", () => {
    expect(v1).toMatchObject({
      durations: { kind: "range", min: 1, max: 15 },
      defaultDuration: 6,
      resolutions: [480, 720],
    });
    expect(v15.resolutions).toEqual([480, 720, 1080]);
    expect(v1.references?.max).toBe(7);
    expect(v1.modes).toEqual(["text-to-video", "image-to-video", "reference-to-video", "edit", "extend"]);
  });

  it("edit-video and extend-video take video_url (v1 only)", () => {
    const video = "https://v3.fal.media/files/in.mp4";
    const edit = fal.operations?.edit?.build({ prompt: "at night", model: v1.id, videoUrl: video });
    expect(edit?.path).toBe("/xai/grok-imagine-video/edit-video");
    expect(edit && jsonBody(edit)).toStrictEqual({ prompt: "at night", video_url: video });
    const extend = fal.operations?.extend?.build({
      prompt: "it jumps",
      model: v1.id,
      videoUrl: video,
      duration: 5,
    });
    expect(extend?.path).toBe("/xai/grok-imagine-video/extend-video");
    expect(extend && jsonBody(extend)).toStrictEqual({ prompt: "it jumps", video_url: video, duration: 5 });
  });
});

describe("fal: the URL trap (status, result and cancel URLs as returned)", () => {
  it("parseCreate keeps the returned URLs as links; the task is queued", () => {
    const { task } = fal.parseCreate(falSubmit200, NOW);
    expect(task).toMatchObject({ id: FAL_REQUEST_ID, provider: "fal", status: "queued", videoUrl: null });
    expect(task.links).toStrictEqual(ref.links);
  });

  it("poll, result and cancel go to the returned URLs, never built from the endpoint id", () => {
    expect(fal.buildPoll?.(ref)).toStrictEqual({
      method: "GET",
      url: falSubmit200.status_url,
      path: `/xai/grok-imagine-video/requests/${FAL_REQUEST_ID}/status`,
    });
    expect(fal.buildResult?.(ref)).toMatchObject({ method: "GET", url: falSubmit200.response_url });
    expect(fal.buildCancel?.(ref)).toMatchObject({ method: "PUT", url: falSubmit200.cancel_url });
    for (const spec of [fal.buildPoll?.(ref), fal.buildResult?.(ref), fal.buildCancel?.(ref)]) {
      expect(spec?.path).not.toContain("text-to-video");
    }
  });

  it("without links (a bare id) it falls back to the app path, not the endpoint's", () => {
    expect(fal.buildQuery("a/b")).toStrictEqual({
      method: "GET",
      path: "/xai/grok-imagine-video/requests/a%2Fb/status",
    });
    expect(fal.buildCancel?.({ id: "x" })).toStrictEqual({
      method: "PUT",
      path: "/xai/grok-imagine-video/requests/x/cancel",
    });
  });

  it("a returned URL that is not http(s) is not kept", () => {
    const { task } = fal.parseCreate(
      { ...falSubmit200, status_url: "javascript:alert(1)", cancel_url: "/relative" },
      NOW,
    );
    expect(task.links).toStrictEqual({ result: falSubmit200.response_url });
  });
});

describe("fal status words (§10e) and the result fetch", () => {
  it.each([
    ["IN_QUEUE", "queued"],
    ["in_queue", "queued"],
    ["IN_PROGRESS", "running"],
    ["In_Progress", "running"],
  ] as const)("%s -> %s", (word, status) => {
    expect(mapStatus(word, falStatusTable)).toStrictEqual({ status });
  });

  it("the documents' poll answers", () => {
    expect(fal.parseQuery(falStatusInQueue, FAL_REQUEST_ID, NOW).task.status).toBe("queued");
    expect(fal.parseQuery(falStatusInProgress, FAL_REQUEST_ID, NOW).task.status).toBe("running");
  });

  it("COMPLETED is not yet a success: running, awaiting the result", () => {
    const parsed = fal.parseQuery(falStatusCompleted, FAL_REQUEST_ID, NOW);
    expect(parsed.task).toMatchObject({ status: "running", videoUrl: null });
    expect(parsed.awaitingResult).toBe(true);
    expect(parsed.warnings).toEqual([]);
  });

  it("an unknown word is running plus a warning", () => {
    const parsed = fal.parseQuery({ status: "WARMING_UP" }, FAL_REQUEST_ID, NOW);
    expect(parsed.task.status).toBe("running");
    expect(parsed.warnings.join()).toMatch(/unknown status "WARMING_UP"/);
    expect(parsed.awaitingResult).toBeUndefined();
  });

  it("a result with video.url succeeds, with a list-price estimate marked as such", () => {
    const asked = { model: "grok-imagine-video", duration: 10, resolution: 720 };
    const { task } = fal.parseResult?.(falResult200, ref, { httpStatus: 200, asked }, NOW) ?? {};
    expect(task).toMatchObject({
      status: "succeeded",
      videoUrl: FAL_VIDEO_URL,
      cost: { usd: 0.7, estimate: true },
    });
    expect(task?.links).toStrictEqual(ref.links);
  });

  it("v1.5 adds $0.01 per input image; billable units replace the asked length", () => {
    const asked = { model: "grok-imagine-video-1.5", resolution: 1080, images: 1 };
    const byList = fal.parseResult?.(falResult200, ref, { httpStatus: 200, asked }, NOW);
    expect(byList?.task.cost).toStrictEqual({ usd: 1.51, estimate: true });
    const byUnits = fal.parseResult?.(falResult200, ref, { httpStatus: 200, asked, billableUnits: "4" }, NOW);
    expect(byUnits?.task.cost).toStrictEqual({ usd: 1.01, estimate: true });
  });

  it("hostile billable units are ignored with a warning; a hostile estimate is dropped", () => {
    const asked = { model: "grok-imagine-video", duration: 6, resolution: 480 };
    const nan = fal.parseResult?.(falResult200, ref, { httpStatus: 200, asked, billableUnits: "NaN" }, NOW);
    expect(nan?.task.cost).toStrictEqual({ usd: 0.3, estimate: true });
    expect(nan?.warnings.join()).toMatch(/billable-units/);
    const huge = fal.parseResult?.(
      falResult200,
      ref,
      { httpStatus: 200, asked, billableUnits: "1000000000" },
      NOW,
    );
    expect(huge?.task.cost).toBeUndefined();
    expect(huge?.warnings.join()).toMatch(/unknown/);
  });

  it("a result with detail is a failure in fal's words; after a cancel request, cancelled", () => {
    const failed = fal.parseResult?.(falErrorDetail, ref, { httpStatus: 500 }, NOW)?.task;
    expect(failed).toMatchObject({
      status: "failed",
      videoUrl: null,
      error: { message: "Internal server error" },
    });
    expect(failed?.cost).toBeUndefined();
    const v422 = fal.parseResult?.(falError422, ref, { httpStatus: 422 }, NOW)?.task;
    expect(v422?.error?.message).toBe("body.duration: ensure this value is less than or equal to 15");
    const cancelled = fal.parseResult?.(
      falErrorDetail,
      ref,
      { httpStatus: 400, cancelRequested: true },
      NOW,
    )?.task;
    expect(cancelled?.status).toBe("cancelled");
  });

  it("a 200 result without a video is a failure, not a success", () => {
    expect(fal.parseResult?.({ video: {} }, ref, { httpStatus: 200 }, NOW)?.task).toMatchObject({
      status: "failed",
      error: { code: "no_video_url" },
    });
  });
});

describe("fal cancel and error bodies", () => {
  it("reads the three cancel answers", () => {
    expect(fal.parseCancel?.(202, falCancel202)).toBe("requested");
    expect(fal.parseCancel?.(400, falCancel400)).toBe("already-finished");
    expect(fal.parseCancel?.(404, falCancel404)).toBe("not-found");
    expect(fal.parseCancel?.(500, "oops")).toBeUndefined();
  });

  it("parseError: detail string or the 422 list", () => {
    expect(fal.parseError(500, falErrorDetail)).toStrictEqual({ message: "Internal server error" });
    expect(fal.parseError(422, falError422)?.message).toMatch(/^body\.duration: ensure/);
    expect(fal.parseError(400, { message: "other shape" })).toBeUndefined();
  });

  it("a locked account (403, exhausted balance) is a matter of money: exit 5, fal's words kept", () => {
    const body = { detail: "User is locked. Reason: Exhausted balance. Top up your balance." };
    const info = fal.parseError(403, body);
    expect(info).toStrictEqual({ message: body.detail, quota: true });
    const err = mapHttpError(403, info, { provider: "fal", keyVariable: "GROKVID_FAL_API_KEY" });
    expect(err.exitCode).toBe(ExitCode.quota);
    expect(err.message).toBe(`fal: out of balance or quota (HTTP 403): ${body.detail}`);
    // A plain 403 is still a rejected key.
    const refused = mapHttpError(403, fal.parseError(403, { detail: "Forbidden" }), {
      provider: "fal",
      keyVariable: "GROKVID_FAL_API_KEY",
    });
    expect(refused.exitCode).toBe(ExitCode.auth);
  });
});
