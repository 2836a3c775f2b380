import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/**
 * The shell scripts that find PostgreSQL and run throw-away clusters, for the global setup
 * (test/setup/postgres.ts) and the helpers (test/helpers/postgres.ts). No vitest import here: the
 * global setup runs in vitest's main process, where `inject` and friends do not exist.
 */
const run = promisify(execFile);
const SCRIPTS = fileURLToPath(new URL("../../scripts/", import.meta.url));

/** Its one line of output; a failure rejects with the script's stderr in the message. */
async function script(name: string, args: string[]): Promise<string> {
  const { stdout } = await run("bash", [SCRIPTS + name, ...args], { encoding: "utf8" });
  return stdout.trim();
}

/** The folder holding initdb, pg_ctl and postgres; installs Debian's package when they are missing. */
export function ensurePostgres(): Promise<string> {
  return script("ensure-postgres.sh", []);
}

/** Makes or restarts the cluster in `dir` (the same port and data); resolves to its admin URL. */
export function startCluster(dir: string): Promise<string> {
  return script("pg-cluster.sh", ["start", dir]);
}

/** Stops the cluster in `dir` (a fast shutdown); `remove` then deletes the folder. */
export async function stopCluster(dir: string, remove: boolean): Promise<void> {
  await script("pg-cluster.sh", ["stop", dir, ...(remove ? ["--remove"] : [])]);
}
