import { describe, expect, it } from "vitest";
import { makeGatewayProvider } from "../../src/config/gateway-provider.js";
import type { GatewayDefinition } from "../../src/config/gateway-schema.js";
import { validateCreate } from "../../src/core/jobs/validate-create.js";
import { ApiError, UsageError } from "../../src/util/errors.js";
import { jsonBody, multipartFields, NOW, thrown, thrownAs } from "./support.js";
import { cliMessage } from "../../src/cli/flag-wording.js";

const newApi: GatewayDefinition = {
  dialect: "openai-videos",
  baseUrl: "https://proxy.example.com",
  models: {
    "grok-json": {
      durations: { min: 1, max: 15 },
      ratios: ["16:9"],
      resolutions: ["720p"],
      images: { max: 1 },
    },
    "grok-upload": { durations: [6, 10], images: { max: 1, accepts: "file" }, encoding: "multipart" },
  },
};
const proxy = makeGatewayProvider("my-proxy", newApi);
const URL_ = "https://cdn.example.com/v.mp4";

describe("a gateway of dialect openai-videos (providers.md §6a)", () => {
  it("is named by the gateway, with its models and default model as data", () => {
    expect(proxy).toMatchObject({
      id: "my-proxy",
      defaultBaseUrl: "https://proxy.example.com",
      defaultModel: "grok-json",
    });
    expect(proxy.models.map((m) => m.id)).toEqual(["grok-json", "grok-upload"]);
    expect(proxy.requestsPerSecond).toBeUndefined();
  });

  it("sends only what was asked, as JSON or as a multipart upload per model", () => {
    const { params, model } = validateCreate(proxy, { prompt: "p", images: [], duration: { value: "8" } });
    expect(jsonBody(proxy.buildCreate({ ...params, images: [] }, model))).toEqual({
      model: "grok-json",
      prompt: "p",
      seconds: "8",
    });
    const upload = proxy.models[1];
    if (!upload) throw new Error("no upload model");
    const png = {
      kind: "file",
      path: "a.png",
      filename: "a.png",
      mime: "image/png",
      data: new Uint8Array([1]),
    } as const;
    const fields = multipartFields(
      proxy.buildCreate({ prompt: "p", model: "grok-upload", duration: 6, images: [png] }, upload),
    );
    expect(fields.map((f) => f.name)).toEqual(["model", "prompt", "seconds", "input_reference"]);
  });

  it("refuses what its models do not take, naming the gateway", () => {
    expect(
      cliMessage(
        thrownAs(UsageError, () =>
          validateCreate(proxy, { prompt: "p", images: [], ratio: { value: "1:1" } }),
        ),
      ),
    ).toMatch(/--ratio 1:1 is not accepted by my-proxy model grok-json; accepted: 16:9/);
    expect(
      thrownAs(UsageError, () =>
        validateCreate(proxy, {
          prompt: "p",
          images: [],
          model: { value: "grok-upload" },
          duration: { value: "8" },
        }),
      ).message,
    ).toMatch(/accepted: 6, 10/);
  });

  it.each([
    ["done", { status: "done", video_url: URL_ }, "succeeded"],
    ["unknown", { status: "unknown" }, "queued"],
    ["in_progress", { status: "in_progress" }, "running"],
  ])("reads the status word %s", (_word, body, status) => {
    expect(proxy.parseQuery({ id: "v1", ...body }, "v1", NOW).task.status).toBe(status);
  });

  it.each([
    ["video_url", { video_url: URL_ }],
    ["url", { url: URL_ }],
    ["output.url", { output: { url: URL_ } }],
    ["metadata.url", { metadata: { url: URL_ } }],
  ])("finds the video under %s", (_field, extra) => {
    expect(proxy.parseQuery({ id: "v1", status: "completed", ...extra }, "v1", NOW).task.videoUrl).toBe(URL_);
  });

  it("without a URL, downloads from /v1/videos/{id}/content (with the key, on the gateway's origin)", () => {
    const { task } = proxy.parseQuery({ id: "v1", status: "completed" }, "v1", NOW);
    expect(task.status).toBe("succeeded");
    expect(proxy.buildContent?.("v1")).toEqual({ method: "GET", path: "/v1/videos/v1/content" });
  });

  it("names the gateway, not the built-in module, when an answer cannot be read", () => {
    const err = thrown(() => proxy.parseQuery("not json", "v1", NOW));
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toMatch(/unexpected response from my-proxy/);
  });
});

describe("gateways of the other dialects", () => {
  it("an xai gateway keeps xAI's traits and takes its own request budget", () => {
    const def: GatewayDefinition = {
      dialect: "xai",
      baseUrl: "https://xai-proxy.example.com",
      models: { "grok-imagine-video": { durations: { min: 1, max: 15 } } },
    };
    expect(makeGatewayProvider("x1", def)).toMatchObject({
      requestsPerSecond: 1,
      emptyPollAnswer: true,
      anonymousDownloads: true,
    });
    expect(makeGatewayProvider("x2", { ...def, requestsPerSecond: 5 }).requestsPerSecond).toBe(5);
    expect(makeGatewayProvider("x1", def).ecosystemKeyVariable).toBeUndefined();
  });

  it("a model listed without images takes none", () => {
    const gw = makeGatewayProvider("a1", {
      dialect: "apimart",
      baseUrl: "https://a.example.com",
      models: { m: { durations: [5] } },
    });
    expect(
      cliMessage(
        thrownAs(UsageError, () => validateCreate(gw, { prompt: "p", images: ["https://x.test/i.png"] })),
      ),
    ).toMatch(/--image is not accepted by a1; leave it out/);
  });
});
