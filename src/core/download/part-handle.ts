import { closeSync, fdatasync, fstatSync, fsync, read, writev } from "node:fs";
import { promisify } from "node:util";
import { createReplacingFd, openRegularFd } from "../../files/safe-file.js";

const writevFd = promisify(writev);
const readFd = promisify(read);
const fdatasyncFd = promisify(fdatasync);
const fsyncFd = promisify(fsync);

/**
 * The `.part` file a download writes, by its descriptor. Opening, stat and closing are
 * synchronous, like grokvid's other small file steps (see safe-file.ts): each takes microseconds on
 * the main thread, where a FileHandle sends each one through the thread pool (a 1000-job batch
 * opens and closes 1000 parts). Writes, reads and flushes, which may move gigabytes or wait for
 * the disk, still go through the pool and never block the event loop.
 */
export class PartHandle {
  private closed = false;

  private constructor(private readonly fd: number) {}

  /** A new part: whatever had the name (an old part, a planted link) is removed first. */
  static async create(path: string): Promise<PartHandle> {
    return new PartHandle(await createReplacingFd(path));
  }

  /** An existing part to continue (appended to), or undefined when it is not a plain file. */
  static openToAppend(path: string): PartHandle | undefined {
    const fd = openRegularFd(path, "append");
    return fd === undefined ? undefined : new PartHandle(fd);
  }

  /** Writes at the file's end; may write less than given (the caller goes on from there). */
  async writev(chunks: Buffer[]): Promise<{ bytesWritten: number }> {
    const { bytesWritten } = await writevFd(this.fd, chunks);
    return { bytesWritten };
  }

  async read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesRead: number }> {
    const { bytesRead } = await readFd(this.fd, buffer, offset, length, position);
    return { bytesRead };
  }

  size(): number {
    return fstatSync(this.fd).size;
  }

  datasync(): Promise<void> {
    return fdatasyncFd(this.fd);
  }

  sync(): Promise<void> {
    return fsyncFd(this.fd);
  }

  /** Closes the descriptor once; later calls do nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
