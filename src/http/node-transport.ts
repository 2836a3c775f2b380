import type * as Http from "node:http";
import type * as Https from "node:https";
import type { HttpTimeouts } from "./limits.js";
import type { Transport, TransportRequest, TransportResponse } from "./transport.js";

/**
 * The failures of this carrier carry undici's codes for the same events, so retry-policy.ts
 * decides alike whichever carrier sent the request: a connect timeout means nothing was sent, a
 * headers or body timeout that the request may have arrived.
 */
class TimeoutError extends Error {
  constructor(
    message: string,
    readonly code: "UND_ERR_CONNECT_TIMEOUT" | "UND_ERR_HEADERS_TIMEOUT" | "UND_ERR_BODY_TIMEOUT",
  ) {
    super(message);
    this.name = "TimeoutError";
  }
}

/** Node's own AbortError shape (name and code), which the CLI reads as Ctrl-C. */
function abortError(signal: AbortSignal): Error {
  const err = new Error("This operation was aborted", { cause: signal.reason });
  err.name = "AbortError";
  return Object.assign(err, { code: "ABORT_ERR" });
}

/**
 * Each silence within the body longer than `ms` fails it, as undici's bodyTimeout does, except
 * while the reader is the one behind: bytes waiting in the body's buffer mean the server did its
 * part (a video piped to a slow reader with `-o -` pauses the connection, and may for minutes).
 */
function watchBody(
  req: Http.ClientRequest,
  body: Http.IncomingMessage,
  ms: number,
  fail: (err: Error) => void,
): void {
  const socket = req.socket;
  if (ms <= 0 || !socket) return;
  const onIdle = () => {
    if (body.readableLength > 0) socket.setTimeout(ms);
    else fail(new TimeoutError("Body Timeout Error", "UND_ERR_BODY_TIMEOUT"));
  };
  socket.setTimeout(ms);
  socket.on("timeout", onIdle);
  // The agent sets a free socket's own timeout when it takes the socket back.
  req.once("close", () => socket.removeListener("timeout", onIdle));
}

const WITH_PAYLOAD = new Set(["POST", "PUT", "PATCH"]);

/**
 * Requests over node:http (node:https is loaded for the first https URL), with kept-alive
 * connections for a wait's polls. One job's few calls and its video need nothing more, and
 * node:http is in Node's start-up snapshot, its parser native: undici would add a bundle chunk to
 * compile and a WebAssembly parser that V8 keeps optimising after the command is done (about
 * 100 ms of a `status`; reading a 1 GiB body in a bare script, 25-50 MiB more peak memory).
 * The timeouts are the undici Agent's: connecting, then the answer's headers (from the
 * connection, again from the end of the request's body), then each silence within the body.
 */
export async function createNodeTransport(timeouts: HttpTimeouts): Promise<Transport> {
  const http = await import("node:http");
  const httpAgent = new http.Agent({ keepAlive: true });
  let secure: Promise<{ https: typeof Https; agent: Https.Agent }> | undefined;
  const loadHttps = () =>
    (secure ??= import("node:https").then((https) => ({
      https,
      agent: new https.Agent({ keepAlive: true }),
    })));

  async function send(url: string, request: TransportRequest): Promise<TransportResponse> {
    const target = new URL(url);
    const tls = target.protocol === "https:";
    const { request: open, agent } = tls
      ? await loadHttps().then((s) => ({ request: s.https.request, agent: s.agent }))
      : { request: http.request, agent: httpAgent };
    const { signal } = request;
    if (signal?.aborted) throw abortError(signal);
    const headers: Record<string, string> = { ...request.headers };
    if (request.body) headers["content-length"] = String(request.body.length);
    else if (WITH_PAYLOAD.has(request.method)) headers["content-length"] = "0";
    return new Promise((resolve, reject) => {
      const req: Http.ClientRequest = open(target, { method: request.method, headers, agent });
      let res: Http.IncomingMessage | undefined;
      let timer: NodeJS.Timeout | undefined;
      const fail = (err: Error) => {
        clearTimeout(timer);
        // Before the answer, the request's "error" rejects; after it, the body's reader gets it.
        if (res) res.destroy(err);
        else req.destroy(err);
      };
      const arm = (ms: number, err: () => Error) => {
        clearTimeout(timer);
        timer = ms > 0 ? setTimeout(() => fail(err()), ms) : undefined;
      };
      const waitHeaders = () =>
        arm(timeouts.headersMs, () => new TimeoutError("Headers Timeout Error", "UND_ERR_HEADERS_TIMEOUT"));
      const onAbort = () => fail(abortError(signal as AbortSignal));
      signal?.addEventListener("abort", onAbort, { once: true });
      req.once("close", () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      });
      req.on("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.once("socket", (socket) => {
        if (req.reusedSocket) return waitHeaders();
        arm(timeouts.connectMs, () => new TimeoutError("Connect Timeout Error", "UND_ERR_CONNECT_TIMEOUT"));
        socket.once(tls ? "secureConnect" : "connect", waitHeaders);
      });
      req.once("response", (incoming) => {
        clearTimeout(timer);
        res = incoming;
        watchBody(req, incoming, timeouts.bodyMs, fail);
        resolve({
          statusCode: incoming.statusCode ?? 0,
          headers: incoming.headers,
          body: incoming,
          dump: async () => {
            incoming.destroy();
          },
        });
      });
      // The answer's wait starts over once the last byte of the request is out.
      req.end(request.body ?? undefined, () => {
        if (!res && !req.destroyed) waitHeaders();
      });
    });
  }

  return {
    call: send,
    stream: send,
    async close() {
      httpAgent.destroy();
      (await secure)?.agent.destroy();
    },
  };
}
