import { open } from "node:fs/promises";

const CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

/**
 * Calls `onLine` with every whole line of `path` that contains `needle`, in file order, reading
 * 1 MiB at a time: a search is a byte scan (memchr-fast) and only the few lines that match are
 * decoded, so a 100,000-record journal costs milliseconds and flat memory. A last line still
 * being written (no newline yet) is left for next time, as the journal's reader does.
 */
export async function scanLines(path: string, needle: Buffer, onLine: (line: string) => void): Promise<void> {
  const file = await open(path, "r");
  try {
    let carry = Buffer.alloc(0);
    const chunk = Buffer.alloc(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await file.read(chunk, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return;
      const buffer =
        carry.length > 0
          ? Buffer.concat([carry, chunk.subarray(0, bytesRead)])
          : chunk.subarray(0, bytesRead);
      const whole = buffer.lastIndexOf(NEWLINE);
      if (whole === -1) {
        carry = Buffer.from(buffer);
        continue;
      }
      for (let at = buffer.indexOf(needle); at !== -1 && at < whole;) {
        const start = buffer.lastIndexOf(NEWLINE, at) + 1;
        const end = buffer.indexOf(NEWLINE, at);
        onLine(buffer.toString("utf8", start, end));
        at = buffer.indexOf(needle, end + 1);
      }
      // The buffer is reused for the next read: what is kept must be copied out of it.
      carry = Buffer.from(buffer.subarray(whole + 1));
    }
  } finally {
    await file.close();
  }
}
