import ora from "ora";
import type { NormalizedTask } from "../index.js";
import { DownloadMeter } from "./download-meter.js";
import type { Output } from "./output.js";
import { SpinnerStream } from "./spinner-stream.js";
import { fitTaskLine, type StatusDisplay } from "./task-line.js";
import { fitWidth } from "./text-width.js";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"] as const;
/** A frame and a fresh line at most this often: ten a second is lively, and under 1 KB/s. */
export const FRAME_MS = 100;
/** The frame and the space after it. */
const FRAME_CELLS = 2;

/**
 * The spinner of one job on an interactive terminal, drawn by ora: status, percent and elapsed
 * time (ticking between polls), then the download meter. How ora is used, and why:
 * - it draws on a SpinnerStream over Output's own stderr, whose width is never 0 (see there);
 *   every line is cut shorter than that width first, so ora never wraps and erases one row;
 * - frames come painted at Output's colour level (NO_COLOR, FORCE_COLOR, stderr's own terminal)
 *   and ora's `color` is off: ora would paint with chalk's process-wide guess, made from stdout;
 * - `isEnabled` is Output's decision (a TTY, not TERM=dumb, neither --json nor --quiet), not
 *   ora's own guess, which also turns the spinner off wherever CI is set;
 * - `discardStdin` is off: it puts stdin in raw mode, so Ctrl-C would no longer be the terminal's
 *   SIGINT that grokvid's handler turns into exit 130 with a resume hint (and ids may come on stdin);
 * - `hideCursor` is off: cli-cursor shows it again through signal-exit, which patches
 *   process.emit and process.reallyExit, and a process killed outright would leave it hidden;
 * - lines Output prints meanwhile go above the spinner (attachLive: ora's clear, then render),
 *   and on any exit, a second Ctrl-C's process.exit included, the spinner is erased.
 */
export function spinnerDisplay(out: Output, now: () => number): StatusDisplay {
  const stream = new SpinnerStream(out.streams.stderr);
  const paint = (frame: string) => (out.colorLevel > 0 ? `\u001b[36m${frame}\u001b[39m` : frame);
  const spinner = ora({
    stream,
    spinner: { frames: FRAMES.map(paint), interval: FRAME_MS },
    color: false,
    isEnabled: true,
    hideCursor: false,
    discardStdin: false,
  });
  const meter = new DownloadMeter(now);
  // Polls are seconds apart; the elapsed time ticks between them so the user sees it is alive.
  let last: { task: NormalizedTask; elapsedMs: number; at: number } | undefined;
  let fetched: { received: number; total: number | undefined } | undefined;
  // Described at most once a frame (and measured against the width the terminal has now), not on
  // every one of a download's chunks.
  const describe = (): string => {
    const width = stream.lineWidth() - FRAME_CELLS;
    if (last) return fitTaskLine(last.task, last.elapsedMs + now() - last.at, width);
    if (fetched) return fitWidth(`downloading ${meter.describe(fetched.received, fetched.total)}`, width);
    return "";
  };
  const ticker = setInterval(() => (spinner.text = describe()), FRAME_MS);
  ticker.unref();
  const erase = () => spinner.stop();
  let unwatch: (() => void) | undefined;
  const show = () => {
    spinner.text = describe();
    if (spinner.isSpinning) return;
    process.on("exit", erase);
    unwatch = stream.watchResize(() => (spinner.text = describe()));
    out.attachLive({ clear: () => spinner.clear(), schedule: () => spinner.render() });
    spinner.start();
  };
  return {
    update(task, elapsedMs) {
      last = { task, elapsedMs, at: now() };
      show();
    },
    downloading(received, total) {
      last = undefined;
      meter.record(received);
      const first = fetched === undefined;
      fetched = { received, total };
      if (first) show();
    },
    stop() {
      clearInterval(ticker);
      // ora's stop erases even a spinner never started (a stray cursor move): only a shown one.
      if (spinner.isSpinning) spinner.stop();
      process.off("exit", erase);
      unwatch?.();
      out.attachLive(undefined);
    },
  };
}
