import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CliResult, makeTempDir, runCli } from "../helpers/run-cli.js";

const temp = { dir: "", cleanup: async (): Promise<void> => {} };
beforeEach(async () => Object.assign(temp, await makeTempDir()));
afterEach(() => temp.cleanup());

/** Nothing listens there: a dry run sends nothing, and the port is the same in every run. */
const BASE = "http://127.0.0.1:9/apimart";
const env = (): Record<string, string> => ({
  GROKVID_HOME: join(temp.dir, "state"),
  GROKVID_APIMART_API_KEY: "sk-global-flags-0123456789",
});
const run = (args: string[]): Promise<CliResult> => runCli(args, { cwd: temp.dir, env: env() });
/** The in-process sandbox listens on a new port each run. */
const samePort = (r: CliResult): CliResult => ({
  ...r,
  stdout: r.stdout.replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT"),
  stderr: r.stderr.replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT"),
});

describe("the common flags before the command", () => {
  it("grokvid --verbose create ... works exactly as create ... --verbose", async () => {
    const tail = ["--provider", "sandbox", "--prompt", "x", "--dry-run"];
    const before = samePort(await run(["--verbose", "create", ...tail]));
    const after = samePort(await run(["create", ...tail, "--verbose"]));
    expect(before.code, before.stderr).toBe(0);
    expect(before).toEqual(after);
  });

  it("each common flag means the same before the command as after it", async () => {
    await writeFile(
      join(temp.dir, "my.json"),
      JSON.stringify({ providers: { apimart: { defaults: { duration: 10 } } } }),
    );
    const common = ["--provider", "apimart", "--base-url", BASE, "--config", "my.json"];
    const printing = ["--json", "--quiet", "--no-color", "--verbose"];
    const create = ["create", "--prompt", "a fox", "--dry-run"];
    const before = await run([...common, ...printing, ...create]);
    const after = await run([...create, ...common, ...printing]);
    expect(before.code, before.stderr).toBe(0);
    expect(before).toEqual(after);
    expect(JSON.parse(before.stdout)).toMatchObject({
      url: `${BASE}/v1/videos/generations`,
      body: { duration: 10 },
    });
    // -q before the command is --quiet, as it is after create (jobs keeps -q for its ids).
    const quiet = await run(["-q", "jobs"]);
    expect(quiet).toEqual(await run(["jobs", "--quiet"]));
  });

  it("a flag the command does not take is refused before it as after it, exit 2", async () => {
    const before = await run(["--base-url", BASE, "providers"]);
    const after = await run(["providers", "--base-url", BASE]);
    expect(after.code).toBe(2);
    expect(before.code).toBe(2);
    expect(before.stdout).toBe("");
    expect(before.stderr.split("\n")[0]).toMatch(/^error: .*'--base-url'/);
    expect(before.stderr.split("\n")[0]).toContain("providers");
  });

  it("given on both sides, the flag after the command wins", async () => {
    const r = await run([
      "--provider",
      "xai",
      "create",
      "--provider",
      "apimart",
      "--base-url",
      BASE,
      "--prompt",
      "p",
      "--dry-run",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ url: `${BASE}/v1/videos/generations` });
  });

  it("an unknown flag before the command is one usage error, exit 2, that never echoes a glued key", async () => {
    const key = "sk-canary-glued-4e5f6a7b8c9d";
    for (const extra of [[], ["--json"]]) {
      const r = await run([`--api-key=${key}`, ...extra, "create", "--provider", "apimart", "--prompt", "p"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("unknown option '--api-key'");
      expect(r.stdout + r.stderr).not.toContain(key.slice(3, 15));
      if (extra.length > 0) expect(JSON.parse(r.stdout)).toMatchObject({ error: { exitCode: 2 } });
    }
  });
});
