import { dirname } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { ConfigError } from "../util/errors.js";
import { Claims } from "./claims.js";

/** Long enough for any queue of writers of one small file; short enough to say so and stop. */
const WAIT_MS = 10_000;
/** A lock is held for a read, a write and a rename: a few ms. One older than this is stale. */
const STALE_MS = 30_000;
const POLL_MS = 10;

export interface LockOptions {
  /** How long to wait for another process's lock before giving up (tests shorten it). */
  waitMs?: number;
}

/** Callers in this process, one after another per file: the lock file tells other processes. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `work`, a read, change and rename of the small state file `target` (keys.json, the trust
 * store, the user config file), while no other grokvid process does the same: otherwise two
 * processes read the same file and the second rename silently drops the first one's change.
 *
 * The lock is a claim (claims.ts) named `<target>.lock` beside the file: taken with one link(2),
 * naming its owner's pid and start time, so a lock left by a process killed with -9 is taken over
 * at once, and one older than 30 s is taken over whoever holds it. A lock held by a live process
 * is waited for (polled every 10-20 ms) for at most 10 s, then refused with exit 3: never a hang.
 */
export function withFileLock<T>(
  target: string,
  role: string,
  work: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const previous = queues.get(target) ?? Promise.resolve();
  const run = previous.then(
    () => locked(target, role, work, options),
    () => locked(target, role, work, options),
  );
  const settled = run.catch(() => undefined);
  queues.set(target, settled);
  void settled.then(() => {
    if (queues.get(target) === settled) queues.delete(target);
  });
  return run;
}

async function locked<T>(
  target: string,
  role: string,
  work: () => Promise<T>,
  options: LockOptions,
): Promise<T> {
  const folder = dirname(target);
  const path = `${target}.lock`;
  const claims = new Claims(folder, {
    dir: folder,
    role: `the lock of ${role}`,
    hint: `grokvid keeps ${role} in ${folder}: check that you can write there`,
    staleAfterMs: STALE_MS,
  });
  const deadline = Date.now() + (options.waitMs ?? WAIT_MS);
  for (;;) {
    const attempt = await claims.takePath(path);
    if ("claim" in attempt) {
      try {
        return await work();
      } finally {
        await attempt.claim.release();
      }
    }
    if (Date.now() >= deadline)
      throw new ConfigError(
        `${role} ${target} is being changed by grokvid process ${attempt.heldBy.pid} (it holds ${path}); try again once it ends`,
      );
    // Jittered, so writers that collided do not collide again on the next poll.
    await delay(POLL_MS + Math.random() * POLL_MS);
  }
}
