import { setTimeout as delay } from "node:timers/promises";

/** The longest delay a Node timer holds; a longer one fires after 1 ms with a TimeoutOverflowWarning. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Waits `ms` (rejecting with an AbortError when `signal` aborts), however long: a delay past the
 * timer limit (a pacing interval of a tiny requestsPerSecond, a server's hint) is waited in steps
 * instead of firing at once with a raw warning on stderr.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  let left = ms;
  do {
    const step = Math.min(left, MAX_TIMER_MS);
    await delay(step, undefined, signal ? { signal } : {});
    left -= step;
  } while (left > 0);
}
