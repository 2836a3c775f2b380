import { describe, expect, it } from "vitest";
import { validateCreate } from "../../src/core/jobs/validate-create.js";
import { validateSourced } from "../../src/core/jobs/validate-source.js";
import { UsageError } from "../../src/util/errors.js";
import { mapHttpError } from "../../src/http/map-error.js";
import { apimart } from "../../src/providers/apimart.js";
import type { CreateParams, LoadedImage } from "../../src/providers/types.js";
import { xai } from "../../src/providers/xai.js";
import { jsonBody, NOW, thrownAs } from "./support.js";
import { cliMessage } from "../../src/cli/flag-wording.js";

// Facts from providers.md §6 (docs.x.ai video generation, xai-sdk-python, vercel xai-video-model.ts).
const REQUEST_ID = "d97415a1-5796-b7ec-379f-4e6819e08fdf";
const VIDEO = "https://vidgen.x.ai/xai-vidgen-bucket/xai-video-d97415a1.mp4";
const base = xai.models[0];
const v15 = xai.models[1];
if (!base || !v15) throw new Error("xai must declare both models");

function params(overrides: Partial<CreateParams<LoadedImage>> = {}): CreateParams<LoadedImage> {
  return { prompt: "a cat playing with a ball", model: base?.id ?? "", images: [], ...overrides };
}

describe("xai buildCreate (§6 generations fields)", () => {
  it("text-to-video: model, prompt, duration, aspect_ratio, resolution as xAI names them", () => {
    const spec = xai.buildCreate(params({ duration: 10, ratio: "16:9", resolution: 720 }), base);
    expect(spec).toMatchObject({ method: "POST", path: "/v1/videos/generations" });
    expect(jsonBody(spec)).toStrictEqual({
      model: "grok-imagine-video",
      prompt: "a cat playing with a ball",
      duration: 10,
      aspect_ratio: "16:9",
      resolution: "720p",
    });
  });

  it("sends only what was given: xAI's own defaults (8 s, 16:9, 480p) apply to the rest", () => {
    expect(jsonBody(xai.buildCreate(params(), base))).toStrictEqual({
      model: "grok-imagine-video",
      prompt: "a cat playing with a ball",
    });
  });

  it("image-to-video: one image as {url}, a public URL or a data: URI", () => {
    const url = jsonBody(
      xai.buildCreate(params({ images: [{ kind: "url", url: "https://x.test/a.png" }] }), base),
    );
    expect(url).toMatchObject({ image: { url: "https://x.test/a.png" } });
    const uri = "data:image/png;base64,iVBORw0KGgo=";
    const inline = jsonBody(xai.buildCreate(params({ images: [{ kind: "data-uri", uri }] }), base));
    expect(inline).toMatchObject({ image: { url: uri } });
    expect(inline).not.toHaveProperty("reference_images");
  });

  it("reference-to-video: reference_images as [{url}], in order, never with image", () => {
    const body = jsonBody(
      xai.buildCreate(
        params({
          prompt: "<IMAGE_1> meets <IMAGE_2>",
          references: [
            { kind: "url", url: "https://x.test/1.png" },
            { kind: "data-uri", uri: "data:image/png;base64,AAAA" },
          ],
        }),
        base,
      ),
    );
    expect(body).toStrictEqual({
      model: "grok-imagine-video",
      prompt: "<IMAGE_1> meets <IMAGE_2>",
      reference_images: [{ url: "https://x.test/1.png" }, { url: "data:image/png;base64,AAAA" }],
    });
  });

  it("edits and extensions go to their own endpoints with video:{url}", () => {
    const edit = xai.operations?.edit?.build({
      prompt: "make it night",
      model: "grok-imagine-video",
      videoUrl: VIDEO,
    });
    expect(edit?.path).toBe("/v1/videos/edits");
    expect(edit && jsonBody(edit)).toStrictEqual({
      model: "grok-imagine-video",
      prompt: "make it night",
      video: { url: VIDEO },
    });
    const extend = xai.operations?.extend?.build({
      prompt: "the cat jumps",
      model: "grok-imagine-video",
      videoUrl: VIDEO,
      duration: 6,
    });
    expect(extend?.path).toBe("/v1/videos/extensions");
    expect(extend && jsonBody(extend)).toMatchObject({ duration: 6, video: { url: VIDEO } });
  });
});

describe("xai parseCreate / parseQuery (§6 poll answers)", () => {
  it("reads {request_id} as a queued task", () => {
    const { task } = xai.parseCreate({ request_id: REQUEST_ID }, NOW);
    expect(task).toMatchObject({ id: REQUEST_ID, provider: "xai", status: "queued", videoUrl: null });
    expect(task).not.toHaveProperty("cost");
  });

  it("a 202 with an empty body (no body at all) means still working", () => {
    const { task, warnings } = xai.parseQuery(undefined, REQUEST_ID, NOW);
    expect(task).toMatchObject({ id: REQUEST_ID, status: "running", videoUrl: null, error: null });
    expect(warnings).toEqual([]);
  });

  it("a body with no status, just {request_id}, means still working", () => {
    expect(xai.parseQuery({ request_id: REQUEST_ID }, REQUEST_ID, NOW).task.status).toBe("running");
  });

  it("pending with progress 24 is queued at 24 %", () => {
    const { task } = xai.parseQuery({ status: "pending", progress: 24 }, REQUEST_ID, NOW);
    expect(task).toMatchObject({ status: "queued", progress: 24 });
  });

  it("done: the video URL, and the cost from usage.cost_in_usd_ticks (500,000,000 ticks = $0.05)", () => {
    const done = {
      status: "done",
      video: { url: VIDEO, duration: 8, respect_moderation: true },
      model: "grok-imagine-video",
      usage: { cost_in_usd_ticks: 500_000_000 },
      progress: 100,
    };
    const { task } = xai.parseQuery(done, REQUEST_ID, NOW);
    expect(task).toMatchObject({ status: "succeeded", videoUrl: VIDEO, progress: 100, cost: { usd: 0.05 } });
  });

  it("done with respect_moderation false: failed, code moderated, billed (the cost is kept)", () => {
    const moderated = {
      status: "done",
      video: { url: "", duration: 8, respect_moderation: false },
      usage: { cost_in_usd_ticks: 4_000_000_000 },
    };
    const { task } = xai.parseQuery(moderated, REQUEST_ID, NOW);
    expect(task.status).toBe("failed");
    expect(task.error?.code).toBe("moderated");
    expect(task.error?.message).toMatch(/billed/);
    expect(task.cost).toEqual({ usd: 0.4 });
    expect(task.videoUrl).toBeNull();
  });

  it("failed carries xAI's {code, message}; expired ends the job as expired", () => {
    const failed = xai.parseQuery(
      { status: "failed", error: { code: "internal_error", message: "generation failed" } },
      REQUEST_ID,
      NOW,
    ).task;
    expect(failed).toMatchObject({
      status: "failed",
      error: { code: "internal_error", message: "generation failed" },
    });
    const expired = xai.parseQuery({ status: "expired" }, REQUEST_ID, NOW).task;
    expect(expired.status).toBe("expired");
    expect(expired.error?.message).toMatch(/expired/);
  });

  it("done without a URL (and not moderated) is a failure, never a success with nothing to download", () => {
    const { task } = xai.parseQuery({ status: "done", video: { respect_moderation: true } }, REQUEST_ID, NOW);
    expect(task).toMatchObject({ status: "failed", error: { code: "no_video_url" } });
  });

  it("ignores a cost that is not a non-negative number", () => {
    for (const ticks of [-5, "lots", null]) {
      const { task } = xai.parseQuery(
        { status: "done", video: { url: VIDEO }, usage: { cost_in_usd_ticks: ticks } },
        REQUEST_ID,
        NOW,
      );
      expect(task).not.toHaveProperty("cost");
    }
  });
});

describe("xai parseError (§6 errors)", () => {
  it("reads the flat shape seen live and the nested shape Vercel expects", () => {
    const flat = xai.parseError(400, {
      code: "Client specified an invalid argument",
      error: "Incorrect API key provided",
    });
    expect(flat).toEqual({
      message: "Incorrect API key provided",
      code: "Client specified an invalid argument",
    });
    const nested = xai.parseError(429, {
      error: { message: "rate limited", type: "rate_limit_error", code: "429" },
    });
    expect(nested).toEqual({ message: "rate limited", code: "429" });
    expect(mapHttpError(401, flat, { provider: "xai", keyVariable: "GROKVID_XAI_API_KEY" }).exitCode).toBe(4);
  });
});

describe("xai limits, refused before anything is sent (§6)", () => {
  // As the command line words it: the library names the option, the CLI its flag.
  const refused = (fn: () => unknown) => cliMessage(thrownAs(UsageError, fn));
  const input = { prompt: "<IMAGE_1> on a beach", images: [] as string[] };

  it("1080p only on grok-imagine-video-1.5 (and its -preview alias)", () => {
    expect(refused(() => validateCreate(xai, { ...input, resolution: { value: "1080p" } }))).toMatch(
      /--resolution 1080p .*grok-imagine-video.*accepted: 480p, 720p/,
    );
    const ok = validateCreate(xai, {
      ...input,
      model: { value: "grok-imagine-video-1.5-preview" },
      resolution: { value: "1080p" },
    });
    expect(ok.params).toMatchObject({ model: "grok-imagine-video-1.5", resolution: 1080 });
  });

  it("duration is a whole number from 1 to 15", () => {
    expect(refused(() => validateCreate(xai, { ...input, duration: { value: "16" } }))).toMatch(
      /--duration 16 .*accepted: 1-15/,
    );
    expect(validateCreate(xai, { ...input, duration: { value: "15" } }).params.duration).toBe(15);
  });

  it("the seven aspect ratios, nothing else", () => {
    expect(refused(() => validateCreate(xai, { ...input, ratio: { value: "21:9" } }))).toMatch(
      /accepted: 1:1, 16:9, 9:16, 4:3, 3:4, 3:2, 2:3/,
    );
  });

  it("at most 7 reference images", () => {
    const eight = Array.from({ length: 8 }, (_, i) => `https://x.test/${i}.png`);
    expect(refused(() => validateCreate(xai, { ...input, referenceImages: eight }))).toMatch(
      /--reference-image: .*at most 7 .*\(got 8\)/,
    );
    expect(
      validateCreate(xai, { ...input, referenceImages: eight.slice(0, 7) }).params.referenceImages,
    ).toHaveLength(7);
  });

  it("--reference-image never with --image", () => {
    expect(
      refused(() =>
        validateCreate(xai, {
          ...input,
          images: ["https://x.test/i.png"],
          referenceImages: ["https://x.test/r.png"],
        }),
      ),
    ).toMatch(/--reference-image cannot be combined with --image/);
  });

  it("with reference images: duration at most 10, resolution at most 720p", () => {
    const refs = { ...input, referenceImages: ["https://x.test/r.png"] };
    expect(refused(() => validateCreate(xai, { ...refs, duration: { value: "11" } }))).toMatch(
      /--duration 11 .*accepted: 1-10/,
    );
    expect(
      refused(() =>
        validateCreate(xai, {
          ...refs,
          model: { value: "grok-imagine-video-1.5" },
          resolution: { value: "1080p" },
        }),
      ),
    ).toMatch(/--resolution 1080p .*--reference-image.*accepted: 480p, 720p/);
  });

  it("a config default that breaks a reference-image limit is named as the config's, not as a flag", () => {
    const message = refused(() =>
      validateCreate(xai, {
        ...input,
        referenceImages: ["https://x.test/r.png"],
        duration: { value: 12, configKey: "providers.xai.defaults.duration" },
      }),
    );
    expect(message).toMatch(/set by providers\.xai\.defaults\.duration in the config file/);
  });

  it("a gateway without reference-to-video refuses --reference-image, naming it", () => {
    expect(
      refused(() => validateCreate(apimart, { ...input, referenceImages: ["https://x.test/r.png"] })),
    ).toMatch(/--reference-image is not accepted by apimart/);
  });

  it("extend adds 2 to 10 seconds; edit takes no duration; a provider without them says who has them", () => {
    const from = "https://x.test/v.mp4";
    const extend = (duration: string) =>
      validateSourced(xai, { operation: "extend", from, prompt: "more", duration, unused: [] });
    expect(refused(() => extend("11"))).toMatch(/--duration 11 .*extension.*accepted: 2-10/);
    expect(refused(() => extend("1"))).toMatch(/accepted: 2-10/);
    expect(extend("10").params).toMatchObject({ duration: 10, source: { operation: "extend", from } });
    expect(
      refused(() =>
        validateSourced(xai, { operation: "edit", from, prompt: "x", duration: "5", unused: [] }),
      ),
    ).toMatch(/--duration cannot be used with edit/);
    expect(
      refused(() => validateSourced(xai, { operation: "edit", from, prompt: "x", unused: ["--ratio"] })),
    ).toMatch(/--ratio cannot be used with edit/);
    expect(
      refused(() => validateSourced(apimart, { operation: "edit", from, prompt: "x", unused: [] })),
    ).toMatch(/apimart cannot edit videos; providers that can: xai/);
  });
});
