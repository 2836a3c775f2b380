import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * A canary key, typed where it does not belong or stored where it does, never comes back in any
 * output: not in commander's unknown-option echo (stderr, or stdout under --json), not from
 * `config set`, not under --verbose. The keys here are not in the spawned environment under an
 * _API_KEY name on purpose: runCli's own leak check covers those, these cover the rest.
 */
const e2e = useE2e();
const CANARY = "sk-canary-7c1d2e3f4a5b6c7d8e9f";
const STORED = "sk-stored-canary-0a1b2c3d4e5f";

function env(): Record<string, string> {
  return { GROKVID_HOME: join(e2e.dir, "state") };
}

function expectNoKey(r: { stdout: string; stderr: string }, what: string): void {
  for (const key of [CANARY, STORED]) {
    expect(r.stdout, what).not.toContain(key);
    expect(r.stderr, what).not.toContain(key);
    // Not even a good part of it.
    expect(`${r.stdout}${r.stderr}`, what).not.toContain(key.slice(3, 15));
  }
}

describe("a key is never printed, whatever the path to output", () => {
  it("a mistyped key flag: the unknown option is named without its value, with and without --json", async () => {
    const stored = await runCli(["keys", "set", "apimart"], {
      cwd: e2e.dir,
      env: env(),
      input: `${STORED}\n`,
    });
    expect(stored.code, stored.stderr).toBe(0);
    for (const key of [CANARY, STORED])
      for (const flag of ["--api-key", "--key", "--apikey", "--token"])
        for (const extra of [[], ["--json"], ["--verbose"]]) {
          const args = ["create", "--provider", "apimart", "--prompt", "p", `${flag}=${key}`, ...extra];
          const r = await runCli(args, { cwd: e2e.dir, env: env() });
          expect(r.code, args.join(" ")).toBe(2);
          expect(r.stderr).toContain(`unknown option '${flag}'`);
          expectNoKey(r, args.join(" "));
        }
  }, 60_000);

  it("an unknown command, an option's bad value or a stray argument holding a key is not echoed", async () => {
    await runCli(["keys", "set", "apimart"], { cwd: e2e.dir, env: env(), input: `${STORED}\n` });
    for (const args of [
      [STORED],
      ["create", "--provider", STORED, "--prompt", "p"],
      ["create", "--provider", "apimart", "--duration", STORED, "--prompt", "p", "--json"],
      ["status", "--interval", STORED, "task_1"],
      ["jobs", "--status", STORED, "--json"],
      ["keys", "list", STORED],
    ]) {
      const r = await runCli(args, { cwd: e2e.dir, env: env() });
      expect(r.code, args.join(" ")).not.toBe(0);
      expectNoKey(r, args.join(" "));
    }
  });

  it("config set refuses a key inside an object, under providers and gateways, and echoes none", async () => {
    const cases: [string, unknown][] = [
      ["providers.apimart", { apiKey: CANARY }],
      ["providers", { apimart: { apiKey: CANARY } }],
      ["gateways.mine", { dialect: "openai-videos", baseUrl: "https://example.test", apiKey: CANARY }],
      ["gateways", { mine: { dialect: "openai-videos", baseUrl: "https://example.test", apiKey: CANARY } }],
      [".", { providers: { apimart: { apiKey: CANARY } } }],
    ];
    for (const [path, value] of cases) {
      for (const extra of [[], ["--json"], ["--verbose"]]) {
        const args = ["config", "set", path, JSON.stringify(value), ...extra];
        const r = await runCli(args, { cwd: e2e.dir, env: env() });
        expect(r.code, `${path}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toContain("keys set");
        expectNoKey(r, args.join(" "));
      }
    }
    const file = join(e2e.dir, ".config", "grokvid", "config.json");
    const written = await readFile(file, "utf8").catch(() => "");
    expect(written).not.toContain(CANARY);
  });
});
