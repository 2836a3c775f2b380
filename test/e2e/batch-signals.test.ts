import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { BIN, testJournalEnv } from "../helpers/run-cli.js";

const e2e = useE2e();

interface Stopped {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a batch and sends `signal` once its first two lines have jobs on the gateway. */
function stopBatch(args: readonly string[], signal: NodeJS.Signals): Promise<Stopped> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: e2e.dir,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: e2e.dir,
        NO_COLOR: "1",
        ...testJournalEnv(),
        ...e2e.envFor("apimart"),
      },
    });
    let stdout = "";
    let stderr = "";
    let sent = false;
    const limit = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
      if (
        !sent &&
        /line 1 "a fox": \S+: (queued|running)/.test(stderr) &&
        /line 2 "a hare": \S+: (queued|running)/.test(stderr)
      ) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(limit);
      resolve({ code, stdout, stderr });
    });
  });
}

it.each([
  ["SIGINT", 130],
  ["SIGTERM", 143],
  ["SIGHUP", 129],
] as const)(
  "%s in batch: the manifest is written and the summary printed, then exit %i",
  async (signal, exitCode) => {
    await writeFile(
      join(e2e.dir, "jobs.jsonl"),
      ["a fox", "a hare", "a crow"].map((prompt) => JSON.stringify({ prompt })).join("\n"),
    );
    // Polls 10 s apart: the signal always lands while both jobs are waiting on the gateway.
    const args = ["batch", "jobs.jsonl", "--provider", "apimart", "--concurrency", "2", "--interval", "10s"];
    const run = await stopBatch([...args, "--manifest", "manifest.json"], signal);
    expect(run.code, run.stderr).toBe(exitCode);
    const manifest: unknown = JSON.parse(await readFile(join(e2e.dir, "manifest.json"), "utf8"));
    expect(manifest).toEqual([
      expect.objectContaining({
        line: 1,
        id: expect.stringMatching(/^task_/),
        status: "interrupted",
        code: 130,
      }),
      expect.objectContaining({
        line: 2,
        id: expect.stringMatching(/^task_/),
        status: "interrupted",
        code: 130,
      }),
      expect.objectContaining({ line: 3, id: null, status: "not-run" }),
    ]);
    expect(
      run.stdout
        .trim()
        .split("\n")
        .map((l) => l.split("\t").slice(0, 3).join(" ")),
    ).toEqual([
      expect.stringMatching(/^1 task_\S+ interrupted$/),
      expect.stringMatching(/^2 task_\S+ interrupted$/),
      "3 - not-run",
    ]);
    expect(run.stderr).toContain(
      "batch: 0 succeeded, 0 failed, 0 timed out, 0 skipped (done earlier), 2 interrupted, 1 not run (interrupted)\n",
    );
    expect(run.stderr).toContain(
      "resume with: grokvid batch jobs.jsonl --provider apimart --manifest manifest.json --concurrency 2 --interval 10s\n",
    );
    // Nothing paid for is lost: both jobs are in the journal for the resume the hint names.
    expect(e2e.sandbox.requests.filter((r) => r.method === "POST")).toHaveLength(2);
  },
);
