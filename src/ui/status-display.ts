import { formatMs } from "../util/format.js";
import type { NormalizedTask } from "../providers/types.js";
import { type Output, safeText } from "./output.js";

export interface StatusDisplay {
  update(task: NormalizedTask, elapsedMs: number): void;
  downloading(received: number, total: number | undefined): void;
  stop(): void;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function describeTask(task: NormalizedTask, elapsedMs: number): string {
  const progress = task.status === "running" && task.progress !== null ? ` ${task.progress}%` : "";
  // The spinner writes this to the terminal itself, past Output's guard.
  return safeText(`${task.id}: ${task.status}${progress} (${formatMs(Math.floor(elapsedMs / 1000) * 1000)})`);
}

/**
 * A spinner on an interactive terminal; otherwise one plain line per status change, so logs and
 * CI output stay readable. Never writes to stdout.
 */
export async function createStatusDisplay(out: Output): Promise<StatusDisplay> {
  if (!out.interactive) return plainDisplay(out);
  const { default: ora } = await import("ora");
  // Interactive means stderr is a terminal, and for a terminal it is Node's own tty stream.
  const stream = out.streams.stderr as NodeJS.WritableStream;
  const spinner = ora({ stream, color: "cyan", discardStdin: false }).start();
  // Polls are seconds apart; the elapsed time ticks between them so the user sees it is alive.
  let last: { task: NormalizedTask; elapsedMs: number; at: number } | undefined;
  const ticker = setInterval(() => {
    if (last) spinner.text = describeTask(last.task, last.elapsedMs + Date.now() - last.at);
  }, 1000);
  ticker.unref();
  return {
    update(task, elapsedMs) {
      last = { task, elapsedMs, at: Date.now() };
      spinner.text = describeTask(task, elapsedMs);
    },
    downloading(received, total) {
      last = undefined;
      spinner.text = `downloading ${formatBytes(received)}${total === undefined ? "" : ` of ${formatBytes(total)}`}`;
    },
    stop() {
      clearInterval(ticker);
      spinner.stop();
    },
  };
}

/** One line per status change, for logs and CI. */
function plainDisplay(out: Output): StatusDisplay {
  let lastStatus: string | undefined;
  return {
    update(task, elapsedMs) {
      if (task.status === lastStatus) return;
      lastStatus = task.status;
      out.info(describeTask(task, elapsedMs));
    },
    downloading() {},
    stop() {},
  };
}

/**
 * A display that starts with the first thing to show: a command that fails before any polling
 * (a bad id, a config error) never flashes a spinner, and ora loads only when one is shown.
 */
export function deferredStatusDisplay(out: Output): StatusDisplay {
  if (!out.interactive) return plainDisplay(out);
  let display: StatusDisplay | undefined;
  let loading: Promise<void> | undefined;
  let latest: ((d: StatusDisplay) => void) | undefined;
  let stopped = false;
  const show = (draw: (d: StatusDisplay) => void) => {
    if (stopped) return;
    if (display) return draw(display);
    // Until ora is loaded only the newest state matters.
    latest = draw;
    loading ??= createStatusDisplay(out).then((d) => {
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
