import { chownSync, existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * Which config files are the user's own (no trust asked) and which are not: only the home folder's
 * own names and the user config folders (~/.config/grokvid, ~/.config/grokvideo) are; a file
 * anywhere else under ~/.config (editor starters, cloned plugins) is a project's; a file another
 * user owns is never read; and a project file may not choose which key is used.
 */
const e2e = useE2e();
let elsewhere: Sandbox;
beforeAll(async () => {
  elsewhere = await startSandbox();
});
afterAll(() => elsewhere.close());

const ATTACKER_KEY = "sk-attacker-key-0000000000";
const USER_KEY = "sk-users-own-key-111111111";

async function put(path: string, content: string): Promise<string> {
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, content);
  return path;
}

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    HOME: e2e.dir,
    XDG_CONFIG_HOME: join(e2e.dir, ".config"),
    GROKVID_HOME: join(e2e.dir, "state"),
    ...extra,
  };
}

describe("whose config file it is", () => {
  it("a .grokvidrc in ~/.config/nvim is a project's: its base URL is refused until trusted", async () => {
    elsewhere.requests.length = 0;
    const cwd = join(e2e.dir, ".config", "nvim");
    await put(
      join(cwd, ".grokvidrc"),
      JSON.stringify({ providers: { xai: { baseUrl: elsewhere.baseUrl("xai") } } }),
    );
    const r = await runCli(["create", "--provider", "xai", "--prompt", "p"], {
      cwd,
      env: env({ XAI_API_KEY: USER_KEY }),
    });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain("is not trusted");
    expect(elsewhere.requests).toEqual([]);
  });

  it("a .grokvidrc.cjs in ~/.config/some-plugin does not run untrusted", async () => {
    const marker = join(e2e.dir, "ran");
    const cwd = join(e2e.dir, ".config", "some-plugin");
    await put(
      join(cwd, ".grokvidrc.cjs"),
      `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "x"); module.exports = {};`,
    );
    const r = await runCli(["create", "--provider", "sandbox", "--prompt", "p", "--dry-run"], {
      cwd,
      env: env(),
    });
    expect(r.code).toBe(3);
    expect(existsSync(marker)).toBe(false);
  });

  it("the user config folder and the home folder's own names are the user's: used without trust", async () => {
    elsewhere.requests.length = 0;
    const cwd = join(e2e.dir, "work");
    await mkdir(cwd, { recursive: true });
    await put(
      join(e2e.dir, ".config", "grokvid", "config.json"),
      JSON.stringify({ providers: { apimart: { baseUrl: elsewhere.baseUrl("apimart") } } }),
    );
    const r = await runCli(["create", "--provider", "apimart", "--prompt", "p"], {
      cwd,
      env: env({ GROKVID_APIMART_API_KEY: USER_KEY }),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(elsewhere.requests.filter((q) => q.method === "POST")).toHaveLength(1);
  });

  it("a project file's apiKey does not replace the user's stored key until trusted", async () => {
    const cwd = join(e2e.dir, "repo");
    await mkdir(cwd, { recursive: true });
    const stored = await runCli(["keys", "set", "apimart"], {
      cwd: e2e.dir,
      env: env(),
      input: `${USER_KEY}\n`,
    });
    expect(stored.code, stored.stderr).toBe(0);
    await put(
      join(cwd, ".grokvidrc.json"),
      JSON.stringify({ providers: { apimart: { apiKey: ATTACKER_KEY } } }),
    );
    e2e.sandbox.requests.length = 0;
    const r = await runCli(["create", "--provider", "apimart", "--prompt", "p"], {
      cwd,
      env: env({ GROKVID_APIMART_BASE_URL: e2e.sandbox.baseUrl("apimart") }),
    });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain("providers.apimart.apiKey");
    expect(r.stderr).not.toContain(ATTACKER_KEY);
    expect(e2e.sandbox.requests).toEqual([]);
  });
});

describe.skipIf(process.getuid?.() !== 0)("a config file another user owns (needs root to chown)", () => {
  it("is passed over with a warning when a search finds it above a folder outside home", async () => {
    const cwd = join(e2e.dir, "tmp", "work");
    await mkdir(cwd, { recursive: true });
    const planted = await put(
      join(e2e.dir, "tmp", ".grokvidrc"),
      JSON.stringify({ defaultProvider: "sandbox" }),
    );
    chownSync(planted, 65534, 65534);
    const r = await runCli(["create", "--prompt", "p", "--dry-run"], {
      cwd,
      env: env({ HOME: join(e2e.dir, "home") }),
    });
    // Had the file been read, the sandbox would be the provider and the dry run would pass.
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`config file ${planted} belongs to another user (uid 65534)`);
  });

  it("is refused, exit 3, when named with --config", async () => {
    const planted = await put(join(e2e.dir, "theirs.json"), JSON.stringify({ defaultProvider: "sandbox" }));
    chownSync(planted, 65534, 65534);
    const r = await runCli(["create", "--prompt", "p", "--dry-run", "--config", planted], {
      cwd: e2e.dir,
      env: env(),
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("belongs to another user");
  });

  it("a keys file or a journal another user owns is refused, exit 3, and nothing is sent", async () => {
    const keys = await put(
      join(e2e.dir, ".config", "grokvid", "keys.json"),
      JSON.stringify({ apimart: "sk-theirs-000000000" }),
    );
    chownSync(keys, 65534, 65534);
    const env2 = env({ GROKVID_APIMART_BASE_URL: e2e.sandbox.baseUrl("apimart") });
    const r = await runCli(["create", "--provider", "apimart", "--prompt", "p"], { cwd: e2e.dir, env: env2 });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain(`${keys} belongs to another user (uid 65534)`);
    const journal = await put(join(e2e.dir, "state", "journal.jsonl"), "");
    chownSync(journal, 65534, 65534);
    const j = await runCli(["jobs"], { cwd: e2e.dir, env: env() });
    expect(j.code, j.stderr).toBe(3);
    expect(j.stderr).toContain("belongs to another user");
    expect(e2e.sandbox.requests).toEqual([]);
  });
});
