import { existsSync } from "node:fs";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import {
  adminUrl,
  freshDatabase,
  privateCluster,
  roleWithoutPermission,
  withClient,
  wrongPasswordUrl,
  type FreshDatabase,
} from "../helpers/postgres.js";

/**
 * The PostgreSQL harness itself (test/setup/postgres.ts, test/helpers/postgres.ts): the journal's
 * tests trust it to give them real, separate databases, roles that are refused, and a server that
 * can be taken away and brought back.
 */
const made: FreshDatabase[] = [];
async function database(): Promise<FreshDatabase> {
  const db = await freshDatabase();
  made.push(db);
  return db;
}
afterAll(async () => {
  for (const db of made) await db.drop();
});

describe("the PostgreSQL test harness", () => {
  it("serves on 127.0.0.1 only", () => {
    expect(new URL(adminUrl()).hostname).toBe("127.0.0.1");
  });

  it("gives a fresh database that can be written and read", async () => {
    const db = await database();
    const rows = await withClient(db.url, async (c) => {
      await c.query("CREATE TABLE jobs (id text PRIMARY KEY, status text NOT NULL)");
      await c.query("INSERT INTO jobs VALUES ($1, $2)", ["job-1", "queued"]);
      expect((await c.query("SELECT current_database() AS name")).rows[0].name).toBe(db.name);
      return (await c.query("SELECT id, status FROM jobs")).rows;
    });
    expect(rows).toEqual([{ id: "job-1", status: "queued" }]);
  });

  it("gives two fresh databases that do not see each other's tables", async () => {
    const [a, b] = [await database(), await database()];
    expect(a.name).not.toBe(b.name);
    await withClient(a.url, (c) => c.query("CREATE TABLE only_in_a (x int)"));
    // 42P01: undefined_table.
    await expect(withClient(b.url, (c) => c.query("SELECT * FROM only_in_a"))).rejects.toMatchObject({
      code: "42P01",
    });
  });

  it("drops a database with a connection still open on it, and the roles made for it", async () => {
    const db = await freshDatabase();
    const role = new URL(await roleWithoutPermission(db.url)).username;
    const leftOpen = new pg.Client({ connectionString: db.url });
    leftOpen.on("error", () => undefined);
    await leftOpen.connect();
    try {
      await db.drop();
    } finally {
      await leftOpen.end().catch(() => undefined);
    }
    const left = await withClient(adminUrl(), async (c) => ({
      databases: (await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [db.name])).rowCount,
      roles: (await c.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).rowCount,
    }));
    expect(left).toEqual({ databases: 0, roles: 0 });
  });

  it("gives a role that may connect but not create anything (42501)", async () => {
    const db = await database();
    const url = await roleWithoutPermission(db.url);
    const user = await withClient(url, async (c) => (await c.query("SELECT current_user AS u")).rows[0].u);
    expect(user).toBe(new URL(url).username);
    // 42501: insufficient_privilege, for a table, a schema and a temporary table alike.
    for (const sql of [
      "CREATE TABLE jobs (id text)",
      "CREATE SCHEMA grokvid",
      "CREATE TEMP TABLE t (x int)",
    ]) {
      await expect(
        withClient(url, (c) => c.query(sql)),
        sql,
      ).rejects.toMatchObject({ code: "42501" });
    }
  });

  it("refuses a wrong password (28P01)", async () => {
    const db = await database();
    await expect(withClient(wrongPasswordUrl(db.url), (c) => c.query("SELECT 1"))).rejects.toMatchObject({
      code: "28P01",
    });
  });

  it("stops a private cluster (ECONNREFUSED) and starts it again with its data, the shared one untouched", async () => {
    const cluster = await privateCluster();
    try {
      expect(new URL(cluster.url).port).not.toBe(new URL(adminUrl()).port);
      await withClient(cluster.url, async (c) => {
        await c.query("CREATE TABLE kept (x int)");
        await c.query("INSERT INTO kept VALUES (7)");
      });
      await cluster.stop();
      await expect(withClient(cluster.url, (c) => c.query("SELECT 1"))).rejects.toMatchObject({
        code: "ECONNREFUSED",
      });
      const shared = await withClient(adminUrl(), async (c) => (await c.query("SELECT 1 AS one")).rows);
      expect(shared).toEqual([{ one: 1 }]);
      await cluster.start();
      const rows = await withClient(cluster.url, async (c) => (await c.query("SELECT x FROM kept")).rows);
      expect(rows).toEqual([{ x: 7 }]);
    } finally {
      await cluster.destroy();
    }
    expect(existsSync(cluster.dir)).toBe(false);
  });
});
