import { describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/validate.js";
import {
  configCreateDefaults,
  keyVariable,
  resolveConnection,
  resolvePoll,
  selectProvider,
} from "../../src/config/resolve.js";
import type { GrokvidConfig } from "../../src/config/schema.js";
import { ConfigError, UsageError } from "../../src/util/errors.js";
import { thrownAs } from "./support.js";

const SECRET = "sk-live-9f8e7d6c5b4a39281706";

describe("selectProvider", () => {
  const config: GrokvidConfig = { defaultProvider: "jimmyai" };

  it("prefers the flag, then GROKVID_PROVIDER, then defaultProvider", () => {
    expect(selectProvider("apimart", { GROKVID_PROVIDER: "xcompute" }, config).choice).toBe("apimart");
    expect(selectProvider(undefined, { GROKVID_PROVIDER: "xcompute" }, config).choice).toBe("xcompute");
    expect(selectProvider(undefined, {}, config).choice).toBe("jimmyai");
  });

  it("compares case-insensitively and ignores surrounding spaces", () => {
    expect(selectProvider(" DuoYuanX ", {}, {})).toMatchObject({ choice: "duoyuanx", dialect: "duoyuanx" });
  });

  it("speaks apimart's dialect for the sandbox", () => {
    expect(selectProvider("sandbox", {}, {})).toMatchObject({ choice: "sandbox", dialect: "apimart" });
  });

  it("refuses no provider at all, listing the choices (exit 2)", () => {
    const err = thrownAs(UsageError, () => selectProvider(undefined, {}, {}));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain("--provider");
    expect(err.message).toContain(
      "apimart, xcompute, jimmyai, duoyuanx, xai, fal, replicate, openrouter, aimlapi, sandbox",
    );
  });

  it("names where an unknown provider came from", () => {
    expect(thrownAs(UsageError, () => selectProvider("openai", {}, {})).message).toMatch(
      /^--provider openai is not a known provider; accepted: apimart/,
    );
    expect(
      thrownAs(UsageError, () => selectProvider(undefined, { GROKVID_PROVIDER: "sora" }, {})).message,
    ).toContain("GROKVID_PROVIDER sora");
  });
});

describe("resolveConnection", () => {
  const apimart = { choice: "apimart", dialect: "apimart" } as const;
  const fileConfig: GrokvidConfig = {
    providers: { apimart: { apiKey: "sk-from-config-000111", baseUrl: "https://config.example.com/prefix" } },
  };

  it("takes the base URL from the flag first", () => {
    const c = resolveConnection(
      apimart,
      "https://flag.example.com",
      { GROKVID_APIMART_API_KEY: "sk-env-000111", GROKVID_APIMART_BASE_URL: "https://env.example.com" },
      fileConfig,
    );
    expect(c.baseUrl).toBe("https://flag.example.com");
  });

  it("then from GROKVID_<PROVIDER>_BASE_URL", () => {
    const c = resolveConnection(
      apimart,
      undefined,
      { GROKVID_APIMART_BASE_URL: "https://env.example.com" },
      fileConfig,
    );
    expect(c.baseUrl).toBe("https://env.example.com");
  });

  it("then from the config file", () => {
    expect(resolveConnection(apimart, undefined, {}, fileConfig).baseUrl).toBe(
      "https://config.example.com/prefix",
    );
  });

  it("then the built-in default", () => {
    const c = resolveConnection(apimart, undefined, { GROKVID_APIMART_API_KEY: "sk-env-000111" }, {});
    expect(c.baseUrl).toBe("https://api.apimart.ai");
    const d = resolveConnection(
      { choice: "duoyuanx", dialect: "duoyuanx" },
      undefined,
      { GROKVID_DUOYUANX_API_KEY: "sk-env-000111" },
      {},
    );
    expect(d.baseUrl).toBe("https://duoyuanx.com");
  });

  it("takes the key from the environment before the config file, and names the variable", () => {
    expect(
      resolveConnection(apimart, undefined, { GROKVID_APIMART_API_KEY: " sk-env-000111 " }, fileConfig),
    ).toEqual({
      baseUrl: "https://config.example.com/prefix",
      apiKey: "sk-env-000111",
      keyVariable: "GROKVID_APIMART_API_KEY",
      keyHint: "the key came from GROKVID_APIMART_API_KEY; check it there",
    });
    const fromFile = resolveConnection(apimart, undefined, {}, fileConfig);
    expect(fromFile.apiKey).toBe("sk-from-config-000111");
    expect(fromFile.keyHint).toBe(
      "the key came from providers.apimart.apiKey in the config file; check it there",
    );
    expect(resolveConnection(apimart, undefined, { GROKVID_APIMART_API_KEY: "  " }, fileConfig).apiKey).toBe(
      "sk-from-config-000111",
    );
  });

  it("uses apimart's key for the sandbox dialect", () => {
    const c = resolveConnection(
      { choice: "sandbox", dialect: "apimart" },
      undefined,
      { GROKVID_APIMART_API_KEY: "sk-a-000111" },
      {},
    );
    expect(c.keyVariable).toBe("GROKVID_APIMART_API_KEY");
  });

  it("fails with ConfigError (exit 3) when no key is found, never printing any key", () => {
    const env = { GROKVID_XCOMPUTE_API_KEY: SECRET, GROKVID_APIMART_BASE_URL: "https://env.example.com" };
    const config: GrokvidConfig = {
      providers: { jimmyai: { apiKey: `${SECRET}-cfg` }, apimart: { model: "m" } },
    };
    const err = thrownAs(ConfigError, () => resolveConnection(apimart, undefined, env, config));
    expect(err.exitCode).toBe(3);
    expect(err.message).toContain("apimart");
    expect(err.hint).toContain("GROKVID_APIMART_API_KEY");
    expect(err.hint).toContain("providers.apimart.apiKey");
    expect(`${err.message} ${err.hint}`).not.toContain(SECRET);
    expect(`${err.message} ${err.hint}`).not.toMatch(/sk-/);
  });

  it("refuses a base URL that is not http(s), naming where it came from (exit 2)", () => {
    const env = { GROKVID_APIMART_API_KEY: "sk-env-000111" };
    expect(
      thrownAs(UsageError, () => resolveConnection(apimart, "ftp://x.example.com", env, {})).message,
    ).toContain("--base-url");
    expect(thrownAs(UsageError, () => resolveConnection(apimart, "not a url", env, {})).exitCode).toBe(2);
    const bad = { ...env, GROKVID_APIMART_BASE_URL: "file:///etc" };
    expect(thrownAs(UsageError, () => resolveConnection(apimart, undefined, bad, {})).message).toContain(
      "GROKVID_APIMART_BASE_URL",
    );
  });
});

describe("keyVariable", () => {
  it.each([
    ["apimart", "GROKVID_APIMART_API_KEY"],
    ["xcompute", "GROKVID_XCOMPUTE_API_KEY"],
    ["jimmyai", "GROKVID_JIMMYAI_API_KEY"],
    ["duoyuanx", "GROKVID_DUOYUANX_API_KEY"],
  ] as const)("%s -> %s", (id, variable) => {
    expect(keyVariable(id)).toBe(variable);
  });
});

describe("configCreateDefaults", () => {
  it("labels every default with its config key path", () => {
    const config: GrokvidConfig = {
      providers: {
        apimart: {
          model: "grok-imagine-1.5-video-apimart",
          defaults: { duration: 6, ratio: "16:9", resolution: "720p" },
        },
      },
    };
    expect(configCreateDefaults("apimart", config)).toEqual({
      model: { value: "grok-imagine-1.5-video-apimart", configKey: "providers.apimart.model" },
      duration: { value: 6, configKey: "providers.apimart.defaults.duration" },
      ratio: { value: "16:9", configKey: "providers.apimart.defaults.ratio" },
      resolution: { value: "720p", configKey: "providers.apimart.defaults.resolution" },
    });
  });

  it("is empty without settings for that provider", () => {
    expect(configCreateDefaults("jimmyai", { providers: { apimart: { model: "m" } } })).toEqual({});
    expect(configCreateDefaults("jimmyai", {})).toEqual({});
  });
});

describe("resolvePoll", () => {
  it("defaults to 5 s and 30 min, and 1 s for the sandbox", () => {
    expect(resolvePoll({}, {})).toEqual({ intervalMs: 5000, timeoutMs: 1_800_000, cancelOnTimeout: false });
    expect(resolvePoll({}, {}, "sandbox")).toEqual({
      intervalMs: 1000,
      timeoutMs: 1_800_000,
      cancelOnTimeout: false,
    });
  });

  it("prefers flags over the config file over defaults", () => {
    const config: GrokvidConfig = { poll: { interval: "10s", timeout: 120 } };
    expect(resolvePoll({}, config)).toEqual({
      intervalMs: 10_000,
      timeoutMs: 120_000,
      cancelOnTimeout: false,
    });
    expect(resolvePoll({ interval: "250ms", timeout: "1h" }, config)).toEqual({
      intervalMs: 250,
      timeoutMs: 3_600_000,
      cancelOnTimeout: false,
    });
    expect(resolvePoll({ interval: "2s" }, config, "sandbox").intervalMs).toBe(2000);
  });

  it("accepts a zero timeout (check once)", () => {
    expect(resolvePoll({ timeout: "0" }, {}).timeoutMs).toBe(0);
  });

  it("refuses a value that is not a duration, naming the flag and value (exit 2)", () => {
    const err = thrownAs(UsageError, () => resolvePoll({ timeout: "forever" }, {}));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain("--timeout forever");
    expect(thrownAs(UsageError, () => resolvePoll({ interval: "5 parsecs" }, {})).message).toContain(
      "--interval",
    );
  });

  it("a too-short poll.interval is a config error naming the key, not a flag the user never typed", () => {
    const err = thrownAs(ConfigError, () =>
      validateConfig({ poll: { interval: "50ms" } }, "/x/.grokvideorc"),
    );
    expect(err.message).toContain("poll.interval");
    expect(err.message).not.toContain("--interval");
  });

  it("refuses an interval under 100 ms", () => {
    expect(thrownAs(UsageError, () => resolvePoll({ interval: "50ms" }, {})).message).toContain("100ms");
    expect(resolvePoll({ interval: "100ms" }, {}).intervalMs).toBe(100);
  });
});

describe("validateConfig", () => {
  const FILE = "/home/u/.grokvideorc";

  it("accepts the documented shape", () => {
    const raw = {
      defaultProvider: "apimart",
      providers: {
        apimart: {
          apiKey: SECRET,
          baseUrl: "https://api.apimart.ai",
          model: "grok-imagine-1.5-video-apimart",
          defaults: { duration: 6, ratio: "16:9", resolution: "720p" },
        },
      },
      poll: { interval: "5s", timeout: "30m" },
      download: { dir: ".", template: "{provider}-{id}.mp4" },
    };
    expect(validateConfig(raw, FILE)).toEqual(raw);
  });

  it("treats an empty file as an empty config", () => {
    expect(validateConfig(undefined, FILE)).toEqual({});
    expect(validateConfig(null, FILE)).toEqual({});
  });

  const invalid: ReadonlyArray<readonly [string, unknown, string]> = [
    ["an unknown top-level key holding a key", { apiKey: SECRET }, "(top level): unknown key apiKey"],
    [
      "a misspelt provider setting holding a key",
      { providers: { apimart: { apikey: SECRET } } },
      "providers.apimart: unknown key apikey",
    ],
    [
      "a key where a URL belongs",
      { providers: { apimart: { baseUrl: SECRET } } },
      "providers.apimart.baseUrl",
    ],
    [
      "a non-http base URL",
      { providers: { xcompute: { baseUrl: `ftp://${SECRET}@x.example.com` } } },
      "providers.xcompute.baseUrl",
    ],
    ["a key of the wrong type", { providers: { jimmyai: { apiKey: [SECRET] } } }, "providers.jimmyai.apiKey"],
    ["a key as the default provider", { defaultProvider: SECRET }, "defaultProvider"],
    ["a key as a poll interval", { poll: { interval: SECRET } }, "poll.interval"],
    [
      "a negative duration default",
      { providers: { apimart: { defaults: { duration: -6 } } } },
      "providers.apimart.defaults.duration",
    ],
    ["an unknown download key", { download: { folder: SECRET } }, "download: unknown key folder"],
    ["a number where an object belongs", { poll: 5 }, "poll"],
  ];

  it.each(invalid)("refuses %s, naming the key path and never the value", (_name, raw, path) => {
    const err = thrownAs(ConfigError, () => validateConfig(raw, FILE));
    expect(err.exitCode).toBe(3);
    expect(err.message).toContain(FILE);
    expect(err.message).toContain(path);
    expect(err.message).not.toContain(SECRET);
    expect(err.message).not.toContain("9f8e7d6c");
    expect(err.hint ?? "").not.toContain(SECRET);
  });
});
