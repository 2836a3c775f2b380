import { closeSync, fstatSync, readSync } from "node:fs";
import { join } from "node:path";
import { redact } from "../../util/redact.js";
import { Claims } from "../../files/claims.js";
import { JOURNAL_ROLE, journalError } from "./journal-error.js";
import { JOURNAL_FILE } from "./file-name.js";
import { EVERY_LINE, scanLines } from "./scan.js";
import { openStateFile } from "../../files/state-file.js";
import { JournalWriter } from "./writer.js";
import { type JournalEvent, parseEventLine as parseEvent } from "./events.js";
import { FoldedJournal } from "./folded-journal.js";
import { type JobRecord, type Journal, JournalState } from "./journal.js";

/** Own lines remembered until read back; a client that never reads does not grow without bound. */
const MAX_OWN_LINES = 10_000;

/**
 * Append-only JSON lines, one event per line, each written with a single append and fsynced
 * before the caller goes on. O_APPEND writes of one line land whole even with several grokvid
 * processes appending at once; a line torn by a power cut is skipped on reading, with a warning.
 * Every file-system failure is a configuration problem (exit 3) naming the journal.
 */
export class FileJournal extends FoldedJournal implements Journal {
  readonly path: string;
  readonly where: string;
  readonly file: string;
  /** Bytes of the file already folded into `state`: always the end of a whole line. */
  private offset = 0;

  constructor(
    readonly home: string,
    private readonly onWarning: (message: string) => void = () => {},
  ) {
    super();
    this.path = join(home, JOURNAL_FILE);
    this.where = this.path;
    this.file = this.path;
    this.writer = new JournalWriter(this.path);
  }

  /** The file's own failures show on its first read or write, before anything is sent. */
  readyToPay(): Promise<void> {
    return Promise.resolve();
  }

  /** File claims beside the journal: `<home>/claims/<request hash>`, one holder per request. */
  get claims(): Claims {
    this.fileClaims ??= new Claims(this.home);
    return this.fileClaims;
  }

  private fileClaims: Claims | undefined;

  private readonly writer: JournalWriter;

  /** Resolves once the event is on disk; events appended together share one write and one sync. */
  async append(event: JournalEvent): Promise<void> {
    const json = JSON.stringify(event);
    // Gateway text is redacted where it comes in; this is the last guard for any other path.
    const text = redact(json);
    // Only a line that is exactly the event's JSON may later stand for it without being parsed.
    const remember = text === json && this.own.size < MAX_OWN_LINES;
    if (remember) this.own.set(text, event);
    try {
      await this.writer.append(`${text}\n`);
    } catch (err) {
      if (remember) this.own.delete(text);
      throw journalError(err, this.path, "write");
    }
  }

  /**
   * Lines this process appended, by their text, with the event each was made from: a batch
   * re-reads the journal before every job, and would otherwise parse and validate its own lines
   * again. A line from anyone else (or changed on disk) is not found here and is parsed as usual.
   */
  private readonly own = new Map<string, JournalEvent>();

  /** Lets go of the append handle (a script that is done with the client; the CLI just exits). */
  close(): Promise<void> {
    return this.writer.close();
  }

  protected async foldNew(): Promise<JournalState> {
    let text: string;
    try {
      text = this.readNew();
    } catch (err) {
      throw journalError(err, this.path, "read");
    }
    let damaged = 0;
    const lines = text.split("\n");
    for (const line of lines) {
      const mine = this.own.get(line);
      if (mine) {
        this.own.delete(line);
        this.state.apply(mine);
        continue;
      }
      if (line.trim() === "") continue;
      const event = parseEvent(line);
      if (event) this.state.apply(event);
      else damaged++;
    }
    if (damaged > 0)
      this.onWarning(`skipped ${damaged} damaged line${damaged === 1 ? "" : "s"} in ${this.path}`);
    return this.state;
  }

  /**
   * The whole lines appended since `offset`; a last line still being written waits for next time.
   * Synchronous: what a batch appended between two jobs is a few lines in the page cache, and the
   * thread pool would cost more than the reading. Opened per call, so nothing is left to close;
   * opened as a state file, so a FIFO or a link at the journal's name is refused, never read.
   */
  private readNew(): string {
    const fd = openStateFile(this.path, JOURNAL_ROLE);
    if (fd === undefined) return "";
    try {
      const { size } = fstatSync(fd);
      if (size <= this.offset) return "";
      const buffer = Buffer.alloc(size - this.offset);
      const bytesRead = readSync(fd, buffer, 0, buffer.length, this.offset);
      const end = buffer.lastIndexOf(0x0a, bytesRead - 1);
      if (end === -1) return "";
      this.offset += end + 1;
      return buffer.subarray(0, end + 1).toString("utf8");
    } finally {
      closeSync(fd);
    }
  }

  /** Every whole line of the file, damaged ones included: an export is a copy, not a judgement. */
  async *lines(): AsyncGenerator<string> {
    const lines: string[] = [];
    try {
      scanLines(this.path, EVERY_LINE, (line) => {
        if (line.trim() !== "") lines.push(line);
      });
    } catch (err) {
      throw journalError(err, this.path, "read");
    }
    yield* lines;
  }

  /**
   * The newest job with this id (on this provider when one is named), as the whole fold would
   * give it, without folding the whole journal: every event of a job names its id, so only lines
   * holding the id (as JSON writes it) are parsed, validated and folded.
   */
  async findJob(id: string, provider?: string): Promise<JobRecord | undefined> {
    const found = new JournalState();
    let damaged = 0;
    try {
      scanLines(this.path, Buffer.from(JSON.stringify(id)), (line) => {
        const event = parseEvent(line);
        if (!event) damaged++;
        else if ("id" in event && event.id === id) found.apply(event);
      });
    } catch (err) {
      throw journalError(err, this.path, "read");
    }
    if (damaged > 0)
      this.onWarning(`skipped ${damaged} damaged line${damaged === 1 ? "" : "s"} in ${this.path}`);
    return found.newest(provider);
  }
}
