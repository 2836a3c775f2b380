import type { PoolClient } from "pg";
import { ConfigError } from "../../../util/errors.js";

/**
 * The shared journal's tables, one step per schema version. A step only ever adds: an older
 * grokvid keeps working on a database a newer one migrated, as long as the version is one it knows.
 */
const STEPS: readonly string[] = [
  // 1: the events, in commit order (seq), each once (digest: import and carry-over add nothing twice);
  // the claims, one row per request hash, held by a lease that the holder's heartbeat extends
  // (pid, start time and machine: a holder on this very machine that is gone is seen at once).
  `CREATE TABLE grokvid_events (
     seq bigserial PRIMARY KEY,
     digest text NOT NULL UNIQUE,
     job_id text,
     request_hash text,
     host text NOT NULL,
     body text NOT NULL
   );
   CREATE INDEX grokvid_events_job ON grokvid_events (job_id) WHERE job_id IS NOT NULL;
   CREATE TABLE grokvid_claims (
     request_hash text PRIMARY KEY,
     holder text NOT NULL,
     host text NOT NULL,
     pid integer NOT NULL,
     started text,
     machine text,
     lease_until timestamptz NOT NULL
   );`,
];

export const SCHEMA_VERSION = STEPS.length;

/** Any constant: every grokvid migrating any database takes this one lock, inside its transaction. */
const MIGRATION_LOCK = 0x67726f6b;

async function versionOf(client: PoolClient): Promise<number> {
  const table = await client.query<{ found: string | null }>("SELECT to_regclass('grokvid_meta') AS found");
  if (!table.rows[0]?.found) return 0;
  const row = await client.query<{ value: string }>(
    "SELECT value FROM grokvid_meta WHERE key = 'schema_version'",
  );
  return Number(row.rows[0]?.value ?? 0);
}

/**
 * Brings the schema to this grokvid's version: in one transaction under an advisory lock, so two
 * processes starting at once migrate it once (the second finds it done). A database already at the
 * version is only read, so a user who may use the tables but not create any still gets in.
 * Returns the version found, for doctor.
 */
export async function migrate(client: PoolClient, where: string): Promise<number> {
  const found = await versionOf(client);
  if (found > SCHEMA_VERSION) throw newerSchema(found, where);
  if (found === SCHEMA_VERSION) return found;
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await client.query("CREATE TABLE IF NOT EXISTS grokvid_meta (key text PRIMARY KEY, value text NOT NULL)");
    const now = await versionOf(client);
    if (now > SCHEMA_VERSION) throw newerSchema(now, where);
    for (let step = now; step < SCHEMA_VERSION; step++) await client.query(STEPS[step] ?? "");
    await client.query(
      `INSERT INTO grokvid_meta (key, value) VALUES ('schema_version', $1)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [String(SCHEMA_VERSION)],
    );
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  }
  return found;
}

function newerSchema(found: number, where: string): ConfigError {
  return new ConfigError(
    `the shared journal ${where} has schema version ${found}; this grokvid knows versions up to ${SCHEMA_VERSION}`,
    { hint: "upgrade grokvid on this machine" },
  );
}
