import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

const e2e = useE2e();
const JOBS = 5000;

/** A journal of `JOBS` created jobs: enough that `jobs --json` prints megabytes. */
async function bigJournal(home: string): Promise<void> {
  await mkdir(home, { recursive: true });
  const at = Date.parse("2026-11-01T00:00:00Z");
  const lines = Array.from({ length: JOBS }, (_, i) =>
    JSON.stringify({
      type: "created",
      at: new Date(at + i * 1000).toISOString(),
      id: `task_pipe_${String(i).padStart(5, "0")}`,
      provider: "apimart",
      baseUrl: "http://127.0.0.1:9/apimart",
      model: "grok-imagine-1.5-video-apimart",
      params: { prompt: `a prompt long enough to fill a pipe quickly, number ${i}`, images: [] },
      requestHash: i.toString(16).padStart(64, "0"),
    }),
  );
  await writeFile(join(home, "journal.jsonl"), `${lines.join("\n")}\n`);
}

describe("output to a pipe", () => {
  // A pipe holds 64 KiB; what does not fit is written when the reader catches up. Leaving the
  // process before then cut `grokvid jobs --json | jq` short at 64 or 128 KiB.
  it("every byte of a multi-megabyte answer reaches the reader before the process ends", async () => {
    const home = join(e2e.dir, "state");
    await bigJournal(home);
    const run = await runCli(["jobs", "--limit", "0", "--json"], {
      cwd: e2e.dir,
      env: { GROKVID_HOME: home },
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(1024 * 1024);
    const jobs = JSON.parse(run.stdout) as { id: string }[];
    expect(jobs).toHaveLength(JOBS);
  });

  it("the table of every job arrives whole too", async () => {
    const home = join(e2e.dir, "state");
    await bigJournal(home);
    const run = await runCli(["jobs", "--limit", "0"], { cwd: e2e.dir, env: { GROKVID_HOME: home } });
    expect(run.code).toBe(0);
    const ids = run.stdout.match(/task_pipe_\d{5}/g) ?? [];
    expect(new Set(ids).size).toBe(JOBS);
  });
});
