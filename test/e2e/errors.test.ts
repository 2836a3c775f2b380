import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import type { SandboxDialect } from "../../src/sandbox/server.js";
import { PNG_1X1 } from "../fixtures/images.js";
import { useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

const e2e = useE2e();
beforeEach(() => writeFile(join(e2e.dir, "ref.png"), PNG_1X1));

function oneLine(stderr: string): string {
  const lines = stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  return lines[0] ?? "";
}

describe("rejected values exit 2 before anything is sent", () => {
  const rejections: Array<{ name: string; dialect: SandboxDialect; args: string[]; expected: RegExp }> = [
    {
      name: "apimart --duration 5",
      dialect: "apimart",
      args: ["--duration", "5"],
      expected: /--duration 5 is not accepted by apimart; accepted: 6-30/,
    },
    {
      name: "jimmyai without an image",
      dialect: "jimmyai",
      args: [],
      expected: /--image: jimmyai needs exactly 1 reference image \(got 0\)/,
    },
    {
      name: "apimart with a local image file",
      dialect: "apimart",
      args: ["--image", "ref.png"],
      expected: /--image ref.png: apimart takes only public http\(s\) image URLs/,
    },
    {
      name: "duoyuanx --resolution 1080p on the preview model",
      dialect: "duoyuanx",
      args: ["--resolution", "1080p"],
      expected:
        /--resolution 1080p is not accepted by duoyuanx model grok-imagine-video-1.5-preview; accepted: 480p, 720p/,
    },
    {
      name: "xcompute --ratio 4:3",
      dialect: "xcompute",
      args: ["--ratio", "4:3"],
      expected: /--ratio 4:3 is not accepted by xcompute; accepted: 16:9, 9:16, 1:1, 3:2, 2:3/,
    },
    {
      name: "an unknown model",
      dialect: "apimart",
      args: ["--model", "sora-2"],
      expected: /--model sora-2 is not offered by apimart; accepted: grok-imagine-1.5-video-apimart/,
    },
  ];

  it.each(rejections)("$name", async ({ dialect, args, expected }) => {
    const r = await runCli(["create", "--provider", dialect, "--prompt", "x", ...args], {
      cwd: e2e.dir,
      env: e2e.envFor(dialect),
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(oneLine(r.stderr)).toMatch(expected);
    expect(e2e.sandbox.requests).toEqual([]);
  });

  it("an unknown flag exits 2", async () => {
    const r = await runCli(["create", "--provider", "apimart", "--prompt", "x", "--sizee", "9"], {
      cwd: e2e.dir,
      env: e2e.envFor("apimart"),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--sizee'");
    expect(e2e.sandbox.requests).toEqual([]);
  });

  it("an existing -o file is refused before the job is paid for", async () => {
    await writeFile(join(e2e.dir, "taken.mp4"), "x");
    const r = await runCli(
      ["create", "--provider", "apimart", "--prompt", "x", "--download", "-o", "taken.mp4"],
      {
        cwd: e2e.dir,
        env: e2e.envFor("apimart"),
      },
    );
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/taken.mp4 already exists; pass --force/);
    expect(e2e.sandbox.requests).toEqual([]);
  });
});

describe("exit codes", () => {
  it("a failed task exits 7 and --json still prints the task", async () => {
    const r = await runCli(
      [
        "create",
        "--provider",
        "xcompute",
        "--prompt",
        "boom [fail]",
        "--wait",
        "--json",
        "--interval",
        "100ms",
      ],
      { cwd: e2e.dir, env: e2e.envFor("xcompute") },
    );
    expect(r.code).toBe(7);
    expect(JSON.parse(r.stdout)).toMatchObject({
      status: "failed",
      error: { message: expect.stringContaining("[fail]") },
    });
    expect(r.stderr).toMatch(/error: task \S+ failed on xcompute/);
  });

  it("a wait past its timeout exits 8 and says how to resume", async () => {
    const created = await runCli(["create", "--provider", "apimart", "--prompt", "slow [never]"], {
      cwd: e2e.dir,
      env: e2e.envFor("apimart"),
    });
    const id = created.stdout.trim();
    const r = await runCli(
      ["wait", id, "--provider", "apimart", "--timeout", "300ms", "--interval", "100ms"],
      {
        cwd: e2e.dir,
        env: e2e.envFor("apimart"),
      },
    );
    expect(r.code).toBe(8);
    expect(r.stdout).toBe("");
    // How many polls fit in 300 ms depends on the machine: the task was seen queued or running.
    expect(r.stderr).toMatch(
      new RegExp(
        `timed out after 300ms waiting for task ${id} on apimart \\(last seen (queued|running, \\d+%)\\)`,
      ),
    );
    expect(r.stderr).toContain(`resume with: grokvid wait ${id}\n`);
  });

  it("--timeout 0 checks once", async () => {
    const created = await runCli(["create", "--provider", "apimart", "--prompt", "slow [never]"], {
      cwd: e2e.dir,
      env: e2e.envFor("apimart"),
    });
    e2e.sandbox.requests.length = 0;
    const r = await runCli(["wait", created.stdout.trim(), "--provider", "apimart", "--timeout", "0"], {
      cwd: e2e.dir,
      env: e2e.envFor("apimart"),
    });
    expect(r.code).toBe(8);
    expect(e2e.sandbox.requests).toHaveLength(1);
  });

  const refusals: Array<{ name: string; key: string; prompt: string; code: number; message: RegExp }> = [
    {
      name: "a wrong key",
      key: "sk-invalid-000000",
      prompt: "x",
      code: 4,
      message: /apimart rejected the API key \(HTTP 401\)/,
    },
    { name: "a forbidden key", key: "sk-forbidden-0000", prompt: "x", code: 4, message: /HTTP 403/ },
    {
      name: "no balance",
      key: "sk-nobalance-0000",
      prompt: "x",
      code: 5,
      message: /out of balance or quota \(HTTP 402\)/,
    },
    {
      name: "a server error",
      key: "sk-fine-key-00000",
      prompt: "x [error500]",
      code: 6,
      message: /apimart answered HTTP 500/,
    },
  ];

  it.each(refusals)("$name exits $code", async ({ key, prompt, code, message }) => {
    const r = await runCli(["create", "--provider", "apimart", "--prompt", prompt], {
      cwd: e2e.dir,
      env: e2e.envFor("apimart", key),
    });
    expect(r.code).toBe(code);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    // The paid create is never resent on an answer, whatever the answer was.
    expect(e2e.sandbox.requests.filter((q) => q.method === "POST")).toHaveLength(1);
  });

  it("a create refused with 429 exits 6 and is sent once (only batch resubmits refused creates)", async () => {
    e2e.sandbox.setFaults([{ kind: "rate-limit", target: "create", times: Infinity, retryAfter: 0 }]);
    const r = await runCli(["create", "--provider", "apimart", "--prompt", "x"], {
      cwd: e2e.dir,
      env: e2e.envFor("apimart"),
    });
    e2e.sandbox.setFaults([]);
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/apimart is rate limiting requests \(HTTP 429\)/);
    expect(e2e.sandbox.requests.filter((q) => q.method === "POST")).toHaveLength(1);
  });

  it("a 400 from the gateway exits 6 with the provider's own message", async () => {
    // xcompute's model sent to the apimart dialect: only the gateway can know it refuses it.
    const r = await runCli(
      ["create", "--provider", "xcompute", "--base-url", e2e.sandbox.baseUrl("apimart"), "--prompt", "x"],
      {
        cwd: e2e.dir,
        env: e2e.envFor("xcompute"),
      },
    );
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/xcompute answered HTTP 400: .*model/);
  });

  it("a task id the gateway does not know exits 6", async () => {
    const r = await runCli(["status", "video_nope", "--provider", "duoyuanx"], {
      cwd: e2e.dir,
      env: e2e.envFor("duoyuanx"),
    });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/task video_nope was not found on duoyuanx/);
  });

  it("a missing key exits 3 and names the variable", async () => {
    const r = await runCli(["create", "--provider", "apimart", "--prompt", "x"], { cwd: e2e.dir, env: {} });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("no API key for apimart");
    expect(r.stderr).toContain("GROKVID_APIMART_API_KEY");
  });

  it("an invalid config file exits 3 and names the key path", async () => {
    await writeFile(
      join(e2e.dir, ".grokvideorc.json"),
      JSON.stringify({ providers: { apimart: { apiKey: 42 } } }),
    );
    const r = await runCli(["status", "task_x", "--provider", "apimart"], { cwd: e2e.dir, env: {} });
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toMatch(/providers\.apimart\.apiKey/);
  });

  it("no provider at all exits 2", async () => {
    const r = await runCli(["status", "task_x"], { cwd: e2e.dir, env: {} });
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/task task_x is not in the journal \(.*\); pass --provider/);
  });
});

describe("--json on failure", () => {
  it("every failure prints exactly one JSON document on stdout", async () => {
    const env = e2e.envFor("apimart");
    const id = (
      await runCli(["create", "--provider", "apimart", "--prompt", "slow [never]"], { cwd: e2e.dir, env })
    ).stdout.trim();
    const runs = [
      { args: ["wait", id, "--provider", "apimart", "--timeout", "0", "--json"], env, code: 8 },
      { args: ["create", "--provider", "apimart", "--prompt", "x", "--json"], env: {}, code: 3 },
      {
        args: ["create", "--provider", "apimart", "--prompt", "x", "--duration", "5", "--json"],
        env,
        code: 2,
      },
      { args: ["create", "--provider", "apimart", "--bogus", "--json"], env, code: 2 },
      { args: ["status", "task_nope", "--provider", "apimart", "--json"], env, code: 6 },
    ];
    for (const run of runs) {
      const r = await runCli(run.args, { cwd: e2e.dir, env: run.env });
      expect(r.code).toBe(run.code);
      const doc: unknown = JSON.parse(r.stdout);
      expect(doc).toMatchObject({ error: { exitCode: run.code, message: expect.any(String) } });
    }
    const timedOut = await runCli(runs[0]?.args ?? [], { cwd: e2e.dir, env });
    expect(JSON.parse(timedOut.stdout)).toMatchObject({
      task: { id, status: expect.stringMatching(/^(queued|running)$/) },
    });
  });
});
