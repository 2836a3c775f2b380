import { createHash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import type { Worker } from "node:worker_threads";

/** Bytes written between two calls of collectGarbage: far below what V8 lets pile up itself. */
export const RECLAIM_BYTES = 4 * 1024 * 1024;

/**
 * The sha256 of a body, fed in order with chunks already written to the file. `update` is done
 * with the chunks when it returns (a worker gets a copy). `ready` resolves when there is room for
 * more, so memory stays bounded.
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

/**
 * What the worker hashes from: bytes copied into memory it shares with the main thread, so the
 * network's chunks die young on the main thread instead of piling up on the worker's (see below).
 * Twice the backlog: a batch handed over after ready() always fits.
 */
const RING_BYTES = 2 * MAX_BACKLOG;

// Plain CommonJS evaluated by the worker: no file to find next to a bundled or compiled module.
// A message lists the bytes to hash in order: [start, length] spans of the ring, or (what did not
// fit in it) arrays of their own. The Atomics read pairs with the main thread's write of the
// same cell after it filled the spans: the bytes are the ones it wrote.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const hash = require("node:crypto").createHash("sha256");
const ring = new Uint8Array(workerData.ring);
const written = new Int32Array(workerData.written);
parentPort.on("message", (parts) => {
  if (parts === null) return parentPort.postMessage(hash.digest("hex"));
  Atomics.load(written, 0);
  let bytes = 0;
  for (const part of parts) {
    const view = part instanceof Uint8Array ? part : ring.subarray(part[0], part[0] + part[1]);
    hash.update(view);
    bytes += view.byteLength;
  }
  parentPort.postMessage(bytes);
});`;

type Part = Uint8Array | [start: number, length: number];

class WorkerHasher implements ChunkHasher {
  private readonly worker: Promise<Worker>;
  private readonly ring = new SharedArrayBuffer(RING_BYTES);
  private readonly written = new SharedArrayBuffer(4);
  /** Where the next bytes go in the ring, and how many of its bytes wait to be hashed. */
  private head = 0;
  private inRing = 0;
  /** Per message not yet answered: how many of its bytes are in the ring, freed by the answer. */
  private readonly ringBytesOf: number[] = [];
  private backlog = 0;
  private failure: Error | undefined;
  private waiting: (() => void) | undefined;
  private digested: { resolve: (hex: string) => void; reject: (err: Error) => void } | undefined;

  constructor() {
    // Loaded here, not at the top: only a large download ever starts a worker.
    this.worker = import("node:worker_threads").then(({ Worker }) => {
      // Chunks handed over to a worker would be memory outside its heap, freed only when its GC
      // finds them dead, which V8 schedules by the heap's growth: ~60 MiB of them piled up
      // during a 1 GiB download even with a 16 MiB heap. Copied into the shared ring instead,
      // they are the main thread's garbage, collected young with everything else it allocates
      // (~105 MiB peak instead of ~170). The worker itself needs ~4 MiB.
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { ring: this.ring, written: this.written },
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
    const parts: Part[] = [];
    const ring = new Uint8Array(this.ring);
    let ringBytes = 0;
    for (const chunk of chunks) {
      this.backlog += chunk.byteLength;
      if (this.inRing + ringBytes + chunk.byteLength > RING_BYTES) {
        // Larger than the room left (never after ready() with batches of a few MiB): a copy of its own.
        parts.push(new Uint8Array(chunk));
        continue;
      }
      for (let at = 0; at < chunk.byteLength;) {
        const length = Math.min(chunk.byteLength - at, RING_BYTES - this.head);
        ring.set(chunk.subarray(at, at + length), this.head);
        parts.push([this.head, length]);
        this.head = (this.head + length) % RING_BYTES;
        at += length;
      }
      ringBytes += chunk.byteLength;
    }
    this.inRing += ringBytes;
    this.ringBytesOf.push(ringBytes);
    Atomics.add(new Int32Array(this.written), 0, 1);
    const transfer = parts.flatMap((p) => (p instanceof Uint8Array ? [p.buffer as ArrayBuffer] : []));
    // Posted in call order (the callbacks of one promise run in the order they were added).
    void this.worker.then(
      (w) => w.postMessage(parts, transfer),
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
    else if (typeof answer === "number") {
      this.backlog -= answer;
      this.inRing -= this.ringBytesOf.shift() ?? 0;
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
export async function hashFilePrefix(file: FileHandle, bytes: number, hasher: ChunkHasher): Promise<void> {
  for (let pos = 0; pos < bytes;) {
    const buffer = Buffer.allocUnsafeSlow(Math.min(1024 * 1024, bytes - pos));
    const { bytesRead } = await file.read(buffer, 0, buffer.length, pos);
    if (bytesRead === 0) throw new Error(`the file shrank to ${pos} bytes while it was read`);
    hasher.update([buffer.subarray(0, bytesRead)]);
    await hasher.ready();
    pos += bytesRead;
  }
}
