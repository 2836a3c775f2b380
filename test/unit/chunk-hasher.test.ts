import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createChunkHasher, WORKER_HASH_BYTES } from "../../src/core/download/chunk-hasher.js";

describe("the hash of a large body, computed on a worker thread", () => {
  it("gives the main thread's digest, whatever memory the chunks live in", async () => {
    const shared = Buffer.alloc(256 * 1024, 3);
    const chunks = [
      Buffer.from("a small pooled chunk"),
      Buffer.alloc(64 * 1024, 1),
      shared.subarray(1000, 70_000),
      shared.subarray(70_000),
      Buffer.allocUnsafeSlow(3000).fill(9),
    ];
    const expected = createHash("sha256");
    for (const chunk of chunks) expected.update(chunk);
    const want = expected.digest("hex");
    const hasher = createChunkHasher(WORKER_HASH_BYTES);
    try {
      hasher.update(chunks.slice(0, 3));
      await hasher.ready();
      hasher.update(chunks.slice(3));
      expect(await hasher.digest()).toBe(want);
    } finally {
      await hasher.close();
    }
    // Memory shared with other views (the pool, a larger buffer) is copied, never taken away.
    expect(shared.length).toBe(256 * 1024);
    expect(shared[100]).toBe(3);
  });

  it("small bodies are hashed in place, with the same digest", async () => {
    const hasher = createChunkHasher(1024);
    hasher.update([Buffer.from("abc")]);
    expect(await hasher.digest()).toBe(createHash("sha256").update("abc").digest("hex"));
    await hasher.close();
  });
});
