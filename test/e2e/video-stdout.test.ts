import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/util/errors.js";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import { startSandbox } from "../../src/sandbox/server.js";
import { useE2e } from "../helpers/e2e.js";
import { BIN, runCli } from "../helpers/run-cli.js";

const e2e = useE2e();
const FAST = ["--interval", "100ms"];

function env(base = e2e.sandbox.baseUrl("apimart")): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: e2e.dir,
    NO_COLOR: "1",
    GROKVID_HOME: join(e2e.dir, "state"),
    ...e2e.envFor("apimart"),
    GROKVID_APIMART_BASE_URL: base,
  };
}

/** The binary with stdout kept as bytes (runCli decodes it as text, which would mangle a video). */
function runBytes(
  args: string[],
  opts: { base?: string; closeAfterFirstChunk?: boolean } = {},
): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: e2e.dir, env: env(opts.base) });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      chunks.push(c);
      // Like `| head -c 1`: the reader goes away in the middle of the video.
      if (opts.closeAfterFirstChunk) child.stdout.destroy();
    });
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(chunks), stderr }));
    child.stdin.end();
  });
}

const idIn = (stderr: string): string => /submitted task (\S+)/.exec(stderr)?.[1] ?? "";

describe("-o - writes the video to stdout", () => {
  it("create -o -: stdout is exactly the video, the job is journaled, and no file is written", async () => {
    const r = await runBytes(["create", "--provider", "apimart", "--prompt", "a fox", "-o", "-", ...FAST]);
    expect(r.stderr).toMatch(/wrote the video of task \S+ to stdout \(\d+ bytes, \d+x\d+, [\d.]+ s\)/);
    expect(r.code).toBe(0);
    const id = idIn(r.stderr);
    expect(id).not.toBe("");
    expect(r.stdout.equals(generateTaskVideo(id))).toBe(true);
    expect((await readdir(e2e.dir, { recursive: true })).filter((f) => /\.mp4|\.part/.test(f))).toEqual([]);
    const jobs = await runCli(["jobs", "--json"], { cwd: e2e.dir, env: env() });
    expect(JSON.parse(jobs.stdout)).toMatchObject([{ id, provider: "apimart", status: "succeeded" }]);
  });

  it("download ID -o -: the same bytes for a job created earlier", async () => {
    const created = await runCli(["create", "--provider", "apimart", "--prompt", "a dog"], {
      cwd: e2e.dir,
      env: env(),
    });
    const id = created.stdout.trim();
    const r = await runBytes(["download", id, "-o", "-", ...FAST]);
    expect(r.code).toBe(0);
    expect(r.stdout.equals(generateTaskVideo(id))).toBe(true);
    expect(r.stderr).toContain(`wrote the video of task ${id} to stdout`);
  });

  it("-o - with --json is refused before anything is sent (exit 2)", async () => {
    const r = await runBytes(["create", "--provider", "apimart", "--prompt", "x", "-o", "-", "--json"]);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr).toContain("-o - writes the video to stdout, where --json would go too");
    expect(e2e.sandbox.requests).toHaveLength(0);
  });

  // `script` gives the command a terminal for stdout, as a person typing it would have.
  it.skipIf(!existsSync("/usr/bin/script"))(
    "a terminal on stdout is refused, as curl does: exit 2, nothing sent",
    () => {
      for (const args of [
        ["create", "--provider", "apimart", "--prompt", "x", "-o", "-"],
        ["download", "task_x", "--provider", "apimart", "-o", "-"],
      ]) {
        const line = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(" ");
        const r = spawnSync("script", ["-qec", line, "/dev/null"], {
          cwd: e2e.dir,
          env: env(),
          encoding: "utf8",
        });
        expect(r.stdout).toContain(
          "error: refusing to write a video to a terminal; redirect it or pass -o FILE",
        );
        expect(r.status).toBe(ExitCode.usage);
      }
      expect(e2e.sandbox.requests).toHaveLength(0);
    },
  );

  it("a reader that goes away mid-video is an error line on stderr, not a success", async () => {
    const big = await startSandbox({ videoBytes: 16 * 1024 * 1024, timeline: { queuedMs: 0, runningMs: 0 } });
    try {
      const r = await runBytes(["create", "--provider", "apimart", "--prompt", "long", "-o", "-", ...FAST], {
        base: big.baseUrl("apimart"),
        closeAfterFirstChunk: true,
      });
      // A socket's reader that went away answers the next write with EPIPE or, when the reset
      // arrives first, ECONNRESET: the same event, and the same message.
      expect(r.stderr).toMatch(
        /error: cannot write the video to stdout \((EPIPE|ECONNRESET)\) after \d+ bytes: what the reader got is cut short\n/,
      );
      expect(r.stderr).toContain(`grokvid download ${idIn(r.stderr)} -o FILE`);
      expect(r.code).toBe(ExitCode.internal);
    } finally {
      await big.close();
    }
  });
});
