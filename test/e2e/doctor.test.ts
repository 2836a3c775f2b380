import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

/** `grokvid doctor`: one line per check, free requests only, exit 0 only when all pass. */
const e2e = useE2e();
const state = () => ({ GROKVID_HOME: join(e2e.dir, "state") });

describe("grokvid doctor", () => {
  it("passes against the sandbox with a good key: one balance query, no create", async () => {
    const r = await runCli(["doctor", "--provider", "apimart"], {
      cwd: e2e.dir,
      env: { ...state(), ...e2e.envFor("apimart") },
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ok {3}node: \d+\.\d+/m);
    expect(r.stdout).toMatch(/^ok {3}apimart key: sk-\*\*\*89 from GROKVID_APIMART_API_KEY$/m);
    expect(r.stdout).toMatch(/^ok {3}apimart: .* answers; the key is accepted \(GET \/v1\/balance\)$/m);
    expect(r.stdout).toMatch(/^ok {3}apimart clock: \d+ s (ahead of|behind) apimart$/m);
    expect(r.stdout).toMatch(/^ok {3}journal: /m);
    expect(r.stdout).not.toContain("FAIL");
    expect(e2e.sandbox.requests.map((q) => `${q.method} ${q.path}`)).toEqual(["GET /apimart/v1/balance"]);
  });

  it("a rejected key fails its line with exit 4, and the command exits 4", async () => {
    const r = await runCli(["doctor", "--provider", "apimart"], {
      cwd: e2e.dir,
      env: { ...state(), ...e2e.envFor("apimart", "sk-invalid-key-000000") },
    });
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^FAIL apimart: .*\(exit 4\)$/m);
    expect(r.stdout).toMatch(/^ok {3}node/m);
    expect(e2e.sandbox.requests.filter((q) => q.method === "POST")).toEqual([]);
  });

  it("checks xai with GET /v1/api-key, only providers with a key, and reports damaged journal lines", async () => {
    await mkdir(join(e2e.dir, "state"), { recursive: true });
    await writeFile(join(e2e.dir, "state", "journal.jsonl"), '{"type":"x"}\n{"torn\n');
    const r = await runCli(["doctor", "--json"], {
      cwd: e2e.dir,
      env: { ...state(), ...e2e.envFor("xai") },
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const checks: unknown = JSON.parse(r.stdout);
    expect(checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: "xai",
          ok: true,
          detail: expect.stringContaining("GET /v1/api-key"),
        }),
        expect.objectContaining({
          name: "journal",
          ok: true,
          // Both: a torn line, and valid JSON that is not a journal event (every reader skips it).
          detail: expect.stringContaining("2 damaged lines"),
        }),
      ]),
    );
    expect(r.stdout).not.toContain('"apimart');
    expect(e2e.sandbox.requests.map((q) => `${q.method} ${q.path}`)).toEqual(["GET /xai/v1/api-key"]);
  });

  it("a named provider without a key, or a bad config file, fails with exit 3", async () => {
    const noKey = await runCli(["doctor", "--provider", "jimmyai"], { cwd: e2e.dir, env: state() });
    expect(noKey.code).toBe(3);
    expect(noKey.stdout).toMatch(/^FAIL jimmyai key: none; run: grokvid keys set jimmyai/m);
    await writeFile(join(e2e.dir, ".grokvidrc.json"), '{\n  "poll": {,\n}\n');
    const bad = await runCli(["doctor", "--provider", "apimart"], {
      cwd: e2e.dir,
      env: { ...state(), ...e2e.envFor("apimart") },
    });
    expect(bad.code).toBe(3);
    expect(bad.stdout).toMatch(/^FAIL config: .*\.grokvidrc\.json.*\(line 2\)/m);
  });
});
