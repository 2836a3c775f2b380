import { createHash } from "node:crypto";
import type { PartHandle } from "./part-handle.js";
import type { Worker } from "node:worker_threads";

/** Bytes written between two calls of collectGarbage: far below what V8 lets pile up itself. */
export const RECLAIM_BYTES = 4 * 1024 * 1024;

/**
 * The sha256 of a body, fed in order with chunks already written to the file. `update` takes the
 * chunks over: the caller must not touch them afterwards (a worker may have been handed their
 * memory). `ready` resolves when there is room for more, so memory stays bounded.
 */
export interface ChunkHasher {
  update(chunks: readonly Buffer[]): void;
  ready(): Promise<void>;
  digest(): Promise<string>;
  close(): Promise<void>;
}

/**
 * From this size the hash runs on a worker thread: sha256 costs about as much CPU as receiving
 * and writing the bytes, and on the main thread it stalls both. Below it, starting a worker
 * (tens of milliseconds) would cost more than it saves.
 */
export const WORKER_HASH_BYTES = 64 * 1024 * 1024;
/** Bytes handed to the worker and not yet hashed: the most the hash may lag behind the disk. */
const MAX_BACKLOG = 8 * 1024 * 1024;

export function createChunkHasher(expectedBytes: number | undefined): ChunkHasher {
  return expectedBytes !== undefined && expectedBytes >= WORKER_HASH_BYTES
    ? new WorkerHasher()
    : mainThreadHasher();
}

function mainThreadHasher(): ChunkHasher {
  const hash = createHash("sha256");
  return {
    update: (chunks) => chunks.forEach((c) => hash.update(c)),
    ready: () => Promise.resolve(),
    digest: () => Promise.resolve(hash.digest("hex")),
    close: () => Promise.resolve(),
  };
}

// Plain CommonJS evaluated by the worker: no file to find next to a bundled or compiled module.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const hash = require("node:crypto").createHash("sha256");
parentPort.on("message", (chunks) => {
  if (chunks === null) return parentPort.postMessage(hash.digest("hex"));
  for (const chunk of chunks) hash.update(chunk);
  parentPort.postMessage(chunks, chunks.map((chunk) => chunk.buffer));
});`;

/** A view that spans its whole memory can be handed over; any other (pooled, sliced) is copied. */
function ownMemory(chunk: Buffer): Uint8Array {
  const whole = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength;
  return whole && chunk.buffer instanceof ArrayBuffer ? chunk : new Uint8Array(chunk);
}

class WorkerHasher implements ChunkHasher {
  private readonly worker: Promise<Worker>;
  private backlog = 0;
  private failure: Error | undefined;
  private waiting: (() => void) | undefined;
  private digested: { resolve: (hex: string) => void; reject: (err: Error) => void } | undefined;

  constructor() {
    // Loaded here, not at the top: only a large download ever starts a worker.
    this.worker = import("node:worker_threads").then(({ Worker }) => {
      // The chunks handed over are memory outside the worker's heap, which only its GC would
      // free, and V8 schedules that GC by its heap's growth, not by theirs: ~60 MiB of them piled
      // up during a 1 GiB download even with a 16 MiB heap (~170 MiB peak RSS). So the worker
      // hands each batch back once hashed, without a copy; on the main thread, which allocates
      // all the time, they are young garbage that its next scavenge frees (~115 MiB peak). The
      // worker itself needs ~4 MiB.
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        resourceLimits: { maxOldGenerationSizeMb: 16 },
      });
      worker.on("message", (answer: unknown) => this.answered(answer));
      worker.on("error", (err) => this.fail(err));
      worker.on("exit", () => this.fail(new Error("the hashing thread ended early")));
      return worker;
    });
    this.worker.catch((err: unknown) => this.fail(err instanceof Error ? err : new Error(String(err))));
  }

  update(chunks: readonly Buffer[]): void {
    const owned = chunks.map(ownMemory);
    for (const chunk of owned) this.backlog += chunk.byteLength;
    const transfer = owned.map((c) => c.buffer as ArrayBuffer);
    // Posted in call order (the callbacks of one promise run in the order they were added).
    void this.worker.then(
      (w) => w.postMessage(owned, transfer),
      () => undefined,
    );
  }

  async ready(): Promise<void> {
    while (this.backlog > MAX_BACKLOG && !this.failure) {
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
    if (this.failure) throw this.failure;
  }

  async digest(): Promise<string> {
    const worker = await this.worker;
    return new Promise<string>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.digested = { resolve, reject };
      worker.postMessage(null);
    });
  }

  async close(): Promise<void> {
    this.failure ??= new Error("the hasher was closed");
    this.wake();
    await (await this.worker.catch(() => undefined))?.terminate();
  }

  private answered(answer: unknown): void {
    if (typeof answer === "string") this.digested?.resolve(answer);
    else if (Array.isArray(answer)) {
      for (const chunk of answer as Uint8Array[]) this.backlog -= chunk.byteLength;
      if (this.backlog <= MAX_BACKLOG) this.wake();
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.wake();
    this.digested?.reject(this.failure);
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}

/** Feeds the first `bytes` of an open file (a partial download being continued) to a hasher. */
export async function hashFilePrefix(file: PartHandle, bytes: number, hasher: ChunkHasher): Promise<void> {
  for (let pos = 0; pos < bytes;) {
    // A fresh buffer each time: the hasher takes it over.
    const buffer = Buffer.allocUnsafeSlow(Math.min(1024 * 1024, bytes - pos));
    const { bytesRead } = await file.read(buffer, 0, buffer.length, pos);
    if (bytesRead === 0) throw new Error(`the file shrank to ${pos} bytes while it was read`);
    hasher.update([buffer.subarray(0, bytesRead)]);
    await hasher.ready();
    pos += bytesRead;
  }
}
