import { describe, expect, it } from "vitest";
import { ApiError, ExitCode } from "../../src/util/errors.js";
import { mapHttpError } from "../../src/http/map-error.js";
import { jimmyai } from "../../src/providers/jimmyai.js";
import {
  jimmyaiCreate200,
  jimmyaiCurlBody,
  jimmyaiOpenApiExample,
  jimmyaiQueryEnWrapped,
  jimmyaiQueryZhFlat,
} from "../fixtures/seed-examples.js";
import { jsonBody, NOW, thrownAs } from "./support.js";

const model = jimmyai.models[0];
if (!model) throw new Error("jimmyai must declare a model");

const TASK_ID = "jm_task_0001";
const URL_ = "https://cdn.jimmyai.cn/v/jm_task_0001.mp4";

describe("jimmyai buildCreate (S0)", () => {
  it("turns --ratio 16:9 --duration 10 --image URL into S0's cURL body exactly", () => {
    const spec = jimmyai.buildCreate(
      {
        prompt: jimmyaiCurlBody.prompt,
        model: "grok-imagine-video-1.5",
        ratio: "16:9",
        duration: 10,
        images: [{ kind: "url", url: "https://example.com/cup.jpg" }],
      },
      model,
    );
    expect(spec).toMatchObject({ method: "POST", path: "/api/open-api/v1/grok/videos" });
    expect(jsonBody(spec)).toStrictEqual(jimmyaiCurlBody);
  });

  it("builds S0's OpenAPI example exactly", () => {
    const spec = jimmyai.buildCreate(
      {
        prompt: jimmyaiOpenApiExample.prompt,
        model: "grok-imagine-video-1.5",
        duration: 10,
        ratio: "16:9",
        images: [{ kind: "url", url: "https://example.com/butterfly.jpg" }],
      },
      model,
    );
    expect(jsonBody(spec)).toStrictEqual(jimmyaiOpenApiExample);
  });

  it("sends duration as a JSON integer", () => {
    const spec = jimmyai.buildCreate(
      { prompt: "p", model: model.id, duration: 15, images: [{ kind: "url", url: "https://e.x/a.png" }] },
      model,
    );
    expect(jsonBody(spec)).toMatchObject({ duration: 15 });
  });
});

describe("jimmyai buildQuery", () => {
  it("queries GET /api/open-api/v1/videos/{taskId}", () => {
    expect(jimmyai.buildQuery(TASK_ID)).toMatchObject({
      method: "GET",
      path: `/api/open-api/v1/videos/${TASK_ID}`,
    });
    expect(jimmyai.buildQuery("a/b").path).toBe("/api/open-api/v1/videos/a%2Fb");
    expect(jimmyai.buildContent).toBeUndefined();
  });
});

describe("jimmyai parseCreate", () => {
  it("reads S0's {code:'20000', msg:'ok', data:{task_id,...}} answer", () => {
    const { task, warnings } = jimmyai.parseCreate(jimmyaiCreate200, NOW);
    expect(warnings).toEqual([]);
    expect(task).toMatchObject({
      id: TASK_ID,
      provider: "jimmyai",
      model: "grok-imagine-video-1.5",
      status: "queued",
      progress: 0,
      videoUrl: null,
      error: null,
      createdAt: "2025-01-01T00:00:00.000Z",
    });
  });

  it("treats a missing initial status as queued", () => {
    const { task } = jimmyai.parseCreate({ code: "20000", msg: "ok", data: { task_id: TASK_ID } }, NOW);
    expect(task.status).toBe("queued");
  });

  it("refuses a code other than '20000' with exit 6, quoting msg and code", () => {
    const err = thrownAs(ApiError, () =>
      jimmyai.parseCreate({ code: "40001", msg: "image_urls requires exactly 1 image", data: null }, NOW),
    );
    expect(err.exitCode).toBe(ExitCode.provider);
    expect(err.providerCode).toBe("40001");
    expect(err.message).toContain("image_urls requires exactly 1 image");
    expect(err.message).toContain("40001");
  });

  it("fails with exit 6 when there is no task_id", () => {
    expect(thrownAs(ApiError, () => jimmyai.parseCreate({ code: "20000", data: {} }, NOW)).exitCode).toBe(6);
  });
});

describe("jimmyai parseQuery", () => {
  it("reads the en page's wrapped answer", () => {
    const { task, warnings } = jimmyai.parseQuery(jimmyaiQueryEnWrapped, TASK_ID, NOW);
    expect(warnings).toEqual([]);
    expect(task).toMatchObject({
      id: TASK_ID,
      status: "succeeded",
      progress: 100,
      videoUrl: URL_,
      error: null,
      createdAt: "2025-01-01T00:00:00.000Z",
      updatedAt: "2025-01-01T00:02:00.000Z",
    });
  });

  it("reads the zh page's flat answer the same way", () => {
    const { task } = jimmyai.parseQuery(jimmyaiQueryZhFlat, TASK_ID, NOW);
    expect(task).toMatchObject({ id: TASK_ID, status: "succeeded", progress: 100, videoUrl: URL_ });
  });

  it("accepts a numeric code 20000 (re-encoded by a proxy)", () => {
    const body = { ...jimmyaiQueryEnWrapped, code: 20000 };
    expect(jimmyai.parseQuery(body, TASK_ID, NOW).task.status).toBe("succeeded");
  });

  it("reads a running task's progress", () => {
    const body = { code: "20000", msg: "ok", data: { task_id: TASK_ID, status: "processing", progress: 37 } };
    expect(jimmyai.parseQuery(body, TASK_ID, NOW).task).toMatchObject({ status: "running", progress: 37 });
  });

  it("treats 'completed' without result.video_url as failed with a reason", () => {
    const body = {
      code: "20000",
      msg: "ok",
      data: { task_id: TASK_ID, status: "completed", progress: 100, result: { video_url: "" } },
    };
    const { task } = jimmyai.parseQuery(body, TASK_ID, NOW);
    expect(task).toMatchObject({ status: "failed", videoUrl: null, error: { code: "no_video_url" } });
    expect(task.error?.message).toMatch(/no video URL/i);
  });

  it("treats 'completed' with an error_message as failed with that message", () => {
    const body = {
      ...jimmyaiQueryZhFlat,
      error_message: "moderation: output blocked",
    };
    const { task } = jimmyai.parseQuery(body, TASK_ID, NOW);
    expect(task).toMatchObject({
      status: "failed",
      videoUrl: null,
      error: { message: "moderation: output blocked" },
    });
  });

  it("reads a failed task's error_message", () => {
    const body = {
      task_id: TASK_ID,
      status: "failed",
      progress: 0,
      error_message: "image could not be downloaded",
    };
    const { task } = jimmyai.parseQuery(body, TASK_ID, NOW);
    expect(task).toMatchObject({ status: "failed", error: { message: "image could not be downloaded" } });
  });

  it("refuses a code other than '20000' with exit 6 (in-band error)", () => {
    const err = thrownAs(ApiError, () =>
      jimmyai.parseQuery({ code: "40400", msg: "task not found", data: null }, TASK_ID, NOW),
    );
    expect(err.exitCode).toBe(6);
    expect(err.message).toContain("task not found");
    expect(err.providerCode).toBe("40400");
  });

  it("fails with exit 6 on a body that is not an object or has no status", () => {
    expect(thrownAs(ApiError, () => jimmyai.parseQuery("oops", TASK_ID, NOW)).exitCode).toBe(6);
    expect(
      thrownAs(ApiError, () =>
        jimmyai.parseQuery({ code: "20000", data: { task_id: TASK_ID } }, TASK_ID, NOW),
      ).exitCode,
    ).toBe(6);
  });
});

describe("jimmyai parseError", () => {
  it("reads {code,msg} and maps HTTP statuses to exit codes", () => {
    const info = jimmyai.parseError(401, { code: "40100", msg: "invalid token" });
    expect(info).toStrictEqual({ message: "invalid token", code: "40100" });
    const ctx = { provider: "jimmyai", keyVariable: "GROKVID_JIMMYAI_API_KEY" };
    expect(mapHttpError(401, info, ctx).exitCode).toBe(4);
    expect(mapHttpError(402, info, ctx).exitCode).toBe(5);
    expect(mapHttpError(500, info, ctx).exitCode).toBe(6);
  });

  it("returns undefined for a body without code or msg", () => {
    expect(jimmyai.parseError(500, {})).toBeUndefined();
    expect(jimmyai.parseError(500, "bad gateway")).toBeUndefined();
  });
});
