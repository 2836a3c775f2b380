import { describe, expect, it } from "vitest";
import { estimateCost } from "../../src/core/jobs/estimate.js";
import { falPrices } from "../../src/providers/fal-spec.js";
import { replicatePrices } from "../../src/providers/replicate-spec.js";
import { xaiPrices } from "../../src/providers/xai-spec.js";
import { UsageError } from "../../src/util/errors.js";
import { thrown } from "./support.js";

const URL_IMAGE = "https://example.com/a.png";

describe("estimateCost: list prices as data, before anything is sent", () => {
  it("xai: seconds x the per-second price of the resolution (providers.md §6)", () => {
    expect(estimateCost({ provider: "xai", prompt: "p", duration: 10, resolution: "720p" })).toEqual({
      provider: "xai",
      model: "grok-imagine-video",
      usd: 0.7,
      seconds: 10,
      resolution: "720p",
      basis: "xai list price: $0.07/s at 720p × 10 s",
    });
  });

  it("xai: what is not asked is what xAI makes by default, 8 s at 480p", () => {
    const e = estimateCost({ provider: "xai", prompt: "p" });
    expect([e.usd, e.seconds, e.resolution]).toEqual([0.4, 8, "480p"]);
  });

  it("xai 1.5 at 1080p, with an input image at the top of its listed price", () => {
    const e = estimateCost({
      provider: "xai",
      prompt: "p",
      model: "grok-imagine-video-1.5",
      duration: 15,
      resolution: 1080,
      images: [URL_IMAGE],
    });
    expect(e.usd).toBe(3.76);
    expect(e.basis).toContain("+ 1 × $0.01 per image");
  });

  it("fal: fal's defaults (6 s, 720p), v1.5's surcharge per reference image", () => {
    expect(estimateCost({ provider: "fal", prompt: "p" }).usd).toBe(0.42);
    const refs = estimateCost({
      provider: "fal",
      prompt: "p <IMAGE_0>",
      model: "grok-imagine-video-1.5",
      duration: 5,
      resolution: "480p",
      referenceImages: [URL_IMAGE, URL_IMAGE],
    });
    expect(refs.usd).toBe(0.42);
  });

  it("replicate: the price of the Replicate model the mode goes to, with its defaults", () => {
    // Text-to-video goes to xai/grok-imagine-video: 5 s at 720p by default.
    expect(estimateCost({ provider: "replicate", prompt: "p" }).usd).toBe(0.35);
    // Reference images go to xai/grok-imagine-r2v: 8 s at 480p by default.
    const r2v = estimateCost({ provider: "replicate", prompt: "p", referenceImages: [URL_IMAGE] });
    expect([r2v.usd, r2v.seconds, r2v.resolution]).toEqual([0.4, 8, "480p"]);
  });

  it("the sandbox bills nothing", () => {
    expect(estimateCost({ provider: "sandbox", prompt: "p" })).toMatchObject({ usd: 0 });
  });

  it.each(["apimart", "xcompute", "jimmyai", "duoyuanx", "openrouter", "aimlapi"])(
    "%s: unknown before the job runs, and says so",
    (provider) => {
      const spec = provider === "jimmyai" ? { images: [URL_IMAGE] } : {};
      const e = estimateCost({ provider, prompt: "p", ...spec });
      expect(e.usd).toBeNull();
      expect(e.basis).toContain(`the cost on ${provider} is not known before the job runs`);
    },
  );

  it("a model with no listed price (fal's lite) is unknown, not free", () => {
    const e = estimateCost({ provider: "fal", prompt: "p", model: "grok-imagine-video-1.5-lite" });
    expect(e.usd).toBeNull();
    expect(e.basis).toContain("lists no price");
  });

  it("checks every value as create does: an unaccepted one is the same UsageError", () => {
    const err = thrown(() => estimateCost({ provider: "xai", prompt: "p", duration: 99 }));
    expect(err).toBeInstanceOf(UsageError);
    expect(err).toMatchObject({ option: "duration" });
    expect(() => estimateCost({ provider: "nowhere", prompt: "p" })).toThrow(/not a known provider/);
    expect(() => estimateCost({ prompt: "p" })).toThrow(/no provider chosen/);
  });

  it("every priced model of the tables has a price at each resolution it accepts (no silent gaps)", () => {
    expect(Object.keys(xaiPrices).sort()).toEqual(["grok-imagine-video", "grok-imagine-video-1.5"]);
    expect(Object.keys(falPrices).length).toBeGreaterThan(0);
    expect(Object.keys(replicatePrices).length).toBeGreaterThan(0);
    for (const resolution of ["480p", "720p"]) {
      expect(estimateCost({ provider: "xai", prompt: "p", resolution }).usd).toBeGreaterThan(0);
    }
  });
});
