import { Writable } from "node:stream";
import type { TextStream } from "./direct-stream.js";
import { usableColumns } from "./text-width.js";

const ESC = "\u001b[";

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
 */
export class SpinnerStream extends Writable {
  readonly isTTY = true;

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

  override _write(chunk: unknown, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    // Synchronous, like a terminal's own stream: ora erases and draws in one go, and Output's
    // lines (written to the target directly) must land after the erase, not before it.
    if (typeof chunk === "string" || chunk instanceof Uint8Array) this.target.write(chunk);
    done();
  }
}
