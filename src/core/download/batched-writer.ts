import type { PartHandle } from "./part-handle.js";
import { type ChunkHasher, RECLAIM_BYTES } from "./chunk-hasher.js";

export { RECLAIM_BYTES } from "./chunk-hasher.js";
import { codeOf } from "../../files/safe-file.js";

/**
 * The disk refused bytes (a full disk, a quota, a file size limit): the caller must not mistake
 * it for a network cut and retry. Keeps the file system's code so it is reported by name.
 */
export class DiskWriteError extends Error {
  readonly code: string | undefined;
  constructor(cause: unknown) {
    const code = codeOf(cause);
    super(`writing the file failed${code ? ` (${code})` : ""}`, { cause });
    this.name = "DiskWriteError";
    this.code = code;
  }
}

/** Network chunks (~64 KiB) are gathered into writes of this size: far fewer trips to the disk. */
export const WRITE_BYTES = 1024 * 1024;
const MAX_BUFFERS = 512;
/**
 * Written bytes are flushed to the disk (fdatasync, in the background) every this many: otherwise
 * the whole file sits in the page cache as dirty pages, the kernel throttles the writer when it
 * decides to flush them, and the fsync before the rename waits for all of them at once.
 */
export const SYNC_BYTES = 32 * 1024 * 1024;

/**
 * Gathers chunks into WRITE_BYTES writes and keeps one write in flight while the next batch
 * fills, so the network, the disk and the hash (done as chunks arrive) overlap. Memory stays at
 * two batches whatever the file's size: a full batch waits for the write before it.
 */
export class BatchedWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private inFlight: Promise<void> = Promise.resolve();
  /** A refused write fails the next push or flush; until then nobody awaits it (no unhandled rejection). */
  private failed: DiskWriteError | undefined;
  private unsynced = 0;
  private unreclaimed = 0;
  /**
   * At most one flush to the disk runs beside the writes; the next write that calls for another
   * waits for it, which also holds the writes back when the disk is slower than the network.
   */
  private syncing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: PartHandle,
    private readonly hasher: ChunkHasher,
    private readonly collectGarbage: (() => void) | undefined,
  ) {}

  async push(chunk: Buffer): Promise<void> {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    // Many tiny chunks (a trickling server) are written before they outnumber one writev's buffers.
    if (this.pendingBytes >= WRITE_BYTES || this.pending.length >= MAX_BUFFERS) await this.send();
  }

  /** Everything pushed is written when this resolves. */
  async flush(): Promise<void> {
    try {
      await this.send();
    } finally {
      // Nothing may still use the file once this returns: its descriptor is closed next, and a
      // closed descriptor's number can name another file by then.
      await this.inFlight;
      await this.syncing;
    }
    if (this.failed) throw this.failed;
  }

  private async send(): Promise<void> {
    await this.inFlight;
    if (this.failed) throw this.failed;
    // A hash that lags too far behind holds the next write back rather than piling up chunks.
    await this.hasher.ready();
    if (this.pendingBytes === 0) return;
    // One vectored write of the gathered chunks: no copy into a batch buffer.
    const batch = this.pending;
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    // Hashed only once written: the hasher may take the memory over, and the digest covers the file.
    this.inFlight = writeAllv(this.file, batch).then(
      async () => {
        this.hasher.update(batch);
        this.unreclaimed += bytes;
        // The batch just handed over is garbage now, with the network buffers it was made of.
        if (this.collectGarbage && this.unreclaimed >= RECLAIM_BYTES) {
          this.unreclaimed = 0;
          this.collectGarbage();
        }
        this.unsynced += bytes;
        if (this.unsynced >= SYNC_BYTES) await this.startSync();
      },
      (err: unknown) => {
        this.failed = new DiskWriteError(err);
      },
    );
  }

  private async startSync(): Promise<void> {
    await this.syncing;
    this.unsynced = 0;
    this.syncing = this.file.datasync().catch((err: unknown) => {
      this.failed ??= new DiskWriteError(err);
    });
  }
}

async function writeAllv(file: PartHandle, chunks: Buffer[]): Promise<void> {
  let rest = chunks;
  while (rest.length > 0) {
    let written = (await file.writev(rest)).bytesWritten;
    // A short write (rare: a full disk, a signal) goes on from where it stopped.
    while (rest.length > 0 && written >= (rest[0]?.length ?? 0)) {
      written -= rest[0]?.length ?? 0;
      rest = rest.slice(1);
    }
    if (written > 0 && rest[0]) rest = [rest[0].subarray(written), ...rest.slice(1)];
  }
}
