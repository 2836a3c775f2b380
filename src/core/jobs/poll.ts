import { ApiError, ExitCode, WaitTimeoutError } from "../../util/errors.js";
import { formatMs } from "../../util/format.js";
import type { Gateway } from "../../http/client.js";
import type { NormalizedTask } from "../../providers/types.js";
import { isTerminal } from "../../util/task-status.js";
import { fetchTask, type TaskDeps } from "./task-identity.js";

export interface WaitOptions {
  intervalMs: number;
  /** 0 checks once. */
  timeoutMs: number;
  /** The command that picks the wait up again, shown when the wait times out. */
  resumeHint: string;
  /**
   * The task was created a moment ago in this run: its create answer is its state, so the first
   * poll comes one interval later, like every other (asking at once only learns "queued" again).
   */
  justCreated?: boolean;
  /** Awaited, so a journal write lands before the next poll. */
  onUpdate?: (task: NormalizedTask, elapsedMs: number) => void | Promise<void>;
  onWarning?: (message: string) => void;
}

/** Backoff grows while nothing changes, so a 20-minute job costs dozens of polls, not hundreds. */
const BACKOFF = 1.25;
const MAX_BACKOFF_FACTOR = 3;
/** A server may ask for slower polling, up to this; it may not make us poll faster than asked. */
const MAX_HINT_MS = 60_000;

export function nextDelay(
  intervalMs: number,
  unchangedPolls: number,
  hintMs: number | undefined,
  random: () => number,
): number {
  if (hintMs !== undefined) return Math.max(intervalMs, Math.min(hintMs, MAX_HINT_MS));
  const grown = intervalMs * Math.min(MAX_BACKOFF_FACTOR, BACKOFF ** unchangedPolls);
  // ±10 % jitter keeps a shell loop of many waits from polling in lockstep.
  return Math.round(grown * (0.9 + 0.2 * random()));
}

function describe(task: NormalizedTask): string {
  return task.progress === null ? task.status : `${task.status}, ${task.progress}%`;
}

/**
 * A status check that failed for a reason that may pass (network, 408, 429, 5xx, after the HTTP
 * layer's own retries). A wait outlives those: giving up would strand a paid, still-running job.
 */
function isTransient(err: unknown): err is ApiError {
  if (!(err instanceof ApiError) || err.exitCode !== ExitCode.provider) return false;
  const s = err.status;
  return s === undefined || s === 408 || s === 425 || s === 429 || s >= 500;
}

/**
 * Polls until the task is terminal and returns it (a failed task is returned, not thrown: the
 * caller still prints it). The last poll happens at the deadline, never after it.
 */
export async function waitForTask(
  gateway: Gateway,
  id: string,
  opts: WaitOptions,
  deps: TaskDeps,
): Promise<NormalizedTask> {
  const { http } = deps;
  const start = http.now();
  const deadline = start + opts.timeoutMs;
  let unchanged = 0;
  let last: NormalizedTask | undefined;
  let lastError: ApiError | undefined;
  const warned = new Set<string>();
  // A gateway that keeps sending the same odd word is reported once, not on every poll.
  const warnOnce = (w: string) => {
    if (warned.has(w)) return;
    warned.add(w);
    opts.onWarning?.(w);
  };
  if (opts.justCreated && opts.timeoutMs > 0)
    await http.sleep(Math.min(opts.intervalMs, opts.timeoutMs, MAX_TIMER_MS), http.signal);
  for (;;) {
    let hintMs: number | undefined;
    try {
      const fetched = await fetchTask(gateway, id, deps);
      lastError = undefined;
      for (const w of fetched.warnings) warnOnce(w);
      const task = fetched.task;
      await opts.onUpdate?.(task, http.now() - start);
      if (isTerminal(task.status)) return task;
      unchanged = last && last.status === task.status && last.progress === task.progress ? unchanged + 1 : 0;
      last = task;
      hintMs = fetched.pollAfterMs;
    } catch (err) {
      if (!isTransient(err) || http.signal?.aborted) throw err;
      lastError = err;
      warnOnce(`status check failed (${err.message}); still waiting`);
    }
    const remaining = deadline - http.now();
    if (remaining <= 0) {
      if (lastError && !last) throw lastError;
      const seen = last ? `last seen ${describe(last)}` : "never seen";
      throw new WaitTimeoutError(
        `timed out after ${formatMs(opts.timeoutMs)} waiting for task ${id} on ${gateway.name} (${seen}); the task may still be running`,
        { hint: `resume with: ${opts.resumeHint}`, task: last },
      );
    }
    const delay = nextDelay(opts.intervalMs, unchanged, hintMs, http.random);
    // setTimeout cannot wait longer than 2^31-1 ms; a longer delay would fire at once.
    await http.sleep(Math.min(delay, remaining, MAX_TIMER_MS), http.signal);
  }
}

const MAX_TIMER_MS = 2 ** 31 - 1;
