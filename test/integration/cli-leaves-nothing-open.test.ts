import { existsSync } from "node:fs";
import { mkdtemp, readdir, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { steppingClock } from "../helpers/clock.js";
import { runInProcess } from "../helpers/in-process.js";

/**
 * `run()` is the CLI for anything that embeds it (the tests, a script calling it in a loop): a
 * command that leaves the journal's append handle open leaks one descriptor per command line,
 * which a process exit hides and a long-lived caller runs out of.
 */
let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ now: steppingClock(10_000) });
  dir = await mkdtemp(join(tmpdir(), "grokvid-open-"));
});
afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

/** Descriptors of this process that point into the test's folder (the journal, parts, videos). */
async function openUnder(folder: string): Promise<string[]> {
  const open: string[] = [];
  for (const fd of await readdir("/proc/self/fd")) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => "");
    if (target.startsWith(folder)) open.push(target);
  }
  return open;
}

function env(): Record<string, string> {
  return {
    HOME: dir,
    GROKVID_HOME: join(dir, "state"),
    GROKVID_SANDBOX_DELAY: "0",
    GROKVID_APIMART_BASE_URL: sandbox.baseUrl("apimart"),
    GROKVID_APIMART_API_KEY: "sk-open-files-0000",
  };
}

describe.skipIf(!existsSync("/proc/self/fd"))("a command line leaves no file open", () => {
  it("create, status, wait, download, jobs, resume, batch and gallery each close what they opened", async () => {
    const run = async (...argv: string[]) => {
      const r = await runInProcess(argv, { env: env(), cwd: dir });
      expect(r.code, `${argv.join(" ")}\n${r.stderr}`).toBe(0);
      expect(await openUnder(dir), argv.join(" ")).toEqual([]);
      return r;
    };
    const created = await run("create", "--provider", "apimart", "--prompt", "a heron", "--json");
    const id = (JSON.parse(created.stdout) as { id: string }).id;
    await run("status", id);
    await run("wait", id);
    await run("download", id, "-o", join(dir, "heron.mp4"));
    await run(
      "create",
      "--provider",
      "apimart",
      "--prompt",
      "a crane",
      "--wait",
      "--download",
      "-o",
      join(dir, "crane.mp4"),
    );
    await run("jobs");
    await run("resume");
    await writeFile(join(dir, "shots.jsonl"), '{"prompt":"a stork"}\n{"prompt":"an ibis"}\n');
    await run("batch", join(dir, "shots.jsonl"), "--provider", "apimart", "--out-dir", join(dir, "out"));
    await run("gallery", "-o", join(dir, "gallery.html"));
  });
});
