import { describe, expect, it } from "vitest";
import { generateTaskVideo, describeTaskVideo } from "../../src/sandbox/task-video.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { call, DONE, download, START, usePlatformSandbox } from "../helpers/platform-sandbox.js";

const box = usePlatformSandbox();
const KEY = "Key fal-test-key-0123";
const I2V = "xai/grok-imagine-video/v1.5/image-to-video";
const T2V = "xai/grok-imagine-video/text-to-video";
const IMAGE = "https://example.com/cat.png";

interface Submitted {
  request_id: string;
  response_url: string;
  status_url: string;
  cancel_url: string;
}

async function submit(sandbox: Sandbox, endpoint: string, json: unknown): Promise<Submitted> {
  const answer = await call(`${sandbox.baseUrl("fal")}/${endpoint}`, { json, auth: KEY });
  expect(answer.status, answer.text).toBe(200);
  return answer.body as Submitted;
}

describe("fal queue API", () => {
  it("answers app-path URLs, walks IN_QUEUE -> IN_PROGRESS -> COMPLETED, and serves the video on the CDN", async () => {
    const sandbox = await box.open();
    const job = await submit(sandbox, I2V, {
      prompt: "a cat",
      image_url: IMAGE,
      duration: 4,
      resolution: "480p",
    });
    const app = `${sandbox.baseUrl("fal")}/xai/grok-imagine-video/requests/${job.request_id}`;
    // The URL trap: only the app path, never /v1.5/image-to-video.
    expect(job).toEqual({
      request_id: job.request_id,
      response_url: app,
      status_url: `${app}/status`,
      cancel_url: `${app}/cancel`,
    });

    const queued = await call(job.status_url, { auth: KEY });
    expect([queued.status, queued.body]).toEqual([
      202,
      { status: "IN_QUEUE", queue_position: 0, response_url: app },
    ]);
    box.setClock(START + 2000);
    const running = await call(`${job.status_url}?logs=1`, { auth: KEY });
    expect(running.body).toMatchObject({ status: "IN_PROGRESS", logs: [{ level: "INFO" }] });
    const early = await call(job.response_url, { auth: KEY });
    expect([early.status, early.body]).toEqual([400, { detail: "Request is still in progress" }]);

    box.setClock(DONE);
    const completed = await call(job.status_url, { auth: KEY });
    expect([completed.status, completed.body]).toEqual([
      200,
      { status: "COMPLETED", logs: null, metrics: { inference_time: 2 }, response_url: app },
    ]);
    const result = await call(job.response_url, { auth: KEY });
    const video = generateTaskVideo(job.request_id);
    expect(result.status).toBe(200);
    expect(result.headers.get("x-fal-billable-units")).toBe("4");
    const url = `${sandbox.cdnUrl}/files/${job.request_id}.mp4`;
    expect(result.body).toEqual({
      video: { url, content_type: "video/mp4", file_name: `${job.request_id}.mp4`, file_size: video.length },
    });
    // A different origin from the API, and a video as long as asked (4 s).
    expect(new URL(url).origin).not.toBe(new URL(sandbox.url).origin);
    expect(describeTaskVideo(job.request_id)).toMatchObject({ frames: 4 * 12, fps: 12 });
    const got = await download(url);
    expect([got.status, got.type, got.bytes.equals(video)]).toEqual([200, "video/mp4", true]);

    const cdn = sandbox.requests.filter((entry) => entry.origin === "cdn");
    expect(cdn.map((entry) => [entry.path, entry.sentKey])).toEqual([
      [`/files/${job.request_id}.mp4`, false],
    ]);
  });

  it("counts queue_position among earlier queued requests and accepts every listed endpoint id", async () => {
    const sandbox = await box.open();
    const first = await submit(sandbox, T2V, { prompt: "one" });
    const second = await submit(sandbox, "xai/grok-imagine-video/v1.5/lite/text-to-video", { prompt: "two" });
    expect((await call(second.status_url, { auth: KEY })).body).toMatchObject({ queue_position: 1 });
    expect((await call(first.status_url, { auth: KEY })).body).toMatchObject({ queue_position: 0 });
    for (const [endpoint, body] of [
      [
        "xai/grok-imagine-video/image-to-video",
        { prompt: "p", image_url: "data:image/png;base64,iVBORw0KGgo=" },
      ],
      [
        "xai/grok-imagine-video/reference-to-video",
        { prompt: "<IMAGE_0> waves", reference_image_urls: [IMAGE] },
      ],
      ["xai/grok-imagine-video/edit-video", { prompt: "p", video_url: "https://example.com/in.mp4" }],
      [
        "xai/grok-imagine-video/extend-video",
        { prompt: "p", video_url: "https://example.com/in.mp4", duration: 3 },
      ],
      ["xai/grok-imagine-video/v1.5/text-to-video", { prompt: "p", resolution: "1080p" }],
      ["xai/grok-imagine-video/v1.5/reference-to-video", { prompt: "p", reference_image_urls: [IMAGE] }],
    ] as const)
      await submit(sandbox, endpoint, body);
  });

  it("404s status, result and cancel URLs built from the endpoint id (the URL trap)", async () => {
    const sandbox = await box.open();
    const job = await submit(sandbox, I2V, { prompt: "a cat", image_url: IMAGE });
    const wrong = `${sandbox.baseUrl("fal")}/${I2V.replace("/image-to-video", "")}/image-to-video/requests/${job.request_id}`;
    for (const [url, method] of [
      [`${wrong}/status`, "GET"],
      [wrong, "GET"],
      [`${wrong}/cancel`, "PUT"],
    ] as const) {
      const answer = await call(url, { auth: KEY, method });
      expect(answer.status, url).toBe(404);
      expect(answer.body).toMatchObject({ detail: expect.stringContaining("do not add the endpoint path") });
    }
  });

  it("refuses Bearer and missing keys with 401 {detail}, and records the scheme word but never the key", async () => {
    const sandbox = await box.open();
    const url = `${sandbox.baseUrl("fal")}/${T2V}`;
    const bearer = await call(url, { json: { prompt: "p" }, auth: "Bearer fal-test-key-0123" });
    expect([bearer.status, bearer.body]).toEqual([
      401,
      { detail: 'wrong authorization scheme "Bearer": send Authorization: Key <key>' },
    ]);
    expect((await call(url, { json: { prompt: "p" } })).status).toBe(401);
    const [first] = sandbox.requests;
    expect(first?.headers).toMatchObject({
      authorization: "Bearer [redacted]",
      "content-type": "application/json",
    });
    expect(JSON.stringify(sandbox.requests.map((entry) => entry.headers))).not.toContain("fal-test-key");
    expect(first?.body).toEqual({ prompt: "p" });
  });

  it("answers 422 {detail:[{loc,msg,type}]} listing every wrong field", async () => {
    const sandbox = await box.open();
    const answer = await call(`${sandbox.baseUrl("fal")}/${I2V}`, {
      json: { prompt: "p", image: IMAGE, duration: 20 },
      auth: KEY,
    });
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({
      detail: expect.arrayContaining([
        { loc: ["body", "image_url"], msg: "image_url is required", type: "missing" },
        { loc: ["body", "duration"], msg: "duration must be an integer from 1 to 15", type: "value_error" },
        { loc: ["body", "image"], msg: "unknown field image", type: "extra_forbidden" },
      ]),
    });
    // 1080p is v1.5's alone.
    const hd = await call(`${sandbox.baseUrl("fal")}/${T2V}`, {
      json: { prompt: "p", resolution: "1080p" },
      auth: KEY,
    });
    expect(hd.status).toBe(422);
  });

  it("cancels: queued 202 then COMPLETED with a cancelled result and no video; done 400; unknown 404", async () => {
    const sandbox = await box.open();
    const queued = await submit(sandbox, T2V, { prompt: "p" });
    const cancel = await call(queued.cancel_url, { auth: KEY, method: "PUT" });
    expect([cancel.status, cancel.body]).toEqual([202, { status: "CANCELLATION_REQUESTED" }]);
    expect((await call(queued.status_url, { auth: KEY })).body).toMatchObject({ status: "COMPLETED" });
    expect(await call(queued.response_url, { auth: KEY })).toMatchObject({
      status: 400,
      body: { detail: "Request was cancelled" },
    });

    const running = await submit(sandbox, T2V, { prompt: "p" });
    box.setClock(START + 2000);
    expect((await call(running.cancel_url, { auth: KEY, method: "PUT" })).status).toBe(202);
    box.setClock(DONE + 5000);
    expect((await call(running.response_url, { auth: KEY })).status).toBe(400);
    expect((await download(`${sandbox.cdnUrl}/files/${running.request_id}.mp4`)).status).toBe(404);

    const done = await submit(sandbox, T2V, { prompt: "p" });
    box.setClock(DONE + 10_000);
    expect((await call(done.cancel_url, { auth: KEY, method: "PUT" })).body).toEqual({
      status: "ALREADY_COMPLETED",
    });
    const unknown = await call(done.cancel_url.replace(done.request_id, "fal_nope"), {
      auth: KEY,
      method: "PUT",
    });
    expect([unknown.status, unknown.body]).toEqual([404, { status: "NOT_FOUND" }]);
  });

  it("fails with COMPLETED then a 500 {detail} result, and takes faults aimed at it", async () => {
    const sandbox = await box.open({ faults: [{ kind: "rate-limit", target: "create", dialect: "fal" }] });
    const limited = await call(`${sandbox.baseUrl("fal")}/${T2V}`, { json: { prompt: "p" }, auth: KEY });
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "1"]);
    expect(limited.body).toEqual({ detail: expect.stringContaining("rate limited") });
    const failing = await submit(sandbox, T2V, { prompt: "p [fail]" });
    box.setClock(DONE);
    expect((await call(failing.status_url, { auth: KEY })).body).toMatchObject({ status: "COMPLETED" });
    const result = await call(failing.response_url, { auth: KEY });
    expect(result.status).toBe(500);
    expect(result.body).toEqual({ detail: expect.stringContaining("[fail]") });
  });
});
