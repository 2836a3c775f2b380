import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { E2E_KEY, useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * A cloned repository's config file must not send the user's key to another host, nor run code,
 * until the user trusts it. Each test here failed before the trust rule.
 */
const e2e = useE2e();
let elsewhere: Sandbox;
beforeAll(async () => {
  elsewhere = await startSandbox();
});
afterAll(() => elsewhere.close());

function env(): Record<string, string> {
  // The key comes from the user's environment; the base URL only from the project's file.
  // HOME is the test folder, above the "repository" the commands run in.
  return { HOME: e2e.dir, GROKVID_HOME: join(e2e.dir, "state"), GROKVID_APIMART_API_KEY: E2E_KEY };
}

async function project(name: string, content: string): Promise<string> {
  elsewhere.requests.length = 0;
  const dir = join(e2e.dir, "repo");
  await mkdir(join(dir, name, ".."), { recursive: true });
  await writeFile(join(dir, name), content);
  return dir;
}

describe("project-local config files", () => {
  it("a base URL in a project file is refused (exit 3) until trusted; no request carries the key there", async () => {
    const cwd = await project(
      ".grokvideorc.json",
      JSON.stringify({ providers: { apimart: { baseUrl: elsewhere.baseUrl("apimart") } } }),
    );
    const refused = await runCli(["create", "--provider", "apimart", "--prompt", "p"], { cwd, env: env() });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("providers.apimart.baseUrl");
    expect(refused.stderr).toContain("grokvid config trust");
    expect(elsewhere.requests).toEqual([]);

    const trusted = await runCli(["config", "trust"], { cwd, env: env() });
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(trusted.stdout.trim()).toBe(join(cwd, ".grokvideorc.json"));
    const store = join(e2e.dir, "state", "trusted-configs.json");
    expect((await stat(store)).mode & 0o077).toBe(0);

    const sent = await runCli(["create", "--provider", "apimart", "--prompt", "p"], { cwd, env: env() });
    expect(sent.code, sent.stderr).toBe(0);
    expect(elsewhere.requests.filter((r) => r.method === "POST")).toHaveLength(1);

    // A changed file is a new file: trusted again only by the user.
    await writeFile(
      join(cwd, ".grokvideorc.json"),
      JSON.stringify({ providers: { apimart: { baseUrl: `${elsewhere.baseUrl("apimart")}/x` } } }),
    );
    const changed = await runCli(["create", "--provider", "apimart", "--prompt", "p"], { cwd, env: env() });
    expect(changed.code).toBe(3);
    expect(elsewhere.requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("an executable project file never runs untrusted, not even for --dry-run", async () => {
    const marker = join(e2e.dir, "ran");
    const cwd = await project(
      ".grokvideorc.cjs",
      `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "x"); module.exports = {};`,
    );
    const r = await runCli(["create", "--provider", "apimart", "--prompt", "p", "--dry-run"], {
      cwd,
      env: env(),
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("runs code");
    await expect(readFile(marker)).rejects.toThrow();
    expect((await runCli(["config", "trust", ".grokvideorc.cjs"], { cwd, env: env() })).code).toBe(0);
    const ok = await runCli(["create", "--provider", "apimart", "--prompt", "p", "--dry-run"], {
      cwd,
      env: env(),
    });
    expect(ok.code, ok.stderr).toBe(0);
    expect(await readFile(marker, "utf8")).toBe("x");
  });

  it("settings that decide nothing about keys are used untrusted; --config files are trusted as named", async () => {
    const cwd = await project(".grokvideorc.json", JSON.stringify({ defaultProvider: "sandbox" }));
    const r = await runCli(["create", "--prompt", "p", "--dry-run"], { cwd, env: env() });
    expect(r.code, r.stderr).toBe(0);
    const named = join(e2e.dir, "named.json");
    await writeFile(
      named,
      JSON.stringify({ providers: { apimart: { baseUrl: elsewhere.baseUrl("apimart") } } }),
    );
    const viaFlag = await runCli(["create", "--provider", "apimart", "--prompt", "p", "--config", named], {
      cwd,
      env: env(),
    });
    expect(viaFlag.code, viaFlag.stderr).toBe(0);
    expect(elsewhere.requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("trust covers what the file imports: changing an imported file makes it untrusted again", async () => {
    const cwd = await project(".grokvideorc.json", JSON.stringify({ $import: "./base.json" }));
    const base = join(cwd, "base.json");
    await writeFile(
      base,
      JSON.stringify({ providers: { apimart: { baseUrl: elsewhere.baseUrl("apimart") } } }),
    );
    const refused = await runCli(["create", "--provider", "apimart", "--prompt", "p"], { cwd, env: env() });
    expect(refused.code).toBe(3);
    expect((await runCli(["config", "trust"], { cwd, env: env() })).code).toBe(0);
    const sent = await runCli(["create", "--provider", "apimart", "--prompt", "p"], { cwd, env: env() });
    expect(sent.code, sent.stderr).toBe(0);
    expect(elsewhere.requests.filter((r) => r.method === "POST")).toHaveLength(1);
    // The top file is unchanged; the file it imports now points the key elsewhere.
    await writeFile(base, JSON.stringify({ providers: { apimart: { baseUrl: "http://127.0.0.1:9/" } } }));
    const changed = await runCli(["create", "--provider", "apimart", "--prompt", "p"], { cwd, env: env() });
    expect(changed.code).toBe(3);
    expect(changed.stderr).toContain(`through ${base}`);
  });

  it("a package.json without our key, read on the way to a trusted file, does not need trusting", async () => {
    const cwd = await project(
      ".grokvideorc.json",
      JSON.stringify({ providers: { apimart: { baseUrl: elsewhere.baseUrl("apimart") } } }),
    );
    expect((await runCli(["config", "trust"], { cwd, env: env() })).code).toBe(0);
    const sub = join(cwd, "app");
    await mkdir(sub);
    await writeFile(join(sub, "package.json"), JSON.stringify({ name: "app" }));
    const r = await runCli(["create", "--provider", "apimart", "--prompt", "p"], { cwd: sub, env: env() });
    expect(r.code, r.stderr).toBe(0);
  });

  it("a cosmiconfig meta config is not grokvid's: it is never read, so it cannot break a command", async () => {
    const cwd = await project(".config/config.json", JSON.stringify({ cosmiconfig: { loaders: {} } }));
    const r = await runCli(["create", "--provider", "sandbox", "--prompt", "p", "--dry-run"], {
      cwd,
      env: env(),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
  });
});
