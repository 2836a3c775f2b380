import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    // e2e tests spawn the built binary; two workers keep a 2-core machine responsive.
    maxWorkers: 2,
    // A real PostgreSQL server for the run: GROKVID_TEST_PG_URL's, else a throw-away cluster of its own.
    globalSetup: ["test/setup/postgres.ts"],
  },
});
