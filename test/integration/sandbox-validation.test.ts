import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, type SandboxDialect, startSandbox } from "../../src/sandbox/server.js";

const START = 1_760_000_000_000;
const PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const GIF = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==";

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await startSandbox({ now: () => START });
});

afterEach(async () => {
  await sandbox.close();
});

async function post(dialectPath: string, json: unknown, key: string | null = "sk-ok", raw?: string) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (key !== null) headers.Authorization = `Bearer ${key}`;
  const response = await fetch(`${sandbox.url}${dialectPath}`, {
    method: "POST",
    headers,
    body: raw ?? JSON.stringify(json),
  });
  const body: unknown = await response.json();
  return { status: response.status, headers: response.headers, body };
}

async function get(dialectPath: string, key: string | null = "sk-ok") {
  const response = await fetch(
    `${sandbox.url}${dialectPath}`,
    key === null ? {} : { headers: { Authorization: `Bearer ${key}` } },
  );
  const body: unknown = await response.json();
  return { status: response.status, body };
}

const CREATE = {
  apimart: "/apimart/v1/videos/generations",
  xcompute: "/xcompute/v1/videos/generations",
  jimmyai: "/jimmyai/api/open-api/v1/grok/videos",
  duoyuanx: "/duoyuanx/v1/videos",
} as const satisfies Record<SandboxDialect, string>;

const QUERY = {
  apimart: "/apimart/v1/tasks/",
  xcompute: "/xcompute/v1/tasks/",
  jimmyai: "/jimmyai/api/open-api/v1/videos/",
  duoyuanx: "/duoyuanx/v1/videos/",
} as const satisfies Record<SandboxDialect, string>;

const VALID = {
  apimart: {
    model: "grok-imagine-1.5-video-apimart",
    prompt: "a dog on the beach",
    size: "16:9",
    duration: 6,
  },
  xcompute: {
    model: "grok-imagine-1.0-video-apimart",
    prompt: "a dog on the beach",
    duration: 6,
    quality: "720p",
  },
  jimmyai: {
    model: "grok-imagine-video-1.5",
    prompt: "tea",
    duration: 10,
    image_urls: ["https://example.com/cup.jpg"],
  },
  duoyuanx: {
    model: "grok-imagine-video-1.5-preview",
    prompt: "neon",
    seconds: "8",
    aspect_ratio: "16:9",
    resolution: "720P",
  },
} as const;

function apimartError(status: number, type: string) {
  return { error: { code: status, message: expect.any(String), type } };
}
function jimmyaiError(code: string) {
  return { code, msg: expect.any(String), data: null };
}
function newApiError(code: string) {
  return { error: { message: expect.any(String), type: "new_api_error", code } };
}

describe("apimart and xcompute validation", () => {
  const cases: [string, Record<string, unknown>][] = [
    ["duration as a quoted string", { duration: "6" }],
    ["duration below 6", { duration: 5 }],
    ["duration above 30", { duration: 31 }],
    ["fractional duration", { duration: 6.5 }],
    ["unknown size", { size: "4:3" }],
    ["unknown quality", { quality: "1080p" }],
    ["8 image urls", { image_urls: Array.from({ length: 8 }, (_, i) => `https://example.com/${i}.png`) }],
    ["a data URI image", { image_urls: [PNG] }],
    ["image_urls not an array", { image_urls: "https://example.com/a.png" }],
    ["empty prompt", { prompt: "  " }],
    ["missing prompt", { prompt: undefined }],
    ["the other gateway's model", { model: "grok-imagine-1.0-video-apimart" }],
  ];
  for (const [label, patch] of cases) {
    it(`apimart rejects ${label} with 400 invalid_request_error`, async () => {
      const answer = await post(CREATE.apimart, { ...VALID.apimart, ...patch });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(apimartError(400, "invalid_request_error"));
    });
  }

  it("names the problem in the message", async () => {
    const answer = await post(CREATE.apimart, { ...VALID.apimart, duration: "6" });
    expect(answer.body).toMatchObject({ error: { message: expect.stringContaining("duration") } });
  });

  it("accepts 7 public image urls, 30 s and ignores unknown fields", async () => {
    const images = Array.from({ length: 7 }, (_, i) => `https://example.com/${i}.png`);
    const answer = await post(CREATE.apimart, {
      ...VALID.apimart,
      image_urls: images,
      duration: 30,
      extra: true,
    });
    expect(answer.status).toBe(200);
  });

  it("xcompute applies the same rules with its own model", async () => {
    expect((await post(CREATE.xcompute, VALID.xcompute)).status).toBe(200);
    const wrongModel = await post(CREATE.xcompute, {
      ...VALID.xcompute,
      model: "grok-imagine-1.5-video-apimart",
    });
    expect(wrongModel.status).toBe(400);
    expect(wrongModel.body).toEqual(apimartError(400, "invalid_request_error"));
    expect((await post(CREATE.xcompute, { ...VALID.xcompute, duration: "6" })).status).toBe(400);
  });

  it("rejects malformed JSON and a non-object body", async () => {
    expect((await post(CREATE.apimart, null, "sk-ok", "{not json")).body).toEqual(
      apimartError(400, "invalid_request_error"),
    );
    expect((await post(CREATE.apimart, [VALID.apimart])).status).toBe(400);
  });
});

describe("jimmyai validation", () => {
  const cases: [string, Record<string, unknown>][] = [
    ["no image at all", { image_urls: undefined }],
    ["two image_urls", { image_urls: ["https://example.com/a.jpg", "https://example.com/b.jpg"] }],
    [
      "an empty image_urls and two images",
      { image_urls: [], images: ["https://e.com/a.jpg", "https://e.com/b.jpg"] },
    ],
    ["a non-http image", { image_urls: ["ftp://example.com/a.jpg"] }],
    ["a data URI image", { image_urls: [PNG] }],
    ["duration 12", { duration: 12 }],
    ["duration as a string", { duration: "10" }],
    ["ratio 4:3", { ratio: "4:3" }],
    ["orientation sideways", { orientation: "sideways" }],
    ["an unknown model", { model: "grok-imagine-video-1.0" }],
    ["a missing prompt", { prompt: undefined }],
  ];
  for (const [label, patch] of cases) {
    it(`rejects ${label} with 400 code 40000`, async () => {
      const answer = await post(CREATE.jimmyai, { ...VALID.jimmyai, ...patch });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(jimmyaiError("40000"));
    });
  }

  it("normalizes aliases, uses images only as a fallback and accepts orientation", async () => {
    const alias = await post(CREATE.jimmyai, { ...VALID.jimmyai, model: "grok_1_5", duration: 15 });
    expect(alias.body).toMatchObject({ code: "20000", data: { model: "grok-imagine-video-1.5" } });
    const fallback = await post(CREATE.jimmyai, {
      ...VALID.jimmyai,
      image_urls: [],
      images: ["https://e.com/a.jpg"],
    });
    expect(fallback.status).toBe(200);
    const ignored = await post(CREATE.jimmyai, {
      ...VALID.jimmyai,
      images: ["https://e.com/a", "https://e.com/b"],
    });
    expect(ignored.status).toBe(200);
    const oriented = await post(CREATE.jimmyai, { ...VALID.jimmyai, ratio: "", orientation: "portrait" });
    expect(oriented.status).toBe(200);
  });
});

describe("duoyuanx JSON validation", () => {
  it("answers a missing prompt with the exact S1 400 body", async () => {
    const answer = await post(CREATE.duoyuanx, { ...VALID.duoyuanx, prompt: undefined });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: {
        message: "prompt is required",
        type: "new_api_error",
        param: "prompt",
        code: "invalid_request",
      },
    });
  });

  const cases: [string, Record<string, unknown>, string][] = [
    ["a 4097-character prompt", { prompt: "x".repeat(4097) }, "prompt"],
    ["seconds 0", { seconds: "0" }, "seconds"],
    ["fractional seconds", { seconds: "6.5" }, "seconds"],
    ["seconds as a word", { seconds: "six" }, "seconds"],
    ["a non-numeric aspect ratio", { aspect_ratio: "wide" }, "aspect_ratio"],
    ["a zero aspect ratio", { aspect_ratio: "0:9" }, "aspect_ratio"],
    ["resolution 1080P", { resolution: "1080P" }, "resolution"],
    ["an http image", { image: "https://example.com/a.png" }, "image"],
    ["a non-image data URI", { image: "data:text/plain;base64,aGVsbG8=" }, "image"],
    ["a bad member of images", { images: [PNG, "not-a-uri"] }, "images"],
    ["image together with images", { image: PNG, images: [GIF] }, "images"],
    ["a multipart-only model sent as JSON", { model: "grok-video-1.5" }, "model"],
    ["an unknown model", { model: "sora-2" }, "model"],
  ];
  for (const [label, patch, param] of cases) {
    it(`rejects ${label} with new-api 400 (param ${param})`, async () => {
      const answer = await post(CREATE.duoyuanx, { ...VALID.duoyuanx, ...patch });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: { ...newApiError("invalid_request").error, param } });
    });
  }

  it("says multipart is required for the grok-video-1.5 family", async () => {
    const answer = await post(CREATE.duoyuanx, { ...VALID.duoyuanx, model: "grok-video-1.5-pro" });
    expect(answer.body).toMatchObject({ error: { message: expect.stringContaining("multipart/form-data") } });
  });

  it("accepts the S1 multi-image body, numeric seconds, custom ratios and 480/720p spellings", async () => {
    const multi = await post(CREATE.duoyuanx, {
      model: "grok-imagine-video-1.5-preview",
      prompt: "保持主体一致，生成从第一张图过渡到第二张图的视频",
      seconds: "10",
      aspect_ratio: "16:9",
      resolution: "720P",
      images: [PNG, GIF],
    });
    expect(multi.body).toMatchObject({ status: "queued", seconds: "10", size: "720P" });
    const numeric = await post(CREATE.duoyuanx, {
      ...VALID.duoyuanx,
      seconds: 12,
      aspect_ratio: "19.5:9",
      resolution: "480",
    });
    expect(numeric.body).toMatchObject({ seconds: "12", size: "480P" });
    const custom = await post(CREATE.duoyuanx, {
      ...VALID.duoyuanx,
      aspect_ratio: "21:9",
      resolution: "720p",
    });
    expect(custom.body).toMatchObject({ size: "720P" });
    const defaults = await post(CREATE.duoyuanx, { model: "grok-imagine-video-1.5-preview", prompt: "p" });
    expect(defaults.body).toMatchObject({ seconds: "6", size: "720P" });
  });
});

describe("auth", () => {
  const shapes: Record<SandboxDialect, (status: number) => unknown> = {
    apimart: (status) =>
      apimartError(
        status,
        { 401: "authentication_error", 402: "payment_required", 403: "permission_error" }[status] ?? "",
      ),
    xcompute: (status) =>
      apimartError(
        status,
        { 401: "authentication_error", 402: "payment_required", 403: "permission_error" }[status] ?? "",
      ),
    jimmyai: (status) => jimmyaiError(String(status * 100)),
    duoyuanx: (status) =>
      newApiError(
        { 401: "invalid_api_key", 402: "insufficient_user_quota", 403: "access_denied" }[status] ?? "",
      ),
  };
  const dialects = ["apimart", "xcompute", "jimmyai", "duoyuanx"] as const;
  for (const dialect of dialects) {
    it(`${dialect}: 401 without or with an invalid key, 403 forbidden, 402 nobalance on create only`, async () => {
      const body = VALID[dialect];
      for (const [key, status] of [
        [null, 401],
        ["", 401],
        ["sk-invalid-1", 401],
        ["sk-forbidden-1", 403],
        ["sk-nobalance-1", 402],
      ] as const) {
        const answer = await post(CREATE[dialect], body, key);
        expect(answer.status, `key ${String(key)}`).toBe(status);
        expect(answer.body).toEqual(shapes[dialect](status));
      }
      const created = await post(CREATE[dialect], body);
      const id = JSON.stringify(created.body).match(/"((?:task|jm|video)_[0-9a-z]{31})"/)?.[1] ?? "";
      expect((await get(`${QUERY[dialect]}${id}`, "sk-nobalance-1")).status).toBe(200);
      expect((await get(`${QUERY[dialect]}${id}`, null)).status).toBe(401);
      expect((await get(`${QUERY[dialect]}${id}`, "sk-forbidden")).status).toBe(403);
    });

    it(`${dialect}: [ratelimit] answers 429 with Retry-After: 1, [error500] answers 500`, async () => {
      const limited = await post(CREATE[dialect], { ...VALID[dialect], prompt: "busy [ratelimit]" });
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("1");
      const broken = await post(CREATE[dialect], { ...VALID[dialect], prompt: "boom [error500]" });
      expect(broken.status).toBe(500);
      if (dialect === "jimmyai") {
        expect(limited.body).toEqual(jimmyaiError("42900"));
        expect(broken.body).toEqual(jimmyaiError("50000"));
      } else if (dialect === "duoyuanx") {
        expect(limited.body).toEqual(newApiError("rate_limit_exceeded"));
        expect(broken.body).toEqual(newApiError("internal_error"));
      } else {
        expect(limited.body).toEqual(apimartError(429, "rate_limit_error"));
        expect(broken.body).toEqual(apimartError(500, "server_error"));
      }
    });
  }
});
