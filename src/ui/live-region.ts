import type { TextStream } from "./direct-stream.js";
import { fitWidth, textWidth, usableColumns } from "./text-width.js";

/** At most one frame per this many ms, however often lines change or the terminal is resized. */
export const FRAME_MS = 100;
/** Lines shown when the terminal reports no height; more would scroll off and could not be erased. */
const UNKNOWN_ROWS = 20;

const ESC = "\u001b[";

/** A terminal stream says when its size changes; a test's fake may not. */
interface ResizingStream extends TextStream {
  on(event: "resize", listener: () => void): unknown;
  off(event: "resize", listener: () => void): unknown;
}

function isResizing(stream: TextStream): stream is ResizingStream {
  return (
    "on" in stream && typeof stream.on === "function" && "off" in stream && typeof stream.off === "function"
  );
}

/**
 * A line of the block: text, cut at its end when too wide, or a function that fits the line to a
 * width itself (a job's line, which gives up the middle of its id before its status).
 */
export type LiveLine = string | ((width: number) => string);

function columnsOf(stream: TextStream): unknown {
  return "columns" in stream ? stream.columns : undefined;
}

function rowsOf(stream: TextStream): unknown {
  return "rows" in stream ? stream.rows : undefined;
}

/**
 * A block of lines drawn at the bottom of a terminal and redrawn in place. Every line is cut to
 * the terminal's width (measured in cells, so wide characters and emoji count twice) and ends
 * with a newline, so the cursor is at column 0 below the block and erasing it is exact: up as
 * many rows as were drawn, then clear to the end of the screen. Each frame is one write; frames
 * are at least FRAME_MS apart. What is drawn is erased on stop and when the process exits in any
 * way (a second Ctrl-C), so the shell prompt never lands in the middle of a spinner.
 *
 * Why hand-written when ora draws the single-job spinner: ora draws one line (a frame and a text)
 * and erases by the rows it counts for that; the batch and resume displays are a block of one
 * line per running job plus a totals line, capped at the terminal's height, whose rows must be
 * recounted when the terminal narrows and the lines reflow. That is this class's whole job.
 */
export class LiveRegion {
  private lines: readonly LiveLine[] = [];
  /** Cells of each line on screen, to count the rows they take if the terminal narrowed. */
  private drawn: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastFrame = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly stream: TextStream,
    private readonly now: () => number = Date.now,
  ) {
    process.on("exit", this.erase);
    if (isResizing(stream)) stream.on("resize", this.schedule);
  }

  /** Cells a line may take without wrapping (one is kept free: some terminals wrap at the last). */
  width(): number {
    return usableColumns(columnsOf(this.stream)) - 1;
  }

  show(lines: readonly LiveLine[]): void {
    if (this.stopped) return;
    this.lines = lines;
    this.schedule();
  }

  /** Erases the block so other text can be printed; it comes back with the next frame. */
  clear(): void {
    if (this.drawn.length > 0) this.stream.write(this.eraseSequence());
    this.drawn = [];
  }

  /** Asks for a frame (after text was printed above the block). */
  readonly schedule = (): void => {
    if (this.stopped || this.timer) return;
    const wait = Math.max(0, this.lastFrame + FRAME_MS - this.now());
    this.timer = setTimeout(this.draw, wait);
    this.timer.unref();
  };

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.clear();
    process.off("exit", this.erase);
    if (isResizing(this.stream)) this.stream.off("resize", this.schedule);
  }

  private readonly erase = (): void => this.clear();

  private eraseSequence(): string {
    // A terminal that reflows on resize wraps each drawn line over ceil(cells / new width) rows.
    const columns = usableColumns(columnsOf(this.stream));
    const rows = this.drawn.reduce((sum, cells) => sum + Math.max(1, Math.ceil(cells / columns)), 0);
    return `\r${ESC}${rows}A${ESC}0J`;
  }

  private readonly draw = (): void => {
    this.timer = undefined;
    if (this.stopped) return;
    this.lastFrame = this.now();
    const reported = rowsOf(this.stream);
    const height = typeof reported === "number" && reported >= 2 ? reported - 1 : UNKNOWN_ROWS;
    const lines =
      this.lines.length <= height
        ? this.lines
        : [...this.lines.slice(0, height - 1), `… and ${this.lines.length - height + 1} more`];
    const width = this.width();
    // fitWidth after a line's own fitting too: the cursor math relies on no line wrapping.
    const fitted = lines.map((line) => fitWidth(typeof line === "string" ? line : line(width), width));
    const erase = this.drawn.length > 0 ? this.eraseSequence() : "\r";
    this.stream.write(`${erase}${fitted.map((line) => `${line}\n`).join("")}`);
    this.drawn = fitted.map(textWidth);
  };
}
