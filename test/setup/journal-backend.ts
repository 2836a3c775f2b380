import { afterEach, beforeEach } from "vitest";
import { type FreshDatabase, freshDatabase } from "../helpers/postgres.js";

/**
 * The `postgres` project's setup (vitest.config.ts): every test gets a fresh, empty database as
 * its journal, as every test of the `file` project gets a fresh GROKVID_HOME. The helpers that
 * start grokvid pass it on as GROKVID_JOURNAL_URL (testJournalEnv in run-cli.ts). Dropped after
 * the test's own cleanup (hooks run in reverse), whatever connections are left on it.
 */
let db: FreshDatabase | undefined;

beforeEach(async () => {
  db = await freshDatabase();
  process.env.GROKVID_TEST_JOURNAL_URL = db.url;
});

afterEach(async () => {
  delete process.env.GROKVID_TEST_JOURNAL_URL;
  await db?.drop();
  db = undefined;
});
