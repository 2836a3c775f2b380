import { ApiError, ExitCode, WaitTimeoutError } from "../../util/errors.js";
import { formatMs } from "../../util/format.js";
import type { Gateway } from "../../http/client.js";
import type { NormalizedTask } from "../../providers/types.js";
import { isTerminal } from "../../util/task-status.js";
import { fetchTask, type TaskDeps } from "./task-identity.js";
import { canCancel, cancelledTask, requestCancel } from "./cancel.js";

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
  /** When the timeout ends the wait, cancel the job where the platform can (--cancel-on-timeout). */
  cancelOnTimeout?: boolean;
  /**
   * Awaited before that cancel is sent, with the task as last seen (the journal's intent record),
   * and again with `requested` false when the platform says the job had finished first.
   */
  onCancelling?: (last: NormalizedTask, requested: boolean) => Promise<void>;
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
  // Without a status it is the network's doing, or a refusal of ours (a returned URL on another
  // origin) that waiting cannot mend.
  if (s === undefined) return err.networkFailure;
  return s === 408 || s === 425 || s === 429 || s >= 500;
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
      const timedOut = `timed out after ${formatMs(opts.timeoutMs)} waiting for task ${id} on ${gateway.name} (${seen})`;
      // A timeout of 0 only checks once: there was no wait to give up on.
      if (opts.cancelOnTimeout && opts.timeoutMs > 0 && canCancel(gateway.provider)) {
        const ended = await cancelAtDeadline(gateway, id, last, timedOut, opts, deps);
        if ("task" in ended) return ended.task;
        throw ended.error;
      }
      throw new WaitTimeoutError(`${timedOut}; the task may still be running`, {
        hint: `resume with: ${opts.resumeHint}`,
        task: last,
      });
    }
    const delay = nextDelay(opts.intervalMs, unchanged, hintMs, http.random);
    // setTimeout cannot wait longer than 2^31-1 ms; a longer delay would fire at once.
    await http.sleep(Math.min(delay, remaining, MAX_TIMER_MS), http.signal);
  }
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * --cancel-on-timeout: the wait is over, so the job is cancelled rather than left running (and
 * billed). Exactly one cancel is sent, and the error says what came of it (exit 8). A job that
 * finished first is no timeout at all: its final state ends the wait like any other.
 */
async function cancelAtDeadline(
  gateway: Gateway,
  id: string,
  last: NormalizedTask | undefined,
  timedOut: string,
  opts: WaitOptions,
  deps: TaskDeps,
): Promise<{ task: NormalizedTask } | { error: WaitTimeoutError }> {
  if (last) await opts.onCancelling?.(last, true);
  let answer: Awaited<ReturnType<typeof requestCancel>>;
  try {
    answer = await requestCancel(gateway, id, { ...deps, http: { ...deps.http, maxRetries: 0 } });
  } catch (err) {
    if (deps.http.signal?.aborted) throw err;
    const why = err instanceof Error ? err.message : String(err);
    const error = new WaitTimeoutError(
      `${timedOut}; the cancel failed (${why}), so the task may still be running`,
      { hint: `resume with: ${opts.resumeHint}, or try again: grokvid cancel ${id}`, task: last },
    );
    return { error };
  }
  if (answer.outcome === "already-finished") {
    // Its outcome is its own: a failure now is no cancellation.
    if (last) await opts.onCancelling?.(last, false);
    const task = answer.task ?? (await fetchTask(gateway, id, deps)).task;
    await opts.onUpdate?.(task, opts.timeoutMs);
    if (isTerminal(task.status)) return { task };
    return {
      error: new WaitTimeoutError(`${timedOut}; the task may still be running`, {
        hint: `resume with: ${opts.resumeHint}`,
        task,
      }),
    };
  }
  const why = `cancelled after ${formatMs(opts.timeoutMs)} of waiting (--cancel-on-timeout)`;
  const task = cancelledTask(id, gateway.name, undefined, answer.task, deps.now(), why);
  const cancelled = last ? { ...task, model: last.model, createdAt: last.createdAt } : task;
  await opts.onUpdate?.(cancelled, opts.timeoutMs);
  const error = new WaitTimeoutError(`${timedOut}; cancelled it on ${gateway.name} (--cancel-on-timeout)`, {
    task: cancelled,
  });
  return { error };
}
