import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createChunkHasher, WORKER_HASH_BYTES } from "../../src/core/download/chunk-hasher.js";

const MiB = 1024 * 1024;

/** Distinct bytes everywhere, so a span hashed twice, skipped or out of order changes the digest. */
function chunkOf(bytes: number, seed: number): Buffer {
  const chunk = Buffer.alloc(bytes);
  for (let i = 0; i + 4 <= bytes; i += 4) chunk.writeUInt32LE((i * 2654435761 + seed) >>> 0, i);
  return chunk;
}

describe("the worker's hash, through the memory it shares with the main thread", () => {
  it("wraps around the ring, and takes a batch larger than the room left as a copy of its own", async () => {
    // Uneven sizes, so the spans wrap mid-chunk; 20 MiB fed before ready() is asked once.
    const sizes = [3 * MiB + 17, 5 * MiB, 65_536, 7 * MiB + 3, 20 * MiB, 4 * MiB + 1, 9 * MiB];
    const chunks = sizes.map((size, i) => chunkOf(size, i));
    const expected = createHash("sha256");
    for (const chunk of chunks) expected.update(chunk);
    const hasher = createChunkHasher(WORKER_HASH_BYTES);
    try {
      hasher.update(chunks.slice(0, 3));
      hasher.update(chunks.slice(3, 5));
      await hasher.ready();
      for (const chunk of chunks.slice(5)) {
        hasher.update([chunk]);
        await hasher.ready();
      }
      // The caller may reuse its buffers as soon as update returns.
      for (const chunk of chunks) chunk.fill(0);
      expect(await hasher.digest()).toBe(expected.digest("hex"));
    } finally {
      await hasher.close();
    }
  });
});
