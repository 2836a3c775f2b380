import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * Base URLs and gateway names from the user's own config: a password in a URL would be printed
 * and journaled wherever the URL is, a ?query or #fragment mangles every request path, a key sent
 * over plain http to another host travels in clear text, and a gateway named like an
 * Object.prototype member must not find a "key" there.
 */
const e2e = useE2e();
const PASSWORD = "hunter2-secret-pw";

async function userConfig(config: unknown): Promise<void> {
  const dir = join(e2e.dir, ".config", "grokvid");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "config.json"), JSON.stringify(config));
}

function gateway(baseUrl: string, extra: Record<string, unknown> = {}) {
  return {
    gateways: {
      mine: {
        dialect: "apimart",
        baseUrl,
        models: { "grok-imagine-video": { durations: [6, 10] } },
        ...extra,
      },
    },
  };
}

const env = () => ({ GROKVID_HOME: join(e2e.dir, "state"), GROKVID_MINE_API_KEY: "sk-mine-key-000000000" });

describe("base URLs", () => {
  it("a user name or password in any base URL is refused before anything is sent, and never shown", async () => {
    const withPassword = e2e.sandbox.baseUrl("apimart").replace("http://", `http://user:${PASSWORD}@`);
    const runs = [
      {
        args: ["create", "--provider", "apimart", "--prompt", "p", "--base-url", withPassword],
        env: { GROKVID_APIMART_API_KEY: "sk-e2e-key-0123456789" },
        code: 2,
      },
      {
        args: ["create", "--provider", "apimart", "--prompt", "p", "--dry-run"],
        env: { GROKVID_APIMART_BASE_URL: withPassword, GROKVID_APIMART_API_KEY: "sk-e2e-key-0123456789" },
        code: 2,
      },
    ];
    for (const run of runs) {
      const r = await runCli(run.args, { cwd: e2e.dir, env: { ...env(), ...run.env } });
      expect(r.code, r.stderr).toBe(run.code);
      expect(r.stderr).toContain("user name or password");
      expect(`${r.stdout}${r.stderr}`).not.toContain(PASSWORD);
    }
    await userConfig(gateway(withPassword));
    for (const args of [
      ["create", "--provider", "mine", "--prompt", "p", "--dry-run", "--verbose"],
      ["create", "--provider", "mine", "--prompt", "p"],
      ["doctor", "--json"],
    ]) {
      const r = await runCli(args, { cwd: e2e.dir, env: env() });
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(3);
      expect(`${r.stdout}${r.stderr}`).toContain("gateways.mine.baseUrl");
      expect(`${r.stdout}${r.stderr}`).not.toContain(PASSWORD);
    }
    // Nothing was journaled, so nothing can show it later.
    const jobs = await runCli(["jobs", "--json"], { cwd: e2e.dir, env: env() });
    expect(jobs.stdout).not.toContain(PASSWORD);
    expect(e2e.sandbox.requests).toEqual([]);
  });

  it("a ?query or #fragment in a base URL is refused, naming where it came from", async () => {
    const base = e2e.sandbox.baseUrl("apimart");
    for (const bad of [`${base}?x=1`, `${base}#frag`]) {
      const flag = await runCli(["create", "--provider", "apimart", "--prompt", "p", "--base-url", bad], {
        cwd: e2e.dir,
        env: { ...env(), GROKVID_APIMART_API_KEY: "sk-e2e-key-0123456789" },
      });
      expect(flag.code).toBe(2);
      expect(flag.stderr).toContain("--base-url");
      expect(flag.stderr).toContain("query or #fragment");
    }
    for (const bad of [`${base}?x=1`, `${base}#frag`]) {
      await userConfig(gateway(bad));
      const file = await runCli(["create", "--provider", "mine", "--prompt", "p"], {
        cwd: e2e.dir,
        env: env(),
      });
      expect(file.code).toBe(3);
      expect(file.stderr).toContain("gateways.mine.baseUrl");
    }
    expect(e2e.sandbox.requests).toEqual([]);
  });

  it("a key sent over plain http to a host other than this machine gets a warning; loopback does not", async () => {
    await userConfig(gateway("http://127.0.0.1:9"));
    const local = await runCli(["create", "--provider", "mine", "--prompt", "p", "--dry-run"], {
      cwd: e2e.dir,
      env: env(),
    });
    expect(local.code, local.stderr).toBe(0);
    expect(local.stderr).not.toContain("clear text");
    await userConfig(gateway("http://gateway.example.test"));
    const remote = await runCli(["create", "--provider", "mine", "--prompt", "p", "--dry-run"], {
      cwd: e2e.dir,
      env: env(),
    });
    expect(remote.code, remote.stderr).toBe(0);
    expect(remote.stderr).toContain(
      "warning: the key for mine goes to http://gateway.example.test in clear text (not https)",
    );
  });
});

describe("gateway names that are Object.prototype members", () => {
  it("a gateway named constructor with no key is refused with exit 3, and keys list shows no key", async () => {
    await userConfig({
      gateways: {
        constructor: {
          dialect: "apimart",
          baseUrl: e2e.sandbox.baseUrl("apimart"),
          models: { "grok-imagine-video": { durations: [6] } },
        },
      },
    });
    await runCli(["keys", "set", "apimart"], { cwd: e2e.dir, env: env(), input: "sk-stored-key-00000000\n" });
    const r = await runCli(["create", "--provider", "constructor", "--prompt", "p"], {
      cwd: e2e.dir,
      env: env(),
    });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain("no API key for constructor");
    expect(e2e.sandbox.requests).toEqual([]);
    const keys = await runCli(["keys", "list", "--json"], { cwd: e2e.dir, env: env() });
    expect(keys.code, keys.stderr).toBe(0);
    const rows = JSON.parse(keys.stdout) as { provider: string; from?: string }[];
    expect(rows.find((row) => row.provider === "constructor")?.from ?? null).toBeNull();
  });
});
