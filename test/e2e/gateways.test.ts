import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import { E2E_KEY, useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

const e2e = useE2e();

const RATIOS = ["16:9", "9:16", "1:1", "3:2", "2:3"];

/** One gateway per dialect, each standing in front of the sandbox's matching dialect. */
function gateways() {
  const at = (dialect: "apimart" | "jimmyai" | "duoyuanx" | "xai") => e2e.sandbox.baseUrl(dialect);
  return {
    "my-apimart": {
      dialect: "apimart",
      baseUrl: at("apimart"),
      keyEnv: "MY_APIMART_KEY",
      models: {
        "grok-imagine-1.5-video-apimart": {
          durations: { min: 6, max: 30 },
          ratios: RATIOS,
          resolutions: ["480p", "720p"],
        },
      },
    },
    "my-jimmy": {
      dialect: "jimmyai",
      baseUrl: at("jimmyai"),
      models: {
        "grok-imagine-video-1.5": { durations: [10, 15], ratios: RATIOS, images: { min: 1, max: 1 } },
      },
    },
    "my-newapi": {
      dialect: "openai-videos",
      baseUrl: at("duoyuanx"),
      models: {
        "grok-imagine-video-1.5-preview": {
          durations: { min: 1, max: 20 },
          ratios: ["16:9", "9:16"],
          resolutions: ["480p", "720p"],
          encoding: "json",
        },
      },
    },
    "my-xai": {
      dialect: "xai",
      baseUrl: at("xai"),
      // Its own budget: a reseller's, not xAI's 1 per second.
      requestsPerSecond: 50,
      models: {
        "grok-imagine-video": {
          durations: { min: 1, max: 15 },
          ratios: RATIOS,
          resolutions: ["480p", "720p"],
        },
      },
    },
  };
}

/** The config in the (temp) home folder: the user's own file, trusted as written. */
async function writeConfig(config: unknown): Promise<void> {
  await writeFile(join(e2e.dir, ".grokvideorc.json"), JSON.stringify(config));
}

const keys = {
  MY_APIMART_KEY: E2E_KEY,
  GROKVID_MY_JIMMY_API_KEY: E2E_KEY,
  GROKVID_MY_NEWAPI_API_KEY: E2E_KEY,
  GROKVID_MY_XAI_API_KEY: E2E_KEY,
};

describe("gateways defined only in config", () => {
  it.each([
    ["my-apimart", ["--duration", "6"], "/apimart/v1/videos/generations"],
    [
      "my-jimmy",
      ["--duration", "10", "--image", "https://example.com/cup.jpg"],
      "/jimmyai/api/open-api/v1/grok/videos",
    ],
    ["my-newapi", ["--duration", "8", "--ratio", "16:9", "--resolution", "720p"], "/duoyuanx/v1/videos"],
    ["my-xai", ["--duration", "5"], "/xai/v1/videos/generations"],
  ])("%s: create, wait and download against the sandbox, with no code for it", async (name, flags, path) => {
    await writeConfig({ gateways: gateways() });
    const r = await runCli(
      [
        "create",
        "--provider",
        name,
        "--prompt",
        "a fox",
        ...flags,
        "-o",
        "out.mp4",
        "--interval",
        "100ms",
        "--json",
      ],
      { cwd: e2e.dir, env: { ...keys, GROKVID_HOME: join(e2e.dir, "home") } },
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { id: string; provider: string; status: string };
    expect(doc).toMatchObject({ provider: name, status: "succeeded" });
    const bytes = await readFile(join(e2e.dir, "out.mp4"));
    expect(bytes.equals(generateTaskVideo(doc.id))).toBe(true);
    expect(e2e.sandbox.requests.filter((q) => q.method === "POST").map((q) => q.path)).toEqual([path]);
    // The journal names the gateway, so a later `status` finds it without --provider.
    const status = await runCli(["status", doc.id], {
      cwd: e2e.dir,
      env: { ...keys, GROKVID_HOME: join(e2e.dir, "home") },
    });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain("succeeded");
  });

  it("checks a gateway's model limits before sending anything", async () => {
    await writeConfig({ gateways: gateways() });
    const r = await runCli(
      [
        "create",
        "--provider",
        "my-jimmy",
        "--prompt",
        "x",
        "--duration",
        "12",
        "--image",
        "https://e.x/a.jpg",
      ],
      {
        cwd: e2e.dir,
        env: keys,
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--duration 12 is not accepted by my-jimmy; accepted: 10, 15/);
    expect(e2e.sandbox.requests).toHaveLength(0);
  });

  it.each([
    [
      { "my-gw": { dialect: "soap", baseUrl: "https://x.test", models: { m: { durations: [5] } } } },
      /gateways\.my-gw\.dialect/,
    ],
    [
      { "my-gw": { dialect: "apimart", baseUrl: "https://x.test", models: {} } },
      /gateways\.my-gw\.models: a gateway needs at least one model/,
    ],
    [{ "my-gw": { dialect: "apimart", models: { m: { durations: [5] } } } }, /gateways\.my-gw\.baseUrl/],
    [
      { apimart: { dialect: "apimart", baseUrl: "https://x.test", models: { m: { durations: [5] } } } },
      /gateways\.apimart: a gateway cannot take a built-in provider's name/,
    ],
    [
      {
        "my-gw": {
          dialect: "apimart",
          baseUrl: "https://x.test",
          models: { m: { durations: [5], encoding: "json" } },
        },
      },
      /gateways\.my-gw\.models\.m\.encoding: only the openai-videos dialect/,
    ],
  ])("a malformed gateways entry exits 3 naming the key path (%#)", async (entry, message) => {
    await writeConfig({ gateways: entry });
    const r = await runCli(["create", "--provider", "apimart", "--prompt", "x"], { cwd: e2e.dir, env: keys });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(message);
    expect(e2e.sandbox.requests).toHaveLength(0);
  });

  it("providers lists the configured gateways with their dialects and limits", async () => {
    await writeConfig({ gateways: gateways(), defaultProvider: "my-xai" });
    const r = await runCli(["providers", "--json"], { cwd: e2e.dir, env: keys });
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{
      id: string;
      dialect: string;
      configured: boolean;
      keyVariables: string[];
    }>;
    expect(list.filter((p) => p.configured).map((p) => [p.id, p.dialect, p.keyVariables[0]])).toEqual([
      ["my-apimart", "apimart", "MY_APIMART_KEY"],
      ["my-jimmy", "jimmyai", "GROKVID_MY_JIMMY_API_KEY"],
      ["my-newapi", "openai-videos", "GROKVID_MY_NEWAPI_API_KEY"],
      ["my-xai", "xai", "GROKVID_MY_XAI_API_KEY"],
    ]);
  });

  it("providers lists the sandbox too, offline and without a key (issue 23 item 11)", async () => {
    const r = await runCli(["providers", "--json"], { cwd: e2e.dir, env: keys });
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{
      id: string;
      dialect: string;
      offline: boolean;
      keyVariables: string[];
    }>;
    expect(list.find((p) => p.id === "sandbox")).toMatchObject({
      dialect: "apimart",
      offline: true,
      keyVariables: [],
    });
    const text = await runCli(["providers"], { cwd: e2e.dir, env: keys });
    expect(text.stdout).toMatch(/^sandbox +grok-imagine-1\.5-video-apimart.* offline, no key/m);
  });

  it("a gateway in a project's own config file is refused until the user trusts it (it decides where a key goes)", async () => {
    const project = join(e2e.dir, "project");
    await mkdir(project);
    await writeFile(
      join(project, ".grokvideorc.json"),
      JSON.stringify({ gateways: { "my-xai": gateways()["my-xai"] } }),
    );
    const env = { ...keys, HOME: e2e.dir, GROKVID_HOME: join(e2e.dir, "home") };
    const refused = await runCli(["create", "--provider", "my-xai", "--prompt", "x"], { cwd: project, env });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/is not trusted: .*gateways\.my-xai/);
    expect(e2e.sandbox.requests).toHaveLength(0);
    const trust = await runCli(["config", "trust"], { cwd: project, env });
    expect(trust.code, trust.stderr).toBe(0);
    const sent = await runCli(["create", "--provider", "my-xai", "--prompt", "x"], { cwd: project, env });
    expect(sent.code, sent.stderr).toBe(0);
  });
});
