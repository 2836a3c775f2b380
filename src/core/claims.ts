import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { ConfigError } from "../errors.js";

/** A request this process alone may act on until it calls `release`. */
export interface Claim {
  release(): Promise<void>;
}

export type ClaimAttempt = { claim: Claim } | { heldBy: number };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, but another user's.
    return !!(err && typeof err === "object" && "code" in err && err.code === "EPERM");
  }
}

function errorCode(err: unknown): string | undefined {
  return err && typeof err === "object" && "code" in err ? String(err.code) : undefined;
}

/**
 * One file per request hash under `<GROKVID_HOME>/claims`, created with O_EXCL: of several grokvid
 * processes (two batches of one file, a batch and a resume), exactly one gets it, and only the one
 * holding it may pay for, wait on or download that request. The file holds the owner's pid, so a
 * claim left by a process that died (kill -9, power cut) is taken over; what that process did is in
 * the journal, which the new owner reads before acting. (A pid reused by an unrelated process keeps
 * a dead claim alive until that process ends; waiting on it is safe, never a double payment.)
 */
export class Claims {
  readonly dir: string;

  constructor(home: string) {
    this.dir = join(home, "claims");
  }

  private pathOf(key: string): string {
    if (!/^[0-9a-f]{16,128}$/.test(key)) throw new Error(`not a request hash: ${key}`);
    return join(this.dir, key);
  }

  async take(key: string): Promise<ClaimAttempt> {
    const path = this.pathOf(key);
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      for (let attempt = 0; attempt < 3; attempt++) {
        const created = await this.create(path);
        if (created) return { claim: created };
        const owner = await this.owner(path);
        if (owner !== undefined && owner !== process.pid && isAlive(owner)) return { heldBy: owner };
        // Read again right before removing: another process may have just taken it over.
        if ((await this.owner(path)) === owner) await rm(path, { force: true });
      }
    } catch (err) {
      throw new ConfigError(`cannot write ${this.dir} (${errorCode(err) ?? String(err)})`, {
        hint: "set GROKVID_HOME to a folder you can write",
        cause: err,
      });
    }
    const owner = (await this.owner(path)) ?? 0;
    return { heldBy: owner };
  }

  /** Waits until the claim is free (its owner finished or died), then takes it. */
  /**
   * Waits until the claim is free (its owner finished or died), then takes it. The wait is real
   * time, not the injected clock: it waits on another process, which a virtual clock cannot hurry.
   */
  async acquire(key: string, signal: AbortSignal | undefined, onWait: (pid: number) => void): Promise<Claim> {
    let told = 0;
    for (;;) {
      const attempt = await this.take(key);
      if ("claim" in attempt) return attempt.claim;
      if (attempt.heldBy !== told) onWait(attempt.heldBy);
      told = attempt.heldBy;
      await delay(CLAIM_POLL_MS, undefined, signal ? { signal } : {});
    }
  }

  /** link() of a finished temp file: the claim appears whole, pid included, or not at all. */
  private async create(path: string): Promise<Claim | undefined> {
    const temp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(temp, String(process.pid), { flag: "wx", mode: 0o600 });
    try {
      await link(temp, path);
    } catch (err) {
      if (errorCode(err) === "EEXIST") return undefined;
      throw err;
    } finally {
      await rm(temp, { force: true });
    }
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        if ((await this.owner(path)) === process.pid) await rm(path, { force: true });
      },
    };
  }

  private async owner(path: string): Promise<number | undefined> {
    const text = await readFile(path, "utf8").catch(() => undefined);
    const pid = Number(text);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }
}

const CLAIM_POLL_MS = 200;
