import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { decodeTaskId, encodeTaskId, type TaskInfo } from "../../src/sandbox/ids.js";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import { type Fault, type Sandbox, type SandboxOptions, startSandbox } from "../../src/sandbox/server.js";

const START = 1_760_000_000_000;
/** Default timeline: queued for 1 s, running for 2 s. */
const DONE = START + 3000;
const KEY = "xai-test-key-0123456789";
const PNG_DATA_URI =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAAAASUVORK5CYII=";
const INVALID_ARGUMENT = "Client specified an invalid argument";
/** 1 USD = 10^10 ticks. */
const TICKS = 10_000_000_000;

let clock = START;
const opened: Sandbox[] = [];

async function open(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox({ now: () => clock, ...options });
  opened.push(sandbox);
  return sandbox;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((sandbox) => sandbox.close()));
  clock = START;
});

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

async function call(
  url: string,
  init: { json?: unknown; key?: string | null; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key !== null) headers.Authorization = `Bearer ${init.key ?? KEY}`;
  const request: RequestInit = { headers };
  if (init.json !== undefined) {
    request.method = "POST";
    headers["Content-Type"] = "application/json";
    request.body = JSON.stringify(init.json);
  }
  const response = await fetch(url, request);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: text === "" ? undefined : JSON.parse(text),
  };
}

const created = z.strictObject({ request_id: z.string().regex(/^xai_[0-9a-z]{33}$/) });

const xai = (sandbox: Sandbox, path: string) => `${sandbox.baseUrl("xai")}/v1/videos/${path}`;

/** Creates at the current clock and returns the request id. */
async function submit(sandbox: Sandbox, endpoint: string, json: unknown, key = KEY): Promise<string> {
  const answer = await call(xai(sandbox, endpoint), { json, key });
  expect(answer.status, answer.text).toBe(200);
  return created.parse(answer.body).request_id;
}

const poll = (sandbox: Sandbox, id: string) => call(xai(sandbox, id));

const TEXT = { model: "grok-imagine-video", prompt: "a red fox in fresh snow" };

function doneBody(sandbox: Sandbox, id: string, model: string, seconds: number, usd: number) {
  return {
    request_id: id,
    status: "done",
    model,
    progress: 100,
    video: { url: `${sandbox.url}/files/${id}.mp4`, duration: seconds, respect_moderation: true },
    usage: { cost_in_usd_ticks: Math.round(usd * TICKS) },
  };
}

/** A finished video of this sandbox, made from its id alone (ids are self-describing). */
function ownVideo(sandbox: Sandbox, info: Partial<TaskInfo>): string {
  const id = encodeTaskId({ dialect: "xai", outcome: "normal", createdMs: START - 60_000, ...info });
  return `${sandbox.url}/files/${id}.mp4`;
}

describe("xai generation lifecycle", () => {
  it("answers 202 empty, then 202 pending, then 200 done, and the video downloads without the key", async () => {
    const sandbox = await open();
    const id = await submit(sandbox, "generations", TEXT);

    const queued = await poll(sandbox, id);
    expect(queued.status).toBe(202);
    expect(queued.text).toBe("");
    expect(queued.headers.get("content-length")).toBe("0");

    clock = START + 2000;
    const running = await poll(sandbox, id);
    expect(running.status).toBe(202);
    expect(running.body).toEqual({ status: "pending", progress: 50 });

    clock = DONE;
    const done = await poll(sandbox, id);
    expect(done.status).toBe(200);
    // Defaults: 8 s at 480p on the base model, $0.05 a second.
    expect(done.body).toEqual(doneBody(sandbox, id, "grok-imagine-video", 8, 0.4));

    const video = await fetch(`${sandbox.url}/files/${id}.mp4`);
    expect(video.status).toBe(200);
    expect(video.headers.get("content-type")).toBe("video/mp4");
    expect(Buffer.from(await video.arrayBuffer()).equals(generateTaskVideo(id))).toBe(true);

    expect(sandbox.requests.map((entry) => [entry.dialect, entry.status, entry.sentKey])).toEqual([
      ["xai", 200, true],
      ["xai", 202, true],
      ["xai", 202, true],
      ["xai", 200, true],
      ["files", 200, false],
    ]);
    expect(JSON.stringify(sandbox.requests)).not.toContain(KEY);
  });

  it("reports every key-like header as sentKey, never the header or its value", async () => {
    const sandbox = await open();
    const url = `${sandbox.url}/files/nothing.mp4`;
    await call(url, { key: null, headers: { "x-api-key": "secret-1" } });
    await call(url, { key: null, headers: { "api-key": "secret-2" } });
    await call(url, { key: null, headers: { "X-Auth-Token": "secret-3" } });
    await call(url, { key: null, headers: { Accept: "video/mp4" } });
    expect(sandbox.requests.map((entry) => entry.sentKey)).toEqual([true, true, true, false]);
    expect(JSON.stringify(sandbox.requests)).not.toMatch(/secret-/);
  });

  it.each([
    ["empty", undefined, undefined],
    ["bare", "bare", "bare"],
    ["status", { status: "pending", progress: 0 }, { status: "pending", progress: 50 }],
  ] as const)("xaiWaiting %s shapes every 202", async (variant, whileQueued, whileRunning) => {
    const sandbox = await open({ variants: { xaiWaiting: variant } });
    const id = await submit(sandbox, "generations", TEXT);
    const expected = (shape: unknown) => (shape === "bare" ? { request_id: id } : shape);
    const queued = await poll(sandbox, id);
    clock = START + 2000;
    const running = await poll(sandbox, id);
    expect([queued.status, running.status]).toEqual([202, 202]);
    expect(queued.body).toEqual(expected(whileQueued));
    expect(running.body).toEqual(expected(whileRunning));
    clock = DONE;
    expect((await poll(sandbox, id)).status).toBe(200);
  });

  it.each([
    ["grok-imagine-video", "720p", 15, "grok-imagine-video", 0.07 * 15],
    ["grok-imagine-video-1.5", "480p", 4, "grok-imagine-video-1.5", 0.08 * 4],
    ["grok-imagine-video-1.5", "720p", 10, "grok-imagine-video-1.5", 1.4],
    ["grok-imagine-video-1.5", "1080p", 5, "grok-imagine-video-1.5", 1.25],
    ["grok-imagine-video-1.5-preview", "1080p", 1, "grok-imagine-video-1.5", 0.25],
  ])("%s at %s for %i s costs its list price in ticks", async (model, resolution, duration, named, usd) => {
    const sandbox = await open();
    const id = await submit(sandbox, "generations", { model, prompt: "p", duration, resolution });
    clock = DONE;
    expect((await poll(sandbox, id)).body).toEqual(doneBody(sandbox, id, named, duration, usd));
  });

  it("accepts image-to-video (URL and data URI), reference images, aspect ratios, user and output", async () => {
    const sandbox = await open();
    const bodies = [
      { ...TEXT, image: { url: "https://example.com/cat.png" }, aspect_ratio: "9:16" },
      { ...TEXT, image: { url: PNG_DATA_URI }, duration: 15, user: "u-1" },
      {
        ...TEXT,
        prompt: "<IMAGE_1> meets <IMAGE_2>",
        reference_images: [{ url: "https://example.com/a.png" }, { url: PNG_DATA_URI }],
        duration: 10,
        resolution: "720p",
        output: { upload_url: "https://bucket.example.com/signed?sig=1" },
      },
    ];
    for (const body of bodies) {
      await submit(sandbox, "generations", body);
      clock += 1000;
    }
  });
});

describe("xai markers", () => {
  it("[fail] ends failed with HTTP 200 and an error object", async () => {
    const sandbox = await open();
    const id = await submit(sandbox, "generations", { ...TEXT, prompt: "fox [fail]" });
    clock = START + 2000;
    expect((await poll(sandbox, id)).status).toBe(202);
    clock = DONE;
    const failed = await poll(sandbox, id);
    expect(failed.status).toBe(200);
    expect(failed.body).toEqual({
      request_id: id,
      status: "failed",
      error: { code: "internal_error", message: "sandbox: generation failed ([fail] in prompt)" },
    });
    expect((await call(`${sandbox.url}/files/${id}.mp4`, { key: null })).status).toBe(404);
  });

  it("[never] stays pending at 50 % or less", async () => {
    const sandbox = await open();
    const id = await submit(sandbox, "generations", { ...TEXT, prompt: "fox [never]" });
    clock = START + 3_600_000;
    const answer = await poll(sandbox, id);
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ status: "pending", progress: 50 });
  });

  it("[moderated] is done with no URL and respect_moderation false, and is still billed", async () => {
    const sandbox = await open();
    const id = await submit(sandbox, "generations", { ...TEXT, prompt: "fox [moderated]", duration: 6 });
    clock = DONE;
    const done = await poll(sandbox, id);
    expect(done.status).toBe(200);
    expect(done.body).toEqual({
      ...doneBody(sandbox, id, "grok-imagine-video", 6, 0.3),
      video: { url: "", duration: 6, respect_moderation: false },
    });
    expect((await call(`${sandbox.url}/files/${id}.mp4`, { key: null })).status).toBe(404);
  });

  it("[expired] is pending until the end, then expired", async () => {
    const sandbox = await open();
    const id = await submit(sandbox, "generations", { ...TEXT, prompt: "fox [expired]" });
    clock = START + 2000;
    expect((await poll(sandbox, id)).status).toBe(202);
    clock = DONE;
    const expired = await poll(sandbox, id);
    expect(expired.status).toBe(200);
    expect(expired.body).toEqual({ request_id: id, status: "expired" });
    expect((await call(`${sandbox.url}/files/${id}.mp4`, { key: null })).status).toBe(404);
  });

  it("[ratelimit] and [error500] refuse the create in xAI's error body", async () => {
    const sandbox = await open();
    const limited = await call(xai(sandbox, "generations"), { json: { ...TEXT, prompt: "[ratelimit]" } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.body).toMatchObject({
      code: expect.stringMatching(/exhausted/),
      error: expect.any(String),
    });
    const broken = await call(xai(sandbox, "generations"), { json: { ...TEXT, prompt: "[error500]" } });
    expect(broken.status).toBe(500);
    expect(broken.body).toEqual({ code: "Internal error", error: expect.stringContaining("[error500]") });
  });
});

describe("xai edits and extensions", () => {
  it("an edit of this sandbox's own video keeps its length, caps it at 720p and bills the input", async () => {
    const sandbox = await open();
    const source = await submit(sandbox, "generations", {
      model: "grok-imagine-video-1.5",
      prompt: "a lighthouse",
      duration: 6,
      resolution: "1080p",
    });
    clock = DONE;
    const url = `${sandbox.url}/files/${source}.mp4`;
    const edit = await submit(sandbox, "edits", { prompt: "make it snow", video: { url } });
    expect(decodeTaskId(edit)).toMatchObject({
      kind: "edit",
      seconds: 6,
      resolution: "720P",
      billedSeconds: 6,
    });
    clock = DONE + 3000;
    // No model given: the base model, 6 s at its 720p price.
    expect((await poll(sandbox, edit)).body).toEqual(doneBody(sandbox, edit, "grok-imagine-video", 6, 0.42));
    const video = await fetch(`${sandbox.url}/files/${edit}.mp4`);
    expect(Buffer.from(await video.arrayBuffer()).equals(generateTaskVideo(edit))).toBe(true);
  });

  it("an edit of a foreign URL is treated as 8 s at 720p", async () => {
    const sandbox = await open();
    const json = {
      model: "grok-imagine-video-1.5",
      prompt: "p",
      video: { url: "https://vidgen.x.ai/a.mp4" },
    };
    const id = await submit(sandbox, "edits", json);
    clock = DONE;
    expect((await poll(sandbox, id)).body).toEqual(
      doneBody(sandbox, id, "grok-imagine-video-1.5", 8, 0.14 * 8),
    );
  });

  it("an extension is the whole stitched video and bills only the added seconds", async () => {
    const sandbox = await open();
    const own = ownVideo(sandbox, { seconds: 10, resolution: "480P", model: "grok-imagine-video" });
    const longer = await submit(sandbox, "extensions", {
      prompt: "keep going",
      video: { url: own },
      duration: 4,
    });
    clock += 1000;
    const foreign = await submit(sandbox, "extensions", {
      prompt: "p",
      video: { url: "https://cdn.example/v.mp4" },
    });
    clock += 3000;
    expect((await poll(sandbox, longer)).body).toEqual(
      doneBody(sandbox, longer, "grok-imagine-video", 14, 0.05 * 4),
    );
    // Default: 6 s added to the assumed 8 s foreign input, at 720p.
    expect((await poll(sandbox, foreign)).body).toEqual(
      doneBody(sandbox, foreign, "grok-imagine-video", 14, 0.42),
    );
  });
});

type Case = [name: string, endpoint: string, body: unknown, field: string];

const VALIDATION: Case[] = [
  ["no model", "generations", { prompt: "p" }, "model"],
  ["unknown model", "generations", { model: "grok-2", prompt: "p" }, "model"],
  ["no prompt", "generations", { model: "grok-imagine-video" }, "prompt"],
  ["empty prompt", "generations", { ...TEXT, prompt: "  " }, "prompt"],
  ["prompt not a string", "generations", { ...TEXT, prompt: 7 }, "prompt"],
  [
    "image without prompt",
    "generations",
    { model: "grok-imagine-video", image: { url: PNG_DATA_URI } },
    "prompt",
  ],
  ["duration 0", "generations", { ...TEXT, duration: 0 }, "duration"],
  ["duration 16", "generations", { ...TEXT, duration: 16 }, "duration"],
  ["duration 2.5", "generations", { ...TEXT, duration: 2.5 }, "duration"],
  ["duration as a string", "generations", { ...TEXT, duration: "8" }, "duration"],
  ["aspect ratio 21:9", "generations", { ...TEXT, aspect_ratio: "21:9" }, "aspect_ratio"],
  ["resolution 4k", "generations", { ...TEXT, resolution: "4k" }, "resolution"],
  ["resolution 720P in capitals", "generations", { ...TEXT, resolution: "720P" }, "resolution"],
  ["1080p on the base model", "generations", { ...TEXT, resolution: "1080p" }, "resolution"],
  ["image not an object", "generations", { ...TEXT, image: "https://example.com/a.png" }, "image"],
  ["image ftp URL", "generations", { ...TEXT, image: { url: "ftp://example.com/a.png" } }, "image"],
  ["image unknown field", "generations", { ...TEXT, image: { url: PNG_DATA_URI, detail: "high" } }, "image"],
  ["no reference images", "generations", { ...TEXT, reference_images: [] }, "reference_images"],
  [
    "8 reference images",
    "generations",
    { ...TEXT, reference_images: Array.from({ length: 8 }, () => ({ url: PNG_DATA_URI })) },
    "reference_images",
  ],
  [
    "image and reference images",
    "generations",
    { ...TEXT, image: { url: PNG_DATA_URI }, reference_images: [{ url: PNG_DATA_URI }] },
    "reference_images",
  ],
  [
    "reference images without prompt",
    "generations",
    { model: "grok-imagine-video", reference_images: [{ url: PNG_DATA_URI }] },
    "prompt",
  ],
  [
    "reference images for 11 s",
    "generations",
    { ...TEXT, reference_images: [{ url: PNG_DATA_URI }], duration: 11 },
    "duration",
  ],
  [
    "reference images at 1080p",
    "generations",
    {
      ...TEXT,
      model: "grok-imagine-video-1.5",
      reference_images: [{ url: PNG_DATA_URI }],
      resolution: "1080p",
    },
    "resolution",
  ],
  ["unknown field", "generations", { ...TEXT, seconds: 8 }, "seconds"],
  ["user not a string", "generations", { ...TEXT, user: 5 }, "user"],
  ["output without URL", "generations", { ...TEXT, output: { upload_url: "nope" } }, "output"],
  ["edit without prompt", "edits", { video: { url: "https://example.com/v.mp4" } }, "prompt"],
  ["edit without video", "edits", { prompt: "p" }, "video"],
  ["edit of a data URI", "edits", { prompt: "p", video: { url: "data:video/mp4;base64,AAAA" } }, "video"],
  [
    "edit with duration",
    "edits",
    { prompt: "p", video: { url: "https://e.x/v.mp4" }, duration: 5 },
    "duration",
  ],
  [
    "edit with ratio",
    "edits",
    { prompt: "p", video: { url: "https://e.x/v.mp4" }, aspect_ratio: "1:1" },
    "aspect_ratio",
  ],
  [
    "edit with resolution",
    "edits",
    { prompt: "p", video: { url: "https://e.x/v.mp4" }, resolution: "480p" },
    "resolution",
  ],
  ["edit unknown model", "edits", { model: "x", prompt: "p", video: { url: "https://e.x/v.mp4" } }, "model"],
  ["extension without prompt", "extensions", { video: { url: "https://e.x/v.mp4" } }, "prompt"],
  ["extension without video", "extensions", { prompt: "p" }, "video"],
  [
    "extension by 1 s",
    "extensions",
    { prompt: "p", video: { url: "https://e.x/v.mp4" }, duration: 1 },
    "duration",
  ],
  [
    "extension by 11 s",
    "extensions",
    { prompt: "p", video: { url: "https://e.x/v.mp4" }, duration: 11 },
    "duration",
  ],
  [
    "extension with ratio",
    "extensions",
    { prompt: "p", video: { url: "https://e.x/v.mp4" }, aspect_ratio: "1:1" },
    "aspect_ratio",
  ],
];

describe("xai validation", () => {
  it.each(VALIDATION)("%s: 400 in the flat body, naming the field", async (_name, endpoint, json, field) => {
    const sandbox = await open();
    const answer = await call(xai(sandbox, endpoint), { json });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ code: INVALID_ARGUMENT, error: expect.stringContaining(field) });
    expect(sandbox.requests[0]?.status).toBe(400);
  });

  it.each(VALIDATION)(
    "%s: 400 in the nested body, with the field as param",
    async (_name, endpoint, json, field) => {
      const sandbox = await open({ variants: { xaiErrors: "nested" } });
      const answer = await call(xai(sandbox, endpoint), { json });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        error: {
          message: expect.stringContaining(field),
          type: "invalid_request_error",
          param: field,
          code: "invalid_argument",
        },
      });
    },
  );

  it("refuses input videos by their length: edits over 8.7 s, extensions outside 2-15 s", async () => {
    const sandbox = await open();
    const video = (seconds: number) => ({ url: ownVideo(sandbox, { seconds, resolution: "720P" }) });
    const jimmyai = encodeTaskId({
      dialect: "jimmyai",
      outcome: "normal",
      createdMs: START - 60_000,
      seconds: 10,
    });
    const refused: [string, unknown][] = [
      ["edits", { prompt: "p", video: video(9) }],
      ["edits", { prompt: "p", video: { url: `${sandbox.url}/files/${jimmyai}.mp4` } }],
      ["extensions", { prompt: "p", video: video(1) }],
      ["extensions", { prompt: "p", video: video(16) }],
      // This sandbox's URL of a video that does not exist (yet): nothing to edit.
      ["edits", { prompt: "p", video: { url: `${sandbox.url}/files/xai_nothing.mp4` } }],
      ["extensions", { prompt: "p", video: { url: ownVideo(sandbox, { seconds: 6, outcome: "fail" }) } }],
    ];
    for (const [endpoint, json] of refused) {
      const answer = await call(xai(sandbox, endpoint), { json });
      expect(answer.status, JSON.stringify(json)).toBe(400);
      expect(answer.body).toEqual({ code: INVALID_ARGUMENT, error: expect.stringContaining("video") });
    }
    // The limits themselves pass.
    await submit(sandbox, "edits", { prompt: "p", video: video(8) });
    clock += 1000;
    await submit(sandbox, "extensions", { prompt: "p", video: video(2) });
    clock += 1000;
    await submit(sandbox, "extensions", { prompt: "p", video: video(15) });
  });

  it("refuses a body that is not JSON or not an object", async () => {
    const sandbox = await open();
    const answer = await fetch(xai(sandbox, "generations"), {
      method: "POST",
      headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ code: INVALID_ARGUMENT, error: expect.stringMatching(/JSON/) });
    const list = await call(xai(sandbox, "generations"), { json: [TEXT] });
    expect(list.status).toBe(400);
  });
});

describe("xai pacing: one create per second per key", () => {
  it("refuses a create within 1000 ms of the last accepted one with 429, and accepts it after", async () => {
    const sandbox = await open();
    await submit(sandbox, "generations", TEXT);
    clock += 999;
    const tooSoon = await call(xai(sandbox, "edits"), {
      json: { prompt: "p", video: { url: "https://e.x/v.mp4" } },
    });
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.headers.get("retry-after")).toBe("1");
    expect(tooSoon.body).toEqual({
      code: expect.stringContaining("resource has been exhausted"),
      error: expect.stringContaining("1 request per second"),
    });
    // Another key has its own budget; polls and downloads are not counted.
    await submit(sandbox, "generations", TEXT, "another-key");
    await poll(sandbox, "xai_whatever");
    await call(`${sandbox.url}/files/nothing.mp4`);
    clock += 1;
    await submit(sandbox, "extensions", { prompt: "p", video: { url: "https://e.x/v.mp4" } });

    const creates = sandbox.requests.filter((entry) => entry.method === "POST");
    expect(creates.map((entry) => [entry.atMs, entry.status])).toEqual([
      [START, 200],
      [START + 999, 429],
      [START + 999, 200],
      [START + 1000, 200],
    ]);
    expect(sandbox.requests.every((entry) => typeof entry.atMs === "number")).toBe(true);
  });

  it("only accepted creates start the interval: a refused one does not", async () => {
    const sandbox = await open();
    expect((await call(xai(sandbox, "generations"), { json: { prompt: "p" } })).status).toBe(400);
    await submit(sandbox, "generations", TEXT);
    clock += 500;
    expect((await call(xai(sandbox, "generations"), { json: TEXT })).status).toBe(429);
    clock += 500;
    await submit(sandbox, "generations", TEXT);
  });
});

describe("xai errors, auth and faults", () => {
  it("answers a wrong key, an unknown id and a foreign id in the flat body", async () => {
    const sandbox = await open();
    const noKey = await call(xai(sandbox, "generations"), { json: TEXT, key: null });
    expect(noKey.status).toBe(401);
    expect(noKey.body).toEqual({
      code: INVALID_ARGUMENT,
      error: expect.stringMatching(/^Incorrect API key provided/),
    });
    const apimartId = encodeTaskId({ dialect: "apimart", outcome: "normal", createdMs: START });
    for (const id of ["xai_0123", apimartId]) {
      const missing = await poll(sandbox, id);
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({
        code: "Some requested entity was not found",
        error: expect.stringContaining(id),
      });
    }
    expect((await call(`${sandbox.baseUrl("xai")}/v1/balance`)).status).toBe(404);
  });

  it("answers in the nested body when asked", async () => {
    const sandbox = await open({ variants: { xaiErrors: "nested" } });
    const invalid = await call(xai(sandbox, "xai_0123"), { key: "invalid-key" });
    expect(invalid.status).toBe(401);
    expect(invalid.body).toEqual({
      error: {
        message: expect.stringMatching(/^Incorrect API key provided/),
        type: "authentication_error",
        param: null,
        code: "invalid_api_key",
      },
    });
    const missing = await poll(sandbox, "xai_0123");
    expect(missing.body).toMatchObject({ error: { type: "invalid_request_error", code: "not_found" } });
  });

  it("renders fault answers in xAI's shape and applies rekey, echo-key and never-finish to its tasks", async () => {
    const faults: Fault[] = [
      { kind: "rate-limit", target: "create", retryAfter: 7 },
      { kind: "server-error", target: "query", status: 503 },
      { kind: "rekey", target: "query" },
      { kind: "echo-key", target: "query" },
      { kind: "never-finish", target: "create" },
    ];
    const sandbox = await open({ faults });
    const limited = await call(xai(sandbox, "generations"), { json: TEXT });
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "7"]);
    expect(limited.body).toEqual({ code: expect.stringContaining("exhausted"), error: expect.any(String) });
    const id = await submit(sandbox, "generations", { ...TEXT, prompt: "[moderated] but hangs" });
    clock = DONE;
    const unavailable = await poll(sandbox, id);
    expect(unavailable.status).toBe(503);
    expect(unavailable.body).toEqual({
      code: "The service is currently unavailable",
      error: expect.any(String),
    });
    // never-finish won over the [moderated] marker: the task is still pending, so rekey has no id to change.
    expect(await poll(sandbox, id)).toMatchObject({ status: 202, body: { status: "pending" } });
    const echoed = await poll(sandbox, id);
    expect(echoed.body).toMatchObject({
      request_id: id,
      status: "failed",
      error: { code: "internal_error" },
    });
    expect(echoed.text).toContain(KEY);
  });

  it("rekeys the request_id of a done answer and cuts malformed JSON before the id", async () => {
    const sandbox = await open({
      faults: [
        { kind: "malformed-json", target: "create" },
        { kind: "rekey", target: "query" },
      ],
    });
    const cut = await call(xai(sandbox, "generations"), { json: TEXT }).catch(() => undefined);
    expect(cut).toBeUndefined();
    expect(sandbox.requests[0]).toMatchObject({ status: 200, fault: "malformed-json" });
    clock += 1000;
    const id = await submit(sandbox, "generations", TEXT);
    clock += 3000;
    expect((await poll(sandbox, id)).body).toMatchObject({ request_id: `rekeyed_${id}`, status: "done" });
  });

  it("serves xai videos through the files route with its download faults", async () => {
    const sandbox = await open({ faults: [{ kind: "wrong-type", target: "download", dialect: "xai" }] });
    const id = await submit(sandbox, "generations", TEXT);
    clock = DONE;
    const page = await fetch(`${sandbox.url}/files/${id}.mp4`);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    await page.arrayBuffer();
    const video = await fetch(`${sandbox.url}/files/${id}.mp4`, { headers: { Range: "bytes=0-99" } });
    expect(video.status).toBe(206);
    expect(Buffer.from(await video.arrayBuffer()).equals(generateTaskVideo(id).subarray(0, 100))).toBe(true);
  });
});

describe("xai task ids", () => {
  it("round-trip kind, model and billed seconds; other dialects keep their 31-char bodies", () => {
    const info: TaskInfo = {
      dialect: "xai",
      outcome: "moderated",
      createdMs: START,
      model: "grok-imagine-video-1.5",
      seconds: 16,
      resolution: "720P",
      kind: "extension",
      billedSeconds: 6,
    };
    const id = encodeTaskId(info);
    expect(id).toMatch(/^xai_[0-9a-z]{33}$/);
    expect(decodeTaskId(id)).toEqual(info);
    expect(decodeTaskId(id, "xai")).toEqual(info);
    expect(decodeTaskId(id, "duoyuanx")).toBeUndefined();
    expect(decodeTaskId(`${id.slice(0, -5)}x${id.slice(-4)}`)).toBeUndefined();
    const duo = encodeTaskId({ dialect: "duoyuanx", outcome: "normal", createdMs: START, seconds: 6 });
    expect(duo).toMatch(/^video_[0-9a-z]{31}$/);
    expect(decodeTaskId(duo)).toEqual({
      dialect: "duoyuanx",
      outcome: "normal",
      createdMs: START,
      seconds: 6,
    });
  });
});
