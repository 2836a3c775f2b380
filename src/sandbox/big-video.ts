import { createHash } from "node:crypto";

/**
 * A video of exactly `size` bytes for large-download tests and the benchmark: the task's real mp4
 * (so every sniff and player sees a video), then one `free` box that players skip. Its bytes are
 * generated piece by piece from cached memory, so a 2 GiB file never sits in the sandbox whole.
 *
 * The padding is not zeros: a client that wrote a piece twice, dropped one, or put it at the wrong
 * offset would still produce the right size, and only position-dependent bytes make its file differ.
 * They repeat with a prime period, so no shift by a power-of-two chunk size lines them up again.
 */
export const PADDING_PERIOD = 65_521;
/** The largest piece `pieces` yields: big writes keep the sandbox out of the way of the client. */
export const PIECE_BYTES = 1024 * 1024;
/** Room for any generated mp4 plus the box header. */
export const MIN_PADDED_BYTES = 1024 * 1024;

const MAX_COMPACT_BOX = 0xffffffff;
const BLOCK_CACHE_LIMIT = 4;
/** One period followed by enough of its repetition that every piece is a single slice. */
const blocks = new Map<string, Buffer>();

export interface PaddedVideo {
  readonly size: number;
  /** Where the free box starts (the real mp4's length). */
  readonly boxStart: number;
  /** Bytes `start` (inclusive) to `end` (exclusive), in order, as views of cached memory. */
  pieces(start: number, end: number): Generator<Buffer>;
}

/** Deterministic per id: a SHA-256 chain, so two sandboxes (or two runs) serve the same bytes. */
function paddingBlock(id: string): Buffer {
  const cached = blocks.get(id);
  if (cached) return cached;
  const block = Buffer.allocUnsafe(PADDING_PERIOD + PIECE_BYTES);
  let digest = createHash("sha256").update(`grokvid sandbox padding\u0000${id}`).digest();
  for (let at = 0; at < PADDING_PERIOD; at += digest.length) {
    digest.copy(block, at, 0, Math.min(digest.length, PADDING_PERIOD - at));
    digest = createHash("sha256").update(digest).digest();
  }
  for (let at = PADDING_PERIOD; at < block.length; at += PADDING_PERIOD) {
    block.copy(block, at, 0, Math.min(PADDING_PERIOD, block.length - at));
  }
  blocks.set(id, block);
  for (const key of blocks.keys()) {
    if (blocks.size <= BLOCK_CACHE_LIMIT) break;
    blocks.delete(key);
  }
  return block;
}

/** ISO BMFF box header: a 32-bit size, or size 1 and a 64-bit `largesize` beyond 4 GiB. */
function freeBoxHeader(boxSize: number): Buffer {
  if (boxSize <= MAX_COMPACT_BOX) {
    const header = Buffer.alloc(8);
    header.writeUInt32BE(boxSize, 0);
    header.write("free", 4, "latin1");
    return header;
  }
  const header = Buffer.alloc(16);
  header.writeUInt32BE(1, 0);
  header.write("free", 4, "latin1");
  header.writeBigUInt64BE(BigInt(boxSize), 8);
  return header;
}

export function checkPaddedSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < MIN_PADDED_BYTES) {
    throw new RangeError(`videoBytes must be a whole number of bytes from ${MIN_PADDED_BYTES}, got ${size}`);
  }
}

export function padVideo(id: string, video: Buffer, size: number): PaddedVideo {
  checkPaddedSize(size);
  const boxSize = size - video.length;
  const prefix = Buffer.concat([video, freeBoxHeader(boxSize)]);
  const block = paddingBlock(id);
  return {
    size,
    boxStart: video.length,
    *pieces(start, end) {
      let at = Math.max(0, start);
      const stop = Math.min(end, size);
      if (at < prefix.length && at < stop) {
        const piece = prefix.subarray(at, Math.min(prefix.length, stop));
        at += piece.length;
        yield piece;
      }
      while (at < stop) {
        const offset = (at - prefix.length) % PADDING_PERIOD;
        const piece = block.subarray(offset, offset + Math.min(PIECE_BYTES, stop - at));
        at += piece.length;
        yield piece;
      }
    },
  };
}
