import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { ConfigError, GrokvidError, InterruptedError } from "../errors.js";
import type { Pacer } from "../http/client.js";
import { Claims } from "./claims.js";
import { codeOf, createExclusiveFd, writeAllSync } from "./safe-file.js";

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
 * The last create's time in ms; a missing or unreadable stamp means none is known. Opened without
 * following a link and without blocking (a FIFO planted there must not hang every create on the
 * key), read only if it is a plain file, and only the few bytes a number takes.
 */
function readStamp(path: string): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFile()) return undefined;
    const buffer = Buffer.alloc(32);
    const value = Number(
      buffer
        .subarray(0, readSync(fd, buffer, 0, 32, 0))
        .toString("utf8")
        .trim(),
    );
    return Number.isFinite(value) && value > 0 ? value : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
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
