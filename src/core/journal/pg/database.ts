import { randomUUID } from "node:crypto";
import type { Pool, PoolClient, QueryResult, QueryResultRow } from "pg";
import type { SharedJournal } from "../../../config/journal-setting.js";
import { journalDbError } from "./pg-errors.js";
import { migrate } from "./schema.js";

/** A worker's journal needs few connections: appends are batched, reads one at a time. */
const MAX_CONNECTIONS = 4;
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * A database that stops answering (a stalled server, a network that drops packets silently) must
 * not hang a command: a query unanswered this long fails as "cannot reach", and what was to be
 * written goes to the local file. Every statement grokvid sends takes milliseconds.
 */
const QUERY_TIMEOUT_MS = 20_000;

/**
 * A connection checked out of the pool has no "error" listener of its own: a connection lost while
 * checked out would be an unhandled "error" event, ending the process with a paid job's id unsaved.
 * The failed query rejects all the same; this listener only keeps the event from being fatal.
 */
function checkedOut(client: PoolClient): PoolClient {
  client.on("error", ignore);
  return client;
}
const ignore = (): void => undefined;
function checkIn(client: PoolClient, failed: boolean): void {
  client.off("error", ignore);
  client.release(failed);
}

/**
 * The shared journal's database: one pool per process, opened on first use (a command that never
 * touches the journal never connects, and `pg` is loaded only then), with the schema migrated
 * before anything else runs. Every failure comes out as one line naming user@host/name (exit 3).
 */
export class Database {
  /** This process as claims name it: the host for people, a unique holder for the rows. */
  readonly identity: { host: string; holder: string };
  /** The schema version found when opened (before any migration): for doctor. */
  versionFound: number | undefined;
  private opened: Promise<Pool> | undefined;

  constructor(readonly setting: SharedJournal) {
    this.identity = { host: setting.host, holder: `${setting.host}:${process.pid}:${randomUUID()}` };
  }

  get where(): string {
    return this.setting.display;
  }

  get user(): string {
    return this.setting.user;
  }

  /** Connected and migrated; a failure is not remembered, so a later call tries again. */
  ready(): Promise<Pool> {
    this.opened ??= this.connect().catch((err: unknown) => {
      this.opened = undefined;
      throw err;
    });
    return this.opened;
  }

  private async connect(): Promise<Pool> {
    const { default: pg } = await import("pg");
    const pool = new pg.Pool({
      connectionString: this.setting.url,
      max: MAX_CONNECTIONS,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      // A command that is done exits even if the caller never closes the journal.
      allowExitOnIdle: true,
      application_name: "grokvid",
      query_timeout: QUERY_TIMEOUT_MS,
      statement_timeout: QUERY_TIMEOUT_MS,
      // A peer that vanished (a machine off, a cable out) is noticed by TCP, not waited for.
      keepAlive: true,
    });
    // An idle connection cut by a server restart must not end the process: the next query reconnects.
    pool.on("error", () => undefined);
    try {
      const client = checkedOut(await pool.connect());
      let failed = false;
      try {
        this.versionFound = await migrate(client, this.where);
      } catch (err) {
        failed = true;
        throw err;
      } finally {
        checkIn(client, failed);
      }
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw journalDbError(err, this.where, this.user);
    }
    return pool;
  }

  async query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    values: unknown[] = [],
  ): Promise<QueryResult<R>> {
    const pool = await this.ready();
    try {
      return await pool.query<R>(text, values);
    } catch (err) {
      throw journalDbError(err, this.where, this.user);
    }
  }

  /** `work` inside BEGIN ... COMMIT on one connection, rolled back if it throws. */
  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const pool = await this.ready();
    let client: PoolClient | undefined;
    let failed = false;
    try {
      client = checkedOut(await pool.connect());
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (err) {
      failed = true;
      await client?.query("ROLLBACK").catch(() => undefined);
      throw journalDbError(err, this.where, this.user);
    } finally {
      // A connection that failed mid-transaction is dropped, not handed to the next caller.
      if (client) checkIn(client, failed);
    }
  }

  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    const pool = await opened?.catch(() => undefined);
    await pool?.end();
  }
}
