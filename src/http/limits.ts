// The HTTP layer's default limits, apart from the client so that settings can name them without
// loading it (config/resolve.ts is on every command's start-up path).

export interface HttpTimeouts {
  connectMs: number;
  headersMs: number;
  /** Longest silence allowed between two chunks of a body. */
  bodyMs: number;
}

export const DEFAULT_TIMEOUTS: HttpTimeouts = { connectMs: 10_000, headersMs: 60_000, bodyMs: 60_000 };

/** A download slower than this, averaged over the window, is broken off and resumed (0 turns it off). */
export interface LowSpeedLimit {
  bytesPerSecond: number;
  windowMs: number;
}

/**
 * A Grok Imagine video is megabytes: at 1 KiB/s one would take hours, so anything slower is a
 * stuck connection, not a slow line. 30 s rides out Wi-Fi hand-overs and TCP back-off.
 */
export const DEFAULT_LOW_SPEED: LowSpeedLimit = { bytesPerSecond: 1024, windowMs: 30_000 };
