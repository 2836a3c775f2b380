import { type FileHandle, mkdir, open, stat } from "node:fs/promises";
import { fstatSync } from "node:fs";
import { dirname } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { JOURNAL_ROLE } from "./journal-error.js";
import { writeAllSync } from "../../files/safe-file.js";
import { openStateHandle } from "../../files/state-file.js";

interface Pending {
  text: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The journal's one append handle in this process. Lines that arrive while a write is under way
 * go out together: one write (O_APPEND, so lines from other processes never interleave inside
 * ours) and one fdatasync for all of them, and each caller is answered only once its line is on
 * disk. The folder is made once; the handle is reopened when the file was replaced or removed
 * underneath (a user clearing the journal), so no record goes to a file nobody can read.
 */
export class JournalWriter {
  private handle: FileHandle | undefined;
  private queue: Pending[] = [];
  private running: Promise<void> | undefined;
  private madeDir = false;

  constructor(private readonly path: string) {}

  append(line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ text: line, resolve, reject });
      // Started a turn of the event loop later, so events that arrive together (answers read in
      // the same poll, a batch's jobs) share one write and one sync instead of each paying for one.
      this.running ??= this.drain();
    });
  }

  async close(): Promise<void> {
    await this.running;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private async drain(): Promise<void> {
    await nextTurn();
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.write(batch.map((p) => p.text).join(""));
        for (const p of batch) p.resolve();
      } catch (err) {
        // The next batch starts from a fresh open: the handle may be what failed.
        await this.handle?.close().catch(() => undefined);
        this.handle = undefined;
        for (const p of batch) p.reject(err);
      }
    }
    // Cleared in the same step as the last look at the queue (nothing above lets an error out of
    // the loop): a line queued by a caller woken just now starts a drain of its own.
    this.running = undefined;
  }

  private async write(text: string): Promise<void> {
    const { file, size } = await this.current();
    let glue = "";
    // Where our own last line ended needs no look: only another process can have torn it.
    if (size > 0 && size !== this.end) {
      // A line torn by a crash (no newline) would swallow this record: start on a fresh line.
      const last = Buffer.alloc(1);
      await file.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) glue = "\n";
    }
    const data = Buffer.from(`${glue}${text}`);
    this.end = -1;
    // The write is synchronous (it only reaches the page cache); the sync waits for the disk.
    writeAllSync(file.fd, data);
    await file.datasync();
    this.end = size + data.length;
  }

  /** The size the file had after our last write; another process appending since changes it. */
  private end = -1;

  /** The open handle and its size, if it is still the file at `path`; else a fresh one. */
  private async current(): Promise<{ file: FileHandle; size: number }> {
    if (this.handle) {
      // A file removed or replaced under its name has no link left: the name is opened again.
      const mine = fstatSync(this.handle.fd);
      if (mine.nlink > 0) return { file: this.handle, size: mine.size };
      await this.handle.close().catch(() => undefined);
      this.handle = undefined;
    }
    if (!this.madeDir) {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      this.madeDir = true;
    }
    const existed = await stat(this.path).then(
      () => true,
      () => false,
    );
    // "a+", through the state-file door: a FIFO, folder or link at the name is refused, not written.
    this.handle = await openStateHandle(this.path, JOURNAL_ROLE, "append", 0o600);
    // A new file's name must survive a power cut too, or its first (paid-for) records vanish with it.
    if (!existed) await syncFolder(dirname(this.path));
    return { file: this.handle, size: (await this.handle.stat()).size };
  }
}

/** A folder's entries made durable: a new file's name survives a power cut too. */
export async function syncFolder(path: string): Promise<void> {
  const folder = await open(path, "r");
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
