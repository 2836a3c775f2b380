import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import {
  type Sandbox,
  type AnySandboxDialect,
  type SandboxOptions,
  startSandbox,
} from "../../src/sandbox/server.js";
import { steppingClock } from "./clock.js";
import { makeTempDir } from "./run-cli.js";
import { withClient } from "./postgres.js";

export const E2E_KEY = "sk-e2e-key-0123456789";

async function expectNoKeyInFiles(dir: string, key: string): Promise<void> {
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path)).includes(key)) throw new Error(`the API key was written to ${path}`);
  }
}

/** The same canary over a shared journal's records (the `postgres` project's test database). */
async function expectNoKeyInSharedJournal(key: string): Promise<void> {
  const url = process.env.GROKVID_TEST_JOURNAL_URL;
  if (!url) return;
  const found = await withClient(url, async (c) => {
    const table = await c.query<{ t: string | null }>("SELECT to_regclass('grokvid_events') AS t");
    if (!table.rows[0]?.t) return 0;
    const rows = await c.query("SELECT 1 FROM grokvid_events WHERE strpos(body, $1) > 0", [key]);
    return rows.rowCount ?? 0;
  });
  if (found > 0) throw new Error(`the API key was written to the shared journal (${found} records)`);
}

export interface E2eContext {
  readonly sandbox: Sandbox;
  /** A fresh temp folder per test, also the spawned CLI's HOME and cwd. */
  readonly dir: string;
  /** Key and base URL variables that point a provider at the shared sandbox. */
  envFor(dialect: AnySandboxDialect, key?: string): Record<string, string>;
}

/**
 * One sandbox per file (its clock steps on every request, so tasks finish after a fixed number of
 * polls) and one temp folder per test, with the request log cleared between tests.
 */
export function useE2e(options: SandboxOptions = {}): E2eContext {
  let sandbox: Sandbox | undefined;
  let dir: string | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox({ now: steppingClock(500), ...options });
  });
  afterAll(() => sandbox?.close());
  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    if (sandbox) sandbox.requests.length = 0;
  });
  afterEach(async () => {
    // Journals, sidecars and manifests the test left behind must not hold the key either.
    if (dir) await expectNoKeyInFiles(dir, E2E_KEY);
    await expectNoKeyInSharedJournal(E2E_KEY);
    await cleanup?.();
  });
  const must = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is only available inside a test`);
    return value;
  };
  return {
    get sandbox() {
      return must(sandbox, "sandbox");
    },
    get dir() {
      return must(dir, "dir");
    },
    envFor(dialect, key = E2E_KEY) {
      const upper = dialect.toUpperCase();
      return {
        [`GROKVID_${upper}_API_KEY`]: key,
        [`GROKVID_${upper}_BASE_URL`]: must(sandbox, "sandbox").baseUrl(dialect),
      };
    },
  };
}
