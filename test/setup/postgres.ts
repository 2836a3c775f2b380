import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { ensurePostgres, startCluster, stopCluster } from "../helpers/pg-cluster.js";

/**
 * vitest's global setup: one real PostgreSQL server for the whole run. .ci/run starts it and passes
 * its admin URL in GROKVID_TEST_PG_URL; a plain local `npm test` gets a cluster started here and
 * stopped at teardown. No PostgreSQL, and none installable: the run fails here, it never skips.
 */
declare module "vitest" {
  export interface ProvidedContext {
    /** postgres://grokvid_admin:PASSWORD@127.0.0.1:PORT/postgres, a superuser of the shared server. */
    pgAdminUrl: string;
    /** Where private clusters go (test/helpers/postgres.ts); teardown stops whatever is left there. */
    pgScratch: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const scratch = mkdtempSync(join(tmpdir(), "grokvid-pg-"));
  // Run as root, the servers run as another user, who must be able to pass through this folder.
  chmodSync(scratch, 0o711);
  try {
    const url = process.env.GROKVID_TEST_PG_URL || (await startShared(scratch));
    await check(url);
    project.provide("pgAdminUrl", url);
    project.provide("pgScratch", scratch);
  } catch (error) {
    await sweep(scratch);
    throw error;
  }
  return () => sweep(scratch);
}

async function startShared(scratch: string): Promise<string> {
  try {
    await ensurePostgres();
  } catch (error) {
    throw new Error(`the tests need a PostgreSQL server, and none could be found or installed: ${error}`);
  }
  const dir = join(scratch, "shared");
  mkdirSync(dir);
  return startCluster(dir);
}

/** Tests reach 127.0.0.1 only; a wrong URL or a dead server fails here, once, not in every file. */
async function check(url: string): Promise<void> {
  const host = new URL(url).hostname;
  if (host !== "127.0.0.1") throw new Error(`GROKVID_TEST_PG_URL must name 127.0.0.1, not ${host}`);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    throw new Error(`the PostgreSQL test server at ${host}:${new URL(url).port} does not answer: ${error}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Stops and deletes every cluster under `scratch` (the shared one, private ones a test left behind). */
async function sweep(scratch: string): Promise<void> {
  const failures: unknown[] = [];
  for (const name of readdirSync(scratch)) {
    await stopCluster(join(scratch, name), true).catch((error: unknown) => failures.push(error));
  }
  // A server that would not stop keeps its folder: it is still using it, and the folder names it.
  if (failures.length > 0) throw new Error(`PostgreSQL test clusters left running: ${failures.join("\n")}`);
  rmSync(scratch, { recursive: true, force: true });
}
