import { createHash } from "node:crypto";

/**
 * xAI allows video models one request per second on every tier (providers.md section 6). The sandbox
 * enforces it on creates only, per key, so a test can prove a client spaces its creates; polls and
 * downloads are not counted because the docs do not say they are.
 *
 * Keys are remembered only as a SHA-256, so the sandbox never holds a key past the request that sent it.
 */
export class CreatePacer {
  readonly #lastAcceptedMs = new Map<string, number>();

  constructor(readonly intervalMs: number) {}

  /** Whether a create arriving at `atMs` with this key comes too soon after the last accepted one. */
  isTooSoon(key: string, atMs: number): boolean {
    const last = this.#lastAcceptedMs.get(hashKey(key));
    // Either side: a create that arrived earlier but was answered later is just as close to it.
    return last !== undefined && Math.abs(atMs - last) < this.intervalMs;
  }

  /** Called once a create is answered 200: only accepted creates start a new interval. */
  recordAccepted(key: string, atMs: number): void {
    const hash = hashKey(key);
    this.#lastAcceptedMs.set(hash, Math.max(atMs, this.#lastAcceptedMs.get(hash) ?? -Infinity));
  }
}

function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}
