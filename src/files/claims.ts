import { lstatSync } from "node:fs";
import { lstat, rm } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { ConfigError, GrokvidError } from "../util/errors.js";
import { type Identity, isAlive, MAX_OWNER_BYTES, OwnerFile, parseOwner } from "./claim-owner.js";
import { codeOf } from "./safe-file.js";
import { checkStateName, readStateFile } from "./state-file.js";

/** A request this process alone may act on until it calls `release`. */
export interface Claim {
  release(): Promise<void>;
}

/** Who holds a claim: a process, on another machine when the journal is shared. */
export interface Holder {
  pid: number;
  host?: string;
}

export type ClaimAttempt = { claim: Claim } | { heldBy: Holder };

/**
 * Claims on requests, by request hash: this file's `Claims` on one machine, or rows in the shared
 * journal's database (core/journal/pg/pg-claims.ts) for many.
 */
export interface ClaimStore {
  /** Takes the claim now, or says who holds it. */
  take(key: string): Promise<ClaimAttempt>;
  /** Waits until the claim is free (its holder finished, died or let its lease run out), then takes it. */
  acquire(key: string, signal: AbortSignal | undefined, onWait: (holder: Holder) => void): Promise<Claim>;
}

const CLAIM_POLL_MS = 200;
const STALE_BREAK_MS = 10_000;

/** Where claims live and how they are named in messages; file-lock.ts puts its locks elsewhere. */
export interface ClaimPlace {
  /** The folder of the claim names; default `<home>/claims`. */
  dir?: string;
  /** How a claim file is called in a refusal ("the claim", "the lock"). */
  role?: string;
  /** What to do when the folder cannot be written. */
  hint?: string;
  /**
   * A claim older than this (by its file's mtime, written when its owner took its first name) is
   * stale even if its pid is alive: for locks held for milliseconds, where a live pid that old is a
   * reused one (no /proc to tell start times apart) or a process stuck for good.
   */
  staleAfterMs?: number;
}

/**
 * One file per request hash under `<GROKVID_HOME>/claims`, appearing whole or not at all: of
 * several grokvid processes (two batches of one file, a batch and a resume), exactly one holds it,
 * and only that one may pay for, wait on or download that request. The file names its owner (pid
 * and start time), so a claim left by a process that died (kill -9, power cut) is taken over; what
 * that process did is in the journal, which the new owner reads before acting. A claim is read
 * as a state file: a FIFO or folder at its name is refused (exit 3), never waited on forever.
 */
export class Claims implements ClaimStore {
  readonly dir: string;
  private readonly owner: OwnerFile;
  private readonly role: string;
  private readonly hint: string;
  private readonly staleAfterMs: number | undefined;

  constructor(home: string, place: ClaimPlace = {}) {
    this.dir = place.dir ?? join(home, "claims");
    this.role = place.role ?? "the claim";
    this.hint = place.hint ?? "set GROKVID_HOME to a folder you can write";
    this.staleAfterMs = place.staleAfterMs;
    this.owner = new OwnerFile(home);
  }

  private tooOld(path: string): boolean {
    if (this.staleAfterMs === undefined) return false;
    const info = lstatSync(path, { throwIfNoEntry: false });
    return info !== undefined && Date.now() - info.mtimeMs > this.staleAfterMs;
  }

  private pathOf(key: string): string {
    if (!/^[0-9a-f]{16,128}$/.test(key)) throw new Error(`not a request hash: ${key}`);
    return join(this.dir, key);
  }

  /** What a claim file says, or undefined when it is gone; a refusal when it is not a regular file. */
  private readOwner(path: string): string | undefined {
    return readStateFile(path, this.role, MAX_OWNER_BYTES);
  }

  take(key: string): Promise<ClaimAttempt> {
    return this.takePath(this.pathOf(key));
  }

  /** take() of any name in the claims folder (file-lock.ts: `keys.json.lock`). */
  async takePath(path: string): Promise<ClaimAttempt> {
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        const linked = await this.owner.linkTo(path);
        if (linked) return { claim: this.claimOf(path, linked) };
        const text = this.readOwner(path);
        // Gone since the link failed: its owner released it; try again.
        if (text === undefined) continue;
        const owner = parseOwner(text);
        if (owner && owner.pid !== process.pid && isAlive(owner) && !this.tooOld(path))
          return { heldBy: { pid: owner.pid } };
        await this.removeStale(path, text);
      }
    } catch (err) {
      // A refusal of a claim file already says what is wrong, and where.
      if (err instanceof GrokvidError) throw err;
      throw new ConfigError(`cannot write ${this.dir} (${codeOf(err) ?? String(err)})`, {
        hint: this.hint,
        cause: err,
      });
    }
    return { heldBy: { pid: parseOwner(this.readOwner(path) ?? "")?.pid ?? 0 } };
  }

  /**
   * Waits until the claim is free (its owner finished or died), then takes it. The wait is real
   * time, not the injected clock: it waits on another process, which a virtual clock cannot hurry.
   */
  async acquire(
    key: string,
    signal: AbortSignal | undefined,
    onWait: (holder: Holder) => void,
  ): Promise<Claim> {
    let told = 0;
    for (;;) {
      const attempt = await this.take(key);
      if ("claim" in attempt) return attempt.claim;
      if (attempt.heldBy.pid !== told) onWait(attempt.heldBy);
      told = attempt.heldBy.pid;
      await delay(CLAIM_POLL_MS, undefined, signal ? { signal } : {});
    }
  }

  /**
   * Takes over a dead owner's claim. Two processes seeing the same dead owner must not both remove
   * "it" (the second would remove the first one's fresh claim, and both would pay), so removal
   * happens only under `<claim>.break`, itself taken with link(), and only while the file still
   * says what was read. A break lock is held for microseconds; one left by a crash in between is
   * cleared once it is 10 s old.
   */
  private async removeStale(path: string, text: string): Promise<void> {
    const lock = `${path}.break`;
    const locked = await this.owner.linkTo(lock);
    if (!locked) {
      // Whatever holds the name is removed below when old: it must be a break lock, not a folder.
      checkStateName(lock, `${this.role}'s break lock`);
      const info = await lstat(lock).catch(() => undefined);
      // ctime, not mtime: the lock is a new name of an older owner file, and link(2) sets only ctime.
      if (info && Date.now() - info.ctimeMs > STALE_BREAK_MS) await rm(lock, { force: true });
      return;
    }
    try {
      // A missing file reads as undefined, never as `text`: what is there now is not ours to remove.
      if (this.readOwner(path) === text) await rm(path, { force: true });
    } finally {
      await this.owner.unlinkIfMine(lock, locked);
    }
  }

  /** Released only while the name is still the inode this process linked: a taker's claim never is. */
  private claimOf(path: string, identity: Identity): Claim {
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        await this.owner.unlinkIfMine(path, identity);
      },
    };
  }
}
