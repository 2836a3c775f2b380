import type { NormalizedTask } from "../providers/types.js";
import { DownloadMeter } from "./download-meter.js";
import { FRAME_MS, LiveRegion } from "./live-region.js";
import type { Output } from "./output.js";
import { describeTask, type StatusDisplay } from "./task-line.js";
import { fitWidth } from "./text-width.js";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"] as const;

/**
 * A spinner on an interactive terminal: one line, redrawn in place at most every FRAME_MS by a
 * LiveRegion (cut to the terminal's width, whatever width it reports), erased when stopped.
 * The frame is coloured at the level stderr's own terminal supports, or not at all.
 */
export function spinnerDisplay(out: Output, now: () => number): StatusDisplay {
  const region = new LiveRegion(out.streams.stderr, now);
  out.attachLive(region);
  const meter = new DownloadMeter(now);
  const paint = (frame: string) => (out.colorLevel > 0 ? `\u001b[36m${frame}\u001b[39m` : frame);
  let frame = 0;
  let text = "";
  // Polls are seconds apart; the elapsed time ticks between them so the user sees it is alive.
  let last: { task: NormalizedTask; elapsedMs: number; at: number } | undefined;
  let fetched: { received: number; total: number | undefined } | undefined;
  const draw = () => {
    if (last) text = describeTask(last.task, last.elapsedMs + now() - last.at);
    // Described here, at most once a frame, not on every one of a download's chunks.
    else if (fetched) text = `downloading ${meter.describe(fetched.received, fetched.total)}`;
    frame = (frame + 1) % FRAMES.length;
    // Cut before colouring, so the cut never lands inside an escape sequence.
    region.show([`${paint(FRAMES[frame] ?? "")} ${fitWidth(text, region.width() - 2)}`]);
  };
  const ticker = setInterval(draw, FRAME_MS);
  ticker.unref();
  return {
    update(task, elapsedMs) {
      last = { task, elapsedMs, at: now() };
      draw();
    },
    downloading(received, total) {
      last = undefined;
      meter.record(received);
      const first = fetched === undefined;
      fetched = { received, total };
      if (first) draw();
    },
    stop() {
      clearInterval(ticker);
      region.stop();
      out.attachLive(undefined);
    },
  };
}
