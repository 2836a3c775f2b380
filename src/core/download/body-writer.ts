import type { PartHandle } from "./part-handle.js";
import type { LowSpeedLimit } from "../../http/client.js";
import { BatchedWriter } from "./batched-writer.js";
import type { ChunkHasher } from "./chunk-hasher.js";
import { isVideoHead, SNIFF_BYTES } from "./video-sniff.js";

export interface BodyTarget {
  file: PartHandle;
  /** Bytes already in the file (and already hashed) before this body. */
  offset: number;
  /** Never write past this many bytes in total: the Content-Range end or Content-Length. */
  end: number | undefined;
  /** The body starts the file, so its first bytes must look like a video before any is written. */
  sniff: boolean;
  lowSpeed: LowSpeedLimit;
  now: () => number;
  /** Gets every chunk once it is in the file, in order (and takes it over). */
  hasher: ChunkHasher;
  collectGarbage: (() => void) | undefined;
  onReceived: (received: number) => void;
}

/** How a body ended when it did not throw; network errors and aborts throw as they come. */
export type BodyOutcome =
  | { kind: "done"; received: number }
  /** More bytes than the server announced: what it sent cannot be trusted to line up. */
  | { kind: "overflow"; received: number }
  | { kind: "not-video"; head: Buffer }
  | { kind: "too-slow"; received: number; bytesPerSecond: number };

/**
 * Like curl's --speed-limit/--speed-time: idle gaps are undici's bodyTimeout, but a server that
 * sends a byte now and then never goes idle. The speed is judged per window on the injected clock,
 * each time a chunk arrives (a silence longer than a window is the idle timeout's business).
 */
function speedMeter(limit: LowSpeedLimit, now: () => number) {
  let start = now();
  let bytes = 0;
  return (chunk: number): number | undefined => {
    bytes += chunk;
    const elapsed = now() - start;
    if (limit.bytesPerSecond <= 0 || elapsed < limit.windowMs) return undefined;
    const speed = (bytes * 1000) / elapsed;
    start += elapsed;
    bytes = 0;
    return speed < limit.bytesPerSecond ? Math.floor(speed) : undefined;
  };
}

/**
 * Streams the body into the file in batches (see BatchedWriter) with the stream's own
 * back-pressure. Whatever way it ends, everything counted (and hashed) is in the file when it
 * returns or throws, so the .part file always matches the count. Returning early ends the loop,
 * which destroys the body and its connection.
 */
export async function writeBody(body: AsyncIterable<unknown>, target: BodyTarget): Promise<BodyOutcome> {
  const writer = new BatchedWriter(target.file, target.hasher, target.collectGarbage);
  let flushed = false;
  try {
    const outcome = await pump(body, target, writer);
    flushed = true;
    await writer.flush();
    return outcome;
  } finally {
    // A body that broke off still leaves what came before it, for the next attempt to continue.
    if (!flushed) await writer.flush().catch(() => undefined);
  }
}

async function pump(
  body: AsyncIterable<unknown>,
  target: BodyTarget,
  writer: BatchedWriter,
): Promise<BodyOutcome> {
  const { end } = target;
  let received = target.offset;
  let head: Buffer | undefined = target.sniff ? Buffer.alloc(0) : undefined;
  const meter = speedMeter(target.lowSpeed, target.now);
  const write = async (chunk: Buffer): Promise<boolean> => {
    const room = end === undefined ? chunk.length : Math.max(0, end - received);
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept.length > 0) {
      received += kept.length;
      target.onReceived(received);
      await writer.push(kept);
    }
    return kept.length === chunk.length;
  };
  for await (const piece of body) {
    let chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(String(piece));
    if (head !== undefined) {
      head = Buffer.concat([head, chunk]);
      if (head.length < SNIFF_BYTES) continue;
      if (!isVideoHead(head)) return { kind: "not-video", head };
      chunk = head;
      head = undefined;
    }
    if (!(await write(chunk))) return { kind: "overflow", received };
    const slow = meter(chunk.length);
    if (slow !== undefined) return { kind: "too-slow", received, bytesPerSecond: slow };
  }
  if (head !== undefined) return { kind: "not-video", head };
  return { kind: "done", received };
}
