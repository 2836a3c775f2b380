import { DownloadMeter } from "./download-meter.js";
import type { Output } from "./output.js";
import { describeTask, type StatusDisplay } from "./task-line.js";

/** One line per status change, and a download line every few seconds, for logs and CI. */
function plainDisplay(out: Output, now: () => number): StatusDisplay {
  let lastStatus: string | undefined;
  const meter = new DownloadMeter(now);
  return {
    update(task, elapsedMs) {
      if (task.status === lastStatus) return;
      lastStatus = task.status;
      out.info(describeTask(task, elapsedMs));
    },
    downloading(received, total) {
      // Described only when a line is due: a download reports thousands of chunks a second.
      meter.record(received);
      if (meter.plainDue(received, total)) out.info(`downloading ${meter.describe(received, total)}`);
    },
    stop() {},
  };
}

/** A spinner where a person watches a terminal, plain lines everywhere else. */
export async function createStatusDisplay(out: Output, now: () => number = Date.now): Promise<StatusDisplay> {
  if (!out.interactive) return plainDisplay(out, now);
  const { spinnerDisplay } = await import("./spinner-display.js");
  return spinnerDisplay(out, now);
}

/**
 * A display that starts with the first thing to show: a command that fails before any polling
 * (a bad id, a config error) never flashes a spinner, and the spinner's code (and string-width)
 * loads only when one is shown.
 */
export function deferredStatusDisplay(out: Output, now: () => number = Date.now): StatusDisplay {
  if (!out.interactive) return plainDisplay(out, now);
  let display: StatusDisplay | undefined;
  let loading: Promise<void> | undefined;
  let latest: ((d: StatusDisplay) => void) | undefined;
  let stopped = false;
  const show = (draw: (d: StatusDisplay) => void) => {
    if (stopped) return;
    if (display) return draw(display);
    // Until the spinner is loaded only the newest state matters.
    latest = draw;
    loading ??= createStatusDisplay(out, now).then((d) => {
      display = d;
      if (stopped) d.stop();
      else latest?.(d);
    });
  };
  return {
    update: (task, elapsedMs) => show((d) => d.update(task, elapsedMs)),
    downloading: (received, total) => show((d) => d.downloading(received, total)),
    stop() {
      stopped = true;
      display?.stop();
    },
  };
}
