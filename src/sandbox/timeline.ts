import { UsageError } from "../util/errors.js";
import { parseDuration } from "../util/duration.js";

export const DEFAULT_SANDBOX_DELAY = "3s";

/** A sandbox job spends a third of its time queued and the rest running, like a real one. */
export function sandboxTimeline(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { queuedMs: number; runningMs: number } {
  const raw = flag ?? env.GROKVID_SANDBOX_DELAY ?? DEFAULT_SANDBOX_DELAY;
  const ms = parseDuration(raw);
  if (ms === undefined) {
    const from = flag === undefined ? "GROKVID_SANDBOX_DELAY" : "--delay";
    throw new UsageError(`${from} ${raw} is not a duration; use e.g. 0, 500ms, 3s or 1m`);
  }
  const queuedMs = Math.round(ms / 3);
  return { queuedMs, runningMs: ms - queuedMs };
}
