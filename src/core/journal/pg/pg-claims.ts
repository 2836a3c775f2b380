import { setTimeout as delay } from "node:timers/promises";
import { readFileSync, readlinkSync } from "node:fs";
import { isAlive, SELF } from "../../../files/claim-owner.js";
import type { Claim, ClaimAttempt, ClaimStore, Holder } from "../../../files/claims.js";
import type { PoolClient } from "pg";
import { ConfigError } from "../../../util/errors.js";
import type { Database } from "./database.js";

/**
 * This machine as pids mean something on it: its boot (Linux's boot id) and this process's pid
 * namespace. Undefined where either cannot be read: then no holder is judged dead by its pid.
 */
export const MACHINE = ((): string | undefined => {
  try {
    const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    return `${boot} ${readlinkSync("/proc/self/ns/pid")}`;
  } catch {
    return undefined;
  }
})();

/**
 * Claims as rows of `grokvid_claims`, one per request hash: taking one is a single INSERT that
 * succeeds only where no row is, or the row's lease ran out (its holder died: kill -9, a lost
 * machine), or it is this process's own, or its holder was on this machine and is gone. While held, a heartbeat every third of the lease moves
 * the lease on; a holder that stops beating loses the claim a lease later, never sooner.
 */
export class PgClaims implements ClaimStore {
  private readonly held = new Set<string>();
  private beat: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly leaseMs: number,
    private readonly onWarning: (message: string) => void = () => {},
  ) {}

  async take(key: string): Promise<ClaimAttempt> {
    const { holder, host } = this.db.identity;
    for (let attempt = 0; attempt < 3; attempt++) {
      const taken = await this.db.query(
        `INSERT INTO grokvid_claims AS c (request_hash, holder, host, pid, started, machine, lease_until)
         VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp() + $7 * interval '1 millisecond')
         ON CONFLICT (request_hash) DO UPDATE
           SET holder = EXCLUDED.holder, host = EXCLUDED.host, pid = EXCLUDED.pid,
               started = EXCLUDED.started, machine = EXCLUDED.machine, lease_until = EXCLUDED.lease_until
           WHERE c.lease_until < clock_timestamp() OR c.holder = EXCLUDED.holder
         RETURNING holder`,
        [key, holder, host, SELF.pid, SELF.start ?? null, MACHINE ?? null, this.leaseMs],
      );
      if (taken.rows.length > 0) return { claim: this.claimOf(key) };
      const row = await this.db.query<{
        holder: string;
        host: string;
        pid: number;
        started: string | null;
        machine: string | null;
      }>("SELECT holder, host, pid, started, machine FROM grokvid_claims WHERE request_hash = $1", [key]);
      const other = row.rows[0];
      // Released between the two statements: try again.
      if (other === undefined) continue;
      if (other.host === host) {
        // A holder on this very machine (the same boot and pid namespace: not a container or a
        // clone that shares the host name) that is gone (kill -9) need not be waited out for a
        // lease: taken over only while the row still names it, so of two takers one wins.
        const here = MACHINE !== undefined && other.machine === MACHINE;
        if (here && !isAlive({ pid: other.pid, start: other.started ?? undefined })) {
          const stolen = await this.db.query(
            `UPDATE grokvid_claims
             SET holder = $3, pid = $4, started = $5, lease_until = clock_timestamp() + $6 * interval '1 millisecond'
             WHERE request_hash = $1 AND holder = $2 RETURNING holder`,
            [key, other.holder, holder, SELF.pid, SELF.start ?? null, this.leaseMs],
          );
          if (stolen.rows.length > 0) return { claim: this.claimOf(key) };
          continue;
        }
        return { heldBy: { pid: other.pid } };
      }
      return { heldBy: { pid: other.pid, host: other.host } };
    }
    return { heldBy: { pid: 0 } };
  }

  /** Whether this process took the claim on `key` (and has not released it). */
  holds(key: string): boolean {
    return this.held.has(key);
  }

  /**
   * Inside the transaction that commits an intent: the claim is still this process's, its lease
   * not run out (and now extended), or the transaction fails and nothing is sent. The row stays
   * locked until the commit, so no other process can take the claim in between.
   */
  async stillHeld(client: PoolClient, key: string): Promise<void> {
    const kept = await client.query(
      `UPDATE grokvid_claims SET lease_until = clock_timestamp() + $3 * interval '1 millisecond'
       WHERE request_hash = $1 AND holder = $2 AND lease_until > clock_timestamp()`,
      [key, this.db.identity.holder, this.leaseMs],
    );
    if (kept.rowCount === 1) return;
    this.held.delete(key);
    throw new ConfigError(
      `this grokvid's claim on a request ran out while the shared journal ${this.db.where} was slow to answer, and another grokvid may have it now; nothing was sent for it`,
      { hint: "run the batch again: it picks up whatever is left" },
    );
  }

  /** Polled about four times a lease (at most once a second): a dead holder's claim is free a lease after its last beat. */
  async acquire(
    key: string,
    signal: AbortSignal | undefined,
    onWait: (holder: Holder) => void,
  ): Promise<Claim> {
    let told = "";
    for (;;) {
      const attempt = await this.take(key);
      if ("claim" in attempt) return attempt.claim;
      const name = `${attempt.heldBy.host ?? ""}:${attempt.heldBy.pid}`;
      if (name !== told) onWait(attempt.heldBy);
      told = name;
      await delay(Math.min(1000, this.leaseMs / 4), undefined, signal ? { signal } : {});
    }
  }

  private claimOf(key: string): Claim {
    this.held.add(key);
    this.startBeating();
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        this.held.delete(key);
        if (this.held.size === 0) this.stopBeating();
        // Only our own row: a claim taken over after our lease ran out is the taker's.
        await this.db
          .query("DELETE FROM grokvid_claims WHERE request_hash = $1 AND holder = $2", [
            key,
            this.db.identity.holder,
          ])
          // A database gone now lets the lease run out instead: the claim frees itself.
          .catch(() => undefined);
      },
    };
  }

  private startBeating(): void {
    if (this.beat) return;
    // One statement for every claim this process holds; unref'd: it never keeps a process alive.
    this.beat = setInterval(() => {
      const beating = [...this.held];
      void this.db
        .query<{ request_hash: string }>(
          `UPDATE grokvid_claims SET lease_until = clock_timestamp() + $3 * interval '1 millisecond'
           WHERE holder = $1 AND request_hash = ANY($2) RETURNING request_hash`,
          [this.db.identity.holder, beating, this.leaseMs],
        )
        .then(({ rows }) => this.noticeLost(beating, rows))
        // A beat that fails is tried again at the next; past the lease another may take over.
        .catch(() => undefined);
    }, this.leaseMs / 3);
    this.beat.unref();
  }

  /**
   * A claim the beat no longer found as ours ran out (the database was out of reach longer than
   * the lease) and may be another's now: no intent for it will commit (stillHeld), and the user is
   * told once that another grokvid may be polling and downloading the same job.
   */
  private noticeLost(beating: readonly string[], rows: ReadonlyArray<{ request_hash: string }>): void {
    const kept = new Set(rows.map((r) => r.request_hash));
    for (const key of beating) {
      if (kept.has(key) || !this.held.has(key)) continue;
      this.held.delete(key);
      this.onWarning(
        `this grokvid's claim on a request ran out while the shared journal ${this.db.where} was out of reach; another grokvid may be on the same job now`,
      );
    }
  }

  private stopBeating(): void {
    clearInterval(this.beat);
    this.beat = undefined;
  }

  /** Stops the heartbeat (the process is done): the claims still held lapse a lease later. */
  close(): void {
    this.stopBeating();
  }
}
