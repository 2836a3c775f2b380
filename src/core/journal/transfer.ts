import { join } from "node:path";
import { UsageError } from "../../util/errors.js";
import { parseEventLine } from "./events.js";
import { JOURNAL_FILE } from "./file-name.js";
import { journalError } from "./journal-error.js";
import type { Journal } from "./journal.js";
import { EVERY_LINE, scanLines } from "./scan.js";

/** What `journal import` did. */
export interface ImportResult {
  /** The file read. */
  from: string;
  /** The shared journal written, as user@host/name. */
  into: string;
  /** Whole, valid records in the file. */
  records: number;
  /** Of those, the ones the shared journal did not have yet (importing again adds 0). */
  added: number;
  /** Lines that are not a record (torn by a crash, or not grokvid's): left out. */
  damaged: number;
}

/** A journal that can take another's lines as they are: the shared one (pg/pg-journal.ts). */
interface Importing extends Journal {
  importLines(lines: readonly string[]): Promise<number>;
}

const canImport = (journal: Journal): journal is Importing =>
  typeof (journal as Partial<Importing>).importLines === "function";

/**
 * Copies a local journal file (default: GROKVID_HOME's own) into the shared journal, each record
 * as written, so a team's database has what one machine did before it joined. Idempotent: every
 * record is kept once, by its digest, so a second import adds nothing.
 */
export async function importJournal(journal: Journal, file?: string): Promise<ImportResult> {
  if (!canImport(journal))
    throw new UsageError(
      "journal import copies a local journal into a shared one, and no shared journal is set",
      {
        hint: "set GROKVID_JOURNAL_URL=postgres://user@host/database (or journal.url in your config)",
      },
    );
  const from = file ?? join(journal.home, JOURNAL_FILE);
  const lines: string[] = [];
  let damaged = 0;
  let read: number | undefined;
  try {
    read = scanLines(from, EVERY_LINE, (text) => {
      // A file that went through Windows has CRLF line ends: the record is the same.
      const line = text.replace(/\r$/, "");
      if (line.trim() === "") return;
      if (parseEventLine(line)) lines.push(line);
      else damaged++;
    });
  } catch (err) {
    throw journalError(err, from, "read");
  }
  if (read === undefined) throw new UsageError(`there is no journal at ${from}`);
  const added = await journal.importLines(lines);
  return { from, into: journal.where, records: lines.length, added, damaged };
}

/** Every record of the journal (file or shared), in order, as the JSON line it was written as. */
export function exportJournal(journal: Journal): AsyncIterable<string> {
  return journal.lines();
}
