import { ApiError, ConfigError, ExitCode } from "../util/errors.js";
import type { Provider, RequestSpec } from "../providers/types.js";
import { redactWith } from "../util/redact.js";
import { mapJsonStrings, nestsDeeperThan, sanitizeText } from "../util/untrusted.js";
import { buildUrl, encodeBody } from "./encode.js";
import { DEFAULT_TIMEOUTS, type HttpTimeouts, type LowSpeedLimit } from "./limits.js";
import { mapHttpError } from "./map-error.js";
import {
  isUnsendable,
  type Outcome,
  parseRetryAfter,
  RETRY_DEFAULTS,
  retryDelay,
  shouldRetry,
} from "./retry-policy.js";
import { fitsInHeader, flattenHeaders, networkCode } from "./wire.js";
import { createNodeTransport } from "./node-transport.js";
import type { Transport, TransportRequest, TransportResponse } from "./transport.js";
import { createUndiciTransport } from "./undici-transport.js";

export { DEFAULT_LOW_SPEED, DEFAULT_TIMEOUTS, type HttpTimeouts, type LowSpeedLimit } from "./limits.js";

/** Everything the HTTP layer needs from outside, injected so tests control time and randomness. */
export interface HttpDeps {
  dispatcher: Transport;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  signal?: AbortSignal;
  userAgent: string;
  maxRetries?: number;
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  /** Every answer, for --verbose. */
  onResponse?: (info: { method: string; url: string; status: number; ms: number }) => void;
  /** Video downloads only; DEFAULT_LOW_SPEED when absent. */
  lowSpeed?: LowSpeedLimit;
  /** Runtime.collectGarbage, for video downloads. */
  collectGarbage?: () => void;
  /**
   * Ends a wait for the key's turn (Gateway.pacer) when `signal` is withheld from a paid create,
   * which must not be cut off once sent: nothing is sent while waiting.
   */
  paceSignal?: AbortSignal;
}

/**
 * Spaces the requests of a gateway with a request budget (xAI: 1 per second per key). `turn`
 * resolves when this request may go; the returned function is called once its answer (or its
 * failure) is in, so the next one is spaced from when this one was answered.
 */
export interface Pacer {
  turn(kind: "create" | "query", signal?: AbortSignal): Promise<() => Promise<void>>;
}

export interface Gateway {
  /** The name the user chose (`sandbox` speaks apimart's dialect), used in every message. */
  name: string;
  provider: Provider;
  baseUrl: string;
  apiKey: string;
  /** Named in auth errors so the user knows which setting to fix. */
  keyVariable: string;
  /** Where the key was really read from, said when the gateway rejects it. */
  keyHint?: string;
  /** Where the dialect has a request budget (Provider.requestsPerSecond). */
  pacer?: Pacer;
}

export interface JsonResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * How a session sends: "pool" for the commands that run many jobs at once (batch, resume), whose
 * requests share undici's pool of kept-alive connections; "single" for one job's few calls and
 * its video, sent with node:http (see node-transport.ts).
 */
export async function createDispatcher(
  timeouts: HttpTimeouts = DEFAULT_TIMEOUTS,
  use: "single" | "pool" = "single",
): Promise<Transport> {
  return use === "pool" ? createUndiciTransport(timeouts) : createNodeTransport(timeouts);
}

/** A task answer is a few KB; anything past this is not one, and must not fill the memory. */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

async function readCapped(body: AsyncIterable<unknown>, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const piece of body) {
    const chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(String(piece));
    size += chunk.length;
    // An over-long answer reads as unparseable (exit 6), like any other answer that is not a task.
    if (size > max) return "";
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** No task answer nests anywhere near this; deeper is garbage or an attack on recursive readers. */
const MAX_ANSWER_DEPTH = 64;

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (nestsDeeperThan(text, MAX_ANSWER_DEPTH)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * Where gateway text comes in: every string of the answer loses its control characters and every
 * form of the key it was sent with, so no parser, message, journal line or --json echo can hold them.
 */
function cleanAnswer(value: unknown, apiKey: string): unknown {
  return mapJsonStrings(value, (text) => redactWith(sanitizeText(text), [apiKey]));
}

export type RequestOptions = TransportRequest & { dispatcher: Transport };

/** A call whose answer is read whole, through the session's transport (grokvid never uses a global one). */
export async function sendRequest(url: string, options: RequestOptions): Promise<TransportResponse> {
  const { dispatcher, ...request } = options;
  return dispatcher.call(url, request);
}

/**
 * One gateway call: the dialect's auth scheme (Bearer, fal's Key), JSON answer, typed errors, and retries where they are safe
 * (`idempotent`). A 2xx body that is not JSON is an error too: it cannot be a task.
 */
export async function callGateway(
  gateway: Gateway,
  spec: RequestSpec,
  deps: HttpDeps,
  opts: {
    idempotent: boolean;
    taskId?: string;
    emptyOk?: boolean;
    /**
     * Error statuses that are an answer, not a failure, when their body is JSON (a fal result that
     * reports the job's failure): returned as they are, not mapped, not retried.
     */
    acceptStatus?: (status: number, body: unknown) => boolean;
  },
): Promise<JsonResponse> {
  // Undici would refuse the header anyway, as a network error a retry cannot mend.
  if (!fitsInHeader(gateway.apiKey)) {
    throw new ConfigError(
      `the API key for ${gateway.name} holds characters an HTTP header cannot carry; nothing was sent`,
      {
        hint:
          gateway.keyHint ??
          `check ${gateway.keyVariable} or providers.${gateway.name}.apiKey in the config file`,
        nothingSent: true,
      },
    );
  }
  const url = buildUrl(gateway.baseUrl, spec);
  const encoded = spec.body ? encodeBody(spec.body) : undefined;
  const headers: Record<string, string> = {
    // A dialect's own headers first (Replicate's Cancel-After): they can never replace the key's.
    ...lowerCaseKeys(spec.headers ?? {}),
    authorization: `${gateway.provider.authScheme ?? "Bearer"} ${gateway.apiKey}`,
    accept: "application/json",
    "user-agent": deps.userAgent,
  };
  if (encoded) headers["content-type"] = encoded.contentType;
  const name = gateway.name;
  const maxRetries = deps.maxRetries ?? RETRY_DEFAULTS.maxRetries;
  for (let attempt = 0; ; attempt++) {
    let outcome: Outcome;
    let hint: number | undefined;
    // A cancel is a POST too (Replicate), but only a paid create waits for a create's turn.
    const kind = opts.idempotent ? "query" : "create";
    const done = await gateway.pacer?.turn(kind, deps.paceSignal ?? deps.signal);
    const started = deps.now();
    try {
      const res = await sendRequest(url, {
        method: spec.method,
        headers,
        body: encoded?.payload ?? null,
        dispatcher: deps.dispatcher,
        signal: deps.signal ?? null,
      });
      const resHeaders = flattenHeaders(res.headers);
      const text = await readCapped(res.body, MAX_ANSWER_BYTES);
      deps.onResponse?.({ method: spec.method, url, status: res.statusCode, ms: deps.now() - started });
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      if (ok && opts.emptyOk && text.trim() === "") {
        return { status: res.statusCode, headers: resHeaders, body: undefined };
      }
      const json = parseJson(text);
      const parsed = json.ok ? { ok: true as const, value: cleanAnswer(json.value, gateway.apiKey) } : json;
      if (res.statusCode >= 200 && res.statusCode < 300) {
        if (parsed.ok) return { status: res.statusCode, headers: resHeaders, body: parsed.value };
        outcome = { kind: "status", status: 599 };
        if (!shouldRetry(outcome, opts.idempotent) || attempt >= maxRetries) {
          throw new ApiError(
            `unparseable response from ${name} (HTTP ${res.statusCode}, ${redactWith(sanitizeText(resHeaders["content-type"] ?? "no content type", 100), [gateway.apiKey])})`,
            ExitCode.provider,
            {
              status: res.statusCode,
              ...(opts.idempotent ? {} : { hint: mayExistHint(name, deps.now()), mayExist: true }),
            },
          );
        }
      } else if (parsed.ok && opts.acceptStatus?.(res.statusCode, parsed.value)) {
        return { status: res.statusCode, headers: resHeaders, body: parsed.value };
      } else {
        outcome = { kind: "status", status: res.statusCode };
        // A paced gateway's 429 is a certain refusal (xAI's per-key budget): nothing was made.
        const refusedForRate = res.statusCode === 429 && gateway.pacer !== undefined;
        if (!shouldRetry(outcome, opts.idempotent || refusedForRate) || attempt >= maxRetries) {
          const info = parsed.ok ? gateway.provider.parseError(res.statusCode, parsed.value) : undefined;
          const mapped = mapHttpError(res.statusCode, info, {
            provider: name,
            keyVariable: gateway.keyVariable,
            ...(gateway.keyHint ? { keyHint: gateway.keyHint } : {}),
            ...(opts.taskId === undefined ? {} : { taskId: opts.taskId }),
          });
          // A proxy's 502/504 or a timeout often comes after the gateway took (and billed) the job.
          if (!opts.idempotent && (res.statusCode >= 500 || res.statusCode === 408)) {
            throw new ApiError(mapped.message, mapped.exitCode, {
              status: res.statusCode,
              hint: mayExistHint(name, deps.now()),
              mayExist: true,
            });
          }
          throw mapped;
        }
        hint = parseRetryAfter(resHeaders, deps.now());
      }
    } catch (err) {
      if (err instanceof ApiError || deps.signal?.aborted) throw err;
      outcome = { kind: "network", code: networkCode(err) };
      if (!shouldRetry(outcome, opts.idempotent) || attempt >= maxRetries) {
        throw networkError(name, gateway.baseUrl, outcome.code, !opts.idempotent, err, deps.now());
      }
    } finally {
      // The pacer's bookkeeping never costs an answer (a paid job's id) its place.
      await done?.().catch(() => {});
    }
    const delayMs = retryDelay(attempt, hint, deps.random);
    deps.onRetry?.({ attempt: attempt + 1, delayMs, reason: describeOutcome(outcome) });
    await deps.sleep(delayMs, deps.signal);
  }
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function describeOutcome(o: Outcome): string {
  return o.kind === "status" ? `HTTP ${o.status}` : (o.code ?? "network error");
}

/** A paid create that may have arrived must never be resent blindly: the user checks first. */
export function mayExistHint(provider: string, atMs: number): string {
  return `the request may have reached ${provider} at ${new Date(atMs).toISOString()}, so a job may exist; check your ${provider} dashboard before submitting again`;
}

function networkError(
  provider: string,
  baseUrl: string,
  code: string | undefined,
  /** A paid create: one that may have arrived must never be resent blindly. */
  paid: boolean,
  cause: unknown,
  nowMs: number,
): ApiError {
  const origin = new URL(baseUrl).origin;
  const what = code ?? (cause instanceof Error ? cause.message : "network error");
  const unsendable = isUnsendable(code);
  const mayExist = paid && code !== "ECONNREFUSED" && !unsendable;
  const verb = unsendable ? "could not build a request for" : "could not reach";
  return new ApiError(`${verb} ${provider} at ${origin} (${what})`, ExitCode.provider, {
    cause,
    mayExist,
    networkFailure: !unsendable,
    hint: mayExist
      ? mayExistHint(provider, nowMs)
      : "check your network and the base URL, then run the command again",
  });
}
