import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { databaseUrl, type PrivateCluster, privateCluster, withClient } from "../helpers/postgres.js";
import { runCli, runUntilSignalled } from "../helpers/run-cli.js";
import {
  batchLines,
  createdPrompts,
  expectNoRepeats,
  savedVideos,
  unsentRecords,
} from "../helpers/shared-journal.js";

// Issue 25, acceptance 3: the database stops in the middle of a batch. Nothing is paid twice, no
// id is lost (each sent line's id is in the database, on stderr or in the local unsent file), the
// exit code says so; once the database is back, `resume` finishes everything.
const e2e = useE2e();
let cluster: PrivateCluster;
let url: string;
beforeEach(async () => {
  cluster = await privateCluster();
  await withClient(cluster.url, (c) => c.query("CREATE DATABASE journal"));
  url = databaseUrl(cluster.url, "journal");
});
afterEach(() => cluster.destroy());

const LINES = 40;

const machine = () => ({
  cwd: e2e.dir,
  env: {
    ...e2e.envFor("apimart"),
    GROKVID_HOME: join(e2e.dir, "home"),
    GROKVID_JOURNAL_URL: url,
    GROKVID_JOURNAL_LEASE: "2s",
  },
});

/** The batch, run first with the database going away and then again once it is back. */
const BATCH = [
  "batch",
  "lines.jsonl",
  "--provider",
  "apimart",
  "--out-dir",
  "out",
  "--concurrency",
  "4",
  "--interval",
  "100ms",
];

const taskIds = (text: string): string[] => text.match(/task_[a-z0-9]+/g) ?? [];

it("database stopped mid-batch: no line paid twice, every sent line's id kept, exit 3; after restart resume finishes all", async () => {
  await writeFile(join(e2e.dir, "lines.jsonl"), batchLines(LINES));
  let stopping: Promise<void> | undefined;
  const run = runUntilSignalled(
    BATCH,
    machine(),
    () => {
      // Stopped (not signalled: the batch goes on) once a quarter of the lines were paid for.
      if (stopping === undefined && createdPrompts(e2e.sandbox.requests).length >= LINES / 4)
        stopping = cluster.stop();
      return false;
    },
    "SIGINT",
    90_000,
  );
  const batch = await run;
  await stopping;
  expect(stopping, "the database was stopped mid-run").toBeDefined();
  expect(batch.code, batch.stderr.slice(-3000)).toBe(3);
  expect(batch.stderr).toMatch(/cannot reach the shared journal grokvid_admin@127\.0\.0\.1:\d+\/journal/);
  const paid = createdPrompts(e2e.sandbox.requests);
  expectNoRepeats(paid);
  expect(paid.length).toBeLessThan(LINES);

  // Every task the sandbox made is known somewhere: the database, stderr, or the unsent file.
  const made = new Set(
    e2e.sandbox.requests
      .filter((r) => r.method === "GET" && /\/tasks\//.test(r.path))
      .flatMap((r) => taskIds(r.path)),
  );
  const unsent = await unsentRecords(join(e2e.dir, "home"));
  await cluster.start();
  const inDb = await withClient(url, async (c) =>
    (await c.query<{ body: string }>("SELECT body FROM grokvid_events")).rows.map((r) => r.body).join("\n"),
  );
  const known = new Set([...taskIds(batch.stderr), ...taskIds(unsent), ...taskIds(inDb)]);
  for (const id of made) expect(known.has(id), `${id} is recorded somewhere`).toBe(true);
  expect(unsent, "records written while the database was down").toMatch(/"type":"created"|"type":"status"/);

  // Back up: resume carries the unsent records over and finishes every paid job.
  const resumed = await runCli(["resume", "--download", "--interval", "100ms"], machine());
  expect(resumed.code, resumed.stderr.slice(-2000)).toBe(0);
  expect(createdPrompts(e2e.sandbox.requests)).toEqual(paid);
  const jobs = await runCli(["jobs", "--limit", "0", "--json"], machine());
  const list = JSON.parse(jobs.stdout) as Array<{ id: string; status: string; download: unknown }>;
  expect(list).toHaveLength(paid.length);
  for (const job of list) {
    expect(job.status).toBe("succeeded");
    expect(job.download, `${job.id} saved`).not.toBeNull();
  }
  // The file was carried over and removed.
  expect(await unsentRecords(join(e2e.dir, "home"))).toBe("");

  // And the batch again sends only the lines never sent: each line paid exactly once in all.
  const again = await runCli(BATCH, machine());
  expect(again.code, again.stderr.slice(-2000)).toBe(0);
  const all = createdPrompts(e2e.sandbox.requests);
  expectNoRepeats(all);
  expect(all).toHaveLength(LINES);
  expect(new Set(await savedVideos([join(e2e.dir, "out")])).size).toBe(LINES);
}, 180_000);
