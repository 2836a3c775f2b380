import { formatMs } from "../util/format.js";
import type { NormalizedTask } from "../providers/types.js";
import { safeText } from "./output.js";

/**
 * What a command's single-job display is told. Its own module, apart from the displays, so the
 * plain display, the spinner and the module choosing between them import it without a cycle.
 */
export interface StatusDisplay {
  update(task: NormalizedTask, elapsedMs: number): void;
  downloading(received: number, total: number | undefined): void;
  stop(): void;
}

export function describeTask(task: NormalizedTask, elapsedMs: number): string {
  const progress = task.status === "running" && task.progress !== null ? ` ${task.progress}%` : "";
  return safeText(`${task.id}: ${task.status}${progress} (${formatMs(Math.floor(elapsedMs / 1000) * 1000)})`);
}
