import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * `config set` refuses what a create would refuse of the provider's model, `config unset` takes a
 * setting out again, `config get` of an unset key gives the default, and `config list` shows every
 * effective setting with where it comes from (issue 23 item 8).
 */
const e2e = useE2e();
const file = () => join(e2e.dir, ".config", "grokvid", "config.json");
const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { cwd: e2e.dir, env: { GROKVID_HOME: join(e2e.dir, "state"), ...env } });
const readConfig = async (): Promise<unknown> => JSON.parse(await readFile(file(), "utf8"));

async function writeConfig(config: unknown): Promise<void> {
  await mkdir(join(file(), ".."), { recursive: true });
  await writeFile(file(), JSON.stringify(config), { mode: 0o600 });
}

describe("config set checks a value against the provider's model limits", () => {
  it("refuses a duration, ratio or model a create would refuse, naming the setting and the accepted values", async () => {
    expect((await cli(["config", "set", "providers.apimart.defaults.duration", "10"])).code).toBe(0);
    const before = await readFile(file(), "utf8");
    const cases: [string, string, string[]][] = [
      ["providers.apimart.defaults.duration", "5", ["accepted: 6-30"]],
      ["providers.apimart.defaults.ratio", "4:3", ["accepted: 16:9, 9:16, 1:1, 3:2, 2:3"]],
      ["providers.apimart.defaults.resolution", "1080p", ["accepted: 480p, 720p"]],
      ["providers.apimart.model", "grok-nope", ["not offered by apimart", "grok-imagine-1.5-video-apimart"]],
    ];
    for (const [key, value, fragments] of cases) {
      const r = await cli(["config", "set", key, value]);
      expect(r.code, `${key} ${value}: ${r.stderr}`).toBe(3);
      expect(r.stderr).toContain(key);
      for (const fragment of fragments) expect(r.stderr).toContain(fragment);
      // The library names the setting; no flag was typed, so none is named.
      expect(r.stderr).not.toMatch(/--(duration|ratio|resolution|model)\b/);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect(await readFile(file(), "utf8")).toBe(before);
    // What set accepted, a create takes.
    const dry = await cli(["create", "--provider", "apimart", "--prompt", "p", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
  });

  it("refuses a model whose limits the defaults already set do not fit", async () => {
    expect((await cli(["config", "set", "providers.duoyuanx.defaults.duration", "6"])).code).toBe(0);
    const r = await cli(["config", "set", "providers.duoyuanx.model", "grok-video-1.5-pro"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("providers.duoyuanx.defaults.duration");
    expect(r.stderr).toContain("accepted: 10");
    expect(await readConfig()).toEqual({ providers: { duoyuanx: { defaults: { duration: 6 } } } });
  });

  it("checks a gateway's defaults against the gateway's own models", async () => {
    const gateway = {
      dialect: "openai-videos",
      baseUrl: "https://gw.example.com",
      models: { m1: { durations: [5, 10] } },
    };
    expect((await cli(["config", "set", "gateways.gw", JSON.stringify(gateway)])).code).toBe(0);
    const r = await cli(["config", "set", "gateways.gw.defaults.duration", "7"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("gateways.gw.defaults.duration");
    expect(r.stderr).toContain("accepted: 5, 10");
    expect((await cli(["config", "set", "gateways.gw.defaults.duration", "10"])).code).toBe(0);
  });
});

describe("config edit checks the same limits", () => {
  it("refuses an edit that sets a default the provider's model does not take", async () => {
    await cli(["config", "set", "poll.interval", "2s"]);
    const before = await readFile(file(), "utf8");
    const script = join(e2e.dir, "editor.sh");
    await writeFile(script, '#!/bin/sh\nprintf \'%s\' "$NEW" > "$1"\n', { mode: 0o755 });
    const NEW = JSON.stringify({ providers: { apimart: { defaults: { duration: 5 } } } });
    const r = await cli(["config", "edit"], { EDITOR: script, NEW, TMPDIR: e2e.dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("providers.apimart.defaults.duration");
    expect(r.stderr).toContain("accepted: 6-30");
    expect(r.stderr).toContain("your edit is kept in");
    expect(await readFile(file(), "utf8")).toBe(before);
  });
});

describe("config get of an unset key", () => {
  it("prints the default and says on stderr that it is the default", async () => {
    const interval = await cli(["config", "get", "poll.interval"]);
    expect(interval.code, interval.stderr).toBe(0);
    expect(interval.stdout).toBe("5s\n");
    expect(interval.stderr).toMatch(/not set in .*config\.json.*default/);
    const model = await cli(["config", "get", "providers.apimart.model"]);
    expect(model.stdout).toBe("grok-imagine-1.5-video-apimart\n");
    const json = await cli(["config", "get", "poll.timeout", "--json"]);
    expect(JSON.parse(json.stdout)).toBe("30m");
  });

  it("says a setting without a default is not set, exit 0, and refuses an unknown key with a suggestion", async () => {
    const none = await cli(["config", "get", "providers.apimart.defaults.duration"]);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toBe("");
    expect(none.stderr).toContain("no default");
    const typo = await cli(["config", "get", "poll.intervl"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("did you mean poll.interval?");
  });
});

describe("config unset", () => {
  it("removes a setting from the file config set writes, and the sections it leaves empty", async () => {
    await cli(["config", "set", "poll.interval", "2s"]);
    await cli(["config", "set", "providers.apimart.defaults.duration", "10"]);
    const r = await cli(["config", "unset", "providers.apimart.defaults.duration"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(file());
    expect(await readConfig()).toEqual({ poll: { interval: "2s" } });
    expect((await cli(["config", "get", "providers.apimart.defaults.duration"])).stderr).toContain("not set");
  });

  it("refuses an unknown key with a suggestion, and says when a key was not set", async () => {
    await cli(["config", "set", "poll.interval", "2s"]);
    const before = await readFile(file(), "utf8");
    const typo = await cli(["config", "unset", "poll.intervall"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("did you mean poll.interval?");
    const notSet = await cli(["config", "unset", "poll.timeout"]);
    expect(notSet.code, notSet.stderr).toBe(0);
    expect(notSet.stderr).toContain("poll.timeout is not set");
    expect(await readFile(file(), "utf8")).toBe(before);
  });

  it("refuses to unset a model when the defaults left behind do not fit the default model", async () => {
    await writeConfig({
      providers: { duoyuanx: { model: "grok-video-1.5", defaults: { resolution: "1080p" } } },
    });
    const before = await readFile(file(), "utf8");
    const r = await cli(["config", "unset", "providers.duoyuanx.model"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("providers.duoyuanx.defaults.resolution");
    expect(r.stderr).toContain("accepted: 480p, 720p");
    expect(await readFile(file(), "utf8")).toBe(before);
  });
});

describe("config list", () => {
  const key = "sk-config-key-0123456789";
  const env = { GROKVID_PROVIDER: "xai", GROKVID_XAI_BASE_URL: "http://127.0.0.1:9" };

  it("prints every effective setting, its value and where it comes from; keys masked", async () => {
    await writeConfig({
      poll: { interval: "2s" },
      providers: { apimart: { apiKey: key, defaults: { duration: 10 } } },
    });
    const r = await cli(["config", "list", "--json"], env);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { key: string; value: unknown; from: string }[];
    const row = (k: string) => rows.find((x) => x.key === k);
    expect(row("poll.interval")).toEqual({ key: "poll.interval", value: "2s", from: file() });
    expect(row("poll.timeout")).toEqual({ key: "poll.timeout", value: "30m", from: "default" });
    expect(row("defaultProvider")).toEqual({
      key: "defaultProvider",
      value: "xai",
      from: "GROKVID_PROVIDER",
    });
    expect(row("providers.xai.baseUrl")).toMatchObject({
      value: "http://127.0.0.1:9",
      from: "GROKVID_XAI_BASE_URL",
    });
    expect(row("providers.apimart.baseUrl")).toMatchObject({
      value: "https://api.apimart.ai",
      from: "default",
    });
    expect(row("providers.apimart.model")).toMatchObject({
      value: "grok-imagine-1.5-video-apimart",
      from: "default",
    });
    expect(row("providers.apimart.defaults.duration")).toMatchObject({ value: 10, from: file() });
    expect(row("providers.apimart.defaults.ratio")).toMatchObject({ value: null, from: "default" });
    expect(row("providers.apimart.apiKey")).toMatchObject({ value: "sk-***89", from: file() });
    expect(row("download.template")).toMatchObject({ value: "{provider}-{id}.mp4", from: "default" });
    expect(r.stdout + r.stderr).not.toContain(key);

    const text = await cli(["config", "list"], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^KEY\s+VALUE\s+FROM$/m);
    expect(text.stdout).toMatch(
      new RegExp(`^poll\\.interval\\s+2s\\s+${file().replace(/[.]/g, "\\.")}$`, "m"),
    );
    expect(text.stdout).toMatch(/^poll\.timeout\s+30m\s+default$/m);
    expect(text.stdout).toMatch(/^defaultProvider\s+xai\s+GROKVID_PROVIDER$/m);
    expect(text.stdout + text.stderr).not.toContain(key);
  });
});
