import type { Readable } from "node:stream";

// What the HTTP layer asks of whatever carries its requests. Two carriers exist: undici's Agent (a
// pool, for the commands that run many jobs at once) and node:http (node-transport.ts, for one
// job's calls and its video). client.ts's createDispatcher chooses.

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface TransportRequest {
  method: HttpMethod;
  headers?: Record<string, string>;
  body?: Buffer | null;
  signal?: AbortSignal | null;
}

export interface TransportResponse {
  statusCode: number;
  /** As received: lower-case names, repeated ones as arrays (wire.ts flattens and cleans them). */
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
  /** Lets go of a body nobody will read (a redirect's, a probe's), so its connection is freed. */
  dump(): Promise<void>;
}

/**
 * Both carriers fail alike: the same error codes (undici's, which retry-policy.ts sorts into
 * "nothing was sent" and "may have been sent") for the same timeouts, and an AbortError when
 * the request's signal aborts, before or after the answer's headers.
 */
export interface Transport {
  /** A request whose answer is read whole at once: a task, a balance, a probe. */
  call(url: string, request: TransportRequest): Promise<TransportResponse>;
  /**
   * A request whose body streams to its reader (a video): a reader that stops taking bytes (a
   * slow pipe on `-o -`) pauses it without the silence counting as the server's.
   */
  stream(url: string, request: TransportRequest): Promise<TransportResponse>;
  close(): Promise<void>;
}
