import type { BatchEvent } from "../index.js";
import { plural } from "../util/format.js";
import type { LiveLines } from "./live-lines.js";
import type { Output } from "./output.js";
import { describeJobLine, holderName } from "./job-line.js";
import { taskLine } from "./task-line.js";

export interface BatchCounts {
  done: number;
  bad: number;
  total: number;
}

/**
 * Each line's progress as a live line (or a plain line per change off a terminal), and a footer.
 * A job's lines start with its line number and the start of its prompt: numbers alone do not tell
 * a person which job is which.
 */
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
    case "progress": {
      const job = { label: key, prompt: event.prompt, id: "" };
      if (event.phase === "waiting")
        live.set(key, {
          ...job,
          state: `waiting for grokvid (${holderName(event)}), which is running this line`,
        });
      else if (event.phase === "submitting")
        live.set(key, { ...job, state: `submitting to ${event.provider}` });
      else if (event.phase === "submitted")
        // A terminal shows the id where a poll's line will (cut in its middle when narrow); a log
        // keeps the words `create` prints, which scripts look for.
        live.set(
          key,
          { ...job, id: event.id, state: `submitted to ${event.provider}` },
          { log: describeJobLine({ ...job, state: `submitted task ${event.id} to ${event.provider}` }) },
        );
      else
        live.set(key, taskLine(event.task, event.elapsedMs, key, event.prompt), { state: event.task.status });
      return;
    }
    case "ended": {
      const { task, entry } = event;
      const job = { label: key, prompt: event.prompt, id: "" };
      if (!task) return live.finish(key, describeJobLine({ ...job, state: entry.error ?? entry.status }));
      const error = task.error ? `: ${task.error.message}` : "";
      const saved = entry.path ? ` -> ${entry.path}` : "";
      return live.finish(
        key,
        describeJobLine({ ...job, state: `${task.id} ${task.status}${saved}${error}` }),
      );
    }
    case "settled":
      counts.done++;
      if (event.entry.code !== 0) counts.bad++;
      break;
  }
  live.setFooter(`${counts.done} of ${counts.total} done, ${counts.bad} not ok`);
}
