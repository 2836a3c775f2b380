import { closeSync, fstatSync, readSync } from "node:fs";
import { join } from "node:path";
import { GrokvidError } from "../../util/errors.js";
import { JOURNAL_ROLE } from "./journal-error.js";
import { JOURNAL_FILE } from "./file-name.js";
import { openStateFile } from "../../files/state-file.js";

/** The end of the journal read for recent ids: a few hundred jobs, however long the file grew. */
const TAIL_BYTES = 256 * 1024;
const CREATED = '"type":"created"';

/**
 * The ids of the newest jobs in the journal of `home`, newest first, at most `limit`: for shell
 * completion, which must answer at once. Only the file's last 256 KiB is read and only `created`
 * lines are parsed, without the journal's schema; an unreadable or missing journal has no ids.
 * One that is not a regular file (a FIFO hung a shell's TAB) is refused like everywhere else.
 */
export function recentJobIds(home: string, limit: number): string[] {
  let text: string;
  let fd: number | undefined;
  try {
    fd = openStateFile(join(home, JOURNAL_FILE), JOURNAL_ROLE);
    if (fd === undefined) return [];
    const { size } = fstatSync(fd);
    const start = Math.max(0, size - TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    const read = readSync(fd, buffer, 0, buffer.length, start);
    text = buffer.toString("utf8", 0, read);
    // A read from the middle starts inside a line: that part is not a whole record.
    if (start > 0) text = text.slice(text.indexOf("\n") + 1);
  } catch (err) {
    if (err instanceof GrokvidError) throw err;
    return [];
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const ids = new Set<string>();
  const lines = text.split("\n");
  for (let i = lines.length - 1; i >= 0 && ids.size < limit; i--) {
    const line = lines[i] ?? "";
    if (!line.includes(CREATED)) continue;
    const id = idOf(line);
    if (id !== undefined) ids.add(id);
  }
  return [...ids];
}

function idOf(line: string): string | undefined {
  try {
    const event: unknown = JSON.parse(line);
    if (typeof event !== "object" || event === null || !("id" in event)) return undefined;
    return typeof event.id === "string" ? event.id : undefined;
  } catch {
    return undefined;
  }
}
