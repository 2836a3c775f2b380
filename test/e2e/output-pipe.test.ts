import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { BIN, runCli } from "../helpers/run-cli.js";
import { ExitCode } from "../../src/util/errors.js";

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

/** The built CLI with stdout on `target` (a shell redirection, after `limits`), stderr captured. */
function runRedirected(args: string[], target: string, limits = ""): SpawnSyncReturns<string> {
  const home = join(e2e.dir, "state");
  const command = `${limits} exec "$0" "$@" > ${target}`;
  return spawnSync("sh", ["-c", command, process.execPath, BIN, ...args], {
    cwd: e2e.dir,
    env: { PATH: process.env.PATH ?? "", HOME: e2e.dir, GROKVID_HOME: home },
    encoding: "utf8",
  });
}

describe("output that cannot be written", () => {
  const jobs = ["jobs", "--limit", "0", "--json"];

  // stdout on a full disk used to end 0 with nothing written (/dev/full), or as an "internal error".
  it.skipIf(!existsSync("/dev/full"))(
    "stdout on a full device: one line naming stdout, exit 1, not 0",
    async () => {
      await bigJournal(join(e2e.dir, "state"));
      const run = runRedirected(jobs, "/dev/full");
      expect(run.status).toBe(ExitCode.internal);
      expect(run.stderr).toBe(
        "error: cannot write the output to stdout (ENOSPC): it is missing or cut short; any job it created is in the journal (grokvid jobs)\n",
      );
    },
  );

  it("stdout to a file over the size limit (EFBIG): the same, and the file holds only a prefix", async () => {
    await bigJournal(join(e2e.dir, "state"));
    const out = join(e2e.dir, "out.json");
    // 64 blocks of 512 bytes: the answer is megabytes. SIGXFSZ would kill the shell's child
    // before write(2) could return EFBIG, so the shell ignores it and the child inherits that.
    const run = runRedirected(jobs, out, "trap '' XFSZ; ulimit -f 64;");
    expect(run.stderr).toBe(
      "error: cannot write the output to stdout (EFBIG): it is missing or cut short; any job it created is in the journal (grokvid jobs)\n",
    );
    expect(run.status).toBe(ExitCode.internal);
    expect(statSync(out).size).toBe(64 * 512);
  });

  it.skipIf(!existsSync("/dev/full"))("a job whose id could not be printed is still in the journal", () => {
    const create = runRedirected(["create", "--provider", "sandbox", "--prompt", "a fox"], "/dev/full");
    expect(create.status).toBe(ExitCode.internal);
    expect(create.stderr).toContain("cannot write the output to stdout (ENOSPC)");
    const jobs = runRedirected(["jobs", "--json"], join(e2e.dir, "jobs.json"));
    expect(jobs.status).toBe(0);
    const listed = JSON.parse(readFileSync(join(e2e.dir, "jobs.json"), "utf8")) as { provider: string }[];
    expect(listed.map((j) => j.provider)).toEqual(["sandbox"]);
  });

  it("a dry run to /dev/null still succeeds", () => {
    const run = runRedirected(["create", "--provider", "apimart", "--prompt", "x", "--dry-run"], "/dev/null");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
