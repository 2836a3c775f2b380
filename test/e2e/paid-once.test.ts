import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { readJournalText, sharedJournalRun } from "../helpers/journal-text.js";
import { runCli, runUntilKilled } from "../helpers/run-cli.js";

/** Paying twice, or paying and forgetting: each test here failed on the code before the claim work. */
const e2e = useE2e();

function homeEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { GROKVID_HOME: join(e2e.dir, "state"), ...e2e.envFor("apimart"), ...extra };
}

async function journalEvents(): Promise<Array<Record<string, unknown>>> {
  const text = await readJournalText(join(e2e.dir, "state", "journal.jsonl"));
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const posts = () => e2e.sandbox.requests.filter((r) => r.method === "POST");

describe("exactly one process pays for a request", () => {
  it("two batches of one file started at once send each line exactly once, and both finish", async () => {
    const lines = Array.from({ length: 6 }, (_, i) => JSON.stringify({ prompt: `shot ${i}` }));
    await writeFile(join(e2e.dir, "jobs.jsonl"), lines.join("\n"));
    const args = (m: string) => [
      "batch",
      "jobs.jsonl",
      "--provider",
      "apimart",
      "--interval",
      "100ms",
      "--concurrency",
      "3",
      "--out-dir",
      "videos",
      "--manifest",
      m,
    ];
    const [a, b] = await Promise.all([
      runCli(args("a.json"), { cwd: e2e.dir, env: homeEnv() }),
      runCli(args("b.json"), { cwd: e2e.dir, env: homeEnv() }),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(posts()).toHaveLength(6);
    const created = (await journalEvents()).filter((e) => e.type === "created");
    expect(created).toHaveLength(6);
    const ids = new Set(created.map((e) => e.id));
    for (const m of ["a.json", "b.json"]) {
      const manifest = JSON.parse(await readFile(join(e2e.dir, m), "utf8")) as Array<{ id: string }>;
      expect(manifest.every((entry) => ids.has(entry.id))).toBe(true);
    }
  }, 60_000);

  it("a --retry-failed create killed in flight is uncertain: the next --retry-failed does not send it", async () => {
    const env = homeEnv();
    await writeFile(join(e2e.dir, "b.jsonl"), JSON.stringify({ prompt: "bad [fail]" }));
    const args = ["batch", "b.jsonl", "--provider", "apimart", "--interval", "100ms", "--retry-failed"];
    expect((await runCli(args, { cwd: e2e.dir, env })).code).toBe(7);
    expect(posts()).toHaveLength(1);

    // The retry's create reaches the gateway, which holds it; the process dies before any answer.
    e2e.sandbox.setFaults([{ kind: "stall", target: "create" }]);
    const run = await runUntilKilled(args, { cwd: e2e.dir, env }, () => posts().length >= 2);
    expect(run.killed).toBe(true);
    expect(posts()).toHaveLength(2);
    e2e.sandbox.setFaults([]);

    const again = await runCli(args, { cwd: e2e.dir, env });
    expect(posts()).toHaveLength(2);
    expect(again.code).toBe(6);
    expect(again.stdout).toContain("uncertain");
    expect(again.stderr).toContain("1 uncertain (not sent again)");
  }, 30_000);
});

describe("the intent is on disk before the paid call", () => {
  // The file journal's own failure: a shared journal's is in shared-journal-setup.test.ts.
  it.skipIf(sharedJournalRun())(
    "a journal that cannot take the intent (full disk) stops create with exit 3 and nothing sent",
    async () => {
      const state = join(e2e.dir, "state");
      await mkdir(state);
      // Every write to /dev/full fails with ENOSPC, as on a full disk.
      await symlink("/dev/full", join(state, "journal.jsonl"));
      const r = await runCli(["create", "--provider", "apimart", "--prompt", "p"], {
        cwd: e2e.dir,
        env: homeEnv(),
      });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/journal/);
      expect(r.stderr).toContain("nothing was sent");
      expect(r.stderr.trim().split("\n").length).toBeLessThanOrEqual(2);
      expect(posts()).toEqual([]);
    },
  );

  it("create writes its intent before the create and its id after, both fsynced lines", async () => {
    const r = await runCli(["create", "--provider", "apimart", "--prompt", "p"], {
      cwd: e2e.dir,
      env: homeEnv(),
    });
    expect(r.code).toBe(0);
    const events = await journalEvents();
    expect(events.map((e) => e.type)).toEqual(["submitting", "created"]);
    expect(events[0]?.requestHash).toBe(events[1]?.requestHash);
  });

  it("a create killed in flight shows in jobs as uncertain, with its prompt", async () => {
    const env = homeEnv();
    e2e.sandbox.setFaults([{ kind: "stall", target: "create" }]);
    const run = await runUntilKilled(
      ["create", "--provider", "apimart", "--prompt", "lost fox"],
      { cwd: e2e.dir, env },
      () => posts().length >= 1,
    );
    expect(run.killed).toBe(true);
    e2e.sandbox.setFaults([]);
    const jobs = await runCli(["jobs"], { cwd: e2e.dir, env });
    expect(jobs.code).toBe(0);
    expect(jobs.stderr).toMatch(/1 create may have reached a gateway .*\n {2}apimart at .*: lost fox/);
  }, 30_000);
});
