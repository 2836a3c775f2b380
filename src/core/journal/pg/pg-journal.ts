import { createHash } from "node:crypto";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { PoolClient } from "pg";
import type { SharedJournal } from "../../../config/journal-setting.js";
import { redact } from "../../../util/redact.js";
import { type JournalEvent, parseEventLine } from "../events.js";
import { type JobRecord, type Journal, JournalState, jobKey } from "../journal.js";
import { FoldedJournal } from "../folded-journal.js";
import { Database } from "./database.js";
import { PgClaims } from "./pg-claims.js";
import { JournalUnreachableError } from "./pg-errors.js";
import { UnsentRecords } from "./unsent.js";

/** The record that says an intent's create was never sent (a `submitting` the database may hold). */
function abandonment(event: JournalEvent, at: string): string | undefined {
  if (event.type !== "submitting") return undefined;
  const { provider, requestHash } = event;
  return JSON.stringify({ type: "abandoned", at, provider, requestHash, intentAt: event.at });
}

/** Own records remembered until read back; a client that never reads does not grow without bound. */
const MAX_OWN_ROWS = 10_000;

/**
 * A record's text as read back: none above 1 MiB (grokvid writes records of a few hundred bytes;
 * a huge row is not one of them, and would cost every reader its memory), read as damaged.
 */
const BODY = "CASE WHEN octet_length(body) <= 1048576 THEN body END AS body";

/** Every append takes this lock inside its transaction: rows become visible in `seq` order. */
const APPEND_LOCK = 0x6a726e6c;

interface Pending {
  event: JournalEvent;
  text: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface Row {
  seq: string;
  host: string;
  body: string | null;
}

/**
 * The journal in PostgreSQL, shared by every machine that names the same database: the same
 * events as the file journal, one row each, read back in commit order and folded the same way.
 * Appends that arrive together go in one transaction. Appends take one advisory lock, so a row
 * with a higher `seq` is never visible before one with a lower: a reader that has folded up to
 * `seq` N never misses a row below it. Rows carry the host that wrote them: `jobs` shows who
 * works on each job.
 */
export class PgJournal extends FoldedJournal implements Journal {
  readonly where: string;
  readonly host: string;
  readonly claims: PgClaims;
  private readonly db: Database;
  private readonly unsent: UnsentRecords;
  private lastSeq = 0;
  private queue: Pending[] = [];
  private running: Promise<void> | undefined;
  /** Set once this process wrote to the unsent file: its next records wait until those are carried. */
  private behind = false;
  private carried: Promise<void> | undefined;
  private readonly toldUnsent = new Set<string>();
  private homeChecked: Promise<void> | undefined;
  /** Records this process appended, by their text, until refresh() reads them back. */
  private readonly own = new Map<string, JournalEvent>();

  constructor(
    setting: SharedJournal,
    readonly home: string,
    private readonly onWarning: (message: string) => void = () => {},
    private readonly now: () => string = () => new Date().toISOString(),
  ) {
    super();
    this.db = new Database(setting);
    this.where = setting.display;
    this.host = setting.host;
    this.claims = new PgClaims(this.db, setting.leaseMs, onWarning);
    this.unsent = new UnsentRecords(home, setting.display);
  }

  /**
   * For doctor: the schema version found on opening (0: grokvid just made the tables), the best of
   * three round trips of a trivial query, and how many records the journal holds.
   */
  async health(): Promise<{ versionFound: number; roundTripMs: number; records: number }> {
    await this.ready();
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      await this.db.query("SELECT 1");
      best = Math.min(best, performance.now() - start);
    }
    return { versionFound: this.db.versionFound ?? 0, roundTripMs: best, records: await this.count() };
  }

  /** Connected, migrated, and what an earlier run on this machine could not write carried over. */
  private ready(): Promise<void> {
    this.carried ??= this.db
      .ready()
      .then(() => this.carryOver())
      .catch((err: unknown) => {
        this.carried = undefined;
        throw err;
      });
    return this.carried;
  }

  private async carryOver(): Promise<void> {
    const count = await this.unsent.carryOver(
      async (lines) => {
        await this.insert(lines);
      },
      async () => {
        await this.db.query("SELECT 1");
      },
    );
    this.behind = false;
    if (count > 0)
      this.onWarning(
        `carried ${count} record${count === 1 ? "" : "s"} written while the shared journal was out of reach over to ${this.where}`,
      );
  }

  /** The local file for records the database could not take must be writable before a paid call. */
  readyToPay(): Promise<void> {
    this.homeChecked ??= this.unsent.checkWritable().catch((err: unknown) => {
      this.homeChecked = undefined;
      throw err;
    });
    return this.homeChecked;
  }

  async append(event: JournalEvent): Promise<void> {
    if (event.type === "submitting") await this.readyToPay();
    // Gateway text is redacted where it comes in; this is the last guard for any other path.
    const json = JSON.stringify(event);
    const text = redact(json);
    // Read back by refresh() without parsing it again (a batch refreshes before every line).
    if (text === json && this.own.size < MAX_OWN_ROWS) this.own.set(text, event);
    return new Promise((resolve, reject) => {
      this.queue.push({ event, text, resolve, reject });
      this.running ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    await nextTurn();
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      // An intent for a request this process claimed commits only while the claim is still its
      // own (fenced, each in a transaction of its own): a worker stalled past its lease, whose
      // line another worker took over, must not pay for it too.
      const fenced = batch.filter(
        (p) => p.event.type === "submitting" && this.claims.holds(p.event.requestHash),
      );
      const rest = batch.filter((p) => !fenced.includes(p));
      await this.commit(rest);
      for (const p of fenced)
        await this.commit([p], p.event.type === "submitting" ? p.event.requestHash : undefined);
    }
    this.running = undefined;
  }

  /** One transaction for `group` (fenced by the claim on `fence`), or the group kept locally. */
  private async commit(group: Pending[], fence?: string): Promise<void> {
    if (group.length === 0) return;
    try {
      await this.ready();
      if (this.behind) await this.carryOver();
      await this.insert(
        group.map((p) => p.text),
        fence,
      );
      for (const p of group) p.resolve();
    } catch (err) {
      await this.keepLocally(group, err);
    }
  }

  /**
   * The database failed. An intent to pay (`submitting`) is refused: nothing may be sent that the
   * shared journal does not know of. Anything else is about a job already paid for: it goes to the
   * local unsent file (its id on stderr too), so it is not lost, and is carried over later.
   */
  private async keepLocally(batch: Pending[], err: unknown): Promise<void> {
    // Whatever the database's failure (out of reach, out of connections, read-only after a
    // failover, a full disk), a paid job's records are kept; only an intent is refused.
    const intents = batch.filter((p) => p.event.type === "submitting");
    const kept = batch.filter((p) => !intents.includes(p));
    // A refused intent may still have been committed (the connection lost before COMMIT's answer):
    // the create was not sent, and saying so keeps it from showing as uncertain for ever.
    const lost = err instanceof JournalUnreachableError;
    const unsentIntents = lost ? intents.map((p) => abandonment(p.event, this.now())) : [];
    const lines = [...unsentIntents.filter((l) => l !== undefined), ...kept.map((p) => p.text)];
    try {
      if (lines.length > 0) await this.unsent.append(lines);
    } catch (localErr) {
      for (const p of intents) p.reject(err);
      for (const p of kept) p.reject(localErr);
      return;
    }
    // Answered only once the local file has what it must keep.
    for (const p of intents) p.reject(err);
    if (lines.length > 0) this.behind = true;
    if (kept.length === 0) return;
    for (const id of new Set(kept.map((p) => ("id" in p.event ? p.event.id : undefined)))) {
      // Once per job: its later records follow it into the same file.
      if (id === undefined || this.toldUnsent.has(id)) continue;
      this.toldUnsent.add(id);
      this.onWarning(
        `${err instanceof Error ? err.message : String(err)}: job ${id} is recorded in ${this.unsent.path} until it can be carried over`,
      );
    }
    for (const p of kept) p.resolve();
  }

  /** One transaction under the append lock; a record already there (same digest) is skipped. */
  /** Commits the records; resolves to how many were new (one already there is not added again). */
  private insert(texts: readonly string[], fence?: string): Promise<number> {
    const rows = texts.map((text) => {
      const event = parseEventLine(text);
      const id = event && "id" in event ? event.id : null;
      const hash = event && "requestHash" in event ? event.requestHash : null;
      return [createHash("sha256").update(text).digest("hex"), id, hash, text] as const;
    });
    return this.db.transaction(async (client: PoolClient) => {
      if (fence !== undefined) await this.claims.stillHeld(client, fence);
      await client.query("SELECT pg_advisory_xact_lock($1)", [APPEND_LOCK]);
      const inserted = await client.query(
        `INSERT INTO grokvid_events (digest, job_id, request_hash, host, body)
         SELECT d, j, r, $5, b FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(d, j, r, b)
         ON CONFLICT (digest) DO NOTHING`,
        [
          rows.map((r) => r[0]),
          rows.map((r) => r[1]),
          rows.map((r) => r[2]),
          rows.map((r) => r[3]),
          this.db.identity.host,
        ],
      );
      return inserted.rowCount ?? 0;
    });
  }

  /** Lines of another journal (import): committed as they are, each once. */
  async importLines(texts: readonly string[]): Promise<number> {
    await this.ready();
    let added = 0;
    for (let at = 0; at < texts.length; at += 1000) added += await this.insert(texts.slice(at, at + 1000));
    return added;
  }

  private async count(): Promise<number> {
    const { rows } = await this.db.query<{ n: string }>("SELECT count(*) AS n FROM grokvid_events");
    return Number(rows[0]?.n ?? 0);
  }

  /** Every record, in commit order, as the JSON line it was written as (export). */
  async *lines(): AsyncGenerator<string> {
    await this.ready();
    let after = 0;
    for (;;) {
      const { rows } = await this.db.query<{ seq: string; body: string }>(
        "SELECT seq, body FROM grokvid_events WHERE seq > $1 ORDER BY seq LIMIT 5000",
        [after],
      );
      for (const row of rows) yield row.body;
      const last = rows.at(-1);
      if (last === undefined) return;
      after = Number(last.seq);
    }
  }

  protected async foldNew(): Promise<JournalState> {
    await this.ready();
    const { rows } = await this.db.query<Row>(
      `SELECT seq, host, ${BODY} FROM grokvid_events WHERE seq > $1 ORDER BY seq`,
      [this.lastSeq],
    );
    this.fold(this.state, rows, this.own);
    const last = rows.at(-1);
    if (last) this.lastSeq = Number(last.seq);
    return this.state;
  }

  private fold(state: JournalState, rows: readonly Row[], own?: Map<string, JournalEvent>): void {
    let damaged = 0;
    for (const row of rows) {
      const body = row.body ?? "";
      const mine = own?.get(body);
      if (mine) own?.delete(body);
      const event = mine ?? parseEventLine(body);
      if (!event) {
        damaged++;
        continue;
      }
      state.apply(event);
      const uncertain = event.type === "submitting" ? state.uncertain.get(event.requestHash) : undefined;
      if (uncertain) uncertain.host = row.host;
      // The host that last wrote about a job is the one working on it (or that last did).
      if ("id" in event) {
        const job = state.jobs.get(jobKey(event.provider, event.id));
        if (job) job.host = row.host;
      }
    }
    if (damaged > 0)
      this.onWarning(`skipped ${damaged} unreadable record${damaged === 1 ? "" : "s"} in ${this.where}`);
  }

  /** The job's own rows only (indexed by job id), folded as the whole journal would fold them. */
  async findJob(id: string, provider?: string): Promise<JobRecord | undefined> {
    await this.ready();
    const { rows } = await this.db.query<Row>(
      `SELECT seq, host, ${BODY} FROM grokvid_events WHERE job_id = $1 ORDER BY seq`,
      [id],
    );
    const found = new JournalState();
    this.fold(found, rows);
    return found.newest(provider);
  }

  async close(): Promise<void> {
    await this.running;
    this.claims.close();
    await this.db.close();
  }
}
