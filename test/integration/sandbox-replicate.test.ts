import { describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { describeTaskVideo, generateTaskVideo } from "../../src/sandbox/task-video.js";
import { call, DONE, download, START, usePlatformSandbox } from "../helpers/platform-sandbox.js";

const box = usePlatformSandbox();
const AUTH = "Bearer r8-test-token-0123";
const IMAGE = "https://example.com/cat.png";

interface Prediction {
  id: string;
  status: string;
  output: unknown;
  urls: { get: string; cancel: string };
  [field: string]: unknown;
}

const models = (sandbox: Sandbox, name: string) =>
  `${sandbox.baseUrl("replicate")}/v1/models/xai/${name}/predictions`;

async function create(sandbox: Sandbox, name: string, input: object, headers: Record<string, string> = {}) {
  const answer = await call(models(sandbox, name), { json: { input }, auth: AUTH, headers });
  expect(answer.status, answer.text).toBe(201);
  return answer.body as Prediction;
}

const get = async (url: string) => (await call(url, { auth: AUTH })).body as Prediction;

describe("Replicate predictions API", () => {
  it("creates (201), walks starting -> processing -> succeeded, and outputs one CDN URI", async () => {
    const sandbox = await box.open();
    const input = { prompt: "a cat", image: IMAGE, duration: 3, resolution: "480p" };
    const made = await create(sandbox, "grok-imagine-video-1.5", input);
    const base = `${sandbox.baseUrl("replicate")}/v1/predictions/${made.id}`;
    expect(made).toEqual({
      id: made.id,
      model: "xai/grok-imagine-video-1.5",
      version: "hidden",
      input,
      status: "starting",
      output: null,
      error: null,
      logs: "",
      metrics: {},
      created_at: new Date(START).toISOString(),
      started_at: null,
      completed_at: null,
      urls: { get: base, cancel: `${base}/cancel`, stream: `${base}/stream`, web: expect.any(String) },
    });
    box.setClock(START + 1500);
    expect(await get(made.urls.get)).toMatchObject({
      status: "processing",
      started_at: new Date(START + 1000).toISOString(),
    });
    box.setClock(DONE);
    const done = await get(made.urls.get);
    const url = `${sandbox.cdnUrl}/files/${made.id}.mp4`;
    expect(done).toMatchObject({ status: "succeeded", output: url, metrics: { predict_time: 2 } });
    expect(describeTaskVideo(made.id)).toMatchObject({ frames: 3 * 12 });
    const video = await download(url);
    expect([video.status, video.bytes.equals(generateTaskVideo(made.id))]).toEqual([200, true]);
    expect(sandbox.requests.filter((entry) => entry.origin === "cdn").map((entry) => entry.sentKey)).toEqual([
      false,
    ]);
    expect(sandbox.requests[0]?.headers).toMatchObject({ authorization: "Bearer [redacted]" });
  });

  it("cancels a running prediction (canceled, no output, CDN 404) and leaves a finished one as it is", async () => {
    const sandbox = await box.open();
    const made = await create(sandbox, "grok-imagine-video", { prompt: "p" });
    box.setClock(START + 2000);
    const cancel = await call(made.urls.cancel, { auth: AUTH, method: "POST" });
    expect([cancel.status, (cancel.body as Prediction).status]).toEqual([200, "canceled"]);
    box.setClock(DONE + 1000);
    expect(await get(made.urls.get)).toMatchObject({ status: "canceled", output: null });
    expect((await download(`${sandbox.cdnUrl}/files/${made.id}.mp4`)).status).toBe(404);

    const finished = await create(sandbox, "grok-imagine-video", { prompt: "p" });
    box.setClock(DONE + 5000);
    expect((await call(finished.urls.cancel, { auth: AUTH, method: "POST" })).body).toMatchObject({
      status: "succeeded",
    });
  });

  it("aborts a prediction whose Cancel-After passes while it is still starting", async () => {
    const sandbox = await box.open();
    const made = await create(sandbox, "grok-imagine-video", { prompt: "p" }, { "Cancel-After": "500ms" });
    box.setClock(DONE);
    expect(await get(made.urls.get)).toMatchObject({ status: "aborted", output: null, started_at: null });
    const bad = await call(models(sandbox, "grok-imagine-video"), {
      json: { input: { prompt: "p" } },
      auth: AUTH,
      headers: { "Cancel-After": "soon" },
    });
    expect(bad.status).toBe(400);
  });

  it("holds a Prefer: wait create until the prediction is done", async () => {
    // Real clock, 30 ms of real work: the only real wait in these tests.
    const sandbox = await box.open({ now: Date.now, timeline: { queuedMs: 10, runningMs: 20 } });
    const made = await create(
      sandbox,
      "grok-imagine-r2v",
      { prompt: "<IMAGE_0>", reference_images: [IMAGE] },
      { Prefer: "wait=5" },
    );
    expect(made).toMatchObject({ status: "succeeded", output: `${sandbox.cdnUrl}/files/${made.id}.mp4` });
    // r2v defaults: 8 s.
    expect(describeTaskVideo(made.id)).toMatchObject({ frames: 8 * 6 });
  });

  it("answers 422 problem details with invalid_fields, 401 for a wrong scheme, 402 and 429 with Retry-After", async () => {
    const sandbox = await box.open();
    const wrong = await call(models(sandbox, "grok-imagine-video-extension"), {
      json: { input: { prompt: "p", video_url: "https://example.com/a.mp4", duration: 12 } },
      auth: AUTH,
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({ title: "Input validation failed", status: 422 });
    expect((wrong.body as { invalid_fields: unknown[] }).invalid_fields).toEqual(
      expect.arrayContaining([
        { type: "required", field: "input.video", description: "video is required" },
        {
          type: "value_error",
          field: "input.duration",
          description: "duration must be an integer from 2 to 10",
        },
        { type: "extra_forbidden", field: "input.video_url", description: "unknown field video_url" },
      ]),
    );
    // Fields outside `input` are refused too: a flat body is the classic mistake.
    const flat = await call(models(sandbox, "grok-imagine-video"), { json: { prompt: "p" }, auth: AUTH });
    expect(flat.status).toBe(422);
    const token = await call(models(sandbox, "grok-imagine-video"), {
      json: { input: { prompt: "p" } },
      auth: "Token abc",
    });
    expect(token.body).toMatchObject({ title: "Unauthenticated", status: 401 });
    const broke = await call(models(sandbox, "grok-imagine-video"), {
      json: { input: { prompt: "p" } },
      auth: "Bearer nobalance",
    });
    expect(broke.body).toMatchObject({ title: "Insufficient credit", status: 402 });
    const limited = await call(models(sandbox, "grok-imagine-video"), {
      json: { input: { prompt: "[ratelimit]" } },
      auth: AUTH,
    });
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "1"]);
    expect(
      (await call(`${sandbox.baseUrl("replicate")}/v1/predictions/pred_nope`, { auth: AUTH })).status,
    ).toBe(404);
  });
});
