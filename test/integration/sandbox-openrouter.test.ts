import { describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { describeTaskVideo, generateTaskVideo } from "../../src/sandbox/task-video.js";
import { call, DONE, download, START, usePlatformSandbox } from "../helpers/platform-sandbox.js";

const box = usePlatformSandbox();
const AUTH = "Bearer sk-or-test-0123";
const api = (sandbox: Sandbox, path: string) => `${sandbox.baseUrl("openrouter")}/v1/${path}`;
const BODY = {
  model: "x-ai/grok-imagine-video-1.5-lite",
  prompt: "a cat",
  duration: 5,
  resolution: "720p",
  aspect_ratio: "9:16",
  seed: 7,
  frame_images: [
    { type: "image_url", image_url: { url: "https://example.com/a.png" }, frame_type: "first_frame" },
  ],
  input_references: [{ type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } }],
  callback_url: "https://example.com/hook",
};

async function create(sandbox: Sandbox, body: object): Promise<{ id: string; polling_url: string }> {
  const answer = await call(api(sandbox, "videos"), { json: body, auth: AUTH });
  expect(answer.status, answer.text).toBe(200);
  return answer.body as { id: string; polling_url: string };
}

describe("OpenRouter videos API", () => {
  it("creates pending, polls in_progress then completed with unsigned CDN URLs and an exact cost", async () => {
    const sandbox = await box.open();
    const made = await create(sandbox, BODY);
    expect(made).toEqual({ id: made.id, polling_url: api(sandbox, `videos/${made.id}`), status: "pending" });
    expect((await call(made.polling_url, { auth: AUTH })).body).toEqual({
      id: made.id,
      status: "pending",
      generation_id: `gen-${made.id}`,
    });
    box.setClock(START + 2000);
    expect((await call(made.polling_url, { auth: AUTH })).body).toMatchObject({ status: "in_progress" });
    box.setClock(DONE);
    const url = `${sandbox.cdnUrl}/files/${made.id}.mp4`;
    // 5 s at 720p, 1.5's price: $0.14 a second.
    expect((await call(made.polling_url, { auth: AUTH })).body).toEqual({
      id: made.id,
      status: "completed",
      generation_id: `gen-${made.id}`,
      unsigned_urls: [url],
      usage: { cost: 0.7, is_byok: false },
    });
    expect(describeTaskVideo(made.id)).toMatchObject({
      frames: 5 * 12,
      display: { width: 720, height: 1280 },
    });
    const video = generateTaskVideo(made.id);
    expect((await download(url)).bytes.equals(video)).toBe(true);
    // The same bytes through the API, which wants the key.
    const content = await fetch(api(sandbox, `videos/${made.id}/content?index=0`), {
      headers: { Authorization: AUTH },
    });
    expect([content.status, content.headers.get("content-type")]).toEqual([200, "video/mp4"]);
    expect(Buffer.from(await content.arrayBuffer()).equals(video)).toBe(true);
    const keys = sandbox.requests.map((entry) => [entry.origin, entry.sentKey]);
    expect(keys.filter(([origin]) => origin === "cdn")).toEqual([["cdn", false]]);
    expect(sandbox.requests[0]?.headers).toMatchObject({ authorization: "Bearer [redacted]" });
  });

  it("reports failed with an error string, expired, and no cancel route", async () => {
    const sandbox = await box.open();
    const failing = await create(sandbox, { model: "x-ai/grok-imagine-video", prompt: "p [fail]" });
    const expiring = await create(sandbox, { model: "x-ai/grok-imagine-video", prompt: "p [expired]" });
    box.setClock(DONE);
    expect((await call(failing.polling_url, { auth: AUTH })).body).toMatchObject({
      status: "failed",
      error: expect.stringContaining("[fail]"),
    });
    expect((await call(expiring.polling_url, { auth: AUTH })).body).toMatchObject({ status: "expired" });
    expect((await call(`${expiring.polling_url}/content`, { auth: AUTH })).status).toBe(404);
    expect((await call(`${failing.polling_url}/cancel`, { auth: AUTH, method: "POST" })).status).toBe(404);
  });

  it("answers {error:{code,message,metadata}}: 400 for a wrong field, 401 without a key, 402 without credit", async () => {
    const sandbox = await box.open();
    // image_url is AIML API's and fal's name; OpenRouter wants frame_images.
    const wrong = await call(api(sandbox, "videos"), {
      json: { model: "x-ai/grok-imagine-video", prompt: "p", image_url: "https://example.com/a.png" },
      auth: AUTH,
    });
    expect([wrong.status, wrong.body]).toEqual([
      400,
      { error: { code: 400, message: "unknown field image_url", metadata: { param: "image_url" } } },
    ]);
    const hd = await call(api(sandbox, "videos"), {
      json: { model: "x-ai/grok-imagine-video", prompt: "p", resolution: "1080p" },
      auth: AUTH,
    });
    expect(hd.status).toBe(400);
    expect((await call(api(sandbox, "videos"), { json: BODY })).body).toMatchObject({ error: { code: 401 } });
    const broke = await call(api(sandbox, "videos"), { json: BODY, auth: "Bearer nobalance" });
    expect(broke.body).toMatchObject({ error: { code: 402 } });
  });

  it("tells the credits, and lists its models without a key", async () => {
    const sandbox = await box.open();
    expect((await call(api(sandbox, "credits"), { auth: AUTH })).body).toEqual({
      data: { total_credits: 100, total_usage: 12.5 },
    });
    const models = await call(api(sandbox, "videos/models"));
    expect(models.status).toBe(200);
    expect(models.body).toMatchObject({
      data: expect.arrayContaining([expect.objectContaining({ id: "x-ai/grok-imagine-video" })]),
    });
  });

  it("takes a download fault on the content route", async () => {
    const sandbox = await box.open({
      faults: [{ kind: "server-error", target: "download", dialect: "openrouter" }],
    });
    const made = await create(sandbox, BODY);
    box.setClock(DONE);
    const content = await call(`${made.polling_url}/content?index=0`, { auth: AUTH });
    expect([content.status, content.body]).toEqual([
      500,
      { error: { code: 500, message: expect.any(String), metadata: {} } },
    ]);
  });
});
