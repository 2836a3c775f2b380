import { type FileHandle, mkdir, open, stat } from "node:fs/promises";
import { dirname } from "node:path";

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
      this.running ??= this.drain().finally(() => (this.running = undefined));
    });
  }

  async close(): Promise<void> {
    await this.running;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private async drain(): Promise<void> {
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
  }

  private async write(text: string): Promise<void> {
    const { file, size } = await this.current();
    let glue = "";
    if (size > 0) {
      // A line torn by a crash (no newline) would swallow this record: start on a fresh line.
      const last = Buffer.alloc(1);
      await file.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) glue = "\n";
    }
    await file.write(`${glue}${text}`);
    await file.datasync();
  }

  /** The open handle and its size, if it is still the file at `path`; else a fresh one. */
  private async current(): Promise<{ file: FileHandle; size: number }> {
    if (this.handle) {
      const [mine, there] = await Promise.all([this.handle.stat(), stat(this.path).catch(() => undefined)]);
      if (there && there.ino === mine.ino && there.dev === mine.dev)
        return { file: this.handle, size: mine.size };
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
    this.handle = await open(this.path, "a+", 0o600);
    // A new file's name must survive a power cut too, or its first (paid-for) records vanish with it.
    if (!existed) await syncFolder(dirname(this.path));
    return { file: this.handle, size: (await this.handle.stat()).size };
  }
}

async function syncFolder(path: string): Promise<void> {
  const folder = await open(path, "r");
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
