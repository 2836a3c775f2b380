import { createHash, randomBytes } from "node:crypto";
import { closeSync, mkdirSync, renameSync, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { ConfigError, GrokvidError, InterruptedError } from "../../util/errors.js";
import type { Pacer } from "../../http/client.js";
import { Claims } from "../../files/claims.js";
import { codeOf, createExclusiveFd, writeAllSync } from "../../files/safe-file.js";
import { readStateFile } from "../../files/state-file.js";

interface PacerClock {
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** One budget per key and origin, shared by every session of this process. */
interface Budget {
  /** When this process may send its next request. */
  nextAt: number;
  /** Creates of this process, one at a time: the cross-process turn is taken by one of them. */
  creates: Promise<void>;
}

const budgets = new Map<string, Budget>();

/**
 * xAI allows video requests at 1 per second per key, on every tier. Creates are spaced across
 * every process that uses the key (a shell loop of `grokvid create ... &`): a process takes the
 * key's turn (a claim under GROKVID_HOME, taken over if its holder died), waits until a second
 * after the previous create was ANSWERED (stamped in `pacing/<key id>`), sends, and stamps its
 * own answer time before letting go. Spacing from the answer, not from the send, keeps two
 * creates from arriving within one second however slow the machine or the network. Polls count
 * against the same budget (xAI does not say they do not), spaced within this process, so a batch
 * polls at the budget's pace instead of earning a storm of 429s.
 */
export function createPacer(
  home: string,
  origin: string,
  apiKey: string,
  requestsPerSecond: number,
  clock: PacerClock,
): Pacer {
  const intervalMs = Math.ceil(1000 / requestsPerSecond);
  const keyId = createHash("sha256").update(`pace\0${origin}\0${apiKey}`).digest("hex");
  let budget = budgets.get(keyId);
  if (!budget) {
    budget = { nextAt: 0, creates: Promise.resolve() };
    budgets.set(keyId, budget);
  }
  const own = budget;
  const claims = new Claims(home);
  const stampPath = join(home, "pacing", keyId);

  async function waitInProcess(signal: AbortSignal | undefined): Promise<void> {
    const now = clock.now();
    const at = Math.max(now, own.nextAt);
    own.nextAt = at + intervalMs;
    if (at > now) await clock.sleep(at - now, signal);
  }

  async function createTurn(signal: AbortSignal | undefined): Promise<() => Promise<void>> {
    const claim = await claims.acquire(keyId, signal, () => {});
    try {
      const last = readStamp(stampPath);
      const wait = last === undefined ? 0 : last + intervalMs - clock.now();
      if (wait > 0) await clock.sleep(Math.min(wait, intervalMs), signal);
      await waitInProcess(signal);
      // Stamped just before sending too: a holder killed mid-request leaves the time it sent, and
      // the next one still waits a full interval from it.
      writeStamp(stampPath, clock.now());
    } catch (err) {
      await claim.release().catch(() => {});
      throw err;
    }
    // Never throws: a stamp that cannot be written (a full disk) must not cost the answer it
    // follows, which may hold a paid job's id. The next holder then spaces from the pre-send stamp.
    return async () => {
      own.nextAt = Math.max(own.nextAt, clock.now() + intervalMs);
      try {
        writeStamp(stampPath, clock.now());
      } catch {
        // See above.
      }
      await claim.release().catch(() => {});
    };
  }

  /** Nothing was sent while waiting for a turn: said so, typed, so the create is not "uncertain". */
  function notSent(err: unknown, signal: AbortSignal | undefined): GrokvidError {
    if (signal?.aborted) {
      return new InterruptedError("interrupted while waiting for this key's turn; nothing was sent", {
        nothingSent: true,
      });
    }
    // A refusal already names the file and what is wrong with it (a claim or stamp that is a FIFO).
    if (err instanceof ConfigError)
      return new ConfigError(`${err.message}; nothing was sent`, {
        ...(err.hint === undefined ? {} : { hint: err.hint }),
        cause: err,
        nothingSent: true,
      });
    const why = err instanceof GrokvidError ? err.message : `${codeOf(err) ?? String(err)}`;
    return new ConfigError(`cannot take this key's turn under ${home} (${why}); nothing was sent`, {
      hint: "set GROKVID_HOME to a folder you can write",
      cause: err,
      nothingSent: true,
    });
  }

  return {
    async turn(kind, signal) {
      if (kind === "query") {
        await waitInProcess(signal);
        return async () => {};
      }
      // Chained so only one create of this process takes the cross-process turn at a time.
      const previous = own.creates;
      let finished!: () => void;
      const mine = new Promise<void>((resolve) => (finished = resolve));
      // The chain waits for every earlier create, including one that gave up waiting.
      own.creates = previous.then(() => mine);
      try {
        await untilAborted(previous, signal);
        const done = await createTurn(signal);
        return async () => {
          try {
            await done();
          } finally {
            finished();
          }
        };
      } catch (err) {
        finished();
        throw notSent(err, signal);
      }
    },
  };
}

/** `promise`, or a rejection as soon as `signal` aborts (the promise itself goes on). */
function untilAborted(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    signal.addEventListener("abort", abort, { once: true });
    promise.then(
      () => {
        signal.removeEventListener("abort", abort);
        resolve();
      },
      (err: unknown) => {
        signal.removeEventListener("abort", abort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/**
 * The last create's time in ms; a missing stamp, or one that is not a number, means none is known.
 * Read as a state file: a FIFO, folder or link planted at its name is refused (exit 3, nothing
 * sent) instead of hanging every create on the key or being silently replaced.
 */
function readStamp(path: string): number | undefined {
  const value = Number(readStateFile(path, "the pacing stamp", 64)?.trim());
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * Replaced whole by rename, so a reader never sees half a number (the claim serialises writers);
 * the temp file is created exclusively, never through a link planted at its name.
 */
function writeStamp(path: string, ms: number): void {
  const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  let fd: number;
  try {
    fd = createExclusiveFd(temp, 0o600);
  } catch (err) {
    if (codeOf(err) !== "ENOENT") throw err;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    fd = createExclusiveFd(temp, 0o600);
  }
  try {
    writeAllSync(fd, Buffer.from(String(ms)));
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, path);
  } catch (err) {
    unlinkSync(temp);
    throw err;
  }
}
