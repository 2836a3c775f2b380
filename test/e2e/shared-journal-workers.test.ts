import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { type FreshDatabase, freshDatabase } from "../helpers/postgres.js";
import { runCli, runUntilKilled } from "../helpers/run-cli.js";
import { batchLines, createdPrompts, expectNoRepeats, savedVideos } from "../helpers/shared-journal.js";

// Issue 25, acceptance 1 and 2: N batch processes on N "machines" (each its own GROKVID_HOME and
// out-dir) share one file through one database: every line paid once, every video saved once.
const e2e = useE2e();
let db: FreshDatabase;
beforeEach(async () => {
  db = await freshDatabase();
});
afterEach(() => db.drop());

const LINES = 200;

function machine(k: number, extra: Record<string, string> = {}) {
  return {
    cwd: e2e.dir,
    env: {
      ...e2e.envFor("apimart"),
      GROKVID_HOME: join(e2e.dir, `home${k}`),
      GROKVID_JOURNAL_URL: db.url,
      // Each its own machine, as the journal tells them apart.
      GROKVID_HOST: `worker-${k}`,
      ...extra,
    },
  };
}

const batchArgs = (k: number) => [
  "batch",
  "lines.jsonl",
  "--provider",
  "apimart",
  "--out-dir",
  `out${k}`,
  "--concurrency",
  "10",
  "--interval",
  "100ms",
];

it("4 batch processes over one 200-line file: 200 creates, 200 byte-exact videos across their out-dirs, all exit 0", async () => {
  await writeFile(join(e2e.dir, "lines.jsonl"), batchLines(LINES));
  const runs = await Promise.all([0, 1, 2, 3].map((k) => runCli(batchArgs(k), machine(k))));
  for (const r of runs) expect(r.code, r.stderr.slice(-2000)).toBe(0);
  const prompts = createdPrompts(e2e.sandbox.requests);
  expectNoRepeats(prompts);
  expect(prompts).toHaveLength(LINES);
  const ids = await savedVideos([0, 1, 2, 3].map((k) => join(e2e.dir, `out${k}`)));
  expect(ids).toHaveLength(LINES);
  expect(new Set(ids).size).toBe(LINES);
  // The work was shared: no process did it all alone.
  const perDir = await Promise.all([0, 1, 2, 3].map((k) => savedVideos([join(e2e.dir, `out${k}`)])));
  expect(perDir.filter((d) => d.length > 0).length).toBeGreaterThan(1);
}, 180_000);

it("kill -9 of one worker, then resume --download from another home: no second create, every job finished; jobs from a third lists all 200 with host", async () => {
  await writeFile(join(e2e.dir, "lines.jsonl"), batchLines(LINES));
  // A short lease: the dead worker's claims free themselves 2 s after its last heartbeat.
  const lease = { GROKVID_JOURNAL_LEASE: "2s" };
  const victim = runUntilKilled(
    batchArgs(0),
    machine(0, lease),
    () => createdPrompts(e2e.sandbox.requests).length >= 40,
    60_000,
  );
  const others = Promise.all([1, 2, 3].map((k) => runCli(batchArgs(k), machine(k, lease))));
  const killed = await victim;
  expect(killed.killed).toBe(true);
  await others;
  const resumed = await runCli(
    ["resume", "--download", "--concurrency", "10", "--interval", "100ms"],
    machine(4, lease),
  );
  expect(resumed.code, resumed.stderr.slice(-2000)).toBe(0);
  const prompts = createdPrompts(e2e.sandbox.requests);
  expectNoRepeats(prompts);
  // A create the victim sent with no answer yet is uncertain: never sent again, listed as such.
  const listed = await runCli(["jobs", "--limit", "0"], machine(5));
  expect(listed.code, listed.stderr).toBe(0);
  const rows = listed.stdout
    .trim()
    .split("\n")
    .map((l) => l.split("\t"));
  const uncertain = listed.stderr.split("\n").filter((l) => /^ {2}apimart at \S+ from \S+: clip \d+/.test(l));
  expect(rows.length + uncertain.length).toBe(LINES);
  expect(rows.length).toBe(prompts.length - uncertain.length);
  for (const row of rows) {
    expect(row[2], row.join(" ")).toBe("succeeded");
    expect(row[6], `${row[0]} was saved`).toMatch(/\.mp4$/);
    // HOST, last: which machine last worked on the job.
    expect(row[7]).toMatch(/\S/);
  }
  const ids = await savedVideos([0, 1, 2, 3, 4].map((k) => join(e2e.dir, `out${k}`)));
  expect(new Set(ids).size).toBe(rows.length);
}, 240_000);
