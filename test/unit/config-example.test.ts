import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { defaultLoaders } from "cosmiconfig";
import { describe, expect, it } from "vitest";
import { selectProvider } from "../../src/config/resolve.js";
import { validateConfig } from "../../src/config/validate.js";
import { providerIds } from "../../src/providers/types.js";

const EXAMPLE = fileURLToPath(new URL("../../.grokvideorc.example", import.meta.url));

describe(".grokvideorc.example", () => {
  it("is valid YAML that passes the config schema and names every provider", async () => {
    const text = await readFile(EXAMPLE, "utf8");
    const raw: unknown = await defaultLoaders[".yaml"](EXAMPLE, text);
    const config = validateConfig(raw, EXAMPLE);
    expect(Object.keys(config.providers ?? {}).sort()).toEqual([...providerIds].sort());
    expect(config.poll).toEqual({ interval: "5s", timeout: "30m", cancelOnTimeout: false });
    expect(config.download?.template).toBe("{provider}-{id}.mp4");
  });

  it("shows a gateways entry that becomes a provider, checked like a built-in one", async () => {
    const text = await readFile(EXAMPLE, "utf8");
    const config = validateConfig(await defaultLoaders[".yaml"](EXAMPLE, text), EXAMPLE);
    const selection = selectProvider("my-proxy", {}, config);
    expect(selection).toMatchObject({
      dialect: "duoyuanx",
      keyVariable: "MY_PROXY_KEY",
      settingsDialect: "openai-videos",
    });
    expect(selection.provider.models.map((m) => [m.id, m.encoding])).toEqual([
      ["grok-imagine-video-1.5-preview", "json"],
      ["grok-video-1.5", "multipart"],
    ]);
    expect(selection.provider.defaultBaseUrl).toBe("https://my-proxy.example.com");
  });
});
