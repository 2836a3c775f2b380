import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { E2E_KEY, useE2e } from "../helpers/e2e.js";
import {
  expectSaved,
  FAST,
  oneLine,
  onCdn,
  PNG_DATA_URI,
  posts,
  writeImages,
} from "../helpers/platform-e2e.js";
import { runCli } from "../helpers/run-cli.js";

// Issue 22 item 7: each platform's protocol as a `gateways:` dialect, with the platform's own models
// when `models` is left out, or the entry's; and a fal gateway never reads FAL_KEY (fal's, not a proxy's).
const e2e = useE2e();
/** Never fetched by anyone: grokvid passes an image URL on, and the sandbox only checks its shape. */
const IMAGE_URL = "http://127.0.0.1:9/images/owl.png";
const PROMPT = "a tram in the fog";
const RATIOS = ["16:9", "9:16", "1:1"];

function gateways() {
  const at = (dialect: "fal" | "replicate" | "openrouter" | "aimlapi") => e2e.sandbox.baseUrl(dialect);
  return {
    "my-fal": { dialect: "fal", baseUrl: at("fal") },
    "my-fal-m": {
      dialect: "fal",
      baseUrl: at("fal"),
      models: {
        "grok-imagine-video-1.5": {
          durations: { min: 1, max: 15 },
          ratios: RATIOS,
          resolutions: ["480p", "720p", "1080p"],
          images: { max: 1 },
        },
      },
    },
    "my-replicate": { dialect: "replicate", baseUrl: at("replicate") },
    "my-replicate-m": {
      dialect: "replicate",
      baseUrl: at("replicate"),
      models: {
        "grok-imagine-video": {
          durations: [5, 10],
          ratios: RATIOS,
          resolutions: ["720p"],
          images: { max: 1 },
        },
      },
    },
    "my-openrouter": { dialect: "openrouter", baseUrl: at("openrouter") },
    "my-openrouter-m": {
      dialect: "openrouter",
      baseUrl: at("openrouter"),
      models: {
        "x-ai/grok-imagine-video-1.5-lite": { durations: { min: 1, max: 10 }, resolutions: ["480p"] },
      },
    },
    "my-aimlapi": { dialect: "aimlapi", baseUrl: at("aimlapi") },
    "my-aimlapi-m": {
      dialect: "aimlapi",
      baseUrl: at("aimlapi"),
      models: {
        "x-ai/grok-imagine-video-1.5-preview": { durations: { min: 1, max: 15 }, images: { max: 1 } },
      },
    },
  };
}

const NAMES = [
  "my-fal",
  "my-fal-m",
  "my-replicate",
  "my-replicate-m",
  "my-openrouter",
  "my-openrouter-m",
  "my-aimlapi",
  "my-aimlapi-m",
];
/** Each gateway's key in its default variable, GROKVID_<NAME>_API_KEY. */
const KEYS = Object.fromEntries(
  NAMES.map((name) => [`GROKVID_${name.toUpperCase().replaceAll("-", "_")}_API_KEY`, E2E_KEY]),
);

function cli(args: readonly string[], env: Record<string, string> = KEYS) {
  return runCli(args, { cwd: e2e.dir, env: { GROKVID_HOME: join(e2e.dir, "home"), ...env } });
}

beforeEach(async () => {
  await writeImages(e2e.dir);
  // The config in the (temp) home folder: the user's own file, trusted as written.
  await writeFile(join(e2e.dir, ".grokvideorc.json"), JSON.stringify({ gateways: gateways() }));
});

describe("a gateways: entry of each platform dialect", () => {
  it.each([
    ["my-fal", [], "/fal/xai/grok-imagine-video/text-to-video", { prompt: PROMPT }],
    [
      "my-fal-m",
      ["--image", "cat.png", "--duration", "5"],
      "/fal/xai/grok-imagine-video/v1.5/image-to-video",
      { prompt: PROMPT, image_url: PNG_DATA_URI, duration: 5 },
    ],
    [
      "my-replicate",
      ["--duration", "5"],
      "/replicate/v1/models/xai/grok-imagine-video/predictions",
      { input: { prompt: PROMPT, duration: 5 } },
    ],
    [
      "my-replicate-m",
      ["--image", "cat.png", "--duration", "10"],
      "/replicate/v1/models/xai/grok-imagine-video/predictions",
      { input: { prompt: PROMPT, image: PNG_DATA_URI, duration: 10 } },
    ],
    ["my-openrouter", [], "/openrouter/api/v1/videos", { model: "x-ai/grok-imagine-video", prompt: PROMPT }],
    [
      "my-openrouter-m",
      ["--duration", "4"],
      "/openrouter/api/v1/videos",
      { model: "x-ai/grok-imagine-video-1.5-lite", prompt: PROMPT, duration: 4 },
    ],
    ["my-aimlapi", [], "/aimlapi/v2/video/generations", { model: "x-ai/grok-imagine-video", prompt: PROMPT }],
    [
      "my-aimlapi-m",
      ["--image", IMAGE_URL],
      "/aimlapi/v2/video/generations",
      { model: "x-ai/grok-imagine-video-1.5-preview", prompt: PROMPT, image_url: IMAGE_URL },
    ],
  ])(
    "%s: create, wait and download the exact video; status from the journal alone",
    async (name, flags, path, body) => {
      const r = await cli([
        "create",
        "--provider",
        name,
        "--prompt",
        PROMPT,
        ...flags,
        "-o",
        "out.mp4",
        ...FAST,
        "--json",
      ]);
      const doc = await expectSaved(r, e2e.dir, "out.mp4");
      expect(doc.provider).toBe(name);
      expect(posts(e2e.sandbox.requests)).toEqual([[path, body]]);
      // The platform's CDN rule holds for its dialect too: the video is fetched without the key.
      const cdn = onCdn(e2e.sandbox.requests);
      // (OpenRouter may serve it through its /content route instead, with the key, on its own origin.)
      if (!name.startsWith("my-openrouter")) expect(cdn.length).toBeGreaterThan(0);
      expect(cdn.map((q) => [q.path, q.sentKey])).toEqual(cdn.map(() => [`/files/${doc.id}.mp4`, false]));
      const status = await cli(["status", doc.id, "--json"]);
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ id: doc.id, provider: name, status: "succeeded" });
    },
  );

  it.each([
    [
      "my-replicate-m",
      ["--duration", "7"],
      "error: --duration 7 is not accepted by my-replicate-m; accepted: 5, 10",
    ],
    [
      "my-openrouter-m",
      ["--resolution", "720p"],
      "error: --resolution 720p is not accepted by my-openrouter-m; accepted: 480p",
    ],
    [
      "my-fal",
      ["--resolution", "1080p"],
      "error: --resolution 1080p is not accepted by my-fal model grok-imagine-video; accepted: 480p, 720p",
    ],
  ])(
    "%s %j: the entry's (or the platform's) limits are checked before sending",
    async (name, flags, line) => {
      const r = await cli(["create", "--provider", name, "--prompt", PROMPT, ...flags]);
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toBe(line);
      expect(e2e.sandbox.requests).toEqual([]);
    },
  );
});

describe("a fal gateway does not read FAL_KEY", () => {
  /** A key the sandbox answers with 401 wherever it arrives (auth.ts judgeKey): its arrival cannot go unseen. */
  const MARKER = "fal-key-marker-invalid-7c1e";

  it("with only FAL_KEY set it has no key: exit 3, nothing sent, the marker shown nowhere", async () => {
    const r = await cli(["create", "--provider", "my-fal", "--prompt", PROMPT], { FAL_KEY: MARKER });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/GROKVID_MY_FAL_API_KEY/);
    expect(`${r.stdout}${r.stderr}`).not.toContain(MARKER);
    expect(e2e.sandbox.requests).toEqual([]);
  });

  it("beside its own key, FAL_KEY never reaches the sandbox", async () => {
    const r = await cli(
      ["create", "--provider", "my-fal", "--prompt", PROMPT, "-o", "out.mp4", ...FAST, "--json"],
      {
        ...KEYS,
        FAL_KEY: MARKER,
      },
    );
    await expectSaved(r, e2e.dir, "out.mp4");
    const api = e2e.sandbox.requests.filter((q) => q.origin !== "cdn");
    expect(api.map((q) => [q.headers?.authorization, q.status < 400])).toEqual(
      api.map(() => ["Key [redacted]", true]),
    );
    expect(`${r.stdout}${r.stderr}`).not.toContain(MARKER);
  });

  it("the built-in fal provider does read it (so the marker would have been seen): 401, exit 4", async () => {
    const r = await cli(["create", "--provider", "fal", "--prompt", PROMPT], {
      FAL_KEY: MARKER,
      GROKVID_FAL_BASE_URL: e2e.sandbox.baseUrl("fal"),
    });
    expect(r.code).toBe(4);
    expect(e2e.sandbox.requests.map((q) => [q.method, q.status])).toEqual([["POST", 401]]);
    expect(`${r.stdout}${r.stderr}`).not.toContain(MARKER);
  });
});
