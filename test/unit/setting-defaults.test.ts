import { describe, expect, it } from "vitest";
import { resolveLowSpeed, resolvePoll, resolveTimeouts } from "../../src/config/resolve.js";
import { validateConfig } from "../../src/config/validate.js";
import { checkKeyPath } from "../../src/config/key-paths.js";
import { defaultAt } from "../../src/core/setup/setting-defaults.js";
import { providerSpecs } from "../../src/providers/specs.js";
import { providerIds } from "../../src/providers/types.js";
import { UsageError } from "../../src/util/errors.js";
import { thrownAs } from "./support.js";

/** What `config get` and `config list` call the default is what the commands use when nothing is set. */
describe("built-in defaults", () => {
  const defaults = validateConfig(defaultAt([], {}), "defaults");

  it("load as a config file, and written out change nothing the commands do", () => {
    expect(resolvePoll({}, defaults)).toEqual(resolvePoll({}, {}));
    expect(resolveTimeouts(defaults)).toEqual(resolveTimeouts({}));
    expect(resolveLowSpeed(defaults)).toEqual(resolveLowSpeed({}));
    for (const id of providerIds)
      expect(defaults.providers?.[id], id).toEqual({
        baseUrl: providerSpecs[id].defaultBaseUrl,
        model: providerSpecs[id].defaultModel,
      });
  });

  it("gives a section's defaults, a setting's, and none where the gateway decides", () => {
    expect(defaultAt(["poll"], {})).toEqual({ interval: "5s", timeout: "30m", cancelOnTimeout: false });
    expect(defaultAt(["download", "template"], {})).toBe("{provider}-{id}.mp4");
    expect(defaultAt(["providers", "apimart", "defaults", "duration"], {})).toBeUndefined();
    const gateway = {
      dialect: "openai-videos" as const,
      baseUrl: "https://gw.example",
      models: { m1: { durations: [5] } },
    };
    expect(defaultAt(["gateways", "gw", "model"], { gateways: { gw: gateway } })).toBe("m1");
  });
});

describe("checkKeyPath", () => {
  it("takes every setting the schema has, and names the one a slip was meant to be", () => {
    expect(checkKeyPath("providers.xai.defaults.ratio")).toEqual(["providers", "xai", "defaults", "ratio"]);
    expect(checkKeyPath("gateways.any-name.model")).toHaveLength(3);
    const slip = (key: string) => thrownAs(UsageError, () => checkKeyPath(key)).message;
    expect(slip("poll.intervl")).toBe("poll.intervl is not a setting; did you mean poll.interval?");
    expect(slip("providers.apimrt.model")).toContain("did you mean providers.apimart.model?");
    expect(slip("poll.interval.x")).toContain("poll.interval is a setting of its own");
    expect(slip("poll.zzzzzz")).toContain("poll has interval, timeout, cancelOnTimeout");
  });
});
