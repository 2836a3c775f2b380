import { formatMs } from "../util/format.js";
import type { NormalizedTask } from "../index.js";
import { describeJobLine, fitJobLine, type JobLine } from "./job-line.js";

/**
 * What a command's single-job display is told. Its own module, apart from the displays, so the
 * plain display, the spinner and the module choosing between them import it without a cycle.
 */
export interface StatusDisplay {
  update(task: NormalizedTask, elapsedMs: number): void;
  downloading(received: number, total: number | undefined): void;
  stop(): void;
}

/** `running 45% (12s)`: the part of a task's line that changes between polls. */
function stateOf(task: NormalizedTask, elapsedMs: number): string {
  const progress = task.status === "running" && task.progress !== null ? ` ${task.progress}%` : "";
  return `${task.status}${progress} (${formatMs(Math.floor(elapsedMs / 1000) * 1000)})`;
}

/** A task's line; `label` and `prompt` tell it apart where a display shows many (batch, resume). */
export function taskLine(task: NormalizedTask, elapsedMs: number, label = "", prompt = ""): JobLine {
  return { label, prompt, id: task.id, state: stateOf(task, elapsedMs) };
}

/** `task_an000a40mxcv4ic04hv540nq0dci5bu: running 45% (12s)` */
export function describeTask(task: NormalizedTask, elapsedMs: number): string {
  return describeJobLine(taskLine(task, elapsedMs));
}

/**
 * describeTask in at most `width` cells. Status, percent and elapsed time are what a person
 * watches, so on a narrow terminal the id gives way, cut in its middle (see fitJobLine).
 */
export function fitTaskLine(task: NormalizedTask, elapsedMs: number, width: number): string {
  return fitJobLine(taskLine(task, elapsedMs), width);
}
