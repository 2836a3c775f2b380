import { describe, expect, it } from "vitest";
import { selectProvider } from "../../src/config/resolve.js";
import type { GrokvidConfig } from "../../src/config/schema.js";
import { validateConfig } from "../../src/config/validate.js";
import { resolveModel } from "../../src/core/jobs/validate-create.js";
import { ConfigError, UsageError } from "../../src/util/errors.js";
import { providers } from "../../src/providers/registry.js";
import { closestMatch, didYouMean, editDistance } from "../../src/util/did-you-mean.js";
import { thrownAs } from "./support.js";
import { cliMessage } from "../../src/cli/flag-wording.js";

describe("editDistance", () => {
  it.each([
    ["", "", 0],
    ["abc", "", 3],
    ["", "abc", 3],
    ["apimart", "apimart", 0],
    ["apimrt", "apimart", 1],
    ["vidoe", "video", 1],
    ["kitten", "sitting", 3],
    ["xia", "xai", 1],
  ])("%s -> %s is %i edits", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe("closestMatch", () => {
  const names = ["apimart", "xcompute", "jimmyai", "duoyuanx", "xai", "sandbox"];

  it("suggests the nearest name for a slip", () => {
    expect(closestMatch("apimrt", names)).toBe("apimart");
    expect(closestMatch("jimyai", names)).toBe("jimmyai");
    expect(closestMatch("xia", names)).toBe("xai");
  });

  it("stays quiet for a different word, and for the word itself", () => {
    expect(closestMatch("openai", names)).toBeUndefined();
    expect(closestMatch("sora", names)).toBeUndefined();
    expect(closestMatch("xai", names)).toBeUndefined();
    expect(didYouMean("openai", names)).toBe("");
  });

  it("takes a difference in case for the closest slip", () => {
    expect(closestMatch("defaultprovider", ["defaultProvider", "providers"])).toBe("defaultProvider");
  });
});

describe("did-you-mean in the messages", () => {
  const config: GrokvidConfig = {
    gateways: {
      "my-proxy": {
        dialect: "openai-videos",
        baseUrl: "https://p.example.com",
        models: { m: { durations: [6] } },
      },
    },
  };

  it("a provider name, a gateway's included, keeps the accepted list and adds the suggestion", () => {
    const err = thrownAs(UsageError, () => selectProvider("apimrt", {}, {}));
    expect(err.message).toMatch(/^--provider apimrt is not a known provider; accepted: apimart, /);
    expect(err.message).toMatch(/; did you mean apimart\?$/);
    expect(thrownAs(UsageError, () => selectProvider("my-proxi", {}, config)).message).toContain(
      "did you mean my-proxy?",
    );
    expect(thrownAs(UsageError, () => selectProvider("openai", {}, {})).message).not.toContain(
      "did you mean",
    );
  });

  it("a model name", () => {
    const err = thrownAs(UsageError, () => resolveModel(providers.xai, { value: "grok-imagine-vidoe" }));
    expect(cliMessage(err)).toContain("--model grok-imagine-vidoe is not offered by xai");
    expect(err.message).toMatch(/; did you mean grok-imagine-video\?$/);
  });

  it("a config key, at the top level and nested, among the keys of that place only", () => {
    const top = thrownAs(ConfigError, () => validateConfig({ defaultProvder: "xai" }, "/c.json"));
    expect(top.message).toBe(
      "config file /c.json: (top level): unknown key defaultProvder; did you mean defaultProvider?",
    );
    const nested = thrownAs(ConfigError, () => validateConfig({ poll: { intreval: "5s" } }, "/c.json"));
    expect(nested.message).toContain("poll: unknown key intreval; did you mean interval?");
    const provider = thrownAs(ConfigError, () =>
      validateConfig({ providers: { xai: { baseURL: "https://x.example.com" } } }, "/c.json"),
    );
    expect(provider.message).toContain("providers.xai: unknown key baseURL; did you mean baseUrl?");
    const gateway = thrownAs(ConfigError, () =>
      validateConfig(
        {
          gateways: {
            g: {
              dialect: "xai",
              baseUrl: "https://g.example.com",
              models: { m: { durations: [6] } },
              defualts: {},
            },
          },
        },
        "/c.json",
      ),
    );
    expect(gateway.message).toContain("gateways.g: unknown key defualts; did you mean defaults?");
    const far = thrownAs(ConfigError, () => validateConfig({ download: { folder: "x" } }, "/c.json"));
    expect(far.message).toMatch(/download: unknown key folder$/);
  });
});
