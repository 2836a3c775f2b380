import type { BatchEvent } from "../index.js";
import { plural } from "../util/format.js";
import type { LiveLines } from "./live-lines.js";
import type { Output } from "./output.js";
import { describeTask } from "./status-display.js";

export interface BatchCounts {
  done: number;
  bad: number;
  total: number;
}

/** Each line's progress as a live line (or a plain line per change off a terminal), and a footer. */
export function renderBatchEvent(event: BatchEvent, out: Output, live: LiveLines, counts: BatchCounts): void {
  const key = "line" in event ? `line ${event.line}` : "";
  switch (event.type) {
    case "invalid":
      return out.error(`line ${event.line}: ${event.message}`);
    case "warning":
      return out.warn(`line ${event.line}: ${event.message}`);
    case "planned":
      counts.total = event.total;
      out.info(
        `${plural(event.total, "job")}: ${event.submitting} to submit, ${event.total - event.submitting} known from earlier runs`,
      );
      break;
    case "progress":
      if (event.phase === "waiting")
        live.set(key, `${key}: waiting for grokvid (pid ${event.pid}), which is running this line`);
      else if (event.phase === "submitting") live.set(key, `${key}: submitting to ${event.provider}`);
      else if (event.phase === "submitted")
        live.set(key, `${key}: submitted task ${event.id} to ${event.provider}`);
      else live.set(key, `${key}: ${describeTask(event.task, event.elapsedMs)}`, event.task.status);
      return;
    case "ended": {
      const { task, entry } = event;
      if (!task) return live.finish(key, `${key}: ${entry.error ?? entry.status}`);
      const error = task.error ? `: ${task.error.message}` : "";
      return live.finish(
        key,
        `${key}: ${task.id} ${task.status}${entry.path ? ` -> ${entry.path}` : ""}${error}`,
      );
    }
    case "settled":
      counts.done++;
      if (event.entry.code !== 0) counts.bad++;
      break;
  }
  live.setFooter(`${counts.done} of ${counts.total} done, ${counts.bad} not ok`);
}
