import { formatMs } from "../util/format.js";
import type { NormalizedTask } from "../index.js";
import { safeText } from "./output.js";
import { fitMiddle, fitWidth, textWidth } from "./text-width.js";

/**
 * What a command's single-job display is told. Its own module, apart from the displays, so the
 * plain display, the spinner and the module choosing between them import it without a cycle.
 */
export interface StatusDisplay {
  update(task: NormalizedTask, elapsedMs: number): void;
  downloading(received: number, total: number | undefined): void;
  stop(): void;
}

/** `: running 45% (12s)`: the part of a task's line that changes between polls. */
function stateOf(task: NormalizedTask, elapsedMs: number): string {
  const progress = task.status === "running" && task.progress !== null ? ` ${task.progress}%` : "";
  return `: ${task.status}${progress} (${formatMs(Math.floor(elapsedMs / 1000) * 1000)})`;
}

export function describeTask(task: NormalizedTask, elapsedMs: number): string {
  return safeText(`${task.id}${stateOf(task, elapsedMs)}`);
}

/** Cells an id keeps at the least before the line gives it up for the status. */
const MIN_ID_CELLS = 5;

/**
 * describeTask in at most `width` cells. Status, percent and elapsed time are what a person
 * watches, so on a narrow terminal the id gives way, cut in its middle; only where even a short
 * id leaves no room is the line cut at its end (the status then first, as it reads best alone).
 */
export function fitTaskLine(task: NormalizedTask, elapsedMs: number, width: number): string {
  const line = describeTask(task, elapsedMs);
  if (textWidth(line) <= width) return line;
  const state = safeText(stateOf(task, elapsedMs));
  const idCells = width - textWidth(state);
  if (idCells >= MIN_ID_CELLS) return `${fitMiddle(safeText(task.id), idCells)}${state}`;
  return fitWidth(state.slice(2), width);
}
