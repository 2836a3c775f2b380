import { describe, expect, it } from "vitest";
import { ApiError, ExitCode } from "../../src/util/errors.js";
import { mapHttpError } from "../../src/http/map-error.js";
import { apimart } from "../../src/providers/apimart.js";
import type { CreateParams, LoadedImage } from "../../src/providers/types.js";
import { xcompute } from "../../src/providers/xcompute.js";
import {
  apimartCreate200,
  apimartCurlBody,
  apimartErrorBodies,
  apimartImageScenarioBody,
  apimartQueryCompletedUrlArray,
  apimartQueryCompletedUrlString,
  apimartTextScenarioBody,
  VIDEO_URL,
  xcomputeCreate200,
  xcomputeCurlBody,
  xcomputeImageScenarioBody,
  xcomputeQueryFlat,
} from "../fixtures/seed-examples.js";
import { jsonBody, NOW, thrownAs } from "./support.js";

const apimartModel = apimart.models[0];
const xcomputeModel = xcompute.models[0];
if (!apimartModel || !xcomputeModel) throw new Error("apimart-family providers must declare a model");

const TASK_ID = "task_01JNXXXXXXXXXXXXXXXXXX";

describe("apimart buildCreate (S2)", () => {
  it("turns --ratio 16:9 --duration 6 --resolution 720 into S2's cURL body exactly", () => {
    const params: CreateParams<LoadedImage> = {
      prompt: apimartCurlBody.prompt,
      model: "grok-imagine-1.5-video-apimart",
      ratio: "16:9",
      duration: 6,
      resolution: 720,
      images: [],
    };
    const spec = apimart.buildCreate(params, apimartModel);
    expect(spec).toMatchObject({ method: "POST", path: "/v1/videos/generations" });
    expect(jsonBody(spec)).toStrictEqual(apimartCurlBody);
  });

  it("sends duration as a bare JSON number, never a string", () => {
    const spec = apimart.buildCreate(
      { prompt: "p", model: apimartModel.id, duration: 6, images: [] },
      apimartModel,
    );
    expect(JSON.stringify(jsonBody(spec))).toContain('"duration":6');
  });

  it("builds S2's text-to-video scenario (no quality) exactly", () => {
    const spec = apimart.buildCreate(
      {
        prompt: apimartTextScenarioBody.prompt,
        model: apimartModel.id,
        ratio: "16:9",
        duration: 6,
        images: [],
      },
      apimartModel,
    );
    expect(jsonBody(spec)).toStrictEqual(apimartTextScenarioBody);
  });

  it("builds S2's image-to-video scenario with image_urls exactly", () => {
    const spec = apimart.buildCreate(
      {
        prompt: apimartImageScenarioBody.prompt,
        model: apimartModel.id,
        ratio: "16:9",
        duration: 10,
        resolution: 720,
        images: [{ kind: "url", url: "https://example.com/start.png" }],
      },
      apimartModel,
    );
    expect(jsonBody(spec)).toStrictEqual(apimartImageScenarioBody);
  });

  it("sends only model and prompt when nothing else is given", () => {
    const spec = apimart.buildCreate({ prompt: "p", model: apimartModel.id, images: [] }, apimartModel);
    expect(jsonBody(spec)).toStrictEqual({ model: apimartModel.id, prompt: "p" });
  });

  it("maps 480 to quality 480p", () => {
    const spec = apimart.buildCreate(
      { prompt: "p", model: apimartModel.id, resolution: 480, images: [] },
      apimartModel,
    );
    expect(jsonBody(spec)).toMatchObject({ quality: "480p" });
  });
});

describe("xcompute buildCreate (S4)", () => {
  it("turns the same grokvid params into S4's cURL body exactly", () => {
    const spec = xcompute.buildCreate(
      {
        prompt: xcomputeCurlBody.prompt,
        model: "grok-imagine-1.0-video-apimart",
        ratio: "16:9",
        duration: 6,
        resolution: 720,
        images: [],
      },
      xcomputeModel,
    );
    expect(spec).toMatchObject({ method: "POST", path: "/v1/videos/generations" });
    expect(jsonBody(spec)).toStrictEqual(xcomputeCurlBody);
  });

  it("builds S4's image-to-video scenario exactly", () => {
    const spec = xcompute.buildCreate(
      {
        prompt: xcomputeImageScenarioBody.prompt,
        model: xcomputeModel.id,
        ratio: "16:9",
        duration: 10,
        resolution: 720,
        images: [{ kind: "url", url: "https://example.com/start.png" }],
      },
      xcomputeModel,
    );
    expect(jsonBody(spec)).toStrictEqual(xcomputeImageScenarioBody);
  });

  it("uses its own host and default model", () => {
    expect(xcompute.defaultBaseUrl).toBe("https://xcompute.us");
    expect(xcompute.defaultModel).toBe("grok-imagine-1.0-video-apimart");
    expect(apimart.defaultBaseUrl).toBe("https://api.apimart.ai");
    expect(apimart.defaultModel).toBe("grok-imagine-1.5-video-apimart");
  });
});

describe("apimart-family buildQuery / buildContent", () => {
  it("queries GET /v1/tasks/{id} with the id URL-encoded", () => {
    expect(apimart.buildQuery(TASK_ID)).toMatchObject({ method: "GET", path: `/v1/tasks/${TASK_ID}` });
    expect(xcompute.buildQuery("a/b c").path).toBe("/v1/tasks/a%2Fb%20c");
  });

  it("has no authenticated download endpoint", () => {
    expect(apimart.buildContent).toBeUndefined();
    expect(xcompute.buildContent).toBeUndefined();
  });
});

describe("parseCreate", () => {
  it("reads S2's array-shaped answer: task_id, submitted -> queued", () => {
    const { task, warnings } = apimart.parseCreate(apimartCreate200, NOW);
    expect(warnings).toEqual([]);
    expect(task).toMatchObject({
      id: TASK_ID,
      provider: "apimart",
      status: "queued",
      progress: 0,
      videoUrl: null,
      error: null,
      updatedAt: NOW.toISOString(),
    });
    // A bounded, cleaned copy of the answer, equal to it when it was harmless.
    expect(task.raw).toEqual(apimartCreate200);
  });

  it("reads S4's object-shaped answer keyed id", () => {
    const { task, warnings } = xcompute.parseCreate(xcomputeCreate200, NOW);
    expect(warnings).toEqual([]);
    expect(task).toMatchObject({ id: TASK_ID, provider: "xcompute", status: "queued", progress: 0 });
  });

  it("fails with exit 6 when there is no task id, quoting the provider's error", () => {
    const err = thrownAs(ApiError, () =>
      apimart.parseCreate({ code: 400, error: { message: "bad prompt" } }, NOW),
    );
    expect(err.exitCode).toBe(ExitCode.provider);
    expect(err.message).toContain("apimart");
    expect(err.message).toContain("bad prompt");
  });

  it("fails with exit 6 on a body that is not an object", () => {
    expect(thrownAs(ApiError, () => apimart.parseCreate("<html>", NOW)).exitCode).toBe(6);
    expect(thrownAs(ApiError, () => apimart.parseCreate({ code: 200, data: [] }, NOW)).exitCode).toBe(6);
  });
});

describe("parseQuery", () => {
  it("reads a completed apimart task whose url is an array of strings", () => {
    const { task, warnings } = apimart.parseQuery(apimartQueryCompletedUrlArray, TASK_ID, NOW);
    expect(warnings).toEqual([]);
    expect(task).toMatchObject({
      id: TASK_ID,
      status: "succeeded",
      progress: 100,
      videoUrl: VIDEO_URL,
      error: null,
      createdAt: "2024-03-09T16:00:00.000Z",
      updatedAt: "2024-03-09T16:02:00.000Z",
    });
  });

  it("reads a completed apimart task whose url is a plain string", () => {
    const { task } = apimart.parseQuery(apimartQueryCompletedUrlString, TASK_ID, NOW);
    expect(task).toMatchObject({ status: "succeeded", videoUrl: VIDEO_URL });
  });

  it("skips empty strings in the url array", () => {
    const body = {
      code: 200,
      data: { id: TASK_ID, status: "completed", result: { videos: [{ url: ["", VIDEO_URL] }] } },
    };
    expect(apimart.parseQuery(body, TASK_ID, NOW).task.videoUrl).toBe(VIDEO_URL);
  });

  it("reads a running task's numeric progress and its string form (new-api 'NN%')", () => {
    const numeric = apimart.parseQuery(
      { code: 200, data: { id: TASK_ID, status: "processing", progress: 45 } },
      TASK_ID,
      NOW,
    );
    expect(numeric.task).toMatchObject({ status: "running", progress: 45, videoUrl: null, error: null });
    const text = apimart.parseQuery(
      { code: 200, data: { id: TASK_ID, status: "in_progress", progress: "45%" } },
      TASK_ID,
      NOW,
    );
    expect(text.task).toMatchObject({ status: "running", progress: 45 });
  });

  it("reads xcompute's documented flat example; completed without a URL is a failure with a reason", () => {
    const { task } = xcompute.parseQuery(xcomputeQueryFlat, TASK_ID, NOW);
    expect(task.status).toBe("failed");
    expect(task.videoUrl).toBeNull();
    expect(task.error).toMatchObject({ code: "no_video_url" });
    expect(task.error?.message).toMatch(/no video URL/i);
  });

  it("reads xcompute flat and wrapped answers that carry a URL", () => {
    const flat = { ...xcomputeQueryFlat, result: { videos: [{ url: [VIDEO_URL] }] } };
    expect(xcompute.parseQuery(flat, TASK_ID, NOW).task).toMatchObject({
      id: TASK_ID,
      provider: "xcompute",
      status: "succeeded",
      progress: 100,
      videoUrl: VIDEO_URL,
    });
    const wrapped = { code: 200, data: flat };
    expect(xcompute.parseQuery(wrapped, TASK_ID, NOW).task).toMatchObject({
      status: "succeeded",
      videoUrl: VIDEO_URL,
    });
  });

  it("treats apimart 'completed' without any video URL as failed with a reason", () => {
    const body = { code: 200, data: { id: TASK_ID, status: "completed", progress: 100, result: {} } };
    const { task } = apimart.parseQuery(body, TASK_ID, NOW);
    expect(task).toMatchObject({ status: "failed", videoUrl: null, error: { code: "no_video_url" } });
  });

  it("treats 'completed' with an error message (moderation) as failed with that message", () => {
    const body = {
      code: 200,
      data: {
        id: TASK_ID,
        status: "completed",
        progress: 100,
        result: { videos: [{ url: [VIDEO_URL] }] },
        error: { message: "content moderation rejected the output" },
      },
    };
    const { task } = apimart.parseQuery(body, TASK_ID, NOW);
    expect(task.status).toBe("failed");
    expect(task.videoUrl).toBeNull();
    expect(task.error?.message).toBe("content moderation rejected the output");
  });

  it("does not fail a completed task over a null or empty error", () => {
    for (const error of [null, { message: "" }]) {
      const body = { code: 200, data: { ...apimartQueryCompletedUrlArray.data, error } };
      expect(apimart.parseQuery(body, TASK_ID, NOW).task).toMatchObject({ status: "succeeded", error: null });
    }
  });

  it("reads a failed task's reason from data.error.message, then from a top-level error.message", () => {
    const inner = apimart.parseQuery(
      { code: 200, data: { id: TASK_ID, status: "failed", progress: 0, error: { message: "nsfw" } } },
      TASK_ID,
      NOW,
    );
    expect(inner.task).toMatchObject({ status: "failed", error: { message: "nsfw" } });
    const outer = apimart.parseQuery(
      { code: 200, data: { id: TASK_ID, status: "failed" }, error: { message: "upstream failed" } },
      TASK_ID,
      NOW,
    );
    expect(outer.task).toMatchObject({ status: "failed", error: { message: "upstream failed" } });
  });

  it("reports a cancelled task as cancelled with a message", () => {
    const { task } = apimart.parseQuery(
      { code: 200, data: { id: TASK_ID, status: "cancelled" } },
      TASK_ID,
      NOW,
    );
    expect(task.status).toBe("cancelled");
    expect(task.error).toEqual({ code: null, message: "task cancelled" });
  });

  it("keeps the asked id when the answer has none", () => {
    const { task } = apimart.parseQuery({ code: 200, data: { status: "pending" } }, "task_asked", NOW);
    expect(task).toMatchObject({ id: "task_asked", status: "queued" });
  });

  it("fails with exit 6 when the answer has no status", () => {
    const err = thrownAs(ApiError, () =>
      apimart.parseQuery({ code: 404, error: { message: "task not found" } }, TASK_ID, NOW),
    );
    expect(err.exitCode).toBe(6);
    expect(err.message).toContain("task not found");
    expect(thrownAs(ApiError, () => apimart.parseQuery(null, TASK_ID, NOW)).exitCode).toBe(6);
  });
});

describe("parseError (S2 error answers) and the exit code they map to", () => {
  const cases = [
    { status: 400, type: "invalid_request_error", exit: 6 },
    { status: 401, type: "authentication_error", exit: 4 },
    { status: 402, type: "payment_required", exit: 5 },
    { status: 403, type: "permission_error", exit: 4 },
    { status: 429, type: "rate_limit_error", exit: 6 },
    { status: 500, type: "server_error", exit: 6 },
    { status: 502, type: "bad_gateway", exit: 6 },
  ] as const;

  it.each(cases)("HTTP $status -> $type, exit $exit", ({ status, type, exit }) => {
    const body = apimartErrorBodies[status];
    const info = apimart.parseError(status, body);
    expect(info).toStrictEqual({ message: body.error.message, code: type });
    const err = mapHttpError(status, info, { provider: "apimart", keyVariable: "GROKVID_APIMART_API_KEY" });
    expect(err.exitCode).toBe(exit);
    expect(err.status).toBe(status);
    expect(err.providerCode).toBe(type);
    expect(err.message).toContain(body.error.message);
  });

  it("returns undefined for a body it does not recognise", () => {
    expect(apimart.parseError(500, "<html>")).toBeUndefined();
    expect(xcompute.parseError(500, { message: "x" })).toBeUndefined();
  });
});
