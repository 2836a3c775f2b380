import { TaskFailedError } from "../util/errors.js";
import type { NormalizedTask } from "../index.js";
import type { DownloadResult } from "../index.js";
import type { VideoHeader } from "../index.js";
import { displayPath } from "../util/paths.js";
import type { StreamedVideo } from "../index.js";
import type { Output } from "../ui/output.js";
import { formatUsd } from "../util/format.js";

/** Tab-separated so scripts can `cut -f2`: id, status, then progress, URL or error when known. */
export function formatStatusLine(task: NormalizedTask): string {
  const fields = [task.id, task.status];
  if (task.progress !== null && task.status !== "succeeded") fields.push(`${task.progress}%`);
  if (task.videoUrl) fields.push(task.videoUrl);
  // A provider's message may hold tabs or newlines; the line must stay one line of fields.
  if (task.error) fields.push(task.error.message.replace(/\s+/g, " "));
  return fields.join("\t");
}

/** What a saved video adds to the final JSON document: where it is and what its header says. */
interface SavedFields {
  path?: string;
  delivered?: VideoHeader;
  headerProblem?: string;
  warnings?: string[];
}

/** Where the figure comes from, always said: a list-price estimate is no reported cost. */
function costLine(task: NormalizedTask, cost: { usd: number; estimate?: true }): string {
  return cost.estimate
    ? `cost: about ${formatUsd(cost.usd)}, estimated from ${task.provider}'s list price`
    : `cost: ${formatUsd(cost.usd)}, as reported by ${task.provider}`;
}

/** Prints the final task (line or JSON), then fails with exit 7 if the provider failed it. */
export function renderFinal(out: Output, task: NormalizedTask, extra: SavedFields = {}): void {
  if (out.mode.json) out.resultJson({ ...task, ...extra });
  else out.result(extra.path ?? formatStatusLine(task));
  // On stderr: the status line's fields stay what scripts already cut.
  if (task.cost) out.info(costLine(task, task.cost));
  if (task.status !== "succeeded") {
    const failure = new TaskFailedError(
      `task ${task.id} ${task.status} on ${task.provider}${task.error ? `: ${task.error.message}` : ""}`,
    );
    failure.resultPrinted = true;
    throw failure;
  }
}

/**
 * A saved video: the path (or JSON with what the header says), and with --strict, exit 7 when the
 * video is not what was asked. The warnings themselves were shown when the library found them.
 */
export function renderSaved(
  out: Output,
  task: NormalizedTask,
  saved: DownloadResult,
  opts: { cwd: string; strict: boolean },
): void {
  const shown = displayPath(saved.path, opts.cwd);
  const { delivered, headerProblem, warnings = [] } = saved;
  const shape = delivered ? `, ${describeHeader(delivered)}` : "";
  out.info(`saved ${shown} (${saved.bytes} bytes${shape})`);
  renderFinal(out, task, {
    path: shown,
    ...(delivered ? { delivered } : {}),
    ...(headerProblem === undefined ? {} : { headerProblem }),
    ...(warnings.length > 0 ? { warnings } : {}),
  });
  if (opts.strict && warnings.length > 0) {
    const failure = new TaskFailedError(
      `task ${task.id}: the video is not what was asked (--strict); it is kept at ${shown}`,
    );
    failure.resultPrinted = true;
    throw failure;
  }
}

/** "1280x720, 6.0 s" */
export function describeHeader(header: VideoHeader): string {
  return `${header.width}x${header.height}, ${header.durationSec.toFixed(1)} s`;
}

/**
 * After `-o -`: stdout holds the video and nothing else, so the outcome goes to stderr, and a task
 * that failed (no video written) still exits 7.
 */
export function renderStreamed(
  out: Output,
  task: NormalizedTask,
  streamed: StreamedVideo | undefined,
  opts: { strict: boolean },
): void {
  if (streamed) {
    const shape = streamed.delivered ? `, ${describeHeader(streamed.delivered)}` : "";
    out.info(`wrote the video of task ${task.id} to stdout (${streamed.bytes} bytes${shape})`);
  }
  if (task.cost) out.info(costLine(task, task.cost));
  if (task.status !== "succeeded")
    throw new TaskFailedError(
      `task ${task.id} ${task.status} on ${task.provider}${task.error ? `: ${task.error.message}` : ""}`,
    );
  if (opts.strict && (streamed?.warnings ?? []).length > 0)
    throw new TaskFailedError(
      `task ${task.id}: the video is not what was asked (--strict); it was written to stdout all the same`,
    );
}
