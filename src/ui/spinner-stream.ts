import { Writable } from "node:stream";
import { stripVTControlCharacters } from "node:util";
import type { TextStream } from "./direct-stream.js";
import { textWidth, usableColumns } from "./text-width.js";

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
 * The stream ora draws on: grokvid's own stderr (never stdout, never process.stderr behind
 * Output's back), reporting the width we draw for instead of the one the terminal reports.
 *
 * Why not the terminal's stream itself: ora 9 counts the rows its last frame took as
 * ceil(cells / stream.columns) and erases that many before the next one. A terminal that reports
 * 0 columns (a pseudo-terminal nobody sized: CI runners, `script`, some IDEs) makes that Infinity,
 * and ora's erase loop (`for (i = 0; i < Infinity; i++)`) writes escapes forever: the event loop is
 * never free again, Ctrl-C included. Here `columns` is usableColumns (80 for 0 or nonsense) and the
 * spinner's text is cut shorter than that, so ora always counts one row and erases exactly it.
 *
 * The cursor methods ora calls (Node's tty.WriteStream has them; a test's fake does not) write the
 * same sequences Node's readline does, through the same stream as the frames, so they stay in order.
 *
 * ora also counts rows by the width when it drew, so a terminal that narrows and reflows the line
 * onto more rows would keep all but the last: `reflowed` says how to erase those (see there).
 */
export class SpinnerStream extends Writable {
  readonly isTTY = true;

  /** Cells of the spinner's line as it stands on screen (ora draws it from column 1, no newline). */
  private drawnCells = 0;

  constructor(private readonly target: TextStream) {
    // Strings through as they are: a frame is text, and a terminal takes it whole.
    super({ decodeStrings: false });
  }

  get columns(): number {
    return usableColumns("columns" in this.target ? this.target.columns : undefined);
  }

  get rows(): number | undefined {
    const rows = "rows" in this.target ? this.target.rows : undefined;
    return typeof rows === "number" && rows > 0 ? rows : undefined;
  }

  /** Cells the spinner's line may take: one column is kept free, as some terminals wrap at the last. */
  lineWidth(): number {
    return this.columns - 1;
  }

  cursorTo(x: number): boolean {
    return this.write(`${ESC}${x + 1}G`);
  }

  moveCursor(dx: number, dy: number): boolean {
    const horizontal = dx < 0 ? `${ESC}${-dx}D` : dx > 0 ? `${ESC}${dx}C` : "";
    const vertical = dy < 0 ? `${ESC}${-dy}A` : dy > 0 ? `${ESC}${dy}B` : "";
    return this.write(horizontal + vertical);
  }

  /** -1 to the left of the cursor, 1 to its right, 0 the whole line (Node's directions). */
  clearLine(dir: -1 | 0 | 1): boolean {
    return this.write(`${ESC}${dir < 0 ? 1 : dir > 0 ? 0 : 2}K`);
  }

  /**
   * After a resize: what takes the cursor from the last row of a line the terminal re-wrapped to
   * its new width back to the first and erases below, or undefined if the line still fits. Like
   * LiveRegion, this takes a terminal that reflows (most do); it ends in CR, which makes ora
   * redraw at once. A terminal that reports no width reflows nothing we can count.
   */
  reflowed(): string | undefined {
    const reported = "columns" in this.target ? this.target.columns : undefined;
    if (typeof reported !== "number" || !(reported >= 1)) return undefined;
    const rows = Math.ceil(this.drawnCells / Math.floor(reported));
    if (rows <= 1) return undefined;
    this.drawnCells = 0;
    return `\r${ESC}${rows - 1}A${ESC}0J\r`;
  }

  /**
   * From now until the returned function is called, a resize has the line refitted (`refit`, so
   * the frame ora draws next is cut to the new width) and what the old line reflowed onto erased.
   */
  watchResize(refit: () => void): () => void {
    const target = this.target;
    if (!isResizing(target)) return () => {};
    const resized = () => {
      refit();
      const sequence = this.reflowed();
      if (sequence) this.write(sequence);
    };
    target.on("resize", resized);
    return () => target.off("resize", resized);
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    // Synchronous, like a terminal's own stream: ora erases and draws in one go, and Output's
    // lines (written to the target directly) must land after the erase, not before it.
    if (typeof chunk === "string") {
      // ora moves to column 1 before each frame (CSI 1G): what follows is the line on screen.
      const starts = ["\r", "\n", `${ESC}1G`].map((at) => {
        const i = chunk.lastIndexOf(at);
        return i < 0 ? -1 : i + at.length;
      });
      const start = Math.max(...starts);
      const line = start < 0 ? chunk : chunk.slice(start);
      this.drawnCells = (start < 0 ? this.drawnCells : 0) + textWidth(stripVTControlCharacters(line));
      this.target.write(chunk);
    } else if (chunk instanceof Uint8Array) this.target.write(chunk);
    done();
  }
}
