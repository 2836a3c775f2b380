import { constants, existsSync } from "node:fs";
import { access, mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { withFileLock } from "../../../files/file-lock.js";
import { codeOf } from "../../../files/safe-file.js";
import { ConfigError } from "../../../util/errors.js";
import { EVERY_LINE, scanLines } from "../scan.js";
import { JournalWriter } from "../writer.js";

/** Beside the file journal in GROKVID_HOME: records the shared journal has not got yet. */
export const UNSENT_FILE = "journal-unsent.jsonl";
const ROLE = "the unsent journal";

/**
 * Where a job's records go when the shared journal cannot be reached after its create was sent:
 * a JSONL file in GROKVID_HOME, written like the file journal (one append, fsynced), so a paid
 * job's id is never lost with the database. The next grokvid on this machine that reaches the
 * database carries the lines over (each once: the table keeps one row per record's digest) and
 * removes the file. Writers and the carrier take the same lock, so no line lands in a file that
 * is being removed.
 */
export class UnsentRecords {
  readonly path: string;
  private readonly writer: JournalWriter;

  constructor(home: string) {
    this.path = join(home, UNSENT_FILE);
    this.writer = new JournalWriter(this.path);
  }

  /**
   * Before the first paid call: the file must be writable should the database drop later, or a
   * paid job's records would have nowhere to go. Made (empty folder) now; refused with exit 3.
   */
  async checkWritable(): Promise<void> {
    try {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      await access(dirname(this.path), constants.W_OK);
    } catch (err) {
      throw new ConfigError(
        `cannot write ${dirname(this.path)} (${codeOf(err) ?? String(err)}), where a job's records go if the shared journal cannot be reached`,
        { hint: "set GROKVID_HOME to a folder you can write", cause: err },
      );
    }
  }

  async append(lines: readonly string[]): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    return withFileLock(this.path, ROLE, () => this.writer.append(lines.map((l) => `${l}\n`).join("")));
  }

  /**
   * Hands every whole line to `send` (which commits them) and then removes the file, all under the
   * lock; a failed `send` leaves the file as it was. Returns how many lines were sent.
   */
  async carryOver(send: (lines: string[]) => Promise<void>): Promise<number> {
    // Nearly always there is nothing to carry: no lock is taken for that.
    if (!existsSync(this.path)) return 0;
    return withFileLock(this.path, ROLE, async () => {
      const lines: string[] = [];
      const read = scanLines(this.path, EVERY_LINE, (line) => {
        if (line.trim() !== "") lines.push(line);
      });
      if (read === undefined) return 0;
      if (lines.length > 0) await send(lines);
      await this.writer.close();
      await rm(this.path, { force: true });
      return lines.length;
    });
  }

  close(): Promise<void> {
    return this.writer.close();
  }
}
