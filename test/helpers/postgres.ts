import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { startCluster, stopCluster } from "./pg-cluster.js";

/**
 * Real PostgreSQL for tests, no mock: databases, roles and whole clusters of their own on the server
 * the global setup provides (test/setup/postgres.ts). Every name is random, so test files running at
 * the same time on the shared server never meet.
 */

/** The shared server's superuser URL (postgres://grokvid_admin:…@127.0.0.1:PORT/postgres). */
export function adminUrl(): string {
  return inject("pgAdminUrl");
}

const token = (bytes = 6): string => randomBytes(bytes).toString("hex");

/** The same server and credentials, another database. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** The same URL with a password the server refuses (28P01). */
export function wrongPasswordUrl(url: string): string {
  const u = new URL(url);
  u.password = `wrong${token()}`;
  return u.toString();
}

/** Connects, runs `fn`, and always closes the connection. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // A server stopped under an idle client emits "error"; unheard, that would kill the worker. A
  // query in flight still rejects.
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface FreshDatabase {
  /** The admin's URL for this database. */
  url: string;
  name: string;
  /** Closes whatever connections are left on it and drops it, with the roles made for it. */
  drop(): Promise<void>;
}

/** Roles made by roleWithoutPermission, by database: drop() removes them too (roles outlive databases). */
const rolesOf = new Map<string, string[]>();

/** A new, empty database with a random name on the shared server. */
export async function freshDatabase(): Promise<FreshDatabase> {
  const name = `grokvid_test_${token()}`;
  await withClient(adminUrl(), (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
  const drop = (): Promise<void> =>
    withClient(adminUrl(), async (c) => {
      // FORCE ends the connections a test left open (a pool not ended, a child process killed).
      await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
      for (const role of rolesOf.get(name) ?? [])
        await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(role)}`);
      rolesOf.delete(name);
    });
  return { url: databaseUrl(adminUrl(), name), name, drop };
}

/**
 * The URL of a new login role that may connect to the database of `dbUrl` but not create anything in
 * it: no table in public (CREATE on the schema), no schema (CREATE on the database), no temporary
 * table (TEMPORARY). What a user of the journal meets on a database whose owner did not let them in.
 */
export async function roleWithoutPermission(dbUrl: string): Promise<string> {
  const database = decodeURIComponent(new URL(dbUrl).pathname.slice(1));
  const role = `grokvid_role_${token()}`;
  const password = token(16);
  await withClient(adminUrl(), async (c) => {
    const db = c.escapeIdentifier(database);
    await c.query(`CREATE ROLE ${c.escapeIdentifier(role)} LOGIN PASSWORD ${c.escapeLiteral(password)}`);
    await c.query(`REVOKE CREATE, TEMPORARY ON DATABASE ${db} FROM PUBLIC`);
    await c.query(`GRANT CONNECT ON DATABASE ${db} TO ${c.escapeIdentifier(role)}`);
  });
  // A schema's privileges live in its database: revoked there, as the admin.
  await withClient(databaseUrl(adminUrl(), database), (c) =>
    c.query("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
  );
  rolesOf.set(database, [...(rolesOf.get(database) ?? []), role]);
  const u = new URL(dbUrl);
  u.username = role;
  u.password = password;
  return u.toString();
}

export interface PrivateCluster {
  /** Its superuser URL; the same after a restart. */
  url: string;
  dir: string;
  /** A fast shutdown: connections are cut, new ones are refused (ECONNREFUSED). */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops it and deletes its folder. */
  destroy(): Promise<void>;
}

/**
 * A cluster of its own (~0.5 s to make), for a test that stops the server mid-run without
 * disturbing the shared one. The global teardown removes one a test forgot to destroy.
 */
export async function privateCluster(): Promise<PrivateCluster> {
  const dir = mkdtempSync(join(inject("pgScratch"), "private-"));
  const url = await startCluster(dir);
  return {
    url,
    dir,
    stop: () => stopCluster(dir, false),
    start: async () => {
      const again = await startCluster(dir);
      if (again !== url) throw new Error(`the private cluster came back as ${again}, not ${url}`);
    },
    destroy: () => stopCluster(dir, true),
  };
}
