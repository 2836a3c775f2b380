import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/util/errors.js";
import { mapHttpError } from "../../src/http/map-error.js";
import { duoyuanx } from "../../src/providers/duoyuanx.js";
import { findModel } from "../../src/providers/registry.js";
import type { ModelSpec } from "../../src/providers/types.js";
import {
  duoyuanxCreate200,
  duoyuanxCreate400,
  duoyuanxMultiImageBody,
  duoyuanxSingleImageBody,
  duoyuanxTextBody,
} from "../fixtures/seed-examples.js";
import { jsonBody, multipartFields, NOW, thrownAs } from "./support.js";

function spec(name: string): ModelSpec {
  const found = findModel(duoyuanx, name);
  if (!found) throw new Error(`duoyuanx has no model ${name}`);
  return found;
}

const preview = spec("grok-imagine-video-1.5-preview");
const ID = "video_abc123";
const URL_ = "https://duoyuanx.com/files/video_abc123.mp4";

describe("duoyuanx buildCreate, preview model (S1 JSON)", () => {
  it("builds S1's text-to-video body exactly: seconds as the string '8', resolution '720P'", () => {
    const req = duoyuanx.buildCreate(
      {
        prompt: duoyuanxTextBody.prompt,
        model: preview.id,
        duration: 8,
        ratio: "16:9",
        resolution: 720,
        images: [],
      },
      preview,
    );
    expect(req).toMatchObject({ method: "POST", path: "/v1/videos" });
    expect(jsonBody(req)).toStrictEqual(duoyuanxTextBody);
  });

  it("builds S1's single-image body exactly: one data URI goes in `image`", () => {
    const req = duoyuanx.buildCreate(
      {
        prompt: duoyuanxSingleImageBody.prompt,
        model: preview.id,
        duration: 6,
        ratio: "9:16",
        resolution: 720,
        images: [{ kind: "data-uri", uri: "data:image/png;base64,BASE64_IMAGE_DATA" }],
      },
      preview,
    );
    const body = jsonBody(req);
    expect(body).toStrictEqual(duoyuanxSingleImageBody);
    expect(body).not.toHaveProperty("images");
  });

  it("builds S1's multi-image body exactly: two data URIs go in `images`, never with `image`", () => {
    const req = duoyuanx.buildCreate(
      {
        prompt: duoyuanxMultiImageBody.prompt,
        model: preview.id,
        duration: 10,
        ratio: "16:9",
        resolution: 720,
        images: [
          { kind: "data-uri", uri: "data:image/png;base64,FIRST_IMAGE_BASE64" },
          { kind: "data-uri", uri: "data:image/png;base64,SECOND_IMAGE_BASE64" },
        ],
      },
      preview,
    );
    const body = jsonBody(req);
    expect(body).toStrictEqual(duoyuanxMultiImageBody);
    expect(body).not.toHaveProperty("image");
  });

  it("sends a custom ratio and 480P as given, and the documented example seconds when none is given", () => {
    const req = duoyuanx.buildCreate(
      { prompt: "p", model: preview.id, ratio: "21:9", resolution: 480, images: [] },
      preview,
    );
    expect(jsonBody(req)).toStrictEqual({
      model: preview.id,
      prompt: "p",
      seconds: "6",
      aspect_ratio: "21:9",
      resolution: "480P",
    });
  });

  it("always sends the three fields S3 says text-to-video needs", () => {
    const req = duoyuanx.buildCreate({ prompt: "p", model: preview.id, images: [] }, preview);
    expect(jsonBody(req)).toStrictEqual({
      model: preview.id,
      prompt: "p",
      seconds: "6",
      aspect_ratio: "16:9",
      resolution: "720P",
    });
  });
});

describe("duoyuanx buildCreate, grok-video-1.5 family (multipart)", () => {
  const pro = spec("grok-video-1.5-pro");
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  it("sends model, prompt, seconds, size and one input_reference file", () => {
    const req = duoyuanx.buildCreate(
      {
        prompt: "a cat",
        model: pro.id,
        duration: 10,
        resolution: 1080,
        images: [{ kind: "file", path: "/tmp/cat.png", filename: "cat.png", mime: "image/png", data: png }],
      },
      pro,
    );
    expect(req).toMatchObject({ method: "POST", path: "/v1/videos" });
    expect(multipartFields(req)).toStrictEqual([
      { name: "model", value: "grok-video-1.5-pro" },
      { name: "prompt", value: "a cat" },
      { name: "seconds", value: "10" },
      { name: "size", value: "1080P" },
      { name: "input_reference", filename: "cat.png", contentType: "image/png", data: png },
    ]);
  });

  it("sends no ratio field and no file when none is given", () => {
    const max = spec("grok-video-1.5-max");
    const fields = multipartFields(
      duoyuanx.buildCreate({ prompt: "p", model: max.id, duration: 15, images: [] }, max),
    );
    expect(fields.map((f) => f.name)).toEqual(["model", "prompt", "seconds"]);
  });
});

describe("duoyuanx buildQuery / buildContent", () => {
  it("queries GET /v1/videos/{id} and downloads from /v1/videos/{id}/content", () => {
    expect(duoyuanx.buildQuery(ID)).toMatchObject({ method: "GET", path: `/v1/videos/${ID}` });
    expect(duoyuanx.buildContent?.(ID)).toMatchObject({ method: "GET", path: `/v1/videos/${ID}/content` });
    expect(duoyuanx.buildQuery("a/b").path).toBe("/v1/videos/a%2Fb");
  });
});

describe("duoyuanx parseCreate", () => {
  it("reads S1's 200 answer", () => {
    const { task, warnings } = duoyuanx.parseCreate(duoyuanxCreate200, NOW);
    expect(warnings).toEqual([]);
    expect(task).toMatchObject({
      id: ID,
      provider: "duoyuanx",
      model: "grok-imagine-video-1.5-preview",
      status: "queued",
      progress: 0,
      videoUrl: null,
      error: null,
      createdAt: "2025-01-01T00:00:00.000Z",
    });
  });

  it("prefers id over the legacy task_id, and falls back to task_id", () => {
    expect(duoyuanx.parseCreate({ id: "task_a", task_id: "task_b", status: "queued" }, NOW).task.id).toBe(
      "task_a",
    );
    expect(duoyuanx.parseCreate({ task_id: "task_b" }, NOW).task).toMatchObject({
      id: "task_b",
      status: "queued",
    });
  });

  it("fails with exit 6 without an id", () => {
    expect(thrownAs(ApiError, () => duoyuanx.parseCreate({ status: "queued" }, NOW)).exitCode).toBe(6);
  });
});

describe("duoyuanx parseQuery", () => {
  const base = { id: ID, object: "video", model: preview.id, created_at: 1735689600 };

  it("reads the URL from video_url", () => {
    const { task } = duoyuanx.parseQuery(
      { ...base, status: "completed", progress: 100, video_url: URL_ },
      ID,
      NOW,
    );
    expect(task).toMatchObject({ status: "succeeded", progress: 100, videoUrl: URL_, error: null });
  });

  it("reads the URL from output.url", () => {
    const { task } = duoyuanx.parseQuery({ ...base, status: "completed", output: { url: URL_ } }, ID, NOW);
    expect(task).toMatchObject({ status: "succeeded", videoUrl: URL_ });
  });

  it.each([
    ["url", { url: URL_ }],
    ["result_url", { result_url: URL_ }],
    ["metadata.url", { metadata: { url: URL_ } }],
  ])("reads the URL from %s (new-api converters)", (_field, extra) => {
    const { task } = duoyuanx.parseQuery({ ...base, status: "completed", ...extra }, ID, NOW);
    expect(task).toMatchObject({ status: "succeeded", videoUrl: URL_ });
  });

  it("does not fail a completed task over an empty or null error", () => {
    for (const error of [null, { message: "" }, ""]) {
      const { task } = duoyuanx.parseQuery({ ...base, status: "completed", video_url: URL_, error }, ID, NOW);
      expect(task).toMatchObject({ status: "succeeded", videoUrl: URL_, error: null });
    }
  });

  it("still succeeds without a URL, because /content serves the video", () => {
    const { task, warnings } = duoyuanx.parseQuery({ ...base, status: "completed", progress: 100 }, ID, NOW);
    expect(warnings).toEqual([]);
    expect(task).toMatchObject({ status: "succeeded", videoUrl: null, error: null });
  });

  it("reads error:{message,code} of a failed task", () => {
    const body = {
      ...base,
      status: "failed",
      progress: 0,
      error: { message: "content policy violation", code: "video_generation_failed" },
    };
    const { task } = duoyuanx.parseQuery(body, ID, NOW);
    expect(task).toMatchObject({
      status: "failed",
      videoUrl: null,
      error: { message: "content policy violation", code: "video_generation_failed" },
    });
  });

  it("treats 'completed' with an error message as failed", () => {
    const body = { ...base, status: "completed", video_url: URL_, error: { message: "moderated" } };
    expect(duoyuanx.parseQuery(body, ID, NOW).task).toMatchObject({
      status: "failed",
      videoUrl: null,
      error: { message: "moderated" },
    });
  });

  it("accepts new-api's progress as a 'NN%' string", () => {
    const { task } = duoyuanx.parseQuery({ ...base, status: "in_progress", progress: "45%" }, ID, NOW);
    expect(task).toMatchObject({ status: "running", progress: 45 });
  });

  it("reads the legacy result URL stored in fail_reason, and a real fail_reason as the reason", () => {
    const legacy = duoyuanx.parseQuery({ ...base, status: "completed", fail_reason: URL_ }, ID, NOW);
    expect(legacy.task).toMatchObject({ status: "succeeded", videoUrl: URL_ });
    const failed = duoyuanx.parseQuery({ ...base, status: "failed", fail_reason: "upstream error" }, ID, NOW);
    expect(failed.task).toMatchObject({ status: "failed", error: { message: "upstream error" } });
  });

  it("keeps the asked id when the answer has none", () => {
    expect(duoyuanx.parseQuery({ status: "queued" }, "video_asked", NOW).task.id).toBe("video_asked");
  });

  it("fails with exit 6 when a query answer has no status", () => {
    expect(thrownAs(ApiError, () => duoyuanx.parseQuery({ id: ID }, ID, NOW)).exitCode).toBe(6);
    expect(thrownAs(ApiError, () => duoyuanx.parseQuery([1, 2], ID, NOW)).exitCode).toBe(6);
  });
});

describe("duoyuanx parseError", () => {
  it("reads S1's 400 answer", () => {
    const info = duoyuanx.parseError(400, duoyuanxCreate400);
    expect(info).toStrictEqual({ message: "prompt is required", code: "invalid_request" });
    const err = mapHttpError(400, info, { provider: "duoyuanx", keyVariable: "GROKVID_DUOYUANX_API_KEY" });
    expect(err.exitCode).toBe(6);
    expect(err.message).toContain("prompt is required");
  });

  it("falls back to the error type when there is no code", () => {
    expect(
      duoyuanx.parseError(401, { error: { message: "invalid token", type: "new_api_error" } }),
    ).toStrictEqual({
      message: "invalid token",
      code: "new_api_error",
    });
  });

  it("flags new-api's HTTP 400 task_not_exist as not found (TaskError and OpenAI shapes)", () => {
    const taskError = duoyuanx.parseError(400, {
      code: "task_not_exist",
      message: "task_not_exist",
      data: null,
    });
    expect(taskError).toMatchObject({ notFound: true, code: "task_not_exist" });
    const openai = duoyuanx.parseError(400, { error: { message: "task_not_exist", type: "new_api_error" } });
    expect(openai).toMatchObject({ notFound: true });
    const err = mapHttpError(400, taskError, {
      provider: "duoyuanx",
      keyVariable: "GROKVID_DUOYUANX_API_KEY",
      taskId: "task_x",
    });
    expect(err.exitCode).toBe(6);
    expect(err.message).toContain("task_x");
    expect(err.message).toMatch(/not found/);
  });

  it("returns undefined for a body it does not recognise", () => {
    expect(duoyuanx.parseError(502, "Bad Gateway")).toBeUndefined();
  });
});
