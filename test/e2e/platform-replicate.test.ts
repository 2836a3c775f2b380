import { beforeEach, describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import {
  expectSaved,
  FAST,
  JPEG_DATA_URI,
  platformCli,
  PNG_DATA_URI,
  posts,
  writeImages,
} from "../helpers/platform-e2e.js";

// Issue 22 item 1, Replicate: each mode picks xAI's Replicate model and nests §10b's fields under `input`.
const e2e = useE2e();
const replicate = platformCli(e2e, "replicate");
const models = (name: string) => `/replicate/v1/models/xai/${name}/predictions`;
/** Never fetched by anyone: grokvid passes an image URL on, and the sandbox only checks its shape. */
const IMAGE_URL = "http://127.0.0.1:9/images/owl.png";
const PROMPT = "a heron over a misty lake";

beforeEach(() => writeImages(e2e.dir));

describe("replicate: each mode posts {input: {...}} to its model and saves the exact video", () => {
  it.each([
    [
      "text with every flag",
      ["--duration", "5", "--ratio", "1:1", "--resolution", "480p"],
      models("grok-imagine-video"),
      { input: { prompt: PROMPT, duration: 5, aspect_ratio: "1:1", resolution: "480p" } },
    ],
    ["text with the defaults", [], models("grok-imagine-video"), { input: { prompt: PROMPT } }],
    [
      "a local PNG",
      ["--image", "cat.png"],
      models("grok-imagine-video"),
      { input: { prompt: PROMPT, image: PNG_DATA_URI } },
    ],
    [
      "a local JPEG on grok-imagine-video-1.5",
      ["--model", "grok-imagine-video-1.5", "--image", "dog.jpg", "--duration", "6"],
      models("grok-imagine-video-1.5"),
      { input: { prompt: PROMPT, image: JPEG_DATA_URI, duration: 6 } },
    ],
    [
      "an image URL on grok-imagine-video-1.5",
      ["--model", "grok-imagine-video-1.5", "--image", IMAGE_URL],
      models("grok-imagine-video-1.5"),
      { input: { prompt: PROMPT, image: IMAGE_URL } },
    ],
    [
      "reference images: a local file and a URL",
      ["--reference-image", "cat.png", "--reference-image", IMAGE_URL, "--duration", "10"],
      models("grok-imagine-r2v"),
      { input: { prompt: PROMPT, reference_images: [PNG_DATA_URI, IMAGE_URL], duration: 10 } },
    ],
  ])("%s", async (_name, flags, path, body) => {
    const r = await replicate([
      "create",
      "--provider",
      "replicate",
      "--prompt",
      PROMPT,
      ...flags,
      "--wait",
      "--download",
      "-o",
      "out.mp4",
      ...FAST,
      "--json",
    ]);
    const doc = await expectSaved(r, e2e.dir, "out.mp4");
    expect(doc.id).toMatch(/^pred_/);
    expect(posts(e2e.sandbox.requests)).toEqual([[path, body]]);
  });

  it("edit and extend a journaled job: grok-imagine-video with `video`, and the extension model", async () => {
    const made = await replicate([
      "create",
      "--provider",
      "replicate",
      "--prompt",
      PROMPT,
      "--wait",
      ...FAST,
      "--json",
    ]);
    expect(made.code, made.stderr).toBe(0);
    const source = JSON.parse(made.stdout) as { id: string; videoUrl: string };
    expect(source.videoUrl).toBe(`${e2e.sandbox.cdnUrl}/files/${source.id}.mp4`);

    const edit = await replicate([
      "edit",
      source.id,
      "--prompt",
      "at dusk",
      "-o",
      "dusk.mp4",
      ...FAST,
      "--json",
    ]);
    await expectSaved(edit, e2e.dir, "dusk.mp4");
    const extend = await replicate([
      "extend",
      source.id,
      "--prompt",
      "it lands",
      "--duration",
      "4",
      "-o",
      "long.mp4",
      ...FAST,
      "--json",
    ]);
    await expectSaved(extend, e2e.dir, "long.mp4");
    expect(posts(e2e.sandbox.requests)).toEqual([
      [models("grok-imagine-video"), { input: { prompt: PROMPT } }],
      [models("grok-imagine-video"), { input: { prompt: "at dusk", video: source.videoUrl } }],
      [
        models("grok-imagine-video-extension"),
        { input: { prompt: "it lands", video: source.videoUrl, duration: 4 } },
      ],
    ]);
  });

  it("polls the prediction by its id and cancels with POST .../cancel", async () => {
    const made = await replicate([
      "create",
      "--provider",
      "replicate",
      "--prompt",
      "[never] a heron",
      "--json",
    ]);
    expect(made.code, made.stderr).toBe(0);
    const { id } = JSON.parse(made.stdout) as { id: string };
    const cancel = await replicate(["cancel", id]);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout.trim()).toBe(`${id}\tcancelled\treplicate took the cancel`);
    const status = await replicate(["status", id, "--json"]);
    expect(JSON.parse(status.stdout)).toMatchObject({ id, status: "cancelled" });
    expect(e2e.sandbox.requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      `POST ${models("grok-imagine-video")}`,
      `POST /replicate/v1/predictions/${id}/cancel`,
      `GET /replicate/v1/predictions/${id}`,
    ]);
  });
});
