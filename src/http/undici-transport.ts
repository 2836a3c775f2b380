import type * as Undici from "undici";
import type { HttpTimeouts } from "./limits.js";
import type { Transport, TransportRequest, TransportResponse } from "./transport.js";

let undici: Promise<typeof Undici> | undefined;

/**
 * undici's public entry, imported where it is first needed: it is the heaviest module a command
 * loads (and its parser is WebAssembly, compiled when it loads), and a dry run, a TAB press, a
 * journal listing or a single job's status never needs it. Imported once: a batch sends
 * thousands of requests, and each import() hands back a fresh namespace object.
 */
function loadUndici(): Promise<typeof Undici> {
  undici ??= import("undici");
  return undici;
}

/** undici's Agent: a pool of kept-alive connections per origin, for many jobs at once and for video bodies. */
export async function createUndiciTransport(timeouts: HttpTimeouts): Promise<Transport> {
  const { Agent, request } = await loadUndici();
  const agent = new Agent({
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
  });
  const send = async (url: string, req: TransportRequest): Promise<TransportResponse> => {
    const res = await request(url, {
      method: req.method,
      headers: req.headers ?? {},
      body: req.body ?? null,
      signal: req.signal ?? null,
      dispatcher: agent,
    });
    return {
      statusCode: res.statusCode,
      headers: res.headers,
      body: res.body,
      dump: () => res.body.dump(),
    };
  };
  return { call: send, stream: send, close: () => agent.close() };
}
