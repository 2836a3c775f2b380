/* eslint-disable no-console -- a benchmark prints its report */
// `npm run bench`: every row of issue 8's table, measured side by side in one run with only the
// project's code, Node and curl. See bench/README.md for what each row measures and the knobs.
import { failedRow, logRow, printReport, readLoad } from "./lib/report.mjs";
import { closeWorld, openWork } from "./lib/world.mjs";
import { batchRow } from "./rows/batch.mjs";
import { downloadRow } from "./rows/download.mjs";
import { dryRunRow, versionRow } from "./rows/startup.mjs";
import { sharedBatchRow } from "./rows/shared-batch.mjs";
import { statusRows } from "./rows/status.mjs";

const ROWS = ["version", "dry-run", "status", "journal", "download", "batch", "shared-batch"];
const number = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number >= 1`);
  return value;
};
const runs = number("BENCH_RUNS", 21);
const downloadRuns = number("BENCH_DOWNLOAD_RUNS", 5);
const sideRuns = number("BENCH_DOWNLOAD_SIDE_RUNS", 2);
const batchRuns = number("BENCH_BATCH_RUNS", 3);
const batchJobs = number("BENCH_BATCH_JOBS", 1000);
const journalRecords = number("BENCH_JOURNAL_RECORDS", 100_000);
const sharedRuns = number("BENCH_SHARED_RUNS", 1);
const sharedJobs = number("BENCH_SHARED_JOBS", 10_000);
const only = process.env.BENCH_ONLY?.split(",").map((s) => s.trim());
const unknown = only?.filter((name) => !ROWS.includes(name)) ?? [];
if (unknown.length > 0)
  throw new Error(`BENCH_ONLY: unknown row ${unknown.join(", ")}; rows: ${ROWS.join(", ")}`);
const want = (name) => !only || only.includes(name);

const TARGETS = {
  status: { text: "<= 1.2x" },
  journal: { text: "<= 1.1x" },
  download: { text: "<= 1.25x; <= 160 MiB, flat" },
  batch: { text: "<= 2.0x" },
};

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the sandboxes and removing the temp folder`);
    void closeWorld().finally(() => process.exit(130));
  });
}

const started = Date.now();
const loadAtStart = readLoad();
const rows = [];
const attempt = async (name, target, measure) => {
  try {
    const made = await measure();
    for (const row of Array.isArray(made) ? made : [made]) {
      rows.push(row);
      logRow(row);
    }
  } catch (error) {
    const row = failedRow(name, target, error instanceof Error ? error.message : String(error));
    rows.push(row);
    logRow(row);
  }
};

await openWork();
try {
  if (want("version")) await attempt("`grokvid --version`", { text: "<= 1.25x" }, () => versionRow(runs));
  if (want("dry-run")) await attempt("`create --dry-run`", { text: "<= 1.5x" }, () => dryRunRow(runs));
  if (want("status") || want("journal")) {
    const name = want("status") ? "`status ID`" : "`status ID` from the journal";
    await attempt(name, TARGETS[want("status") ? "status" : "journal"], () =>
      statusRows(want, runs, journalRecords),
    );
  }
  if (want("download"))
    await attempt("1 GiB download", TARGETS.download, () => downloadRow(downloadRuns, sideRuns));
  if (want("batch")) await attempt("batch", TARGETS.batch, () => batchRow(batchRuns, batchJobs));
  if (want("shared-batch"))
    await attempt("shared journal batch", { text: "every line paid once" }, () =>
      sharedBatchRow(sharedRuns, sharedJobs),
    );
} finally {
  await closeWorld();
}

printReport(rows, {
  started,
  loadAtStart,
  settings:
    `${runs} pairs for the start-up, status and journal rows, ${downloadRuns} for the 1 GiB download ` +
    `(${sideRuns} at 64 MiB and 2 GiB), ${batchRuns} batch runs of ${batchJobs} jobs, ` +
    `${sharedRuns} shared-journal run(s) of ${sharedJobs} lines over 4 workers`,
});
if (rows.some((r) => r.error)) process.exitCode = 1;
