import { describe, expect, it } from "vitest";
import { describeDialects, PLATFORM_DIALECTS } from "../../src/sandbox/index.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { describeTaskVideo, generateTaskVideo } from "../../src/sandbox/task-video.js";
import { call, DONE, download, START, usePlatformSandbox } from "../helpers/platform-sandbox.js";

const box = usePlatformSandbox();
const AUTH = "Bearer aiml-test-0123";
const generations = (sandbox: Sandbox) => `${sandbox.baseUrl("aimlapi")}/v2/video/generations`;
const poll = (sandbox: Sandbox, id: string) =>
  call(`${generations(sandbox)}?generation_id=${encodeURIComponent(id)}`, { auth: AUTH });

async function create(sandbox: Sandbox, body: object): Promise<string> {
  const answer = await call(generations(sandbox), { json: body, auth: AUTH });
  expect(answer.status, answer.text).toBe(200);
  const { id, status } = answer.body as { id: string; status: string };
  expect(status).toBe("queued");
  return id;
}

describe("AIML API video generations", () => {
  it("walks queued -> generating -> completed with a CDN video and the exact cost in meta.usage", async () => {
    const sandbox = await box.open();
    const id = await create(sandbox, {
      model: "x-ai/grok-imagine-video-1.5-preview",
      prompt: "a cat",
      image_url: "https://example.com/a.png",
      resolution: "480p",
    });
    const empty = { credits_used: 0, usd_spent: 0 };
    expect((await poll(sandbox, id)).body).toEqual({
      id,
      status: "queued",
      video: null,
      error: null,
      meta: { usage: empty },
    });
    box.setClock(START + 2000);
    expect((await poll(sandbox, id)).body).toMatchObject({ status: "generating", video: null });
    box.setClock(DONE);
    const url = `${sandbox.cdnUrl}/files/${id}.mp4`;
    // Default 10 s at 480p on 1.5: $0.08 a second.
    expect((await poll(sandbox, id)).body).toEqual({
      id,
      status: "completed",
      video: { url },
      error: null,
      meta: { usage: { credits_used: 800, usd_spent: 0.8 } },
    });
    expect(describeTaskVideo(id)).toMatchObject({ frames: 10 * 6 });
    const video = await download(url);
    expect([video.status, video.bytes.equals(generateTaskVideo(id))]).toEqual([200, true]);
    expect(sandbox.requests.filter((entry) => entry.origin === "cdn").map((entry) => entry.sentKey)).toEqual([
      false,
    ]);
    expect(sandbox.requests[0]?.headers).toMatchObject({ authorization: "Bearer [redacted]" });
    expect(sandbox.requests[0]?.body).toMatchObject({ model: "x-ai/grok-imagine-video-1.5-preview" });
  });

  it("reports a failed generation as error with {name, message}", async () => {
    const sandbox = await box.open();
    const id = await create(sandbox, { model: "x-ai/grok-imagine-video", prompt: "p [fail]" });
    box.setClock(DONE);
    expect((await poll(sandbox, id)).body).toMatchObject({
      status: "error",
      video: null,
      error: { name: "GenerationError", message: expect.stringContaining("[fail]") },
    });
  });

  it("refuses wrong fields, both image inputs, a missing generation_id, unknown ids and missing keys", async () => {
    const sandbox = await box.open();
    // frame_images is OpenRouter's name; AIML API wants image_url.
    const wrong = await call(generations(sandbox), {
      json: { model: "x-ai/grok-imagine-video", prompt: "p", frame_images: [] },
      auth: AUTH,
    });
    expect([wrong.status, wrong.body]).toEqual([
      400,
      { statusCode: 400, message: "unknown field frame_images", error: "Bad Request" },
    ]);
    const both = await call(generations(sandbox), {
      json: {
        model: "x-ai/grok-imagine-video",
        prompt: "p",
        image_url: "https://example.com/a.png",
        reference_images: ["https://example.com/b.png"],
      },
      auth: AUTH,
    });
    expect(both.status).toBe(400);
    const long = await call(generations(sandbox), {
      json: { model: "x-ai/grok-imagine-video", prompt: "p", duration: 16 },
      auth: AUTH,
    });
    expect(long.body).toMatchObject({ message: "duration must be an integer from 1 to 15" });
    expect((await call(generations(sandbox), { auth: AUTH })).status).toBe(400);
    expect((await poll(sandbox, "aiml_nope")).status).toBe(404);
    const anonymous = await call(generations(sandbox), {
      json: { model: "x-ai/grok-imagine-video", prompt: "p" },
    });
    expect(anonymous.body).toMatchObject({ statusCode: 401 });
  });

  it("takes query faults in its own error shape", async () => {
    const sandbox = await box.open({ faults: [{ kind: "rate-limit", target: "query", dialect: "aimlapi" }] });
    const id = await create(sandbox, { model: "x-ai/grok-imagine-video", prompt: "p" });
    const limited = await poll(sandbox, id);
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "1"]);
    expect(limited.body).toMatchObject({ statusCode: 429, error: "Too Many Requests" });
  });
});

describe("grokvid sandbox --help", () => {
  it("lists the four platforms among the dialects", () => {
    // The help text is built from this table; a dialect missing from it would be invisible to users.
    const help = describeDialects();
    for (const dialect of PLATFORM_DIALECTS) expect(help).toMatch(new RegExp(`^  ${dialect} +\\S`, "m"));
  });
});
