import { defineConfig } from "vitest/config";

/**
 * The suites of what reads or writes the journal (journal, jobs, resume, batch, gallery), run a
 * second time with a shared PostgreSQL journal instead of the file: the `postgres` project.
 */
const SHARED_JOURNAL_SUITES = [
  "test/e2e/journal.test.ts",
  "test/e2e/jobs-output.test.ts",
  "test/e2e/table-width.test.ts",
  "test/e2e/batch-paths.test.ts",
  "test/e2e/batch-rerun-hint.test.ts",
  "test/e2e/batch-signals.test.ts",
  "test/e2e/paid-once.test.ts",
  "test/e2e/rerun-create.test.ts",
  "test/e2e/rerun-siblings.test.ts",
  "test/e2e/delivered.test.ts",
  "test/e2e/exit-codes.test.ts",
  "test/e2e/terminal.test.ts",
  "test/e2e/gallery.test.ts",
  "test/e2e/gallery-target.test.ts",
  "test/e2e/mcp-jobs.test.ts",
  "test/e2e/xai.test.ts",
  "test/e2e/platform-cost.test.ts",
  "test/e2e/platform-fal.test.ts",
  "test/e2e/cancel.test.ts",
  "test/e2e/replicate-aborted.test.ts",
  "test/library/client.test.ts",
  "test/library/path-owner.test.ts",
  "test/integration/xai-flow.test.ts",
  "test/unit/journal.test.ts",
  "test/browser/batch-gallery.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    // e2e tests spawn the built binary; two workers keep a 2-core machine responsive.
    maxWorkers: 2,
    // A real PostgreSQL server for the run: GROKVID_TEST_PG_URL's, else a throw-away cluster of its own.
    globalSetup: ["test/setup/postgres.ts"],
    projects: [
      { extends: true, test: { name: "file", include: ["test/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "postgres",
          include: SHARED_JOURNAL_SUITES,
          // For the few tests of the file journal's own failures (test/helpers/journal-text.ts).
          env: { GROKVID_TEST_JOURNAL: "postgres" },
          // Each test gets a fresh database as its journal (GROKVID_TEST_JOURNAL_URL).
          setupFiles: ["test/setup/journal-backend.ts"],
        },
      },
    ],
  },
});
