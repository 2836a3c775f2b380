import { beforeEach, describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import {
  expectSaved,
  FAST,
  JPEG_DATA_URI,
  oneLine,
  platformCli,
  PNG_DATA_URI,
  posts,
  writeImages,
} from "../helpers/platform-e2e.js";

// Issue 22 item 1, OpenRouter: one create route, the model in the body, images as §10c's parts.
const e2e = useE2e();
const openrouter = platformCli(e2e, "openrouter");
const VIDEOS = "/openrouter/api/v1/videos";
/** Never fetched by anyone: grokvid passes an image URL on, and the sandbox only checks its shape. */
const IMAGE_URL = "http://127.0.0.1:9/images/owl.png";
const PROMPT = "a lighthouse in a storm";
const part = (url: string) => ({ type: "image_url", image_url: { url } });

beforeEach(() => writeImages(e2e.dir));

describe("openrouter: each mode posts §10c's body and saves the exact video", () => {
  it.each([
    [
      "text with every flag",
      ["--duration", "6", "--ratio", "16:9", "--resolution", "720p"],
      {
        model: "x-ai/grok-imagine-video",
        prompt: PROMPT,
        duration: 6,
        aspect_ratio: "16:9",
        resolution: "720p",
      },
    ],
    [
      "text on 1.5-lite, named without the x-ai/ prefix",
      ["--model", "grok-imagine-video-1.5-lite"],
      { model: "x-ai/grok-imagine-video-1.5-lite", prompt: PROMPT },
    ],
    [
      "a local PNG as the first frame",
      ["--image", "cat.png"],
      {
        model: "x-ai/grok-imagine-video",
        prompt: PROMPT,
        frame_images: [{ ...part(PNG_DATA_URI), frame_type: "first_frame" }],
      },
    ],
    [
      "a local JPEG as the first frame on 1.5-lite",
      ["--model", "x-ai/grok-imagine-video-1.5-lite", "--image", "dog.jpg", "--resolution", "480p"],
      {
        model: "x-ai/grok-imagine-video-1.5-lite",
        prompt: PROMPT,
        resolution: "480p",
        frame_images: [{ ...part(JPEG_DATA_URI), frame_type: "first_frame" }],
      },
    ],
    [
      "an image URL as the first frame",
      ["--image", IMAGE_URL],
      {
        model: "x-ai/grok-imagine-video",
        prompt: PROMPT,
        frame_images: [{ ...part(IMAGE_URL), frame_type: "first_frame" }],
      },
    ],
    [
      "reference images: a local file and a URL, 10 s",
      ["--reference-image", "cat.png", "--reference-image", IMAGE_URL, "--duration", "10"],
      {
        model: "x-ai/grok-imagine-video",
        prompt: PROMPT,
        duration: 10,
        input_references: [part(PNG_DATA_URI), part(IMAGE_URL)],
      },
    ],
  ])("%s", async (_name, flags, body) => {
    const r = await openrouter([
      "create",
      "--provider",
      "openrouter",
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
    expect(doc.id).toMatch(/^orv_/);
    expect(posts(e2e.sandbox.requests)).toEqual([[VIDEOS, body]]);
    // Polled by id under /api, as §10c writes it.
    expect(
      e2e.sandbox.requests.filter((q) => q.method === "GET" && q.origin !== "cdn").map((q) => q.path),
    ).toContain(`${VIDEOS}/${doc.id}`);
  });

  it.each(["edit", "extend"])(
    "%s exits 2 with nothing sent: OpenRouter has no such route",
    async (command) => {
      const source = `${e2e.sandbox.cdnUrl}/files/some-video.mp4`;
      const r = await openrouter([
        command,
        source,
        "--provider",
        "openrouter",
        "--prompt",
        "at night",
        "-o",
        "x.mp4",
      ]);
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toBe(
        `error: openrouter cannot ${command} videos; providers that can: xai, fal, replicate (--provider)`,
      );
      expect(r.stdout).toBe("");
      expect(e2e.sandbox.requests).toEqual([]);
    },
  );
});
