import { spawn } from "node:child_process";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { BIN, runCli } from "../helpers/run-cli.js";

/** `keys set|list|path`: keys from standard input or a hidden prompt, stored 0600, never printed. */
const e2e = useE2e();
const STORED = "sk-stored-key-0123456789";

const keysFile = () => join(e2e.dir, ".config", "grokvid", "keys.json");
const env = () => ({ GROKVID_HOME: join(e2e.dir, "state") });

function expectNoKey(r: { stdout: string; stderr: string }, key = STORED): void {
  expect(r.stdout).not.toContain(key);
  expect(r.stderr).not.toContain(key);
}

describe("grokvid keys", () => {
  it("set reads the first line of standard input, stores it 0600, prints only the file; create then uses it", async () => {
    const set = await runCli(["keys", "set", "apimart"], {
      cwd: e2e.dir,
      env: env(),
      input: `${STORED}\nmore\n`,
    });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout.trim()).toBe(keysFile());
    expectNoKey(set);
    expect((await stat(keysFile())).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(keysFile(), "utf8"))).toEqual({ apimart: STORED });

    const path = await runCli(["keys", "path"], { cwd: e2e.dir, env: env() });
    expect(path.stdout.trim()).toBe(keysFile());

    // No key in the environment or a config file: the stored one is sent (the sandbox answers).
    const created = await runCli(
      ["create", "--provider", "apimart", "--prompt", "p", "--base-url", e2e.sandbox.baseUrl("apimart")],
      { cwd: e2e.dir, env: env() },
    );
    expect(created.code, created.stderr).toBe(0);
    expectNoKey(created);
    const journal = await readFile(join(e2e.dir, "state", "journal.jsonl"), "utf8");
    expect(journal).not.toContain(STORED);
    expect(e2e.sandbox.requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("an empty key or an unknown provider is refused (exit 2) and nothing is stored", async () => {
    const empty = await runCli(["keys", "set", "apimart"], { cwd: e2e.dir, env: env(), input: "\n" });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("no key");
    const unknown = await runCli(["keys", "set", "nope"], { cwd: e2e.dir, env: env(), input: `${STORED}\n` });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("accepted: apimart");
    expectNoKey(unknown);
    await expect(stat(keysFile())).rejects.toThrow();
    // The hint names a command and a file that exist for an installed package, not the repo's example.
    const missing = await runCli(["create", "--provider", "apimart", "--prompt", "p"], {
      cwd: e2e.dir,
      env: env(),
    });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("run: grokvid keys set apimart");
    expect(missing.stderr).toContain(join(e2e.dir, ".config", "grokvid", "config.json"));
    expect(missing.stderr).not.toContain(".grokvideorc.example");
  });

  it("list shows where each key comes from, masked: environment over config file over keys file", async () => {
    await runCli(["keys", "set", "jimmyai"], { cwd: e2e.dir, env: env(), input: `${STORED}\n` });
    await runCli(["keys", "set", "xai"], { cwd: e2e.dir, env: env(), input: `${STORED}\n` });
    const userConfig = join(e2e.dir, ".config", "grokvid", "config.json");
    const fileKey = "sk-config-file-key-987654";
    await writeFile(userConfig, JSON.stringify({ providers: { jimmyai: { apiKey: fileKey } } }), {
      mode: 0o600,
    });
    const envKey = "xai-environment-key-55555";
    const list = await runCli(["keys", "list", "--json"], {
      cwd: e2e.dir,
      env: { ...env(), GROKVID_XAI_API_KEY: envKey },
    });
    expect(list.code, list.stderr).toBe(0);
    expectNoKey(list);
    expect(list.stdout).not.toContain(fileKey);
    const rows: unknown = JSON.parse(list.stdout);
    expect(rows).toEqual(
      expect.arrayContaining([
        { provider: "apimart", from: null, key: null },
        { provider: "jimmyai", from: `providers.jimmyai.apiKey in ${userConfig}`, key: "sk-***54" },
        { provider: "xai", from: "GROKVID_XAI_API_KEY", key: "xai***55" },
      ]),
    );
    const text = await runCli(["keys", "list"], { cwd: e2e.dir, env: env() });
    expect(text.stdout).toMatch(/^xai\s+sk-\*\*\*89\s+.*keys\.json$/m);
  });

  it("a configured gateway's key can be stored, and the set warns when the environment wins", async () => {
    const userConfig = join(e2e.dir, ".config", "grokvid", "config.json");
    await mkdir(join(userConfig, ".."), { recursive: true });
    await writeFile(
      userConfig,
      JSON.stringify({
        gateways: {
          "my-proxy": {
            dialect: "apimart",
            baseUrl: e2e.sandbox.baseUrl("apimart"),
            models: { "grok-imagine-1.5-video-apimart": { durations: { min: 6, max: 30 } } },
          },
        },
      }),
    );
    const set = await runCli(["keys", "set", "my-proxy"], {
      cwd: e2e.dir,
      env: { ...env(), GROKVID_MY_PROXY_API_KEY: "sk-env-wins-000000" },
      input: `${STORED}\n`,
    });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).toContain("GROKVID_MY_PROXY_API_KEY is set and wins");
    expect(JSON.parse(await readFile(keysFile(), "utf8"))).toEqual({ "my-proxy": STORED });
    const created = await runCli(["create", "--provider", "my-proxy", "--prompt", "p"], {
      cwd: e2e.dir,
      env: env(),
    });
    expect(created.code, created.stderr).toBe(0);
    expectNoKey(created);
  });

  it("a damaged keys file stops a command with exit 3 naming the file, never its text", async () => {
    await mkdir(join(keysFile(), ".."), { recursive: true });
    await writeFile(keysFile(), `{"apimart": "${STORED}",`, { mode: 0o600 });
    const r = await runCli(["create", "--provider", "apimart", "--prompt", "p"], {
      cwd: e2e.dir,
      env: env(),
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`keys file ${keysFile()} is not valid JSON`);
    expectNoKey(r);
  });

  it("on a terminal the key is read at a hidden prompt and never echoed", async () => {
    const command = `${process.execPath} ${BIN} keys set apimart`;
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn("script", ["-qec", command, "/dev/null"], {
        cwd: e2e.dir,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: e2e.dir,
          XDG_CONFIG_HOME: join(e2e.dir, ".config"),
          NO_COLOR: "1",
        },
      });
      let text = "";
      let typed = false;
      child.stdout.on("data", (c: Buffer) => {
        text += c.toString();
        if (typed || !text.includes("(not shown)")) return;
        typed = true;
        child.stdin.write(`${STORED}\r`);
      });
      child.on("error", reject);
      child.on("close", () => resolve(text));
    });
    expect(output).toContain("(not shown)");
    expect(output).not.toContain(STORED);
    expect(JSON.parse(await readFile(keysFile(), "utf8"))).toEqual({ apimart: STORED });
  });
});

describe("a rejected key's hint (issue 23 item 7)", () => {
  const REJECTED = "sk-invalid-stored-key";
  const create = (extra: Record<string, string> = {}) =>
    runCli(
      ["create", "--provider", "xcompute", "--prompt", "p", "--base-url", e2e.sandbox.baseUrl("xcompute")],
      { cwd: e2e.dir, env: { ...env(), ...extra } },
    );

  it("names grokvid keys when the stored key was the one rejected, not a variable that is not set", async () => {
    const set = await runCli(["keys", "set", "xcompute"], {
      cwd: e2e.dir,
      env: env(),
      input: `${REJECTED}\n`,
    });
    expect(set.code, set.stderr).toBe(0);
    const refused = await create();
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain(`the key came from grokvid keys (${keysFile()})`);
    expect(refused.stderr).toContain("grokvid keys set xcompute");
    expect(refused.stderr).not.toContain("GROKVID_XCOMPUTE_API_KEY");
    expectNoKey(refused, REJECTED);
  });

  it("names the variable when the environment's key was the one rejected", async () => {
    const refused = await create({ GROKVID_XCOMPUTE_API_KEY: REJECTED });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain("the key came from GROKVID_XCOMPUTE_API_KEY; check it there");
    expectNoKey(refused, REJECTED);
  });

  it("names the config key when the config file's key was the one rejected", async () => {
    await mkdir(join(e2e.dir, ".config", "grokvid"), { recursive: true });
    await writeFile(
      join(e2e.dir, ".config", "grokvid", "config.json"),
      JSON.stringify({ providers: { xcompute: { apiKey: REJECTED } } }),
      { mode: 0o600 },
    );
    const refused = await create();
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain("the key came from providers.xcompute.apiKey");
    expectNoKey(refused, REJECTED);
  });
});
