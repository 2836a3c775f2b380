import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { link, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { ConfigError } from "../errors.js";

/** A request this process alone may act on until it calls `release`. */
export interface Claim {
  release(): Promise<void>;
}

export type ClaimAttempt = { claim: Claim } | { heldBy: number };

interface Owner {
  pid: number;
  /** When that process started (Linux: clock ticks since boot), so a reused pid is not mistaken for it. */
  start: string | undefined;
}

/** Field 22 of /proc/<pid>/stat; undefined where there is no /proc. The name field may hold spaces. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function isAlive(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: alive, but another user's.
    if (!(err && typeof err === "object" && "code" in err && err.code === "EPERM")) return false;
  }
  const start = owner.start === undefined ? undefined : startTimeOf(owner.pid);
  return start === undefined || start === owner.start;
}

function errorCode(err: unknown): string | undefined {
  return err && typeof err === "object" && "code" in err ? String(err.code) : undefined;
}

const CLAIM_POLL_MS = 200;
const STALE_BREAK_MS = 10_000;
const SELF: Owner = { pid: process.pid, start: startTimeOf(process.pid) };

/**
 * One file per request hash under `<GROKVID_HOME>/claims`, appearing whole or not at all: of
 * several grokvid processes (two batches of one file, a batch and a resume), exactly one holds it,
 * and only that one may pay for, wait on or download that request. The file names its owner (pid
 * and start time), so a claim left by a process that died (kill -9, power cut) is taken over; what
 * that process did is in the journal, which the new owner reads before acting.
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
        const text = await readFile(path, "utf8").catch(() => undefined);
        // Gone since the link failed: its owner released it; try again.
        if (text === undefined) continue;
        const owner = parseOwner(text);
        if (owner && owner.pid !== process.pid && isAlive(owner)) return { heldBy: owner.pid };
        await this.removeStale(path, text);
      }
    } catch (err) {
      throw new ConfigError(`cannot write ${this.dir} (${errorCode(err) ?? String(err)})`, {
        hint: "set GROKVID_HOME to a folder you can write",
        cause: err,
      });
    }
    return { heldBy: parseOwner(await readFile(path, "utf8").catch(() => ""))?.pid ?? 0 };
  }

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

  /**
   * Takes over a dead owner's claim. Two processes seeing the same dead owner must not both remove
   * "it" (the second would remove the first one's fresh claim, and both would pay), so removal
   * happens only under `<claim>.break`, itself taken with link(), and only while the file still
   * says what was read. A break lock is held for microseconds; one left by a crash in between is
   * cleared once it is 10 s old.
   */
  private async removeStale(path: string, text: string): Promise<void> {
    const lock = `${path}.break`;
    if (!(await this.linkOwnerFile(lock))) {
      const info = await stat(lock).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > STALE_BREAK_MS) await rm(lock, { force: true });
      return;
    }
    try {
      // A missing file reads as undefined, never as `text`: what is there now is not ours to remove.
      if ((await readFile(path, "utf8").catch(() => undefined)) === text) await rm(path, { force: true });
    } finally {
      await rm(lock, { force: true });
    }
  }

  /** link() of a finished temp file: the file appears whole, owner included, or not at all. */
  private async linkOwnerFile(path: string): Promise<boolean> {
    const temp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(temp, formatOwner(SELF), { flag: "wx", mode: 0o600 });
    try {
      await link(temp, path);
      return true;
    } catch (err) {
      if (errorCode(err) === "EEXIST") return false;
      throw err;
    } finally {
      await rm(temp, { force: true });
    }
  }

  private async create(path: string): Promise<Claim | undefined> {
    if (!(await this.linkOwnerFile(path))) return undefined;
    const text = formatOwner(SELF);
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        if ((await readFile(path, "utf8").catch(() => "")) === text) await rm(path, { force: true });
      },
    };
  }
}

function formatOwner(owner: Owner): string {
  return owner.start === undefined ? String(owner.pid) : `${owner.pid} ${owner.start}`;
}

function parseOwner(text: string): Owner | undefined {
  const [pidText, start] = text.trim().split(" ");
  const pid = Number(pidText);
  return Number.isInteger(pid) && pid > 0 ? { pid, start } : undefined;
}
