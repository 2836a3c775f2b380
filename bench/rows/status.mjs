// Rows 3 and 6: `grokvid status ID` against a sandbox in its own process, first next to a bare
// Node `fetch` of the same URL, then found through a 100,000-record journal (no --provider)
// next to a journal of that job alone.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { check, paired, run } from "../lib/measure.mjs";
import { buildJournal, pristineJournal, readJournalLines, recordsOf, templateOf } from "../lib/journal.mjs";
import { failedRow, pairedRow } from "../lib/report.mjs";
import { BIN, cleanEnv, folder, grokvid, KEY, root, startSandbox, waitDone } from "../lib/world.mjs";

/**
 * Real jobs run by grokvid, to measure and to copy: the probe (created, then finished on the
 * sandbox) and two finished jobs whose records become the journal's other jobs.
 */
async function runJobs(sandbox) {
  const cwd = await folder("status", "cwd");
  const envAt = (name) =>
    cleanEnv(join(cwd, "..", name), {
      GROKVID_APIMART_API_KEY: KEY,
      GROKVID_APIMART_BASE_URL: sandbox.apimart,
    });
  const submit = async (env, prompt) => {
    const args = ["create", "--provider", "apimart", "--prompt", prompt];
    const id = check(await grokvid(args, { env, cwd }), "grokvid create").stdout.trim();
    await waitDone(sandbox, id);
    return id;
  };
  const probeEnv = envAt("probe");
  const probe = await submit(probeEnv, "bench probe");
  const kinds = [];
  for (const [name, prompt, download] of [
    ["ok", "bench template ok", true],
    ["failed", "bench template [fail]", false],
  ]) {
    const env = envAt(name);
    const id = await submit(env, prompt);
    check(await grokvid(["status", id], { env, cwd }), "grokvid status");
    if (download) check(await grokvid(["download", id], { env, cwd }), "grokvid download");
    kinds.push(templateOf(recordsOf(await readJournalLines(env.GROKVID_HOME), id)));
  }
  const probeRecords = recordsOf(await readJournalLines(probeEnv.GROKVID_HOME), probe);
  return { cwd, probe, probeRecords, kinds };
}

const STATUS = { max: 1.2, text: "<= 1.2x" };
const JOURNAL = { max: 1.1, text: "<= 1.1x" };

const lineOf = (records) => `${records.map((r) => JSON.stringify(r)).join("\n")}\n`;

export async function statusRows(want, runs, records) {
  const sandbox = await startSandbox(200);
  try {
    const jobs = await runJobs(sandbox);
    const rows = [];
    // One row's failure must not hide the other's figures.
    const attempt = async (name, target, measure) => {
      try {
        rows.push(await measure());
      } catch (error) {
        rows.push(failedRow(name, target, error instanceof Error ? error.message : String(error)));
      }
    };
    if (want("status")) await attempt("`status ID`", STATUS, () => statusRow(runs, sandbox, jobs));
    if (want("journal"))
      await attempt("`status ID` from the journal", JOURNAL, () => journalRow(runs, jobs, records));
    return rows;
  } finally {
    await sandbox.stop();
  }
}

async function statusRow(runs, sandbox, { cwd, probe, probeRecords }) {
  const env = cleanEnv(await folder("status", "home"), {
    GROKVID_APIMART_API_KEY: KEY,
    GROKVID_APIMART_BASE_URL: sandbox.apimart,
  });
  const restore = await pristineJournal(await folder("status", "home", "grokvid"), lineOf(probeRecords));
  const url = `${sandbox.apimart}/v1/tasks/${probe}`;
  const done = new RegExp(`${probe}.*succeeded`);
  const measured = await paired(
    runs,
    async () =>
      check(await grokvid(["status", probe, "--provider", "apimart"], { env, cwd }), "status", done),
    async () =>
      check(await run([process.execPath, join(root, "bench", "fetch-once.mjs"), url], { env, cwd }), "fetch"),
    restore,
  );
  return pairedRow("`status ID --provider apimart` / one bare `fetch`", STATUS, measured);
}

async function journalRow(runs, { cwd, probe, probeRecords, kinds }, total) {
  const big = buildJournal(total, probeRecords, kinds);
  const bigEnv = cleanEnv(await folder("journal", "big"), { GROKVID_APIMART_API_KEY: KEY });
  const aloneEnv = cleanEnv(await folder("journal", "alone"), { GROKVID_APIMART_API_KEY: KEY });
  const restoreBig = await pristineJournal(await folder("journal", "big", "grokvid"), big.text);
  const restoreAlone = await pristineJournal(
    await folder("journal", "alone", "grokvid"),
    lineOf(probeRecords),
  );
  // grokvid's own reader must accept every generated record: a journal it skipped would be no test.
  // The list goes to a file, so this check does not depend on how grokvid hands output to a pipe.
  const listFile = join(bigEnv.HOME, "jobs.json");
  const listArgs = ['"$0" "$1" jobs --limit 0 --json > "$2"', process.execPath, BIN, listFile];
  const listed = check(await run(["sh", "-c", ...listArgs], { env: bigEnv, cwd }), "grokvid jobs");
  const count = JSON.parse(await readFile(listFile, "utf8")).length;
  if (count !== big.jobs || listed.stderr.includes("damaged")) {
    throw new Error(`grokvid jobs read ${count} of ${big.jobs} generated jobs: ${listed.stderr.trim()}`);
  }
  const done = new RegExp(`${probe}.*succeeded`);
  const probeIn = (env) => async () => check(await grokvid(["status", probe], { env, cwd }), "status", done);
  const measured = await paired(runs, probeIn(bigEnv), probeIn(aloneEnv), async () => {
    await restoreBig();
    await restoreAlone();
  });
  return pairedRow(
    `\`status ID\` found in the journal: ${total.toLocaleString("en")} records / that job alone`,
    JOURNAL,
    measured,
    {
      note: `${(big.text.length / 2 ** 20).toFixed(0)} MiB journal of ${big.jobs} jobs, the job's first record on line ${big.probeLine}`,
    },
  );
}
