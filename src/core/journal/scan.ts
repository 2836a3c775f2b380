import { closeSync, readSync } from "node:fs";
import { JOURNAL_ROLE } from "./journal-error.js";
import { openStateFile } from "../../files/state-file.js";

/** Small enough to stay in the CPU cache between read(2) and the search (4 MiB was ~2x slower). */
const CHUNK_BYTES = 512 * 1024;
const NEWLINE = 0x0a;

/** The needle of a scan that wants every line (doctor's count): an empty one matches each. */
export const EVERY_LINE = Buffer.alloc(0);

/**
 * Calls `onLine` with every whole line of `path` that contains `needle`, in file order, reading
 * 512 KiB at a time into one reused buffer: a search is a byte scan (memchr-fast) and only the few
 * lines that match are decoded, so a 100,000-record journal costs milliseconds and flat memory.
 * The reads are synchronous: from the page cache, ~50 round trips through the thread pool cost
 * more than the reading (a 27 MiB journal: ~9 ms instead of ~20). A last line still being written
 * (no newline yet) is left for next time, as the journal's reader does; `onRest` gets it, for a
 * caller that counts it (doctor). The file is opened as a state file: a FIFO or a link to
 * /dev/zero at its name is refused, never read. Returns the bytes read, or undefined when there is
 * no file.
 */
export function scanLines(
  path: string,
  needle: Buffer,
  onLine: (line: string) => void,
  onRest?: (text: string) => void,
): number | undefined {
  const fd = openStateFile(path, JOURNAL_ROLE);
  if (fd === undefined) return undefined;
  let total = 0;
  try {
    let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    // Bytes at the start of `buffer` carried over from the last read: the start of a line.
    let carried = 0;
    for (;;) {
      // A line longer than the buffer (a huge prompt) grows it rather than being cut.
      if (carried === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
      const bytesRead = readSync(fd, buffer, carried, buffer.length - carried, null);
      total += bytesRead;
      if (bytesRead === 0) {
        if (carried > 0) onRest?.(buffer.toString("utf8", 0, carried));
        return total;
      }
      const filled = buffer.subarray(0, carried + bytesRead);
      const whole = filled.lastIndexOf(NEWLINE);
      if (whole === -1) {
        carried = filled.length;
        continue;
      }
      for (let at = filled.indexOf(needle); at !== -1 && at < whole;) {
        const start = filled.lastIndexOf(NEWLINE, at) + 1;
        const end = filled.indexOf(NEWLINE, at);
        onLine(filled.toString("utf8", start, end));
        at = filled.indexOf(needle, end + 1);
      }
      carried = filled.length - (whole + 1);
      filled.copy(buffer, 0, whole + 1);
    }
  } finally {
    closeSync(fd);
  }
}
