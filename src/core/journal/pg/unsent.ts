import { createHash, randomUUID } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdir, readdir, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { withFileLock } from "../../../files/file-lock.js";
import { codeOf, writeAllSync } from "../../../files/safe-file.js";
import { openStateHandle } from "../../../files/state-file.js";
import { ConfigError } from "../../../util/errors.js";
import { EVERY_LINE, scanLines } from "../scan.js";
import { syncFolder } from "../writer.js";

const ROLE = "the unsent journal";

/** The file's name for one database (user@host:port/name): records never reach another. */
export function unsentFileName(database: string): string {
  return `journal-unsent-${createHash("sha256").update(database).digest("hex").slice(0, 12)}.jsonl`;
}

/**
 * Where a job's records go when the shared journal cannot take them after its create was sent: a
 * JSONL file in GROKVID_HOME, one per database, each append fsynced, so a paid job's id is never
 * lost with the database. The next grokvid on this machine that reaches the database carries the
 * lines over (each once: the table keeps one row per record's digest). The carrier first moves
 * the file aside under the lock (writers then start a new one), and sends and removes what it
 * moved with no lock held: no append ever waits on the network, and none lands in a file that is
 * being removed. A file moved aside and not sent (a crash, the database gone again) is sent by
 * the next carrier, oldest first.
 */
export class UnsentRecords {
  readonly path: string;

  constructor(home: string, database: string) {
    this.path = join(home, unsentFileName(database));
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

  /** Appends the lines and syncs them (and a new file's name) before resolving. */
  async append(lines: readonly string[]): Promise<void> {
    const folder = dirname(this.path);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    await withFileLock(this.path, ROLE, async () => {
      // Opened per append (this path is rare): a handle kept open would follow the file when a
      // carrier moves it aside, and write into what is being sent.
      const handle = await openStateHandle(this.path, ROLE, "append", 0o600);
      try {
        const fresh = (await handle.stat()).size === 0;
        writeAllSync(handle.fd, Buffer.from(lines.map((l) => `${l}\n`).join("")));
        await handle.datasync();
        if (fresh) await syncFolder(folder);
      } finally {
        await handle.close();
      }
    });
  }

  /**
   * Hands every set-aside file's whole lines to `send` (which commits them), oldest first.
   * `reachable` is asked first: while the database is still away, nothing is moved aside.
   */
  async carryOver(send: (lines: string[]) => Promise<void>, reachable: () => Promise<void>): Promise<number> {
    const folder = dirname(this.path);
    const prefix = `${this.path.slice(folder.length + 1)}.`;
    const names = await readdir(folder).catch(() => [] as string[]);
    const pending = names.some(
      (n) => n === prefix.slice(0, -1) || (n.startsWith(prefix) && n.endsWith(".carrying")),
    );
    // Nearly always there is nothing to carry: no lock is taken for that.
    if (!pending) return 0;
    await reachable();
    const aside = `${this.path}.${String(Date.now()).padStart(15, "0")}-${randomUUID()}.carrying`;
    await withFileLock(this.path, ROLE, async () => {
      await rename(this.path, aside).catch((err: unknown) => {
        if (codeOf(err) !== "ENOENT") throw err;
      });
    });
    let count = 0;
    const files = (await readdir(folder))
      .filter((n) => n.startsWith(prefix) && n.endsWith(".carrying"))
      .sort();
    for (const name of files) {
      const file = join(folder, name);
      const lines: string[] = [];
      const read = scanLines(file, EVERY_LINE, (line) => {
        if (line.trim() !== "") lines.push(line.replace(/\r$/, ""));
      });
      // Sent by another carrier meanwhile.
      if (read === undefined) continue;
      if (lines.length > 0) await send(lines);
      await rm(file, { force: true });
      count += lines.length;
    }
    return count;
  }
}
