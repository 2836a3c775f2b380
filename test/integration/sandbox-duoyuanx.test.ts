import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";

const START = 1_760_000_000_000;
const KEY = "sk-duo-test";
// A real 1x1 PNG, so the upload is a genuine image file with bytes a text parser would mangle.
const PNG_BYTES = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

let clock = START;
let sandbox: Sandbox;
let base = "";

beforeEach(async () => {
  clock = START;
  sandbox = await startSandbox({ now: () => clock });
  base = `${sandbox.baseUrl("duoyuanx")}/v1/videos`;
});

afterEach(async () => {
  await sandbox.close();
});

function buildForm(fields: Record<string, string>, files: [string, Blob, string][] = []): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const [name, blob, filename] of files) form.append(name, blob, filename);
  return form;
}

const png = () => new Blob([PNG_BYTES], { type: "image/png" });

async function submit(form: FormData, key: string | null = KEY) {
  const response = await fetch(base, {
    method: "POST",
    headers: key === null ? {} : { Authorization: `Bearer ${key}` },
    body: form,
  });
  const body: unknown = await response.json();
  return { status: response.status, body };
}

async function getJson(url: string, key: string | null = KEY) {
  const response = await fetch(url, key === null ? {} : { headers: { Authorization: `Bearer ${key}` } });
  const body: unknown = await response.json();
  return { status: response.status, body };
}

const createdVideo = z.object({
  id: z.string(),
  status: z.literal("queued"),
  seconds: z.string(),
  size: z.string(),
});

describe("duoyuanx multipart models", () => {
  it("creates a grok-video-1.5-pro task from multipart with an input_reference file and logs a summary", async () => {
    const form = buildForm(
      { model: "grok-video-1.5-pro", prompt: "让参考图中的人物缓慢转身", seconds: "10", size: "1080P" },
      [["input_reference", png(), "ref.png"]],
    );
    const created = await submit(form);
    expect(created.status).toBe(200);
    const video = createdVideo.parse(created.body);
    expect(created.body).toEqual({
      id: video.id,
      object: "video",
      model: "grok-video-1.5-pro",
      status: "queued",
      progress: 0,
      created_at: START / 1000,
      seconds: "10",
      size: "1080P",
      video_url: "",
    });
    const entry = sandbox.requests[0];
    expect(entry?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(entry?.body).toEqual({
      model: "grok-video-1.5-pro",
      prompt: "让参考图中的人物缓慢转身",
      seconds: "10",
      size: "1080P",
      input_reference: { filename: "ref.png", size: PNG_BYTES.length, type: "image/png" },
    });
    expect(JSON.stringify(sandbox.requests)).not.toContain(KEY);
  });

  it("keeps video_url empty when completed, so clients fall back to /content", async () => {
    const video = createdVideo.parse(
      (await submit(buildForm({ model: "grok-video-1.5-max", prompt: "a lighthouse at dusk" }))).body,
    );
    expect(video).toMatchObject({ seconds: "15", size: "720P" });
    clock = START + 3000;
    const done = await getJson(`${base}/${video.id}`);
    expect(done.body).toMatchObject({
      status: "completed",
      progress: 100,
      model: "grok-video-1.5-max",
      video_url: "",
    });
    const content = await fetch(`${base}/${video.id}/content`, {
      headers: { Authorization: `Bearer ${KEY}` },
    });
    expect(content.status).toBe(200);
    expect(content.headers.get("content-type")).toBe("video/mp4");
    expect(Buffer.from(await content.arrayBuffer()).equals(generateTaskVideo(video.id))).toBe(true);
  });

  it("defaults grok-video-1.5 to 6 s and accepts a lower-case size", async () => {
    const created = await submit(buildForm({ model: "grok-video-1.5", prompt: "rain", size: "540p" }));
    expect(created.body).toMatchObject({ seconds: "6", size: "540P" });
  });

  const invalid: [string, FormData, string][] = [
    ["seconds 15 for pro", buildForm({ model: "grok-video-1.5-pro", prompt: "p", seconds: "15" }), "seconds"],
    ["seconds 10 for max", buildForm({ model: "grok-video-1.5-max", prompt: "p", seconds: "10" }), "seconds"],
    [
      "seconds 8 for grok-video-1.5",
      buildForm({ model: "grok-video-1.5", prompt: "p", seconds: "8" }),
      "seconds",
    ],
    ["size 2K", buildForm({ model: "grok-video-1.5", prompt: "p", size: "2K" }), "size"],
    ["a missing prompt", buildForm({ model: "grok-video-1.5" }), "prompt"],
    [
      "a text/plain input_reference",
      buildForm({ model: "grok-video-1.5", prompt: "p" }, [
        ["input_reference", new Blob(["hi"], { type: "text/plain" }), "a.txt"],
      ]),
      "input_reference",
    ],
    [
      "two input_reference files",
      buildForm({ model: "grok-video-1.5", prompt: "p" }, [
        ["input_reference", png(), "a.png"],
        ["input_reference", png(), "b.png"],
      ]),
      "input_reference",
    ],
    [
      "a file in another field",
      buildForm({ model: "grok-video-1.5", prompt: "p" }, [["image", png(), "a.png"]]),
      "input_reference",
    ],
    [
      "input_reference sent as text",
      buildForm({ model: "grok-video-1.5", prompt: "p", input_reference: "https://example.com/a.png" }),
      "input_reference",
    ],
    [
      "the preview model as multipart",
      buildForm({ model: "grok-imagine-video-1.5-preview", prompt: "p" }),
      "model",
    ],
    ["no model", buildForm({ prompt: "p" }), "model"],
  ];
  for (const [label, form, param] of invalid) {
    it(`rejects ${label} with new-api 400 (param ${param})`, async () => {
      const answer = await submit(form);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        error: { message: expect.any(String), type: "new_api_error", param, code: "invalid_request" },
      });
    });
  }

  it("rejects a malformed multipart body", async () => {
    const response = await fetch(base, {
      method: "POST",
      headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "multipart/form-data; boundary=xyz" },
      body: '--xyz\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nno closing boundary',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { type: "new_api_error", code: "invalid_request" },
    });
  });

  it("checks auth before reading the form", async () => {
    const answer = await submit(buildForm({ model: "grok-video-1.5", prompt: "p" }), null);
    expect(answer.status).toBe(401);
  });
});

describe("duoyuanx /v1/videos/{id}/content", () => {
  async function createPreview(prompt = "neon street") {
    const response = await fetch(base, {
      method: "POST",
      headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify({ model: "grok-imagine-video-1.5-preview", prompt, seconds: "6" }),
    });
    return createdVideo.parse(await response.json()).id;
  }

  it("answers 400 with the current status before completion, then serves the mp4 with Range", async () => {
    const id = await createPreview();
    const content = `${base}/${id}/content`;
    expect(await getJson(content)).toEqual({
      status: 400,
      body: {
        error: { message: "Task is not completed yet, current status: queued", type: "new_api_error" },
      },
    });
    clock = START + 1500;
    expect((await getJson(content)).body).toMatchObject({
      error: { message: "Task is not completed yet, current status: processing" },
    });
    clock = START + 3000;
    const whole = generateTaskVideo(id);
    const full = await fetch(content, { headers: { Authorization: `Bearer ${KEY}` } });
    expect(full.status).toBe(200);
    expect(full.headers.get("content-length")).toBe(String(whole.length));
    expect(Buffer.from(await full.arrayBuffer()).equals(whole)).toBe(true);
    const ranged = await fetch(content, { headers: { Authorization: `Bearer ${KEY}`, Range: "bytes=0-7" } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-range")).toBe(`bytes 0-7/${whole.length}`);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(whole.subarray(0, 8))).toBe(true);
    const head = await fetch(content, { method: "HEAD", headers: { Authorization: `Bearer ${KEY}` } });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(whole.length));
  });

  it("requires the Bearer key", async () => {
    const id = await createPreview();
    clock = START + 3000;
    const answer = await getJson(`${base}/${id}/content`, null);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error: { type: "new_api_error", code: "invalid_api_key" } });
    expect((await getJson(`${base}/${id}/content`, "sk-forbidden")).status).toBe(403);
  });

  it("refuses a failed task with 400 and an unknown one with 404", async () => {
    const id = await createPreview("[fail] oops");
    clock = START + 3000;
    expect((await getJson(`${base}/${id}/content`)).body).toMatchObject({
      error: { message: "Task is not completed yet, current status: failed" },
    });
    const unknown = await getJson(`${base}/video_doesnotexist/content`);
    expect(unknown.status).toBe(404);
  });

  it("answers an unknown task id on the query route with new-api's 400 task_not_exist", async () => {
    expect(await getJson(`${base}/video_doesnotexist`)).toEqual({
      status: 400,
      body: { error: { message: "task_not_exist", type: "new_api_error", code: "task_not_exist" } },
    });
  });
});
