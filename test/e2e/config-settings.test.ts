import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

/** `config set` and `config edit` refuse what a create would refuse of the provider's model (issue 23 item 8). */
const e2e = useE2e();
const file = () => join(e2e.dir, ".config", "grokvid", "config.json");
const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { cwd: e2e.dir, env: { GROKVID_HOME: join(e2e.dir, "state"), ...env } });
const readConfig = async (): Promise<unknown> => JSON.parse(await readFile(file(), "utf8"));

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
