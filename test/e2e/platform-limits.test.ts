import { describe, expect, it } from "vitest";
import type { PlatformDialect } from "../../src/sandbox/types.js";
import { useE2e } from "../helpers/e2e.js";
import { FAST, oneLine, platformCli } from "../helpers/platform-e2e.js";

// Issue 22 item 5: every documented limit of §10 is refused before sending (exit 2, one line that
// names the flag and what is accepted), per platform.
const e2e = useE2e();
/** Never fetched by anyone: the refusals come before any request. */
const URL = "http://127.0.0.1:9/images/owl.png";
const eightReferences = Array.from({ length: 8 }, (_, i) => [
  "--reference-image",
  `http://127.0.0.1:9/${i}.png`,
]).flat();
const SOURCE = "http://127.0.0.1:9/videos/source.mp4";

function cli(provider: PlatformDialect) {
  return platformCli(e2e, provider);
}

const create = (provider: PlatformDialect, ...flags: string[]) => [
  "create",
  "--provider",
  provider,
  "--prompt",
  "<IMAGE_0> in the snow",
  ...flags,
  "--wait",
];

describe.each<[PlatformDialect, Array<[string, string[], string | RegExp]>]>([
  [
    "fal",
    [
      [
        "a duration over 15 s",
        create("fal", "--duration", "16"),
        "error: --duration 16 is not accepted by fal model grok-imagine-video; accepted: 1-15 (whole seconds)",
      ],
      [
        "a duration of 0 s",
        create("fal", "--duration", "0"),
        "error: --duration 0 is not accepted by fal model grok-imagine-video; accepted: 1-15 (whole seconds)",
      ],
      [
        "an unknown ratio",
        create("fal", "--ratio", "5:4"),
        "error: --ratio 5:4 is not accepted by fal model grok-imagine-video; accepted: 16:9, 9:16, 1:1, 4:3, 3:4, 3:2, 2:3",
      ],
      [
        "1080p on v1",
        create("fal", "--resolution", "1080p"),
        "error: --resolution 1080p is not accepted by fal model grok-imagine-video; accepted: 480p, 720p",
      ],
      [
        "a resolution v1.5 lacks",
        create("fal", "--model", "grok-imagine-video-1.5", "--resolution", "360p"),
        "error: --resolution 360p is not accepted by fal model grok-imagine-video-1.5; accepted: 480p, 720p, 1080p",
      ],
      [
        "eight reference images",
        create("fal", "--model", "grok-imagine-video-1.5", ...eightReferences),
        "error: --reference-image: fal model grok-imagine-video-1.5 takes at most 7 reference images (got 8)",
      ],
      [
        "an image for the text-only lite model",
        create("fal", "--model", "grok-imagine-video-1.5-lite", "--image", URL),
        "error: --image is not accepted by fal model grok-imagine-video-1.5-lite; leave it out",
      ],
      [
        "an extension over 15 s",
        ["extend", SOURCE, "--provider", "fal", "--prompt", "more", "--duration", "16"],
        "error: --duration 16 is not accepted for an extension; accepted: 1-15 (whole seconds) (seconds added to the source)",
      ],
    ],
  ],
  [
    "replicate",
    [
      [
        "a duration over 15 s",
        create("replicate", "--duration", "16"),
        "error: --duration 16 is not accepted by replicate model grok-imagine-video; accepted: 1-15 (whole seconds)",
      ],
      [
        "an unknown ratio",
        create("replicate", "--ratio", "5:4"),
        "error: --ratio 5:4 is not accepted by replicate model grok-imagine-video; accepted: auto, 16:9, 9:16, 1:1, 4:3, 3:4, 3:2, 2:3",
      ],
      [
        "1080p",
        create("replicate", "--resolution", "1080p"),
        "error: --resolution 1080p is not accepted by replicate model grok-imagine-video; accepted: 480p, 720p",
      ],
      [
        "eight reference images",
        create("replicate", ...eightReferences),
        "error: --reference-image: replicate model grok-imagine-video takes at most 7 reference images (got 8)",
      ],
      [
        "reference images for 11 s (grok-imagine-r2v: 1-10 s)",
        create("replicate", "--reference-image", URL, "--duration", "11"),
        "error: --duration 11 is too long with --reference-image on replicate model grok-imagine-video; accepted: 1-10",
      ],
      [
        "two images",
        create("replicate", "--image", URL, "--image", URL),
        /^error: --image: replicate model grok-imagine-video needs 0 to 1 .*\(got 2\)$/,
      ],
      [
        "grok-imagine-video-1.5 without its image",
        create("replicate", "--model", "grok-imagine-video-1.5"),
        /^error: --image: replicate model grok-imagine-video-1\.5 needs exactly 1 .*\(got 0\)$/,
      ],
      [
        "an extension of 11 s",
        ["extend", SOURCE, "--provider", "replicate", "--prompt", "more", "--duration", "11"],
        "error: --duration 11 is not accepted for an extension; accepted: 2-10 (whole seconds) (seconds added to the source)",
      ],
      [
        "an extension of 1 s",
        ["extend", SOURCE, "--provider", "replicate", "--prompt", "more", "--duration", "1"],
        "error: --duration 1 is not accepted for an extension; accepted: 2-10 (whole seconds) (seconds added to the source)",
      ],
    ],
  ],
  [
    "openrouter",
    [
      [
        "a duration over 15 s",
        create("openrouter", "--duration", "16"),
        "error: --duration 16 is not accepted by openrouter model x-ai/grok-imagine-video; accepted: 1-15 (whole seconds)",
      ],
      [
        "an unknown ratio",
        create("openrouter", "--ratio", "5:4"),
        "error: --ratio 5:4 is not accepted by openrouter model x-ai/grok-imagine-video; accepted: 16:9, 9:16, 1:1, 4:3, 3:4, 3:2, 2:3",
      ],
      [
        "1080p",
        create("openrouter", "--resolution", "1080p"),
        "error: --resolution 1080p is not accepted by openrouter model x-ai/grok-imagine-video; accepted: 480p, 720p",
      ],
      [
        "eight reference images",
        create("openrouter", ...eightReferences),
        "error: --reference-image: openrouter model x-ai/grok-imagine-video takes at most 7 reference images (got 8)",
      ],
      [
        "reference images for 11 s (max 10 s)",
        create("openrouter", "--reference-image", URL, "--duration", "11"),
        "error: --duration 11 is too long with --reference-image on openrouter model x-ai/grok-imagine-video; accepted: 1-10",
      ],
      [
        "reference images for 11 s on 1.5-lite",
        create(
          "openrouter",
          "--model",
          "grok-imagine-video-1.5-lite",
          "--reference-image",
          URL,
          "--duration",
          "11",
        ),
        "error: --duration 11 is too long with --reference-image on openrouter model x-ai/grok-imagine-video-1.5-lite; accepted: 1-10",
      ],
      [
        "two first frames",
        create("openrouter", "--image", URL, "--image", URL),
        /^error: --image: openrouter model x-ai\/grok-imagine-video needs 0 to 1 .*\(got 2\)$/,
      ],
      [
        "a model it does not list",
        create("openrouter", "--model", "x-ai/grok-imagine-video-1.5"),
        "error: --model x-ai/grok-imagine-video-1.5 is not offered by openrouter; accepted: x-ai/grok-imagine-video, grok-imagine-video, x-ai/grok-imagine-video-1.5-lite, grok-imagine-video-1.5-lite; did you mean x-ai/grok-imagine-video?",
      ],
    ],
  ],
  [
    "aimlapi",
    [
      [
        "a duration over 15 s",
        create("aimlapi", "--duration", "16"),
        "error: --duration 16 is not accepted by aimlapi model x-ai/grok-imagine-video; accepted: 1-15 (whole seconds)",
      ],
      [
        "an unknown ratio",
        create("aimlapi", "--ratio", "5:4"),
        "error: --ratio 5:4 is not accepted by aimlapi model x-ai/grok-imagine-video; accepted: 16:9, 9:16, 1:1, 4:3, 3:4, 3:2, 2:3",
      ],
      [
        "a resolution over 1080p",
        create("aimlapi", "--resolution", "2160p"),
        "error: --resolution 2160p is not accepted by aimlapi model x-ai/grok-imagine-video; accepted: 480p, 720p, 1080p",
      ],
      [
        "eight reference images",
        create("aimlapi", ...eightReferences),
        "error: --reference-image: aimlapi model x-ai/grok-imagine-video takes at most 7 reference images (got 8)",
      ],
      [
        "an image and reference images together",
        create("aimlapi", "--image", URL, "--reference-image", URL),
        "error: --reference-image cannot be combined with --image; give one or the other",
      ],
    ],
  ],
])("%s refuses before sending", (provider, rows) => {
  it.each(rows)("%s", async (_name, argv, line) => {
    const r = await cli(provider)(argv);
    expect(r.code).toBe(2);
    if (typeof line === "string") expect(oneLine(r.stderr)).toBe(line);
    // A pattern where today's words should change: an --image count is no count of "reference images".
    else expect(oneLine(r.stderr)).toMatch(line);
    expect(r.stdout).toBe("");
    expect(e2e.sandbox.requests).toEqual([]);
  });
});

/** Bugs found while writing these tests, each failing before its fix. */
describe("refusals that must name the right flag and the accepted values", () => {
  // Was: "--reference-image is not accepted by fal model grok-imagine-video-1.5-lite; use --image
  // instead", though lite refuses --image too (validate-images.ts checkReferences).
  it("fal: a reference image for the text-only lite model is refused without pointing at --image, which it refuses too", async () => {
    const r = await cli("fal")(
      create("fal", "--model", "grok-imagine-video-1.5-lite", "--reference-image", URL),
    );
    expect(r.code).toBe(2);
    const line = oneLine(r.stderr);
    expect(line).toMatch(
      /^error: --reference-image is not accepted by fal model grok-imagine-video-1\.5-lite/,
    );
    expect(line).not.toContain("--image");
    expect(e2e.sandbox.requests).toEqual([]);
  });

  // Was: "fal's grok-imagine-video-1.5 does not do edit; it offers text-to-video, image-to-video,
  // reference-to-video": no flag, and not the model that does edit (fal-spec.ts falEndpoint).
  it("fal: an edit on v1.5 (fal edits on grok-imagine-video only) names --model and the model that edits", async () => {
    const r = await cli("fal")([
      "edit",
      SOURCE,
      "--provider",
      "fal",
      "--model",
      "grok-imagine-video-1.5",
      "--prompt",
      "x",
    ]);
    expect(r.code).toBe(2);
    const line = oneLine(r.stderr);
    expect(line).toContain("--model grok-imagine-video-1.5");
    expect(line).toMatch(/accepted: grok-imagine-video($|[;,. ])/);
    expect(e2e.sandbox.requests).toEqual([]);
  });
});

describe("limits on a journaled source's length", () => {
  it("replicate: a journaled 10 s job is too long to edit (at most 8.7 s) and a 1 s one too short to extend (2-15 s)", async () => {
    const replicate = cli("replicate");
    const ids: string[] = [];
    for (const seconds of ["10", "1"]) {
      const made = await replicate([
        "create",
        "--provider",
        "replicate",
        "--prompt",
        "x",
        "--duration",
        seconds,
        "--wait",
        ...FAST,
      ]);
      expect(made.code, made.stderr).toBe(0);
      ids.push(made.stdout.split("\t")[0] ?? "");
    }
    const [long = "", short = ""] = ids;
    const creates = e2e.sandbox.requests.filter((q) => q.method === "POST").length;
    const edit = await replicate(["edit", long, "--prompt", "at night"]);
    expect(edit.code).toBe(2);
    expect(oneLine(edit.stderr)).toBe(
      `error: job ${long} is 10 s long; replicate edits videos of at most 8.7 s`,
    );
    const extend = await replicate(["extend", short, "--prompt", "more"]);
    expect(extend.code).toBe(2);
    expect(oneLine(extend.stderr)).toBe(
      `error: job ${short} is 1 s long; replicate extends videos of 2-15 s`,
    );
    expect(e2e.sandbox.requests.filter((q) => q.method === "POST")).toHaveLength(creates);
  });
});
