import { WaitTimeoutError } from "../errors.js";
import type { Gateway } from "../http/client.js";
import type { NormalizedTask } from "../providers/types.js";
import { isTerminal } from "./task.js";
import { fetchTask, type TaskDeps } from "./tasks.js";

export interface WaitOptions {
  intervalMs: number;
  /** 0 checks once. */
  timeoutMs: number;
  /** The command that picks the wait up again, shown when the wait times out. */
  resumeHint: string;
  /** Awaited, so a journal write lands before the next poll. */
  onUpdate?: (task: NormalizedTask, elapsedMs: number) => void | Promise<void>;
  onWarning?: (message: string) => void;
}

/** Backoff grows while nothing changes, so a 20-minute job costs dozens of polls, not hundreds. */
const BACKOFF = 1.25;
const MAX_BACKOFF_FACTOR = 3;
const MIN_HINT_MS = 100;

export function nextDelay(
  intervalMs: number,
  unchangedPolls: number,
  hintMs: number | undefined,
  random: () => number,
): number {
  if (hintMs !== undefined) return Math.max(MIN_HINT_MS, Math.min(hintMs, intervalMs * MAX_BACKOFF_FACTOR));
  const grown = intervalMs * Math.min(MAX_BACKOFF_FACTOR, BACKOFF ** unchangedPolls);
  // ±10 % jitter keeps a shell loop of many waits from polling in lockstep.
  return Math.round(grown * (0.9 + 0.2 * random()));
}

function describe(task: NormalizedTask): string {
  return task.progress === null ? task.status : `${task.status}, ${task.progress}%`;
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
  const warned = new Set<string>();
  for (;;) {
    const fetched = await fetchTask(gateway, id, deps);
    // A gateway that keeps sending the same odd word is reported once, not on every poll.
    for (const w of fetched.warnings) {
      if (warned.has(w)) continue;
      warned.add(w);
      opts.onWarning?.(w);
    }
    const task = fetched.task;
    await opts.onUpdate?.(task, http.now() - start);
    if (isTerminal(task.status)) return task;
    unchanged = last && last.status === task.status && last.progress === task.progress ? unchanged + 1 : 0;
    last = task;
    const remaining = deadline - http.now();
    if (remaining <= 0) {
      throw new WaitTimeoutError(
        `timed out after ${formatMs(opts.timeoutMs)} waiting for task ${id} on ${gateway.name} (last seen ${describe(task)}); the task may still be running`,
        { hint: `resume with: ${opts.resumeHint}`, task },
      );
    }
    const delay = nextDelay(opts.intervalMs, unchanged, fetched.pollAfterMs, http.random);
    await http.sleep(Math.min(delay, remaining), http.signal);
  }
}

export function formatMs(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 1000) return `${ms}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (m < 60) return rest ? `${m}m${rest}s` : `${m}m`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
}
