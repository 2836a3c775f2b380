import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { createClient } from "../../src/index.js";
import { withClient } from "./postgres.js";

/**
 * The journal's records as text, whichever journal the run uses: the JSONL file at `path`, or, in
 * the `postgres` project, the test's database (the same lines, in commit order). Tests that seed
 * or read a journal do it through these, so they hold for both.
 */
export const sharedJournalRun = (): boolean => process.env.GROKVID_TEST_JOURNAL === "postgres";

/** The records, one JSON line each with a newline after it, as the file has them. */
export async function readJournalText(path: string): Promise<string> {
  const url = process.env.GROKVID_TEST_JOURNAL_URL;
  if (!url) return readFile(path, "utf8");
  const rows = await withClient(url, async (c) => {
    const table = await c.query<{ t: string | null }>("SELECT to_regclass('grokvid_events') AS t");
    if (!table.rows[0]?.t) return [];
    return (await c.query<{ body: string }>("SELECT body FROM grokvid_events ORDER BY seq")).rows;
  });
  return rows.map((r) => `${r.body}\n`).join("");
}

/**
 * Makes the journal hold `text`'s records: the file written, or the lines imported into the
 * database by grokvid's own `journal import` (records it already has are not added again).
 */
export async function writeJournalText(path: string, text: string): Promise<void> {
  const url = process.env.GROKVID_TEST_JOURNAL_URL;
  if (!url) {
    await writeFile(path, text);
    return;
  }
  const seed = `${path}.seed`;
  await mkdir(dirname(seed), { recursive: true });
  await writeFile(seed, text);
  const client = createClient({ env: { GROKVID_JOURNAL_URL: url, GROKVID_HOME: `${path}.home` } });
  try {
    await client.importJournal({ from: seed });
  } finally {
    await client.close();
  }
}
