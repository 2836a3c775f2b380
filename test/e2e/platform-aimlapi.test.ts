import { beforeEach, describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import {
  expectSaved,
  FAST,
  oneLine,
  platformCli,
  PNG_DATA_URI,
  posts,
  writeImages,
} from "../helpers/platform-e2e.js";

// Issue 22 item 1, AIML API: §10d's body with the model in it; images only as public URLs.
const e2e = useE2e();
const aimlapi = platformCli(e2e, "aimlapi");
const GENERATIONS = "/aimlapi/v2/video/generations";
/** Never fetched by anyone: grokvid passes an image URL on, and the sandbox only checks its shape. */
const IMAGE_URL = "http://127.0.0.1:9/images/owl.png";
const OTHER_URL = "http://127.0.0.1:9/images/moon.jpg";
const PROMPT = "a paper boat on a river";

beforeEach(() => writeImages(e2e.dir));

describe("aimlapi: each mode posts §10d's body and saves the exact video", () => {
  it.each([
    [
      "text with every flag",
      ["--duration", "4", "--ratio", "4:3", "--resolution", "1080p"],
      {
        model: "x-ai/grok-imagine-video",
        prompt: PROMPT,
        duration: 4,
        aspect_ratio: "4:3",
        resolution: "1080p",
      },
    ],
    [
      "text on 1.5-preview, named without the x-ai/ prefix",
      ["--model", "grok-imagine-video-1.5-preview"],
      { model: "x-ai/grok-imagine-video-1.5-preview", prompt: PROMPT },
    ],
    [
      "an image URL",
      ["--image", IMAGE_URL, "--duration", "5"],
      { model: "x-ai/grok-imagine-video", prompt: PROMPT, image_url: IMAGE_URL, duration: 5 },
    ],
    [
      "two reference image URLs",
      ["--reference-image", IMAGE_URL, "--reference-image", OTHER_URL],
      { model: "x-ai/grok-imagine-video", prompt: PROMPT, reference_images: [IMAGE_URL, OTHER_URL] },
    ],
  ])("%s", async (_name, flags, body) => {
    const r = await aimlapi([
      "create",
      "--provider",
      "aimlapi",
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
    expect(doc.id).toMatch(/^aiml_/);
    expect(posts(e2e.sandbox.requests)).toEqual([[GENERATIONS, body]]);
    // Polled with the id as a query parameter (§10d Poll).
    expect(
      e2e.sandbox.requests.filter((q) => q.method === "GET" && q.origin !== "cdn").map((q) => q.path),
    ).toContain(`${GENERATIONS}?generation_id=${doc.id}`);
  });

  it.each([
    ["a local file as --image", "--image", "cat.png"],
    ["a local file as --reference-image", "--reference-image", "cat.png"],
    ["a data: URI as --image", "--image", PNG_DATA_URI],
  ])("%s is refused before sending: AIML API takes only public URLs (exit 2)", async (_name, flag, value) => {
    const r = await aimlapi(["create", "--provider", "aimlapi", "--prompt", PROMPT, flag, value, "--wait"]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(
      `error: ${flag} ${value}: aimlapi model x-ai/grok-imagine-video takes only public http(s) image URLs (no local files, no base64); upload the image and pass its URL`,
    );
    expect(r.stdout).toBe("");
    expect(e2e.sandbox.requests).toEqual([]);
  });

  it.each(["edit", "extend"])("%s exits 2 with nothing sent: AIML API has no such route", async (command) => {
    const source = `${e2e.sandbox.cdnUrl}/files/some-video.mp4`;
    const r = await aimlapi([
      command,
      source,
      "--provider",
      "aimlapi",
      "--prompt",
      "at night",
      "-o",
      "x.mp4",
    ]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(
      `error: aimlapi cannot ${command} videos; providers that can: xai, fal, replicate (--provider)`,
    );
    expect(e2e.sandbox.requests).toEqual([]);
  });
});
