import { describe, expect, it } from "vitest";
import { loadImages } from "../../src/core/jobs/load-images.js";
import {
  type CreateInput,
  classifyImage,
  resolveModel,
  validateCreate,
  validateDefaults,
} from "../../src/core/jobs/validate-create.js";
import { UsageError } from "../../src/util/errors.js";
import { apimart } from "../../src/providers/apimart.js";
import { duoyuanx } from "../../src/providers/duoyuanx.js";
import { jimmyai } from "../../src/providers/jimmyai.js";
import type { Provider } from "../../src/providers/types.js";
import { xcompute } from "../../src/providers/xcompute.js";
import { apimartCurlBody, duoyuanxTextBody, jimmyaiCurlBody } from "../fixtures/seed-examples.js";
import { jsonBody, thrownAs } from "./support.js";
import { cliMessage } from "../../src/cli/flag-wording.js";

const URL_IMAGE = "https://example.com/cup.jpg";
const DATA_URI = "data:image/png;base64,iVBORw0KGgo=";
const PREVIEW = "grok-imagine-video-1.5-preview";

/** Defaults that pass for the provider, so each test changes one thing. */
function input(provider: Provider, overrides: Partial<CreateInput> = {}): CreateInput {
  return { prompt: "a fox in the snow", images: provider === jimmyai ? [URL_IMAGE] : [], ...overrides };
}

function ok(provider: Provider, overrides: Partial<CreateInput> = {}) {
  return validateCreate(provider, input(provider, overrides));
}

/** The refusal: a UsageError (exit 2) whose message names every given fragment. */
function refused(provider: Provider, overrides: Partial<CreateInput>, ...fragments: string[]): UsageError {
  const err = thrownAs(UsageError, () => validateCreate(provider, input(provider, overrides)));
  expect(err.exitCode).toBe(2);
  // As the command line words it: the library names the option, the CLI its flag.
  for (const fragment of fragments) expect(cliMessage(err)).toContain(fragment);
  return err;
}

const flag = <T>(value: T) => ({ value });
const fromConfig = <T>(value: T, configKey: string) => ({ value, configKey });

describe("validateDefaults: what config set checks", () => {
  it("refuses what a create refuses of the model and defaults, with the create's message", () => {
    const defaults = { duration: fromConfig(5, "providers.apimart.defaults.duration") };
    const create = thrownAs(UsageError, () => validateCreate(apimart, input(apimart, defaults)));
    const set = thrownAs(UsageError, () => validateDefaults(apimart, defaults));
    expect(set.message).toBe(create.message);
  });

  it("leaves prompt and images aside, and skips a config default the model has no use for", () => {
    expect(() =>
      validateDefaults(jimmyai, { duration: fromConfig(10, "providers.jimmyai.defaults.duration") }),
    ).not.toThrow();
    const skipped = {
      model: fromConfig("grok-video-1.5-pro", "providers.duoyuanx.model"),
      ratio: fromConfig("16:9", "x"),
    };
    expect(() => validateDefaults(duoyuanx, skipped)).not.toThrow();
    expect(() => validateDefaults(duoyuanx, { ...skipped, duration: fromConfig(6, "x") })).toThrow(
      /accepted: 10$/,
    );
  });
});

describe("--duration", () => {
  it.each([6, 30, "6", "30", "10s"])("apimart accepts %j", (value) => {
    expect(ok(apimart, { duration: flag(value) }).params.duration).toBe(Number.parseInt(String(value), 10));
  });

  it.each([5, 31, "6.5", "six", "-6", ""])(
    "apimart rejects %j naming the flag, provider and 6-30",
    (value) => {
      refused(apimart, { duration: flag(value) }, "--duration", "apimart", "6-30");
    },
  );

  it("returns the duration as a number", () => {
    expect(ok(apimart, { duration: flag("12") }).params.duration).toBe(12);
  });

  it("xcompute has apimart's limits", () => {
    expect(ok(xcompute, { duration: flag(30) }).params.duration).toBe(30);
    refused(xcompute, { duration: flag(31) }, "--duration", "xcompute", "6-30");
  });

  it.each([10, 15])("jimmyai accepts %i", (value) => {
    expect(ok(jimmyai, { duration: flag(value) }).params.duration).toBe(value);
  });

  it.each([6, 12, 30])("jimmyai rejects %i naming 10, 15", (value) => {
    refused(jimmyai, { duration: flag(value) }, "--duration", "jimmyai", "10, 15");
  });

  it.each([1, 8, 20])("duoyuanx preview accepts any whole number >= 1 (%i)", (value) => {
    expect(ok(duoyuanx, { duration: flag(value) }).params.duration).toBe(value);
  });

  it("duoyuanx preview rejects 0 naming the minimum", () => {
    refused(duoyuanx, { duration: flag(0) }, "--duration", "duoyuanx", PREVIEW, ">= 1");
  });

  it("duoyuanx grok-video-1.5-pro accepts only 10", () => {
    const model = flag("grok-video-1.5-pro");
    expect(ok(duoyuanx, { model, duration: flag(10) }).params.duration).toBe(10);
    refused(duoyuanx, { model, duration: flag(15) }, "--duration", "duoyuanx", "grok-video-1.5-pro", "10");
  });

  it("duoyuanx grok-video-1.5-max accepts only 15", () => {
    const model = flag("grok-video-1.5-max");
    expect(ok(duoyuanx, { model, duration: flag(15) }).params.duration).toBe(15);
    const err = refused(
      duoyuanx,
      { model, duration: flag(10) },
      "--duration",
      "duoyuanx",
      "grok-video-1.5-max",
    );
    expect(err.message).toMatch(/accepted: 15$/);
  });

  it("names the config key when the value came from the config file", () => {
    refused(
      apimart,
      { duration: fromConfig(5, "providers.apimart.defaults.duration") },
      "--duration",
      "apimart",
      "6-30",
      "providers.apimart.defaults.duration",
    );
  });

  it("leaves the duration out when none is given (the gateway default applies)", () => {
    expect(ok(apimart).params).not.toHaveProperty("duration");
  });
});

describe("--ratio", () => {
  it.each(["16:9", "9:16", "1:1", "3:2", "2:3"])("apimart accepts %s", (ratio) => {
    expect(ok(apimart, { ratio: flag(ratio) }).params.ratio).toBe(ratio);
  });

  it("apimart rejects 4:3 listing its five ratios", () => {
    refused(apimart, { ratio: flag("4:3") }, "--ratio", "apimart", "16:9, 9:16, 1:1, 3:2, 2:3");
  });

  it("jimmyai accepts 2:3 and rejects 21:9", () => {
    expect(ok(jimmyai, { ratio: flag("2:3") }).params.ratio).toBe("2:3");
    refused(jimmyai, { ratio: flag("21:9") }, "--ratio", "jimmyai", "16:9, 9:16, 1:1, 3:2, 2:3");
  });

  it.each(["19.5:9", "9:20", "4:3"])("duoyuanx preview accepts the preset %s", (ratio) => {
    expect(ok(duoyuanx, { ratio: flag(ratio) }).params.ratio).toBe(ratio);
  });

  it("duoyuanx preview accepts a custom N:M such as 21:9", () => {
    expect(ok(duoyuanx, { ratio: flag("21:9") }).params.ratio).toBe("21:9");
  });

  it.each(["wide", "0:9", "16/9"])(
    "duoyuanx preview rejects %s, naming presets and custom ratios",
    (ratio) => {
      refused(duoyuanx, { ratio: flag(ratio) }, "--ratio", "duoyuanx", "16:9", "any N:M");
    },
  );

  it.each(["grok-video-1.5", "grok-video-1.5-pro", "grok-video-1.5-max"])(
    "duoyuanx %s refuses --ratio (no ratio field in multipart)",
    (model) => {
      refused(
        duoyuanx,
        { model: flag(model), ratio: flag("16:9") },
        "--ratio",
        "duoyuanx",
        model,
        "leave it out",
      );
    },
  );

  it("skips a config-file ratio on a model that takes none", () => {
    const result = ok(duoyuanx, {
      model: flag("grok-video-1.5-pro"),
      ratio: fromConfig("16:9", "providers.duoyuanx.defaults.ratio"),
    });
    expect(result.params).not.toHaveProperty("ratio");
  });

  it("names the config key for a bad config ratio", () => {
    refused(
      apimart,
      { ratio: fromConfig("4:3", "providers.apimart.defaults.ratio") },
      "--ratio",
      "apimart",
      "providers.apimart.defaults.ratio",
    );
  });
});

describe("--resolution", () => {
  it.each([
    ["480p", 480],
    ["720p", 720],
    ["720", 720],
    ["720P", 720],
    [720, 720],
  ] as const)("apimart accepts %j as %i", (value, lines) => {
    expect(ok(apimart, { resolution: flag(value) }).params.resolution).toBe(lines);
  });

  it.each(["1080p", "540p", "hd", "720i"])("apimart rejects %s listing 480p, 720p", (value) => {
    refused(apimart, { resolution: flag(value) }, "--resolution", "apimart", "480p, 720p");
  });

  it("duoyuanx preview accepts 480 and 720P, rejects 1080p", () => {
    expect(ok(duoyuanx, { resolution: flag("480") }).params.resolution).toBe(480);
    expect(ok(duoyuanx, { resolution: flag("720P") }).params.resolution).toBe(720);
    refused(duoyuanx, { resolution: flag("1080p") }, "--resolution", "duoyuanx", PREVIEW, "480p, 720p");
  });

  it.each(["grok-video-1.5", "grok-video-1.5-pro", "grok-video-1.5-max"])(
    "duoyuanx %s accepts 1080p and 540p, rejects 360p",
    (model) => {
      expect(ok(duoyuanx, { model: flag(model), resolution: flag("1080p") }).params.resolution).toBe(1080);
      expect(ok(duoyuanx, { model: flag(model), resolution: flag("540") }).params.resolution).toBe(540);
      refused(
        duoyuanx,
        { model: flag(model), resolution: flag("360p") },
        "--resolution",
        "duoyuanx",
        "480p, 540p, 720p, 1080p",
      );
    },
  );

  it("jimmyai refuses --resolution from a flag, and skips one from the config file", () => {
    refused(jimmyai, { resolution: flag("720p") }, "--resolution", "jimmyai", "leave it out");
    const result = ok(jimmyai, { resolution: fromConfig("720p", "providers.jimmyai.defaults.resolution") });
    expect(result.params).not.toHaveProperty("resolution");
  });

  it("names the config key for a bad config resolution", () => {
    refused(
      apimart,
      { resolution: fromConfig("1080p", "providers.apimart.defaults.resolution") },
      "--resolution",
      "providers.apimart.defaults.resolution",
    );
  });
});

describe("--image", () => {
  it("jimmyai accepts exactly one public URL", () => {
    expect(ok(jimmyai, { images: [URL_IMAGE] }).params.images).toEqual([{ kind: "url", url: URL_IMAGE }]);
  });

  it("jimmyai refuses no image and two images, saying exactly 1", () => {
    refused(jimmyai, { images: [] }, "--image", "jimmyai", "exactly 1", "got 0");
    refused(jimmyai, { images: [URL_IMAGE, URL_IMAGE] }, "--image", "jimmyai", "exactly 1", "got 2");
  });

  it("a refused data: URI is named by its start and size, not repeated whole", () => {
    const big = `data:image/png;base64,${"A".repeat(4000)}`;
    const err = refused(
      jimmyai,
      { images: [big] },
      "--image data:image/png;base64,AAAA",
      "(4022 characters)",
    );
    expect(err.message.length).toBeLessThan(300);
  });

  it("jimmyai refuses a local file and a data URI, saying it takes public URLs", () => {
    refused(jimmyai, { images: ["./cup.png"] }, "--image", "./cup.png", "jimmyai", "URL");
    refused(jimmyai, { images: [DATA_URI] }, "--image", "jimmyai", "URL");
  });

  it("apimart accepts 0 to 7 URLs", () => {
    expect(ok(apimart, { images: [] }).params.images).toEqual([]);
    const seven = Array.from({ length: 7 }, (_, i) => `https://example.com/${i}.png`);
    expect(ok(apimart, { images: seven }).params.images).toHaveLength(7);
  });

  it("apimart refuses 8 URLs, naming the limit", () => {
    const eight = Array.from({ length: 8 }, (_, i) => `https://example.com/${i}.png`);
    refused(apimart, { images: eight }, "--image", "apimart", "0 to 7", "got 8");
  });

  it("apimart refuses a local file and a data URI (public URLs only, no base64)", () => {
    refused(apimart, { images: ["photo.jpg"] }, "--image", "photo.jpg", "apimart", "public", "URL");
    refused(apimart, { images: [DATA_URI] }, "--image", "apimart", "base64");
  });

  it("refuses a URL that does not parse", () => {
    refused(apimart, { images: ["https://"] }, "--image", "https://", "not a valid URL");
  });

  it("duoyuanx preview takes local files and data URIs, any number", () => {
    const { params } = ok(duoyuanx, { images: ["a.png", DATA_URI, "b.jpg"] });
    expect(params.images).toEqual([
      { kind: "file", path: "a.png" },
      { kind: "data-uri", uri: DATA_URI },
      { kind: "file", path: "b.jpg" },
    ]);
  });

  it("duoyuanx preview refuses URLs, saying it takes inline data", () => {
    refused(duoyuanx, { images: [URL_IMAGE] }, "--image", URL_IMAGE, "duoyuanx", "not URLs");
  });

  it("duoyuanx multipart models take at most one file and no URL", () => {
    const model = flag("grok-video-1.5-pro");
    expect(ok(duoyuanx, { model, images: ["a.png"] }).params.images).toHaveLength(1);
    refused(duoyuanx, { model, images: ["a.png", "b.png"] }, "--image", "duoyuanx", "0 to 1", "got 2");
    refused(duoyuanx, { model, images: [URL_IMAGE] }, "--image", "duoyuanx", "not a URL");
  });
});

describe("--prompt", () => {
  it("duoyuanx accepts 4096 characters and refuses 4097, naming the limit", () => {
    expect(ok(duoyuanx, { prompt: "x".repeat(4096) }).params.prompt).toHaveLength(4096);
    refused(duoyuanx, { prompt: "x".repeat(4097) }, "--prompt", "4097", "duoyuanx", "4096");
  });

  it("counts characters, not UTF-16 units (4096 emoji are accepted)", () => {
    expect(() => ok(duoyuanx, { prompt: "🎬".repeat(4096) })).not.toThrow();
  });

  it("apimart sets no length limit", () => {
    expect(() => ok(apimart, { prompt: "x".repeat(5000) })).not.toThrow();
  });

  it("refuses an empty or blank prompt", () => {
    refused(apimart, { prompt: "" }, "--prompt");
    refused(apimart, { prompt: "  \n " }, "--prompt");
  });
});

describe("--model", () => {
  it("defaults to the provider's default model", () => {
    expect(ok(apimart).params.model).toBe("grok-imagine-1.5-video-apimart");
    expect(ok(xcompute).params.model).toBe("grok-imagine-1.0-video-apimart");
    expect(ok(jimmyai).params.model).toBe("grok-imagine-video-1.5");
    expect(ok(duoyuanx).params.model).toBe(PREVIEW);
  });

  it("refuses an unknown model listing the accepted ones", () => {
    refused(
      apimart,
      { model: flag("sora-2") },
      "--model",
      "sora-2",
      "apimart",
      "grok-imagine-1.5-video-apimart",
    );
    refused(
      duoyuanx,
      { model: flag("grok-video-2") },
      "--model",
      "duoyuanx",
      PREVIEW,
      "grok-video-1.5-pro",
      "grok-video-1.5-max",
    );
  });

  it("names the config key for a config-file model", () => {
    refused(
      apimart,
      { model: fromConfig("nope", "providers.apimart.model") },
      "--model",
      "providers.apimart.model",
    );
  });

  it.each(["grok-1.5", "grok_1_5", "GROK-1.5", " grok-imagine-video-1.5 "])(
    "jimmyai normalizes the alias %j to grok-imagine-video-1.5",
    (alias) => {
      const { params, model } = ok(jimmyai, { model: flag(alias) });
      expect(params.model).toBe("grok-imagine-video-1.5");
      expect(model.id).toBe("grok-imagine-video-1.5");
    },
  );

  it("lists jimmyai's aliases among the accepted models", () => {
    refused(
      jimmyai,
      { model: flag("grok-2") },
      "--model",
      "jimmyai",
      "grok-imagine-video-1.5",
      "grok-1.5",
      "grok_1_5",
    );
  });

  it("resolveModel returns the default spec without a --model", () => {
    expect(resolveModel(duoyuanx, undefined).id).toBe(PREVIEW);
  });
});

describe("classifyImage", () => {
  it.each([
    ["https://e.x/a.png", { kind: "url", url: "https://e.x/a.png" }],
    ["HTTP://e.x/a.png", { kind: "url", url: "HTTP://e.x/a.png" }],
    [DATA_URI, { kind: "data-uri", uri: DATA_URI }],
    ["./a.png", { kind: "file", path: "./a.png" }],
    ["C:\\pics\\a.png", { kind: "file", path: "C:\\pics\\a.png" }],
  ])("%s", (value, expected) => {
    expect(classifyImage(value)).toEqual(expected);
  });
});

describe("flags to request body (validate -> load -> build)", () => {
  it("apimart: --ratio 16:9 --duration 6 --resolution 720p gives S2's cURL body", async () => {
    const { params, model } = ok(apimart, {
      prompt: apimartCurlBody.prompt,
      ratio: flag("16:9"),
      duration: flag("6"),
      resolution: flag("720p"),
    });
    const images = await loadImages(params.images, model);
    expect(jsonBody(apimart.buildCreate({ ...params, images }, model))).toStrictEqual(apimartCurlBody);
  });

  it("jimmyai: alias grok_1_5 with one URL gives S0's cURL body", async () => {
    const { params, model } = ok(jimmyai, {
      prompt: jimmyaiCurlBody.prompt,
      model: flag("grok_1_5"),
      ratio: flag("16:9"),
      duration: flag("10"),
      images: ["https://example.com/cup.jpg"],
    });
    const images = await loadImages(params.images, model);
    expect(jsonBody(jimmyai.buildCreate({ ...params, images }, model))).toStrictEqual(jimmyaiCurlBody);
  });

  it("duoyuanx: --duration 8 --ratio 16:9 --resolution 720 gives S1's text body", async () => {
    const { params, model } = ok(duoyuanx, {
      prompt: duoyuanxTextBody.prompt,
      duration: flag(8),
      ratio: flag("16:9"),
      resolution: flag(720),
    });
    const images = await loadImages(params.images, model);
    expect(jsonBody(duoyuanx.buildCreate({ ...params, images }, model))).toStrictEqual(duoyuanxTextBody);
  });
});
