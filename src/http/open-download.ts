import type { Readable } from "node:stream";
import { ApiError, ExitCode } from "../util/errors.js";
import type { Gateway, HttpDeps } from "./client.js";
import { isUnsendable } from "./retry-policy.js";
import { flattenHeaders, networkCode } from "./wire.js";

export interface StreamResponse {
  status: number;
  headers: Record<string, string>;
  body: Readable;
  url: string;
}

const MAX_REDIRECTS = 5;

/**
 * Lets go of a body nobody will read (an error page, a video the disk refused): its connection is
 * freed now instead of when the server gives up. undici reports the abort as an "error" event on
 * the stream, which here is the expected outcome, not a failure: without a listener it would be
 * an uncaught exception.
 */
export function discardBody(body: Readable): void {
  body.on("error", () => {});
  body.destroy();
}

/**
 * Whom a video download may show the key: the gateway's own origin (new-api proxy URLs), and
 * nobody for a dialect whose videos are fetched without it (xAI's CDN), even on the same host.
 */
export function downloadAuth(gateway: Gateway): { origin: string; apiKey: string } | undefined {
  if (gateway.provider.anonymousDownloads) return undefined;
  return { origin: new URL(gateway.baseUrl).origin, apiKey: gateway.apiKey };
}

/**
 * Refusals grokvid decides itself: the same URL gets the same answer on every attempt, so they
 * carry no networkFailure and are never retried. Only the scheme is named, never the address
 * (a data: URL can be megabytes, a signed one holds a credential).
 */
function refuseScheme(protocol: string, from: string | undefined): ApiError {
  const scheme = protocol.slice(0, 32);
  const what =
    from === undefined ? `to download from a ${scheme} URL` : `the redirect from ${from} to a ${scheme} URL`;
  return new ApiError(`refusing ${what}: a video is only downloaded over http(s)`, ExitCode.provider);
}

/**
 * GET a video for streaming. Redirects are followed by hand, only to http(s) and a bounded number
 * of times, and the gateway key is sent only to the gateway's own origin (new-api proxy URLs).
 */
export async function openDownload(
  url: string,
  deps: HttpDeps,
  auth: { origin: string; apiKey: string } | undefined,
  extraHeaders: Record<string, string> = {},
): Promise<StreamResponse> {
  if (!URL.canParse(url))
    throw new ApiError("refusing to download from an address that is not a URL", ExitCode.provider);
  let current = new URL(url);
  let from: string | undefined;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (current.protocol !== "http:" && current.protocol !== "https:")
      throw refuseScheme(current.protocol, from);
    const target = current;
    const headers: Record<string, string> = { "user-agent": deps.userAgent, ...extraHeaders };
    const started = deps.now();
    if (auth && target.origin === auth.origin) headers.authorization = `Bearer ${auth.apiKey}`;
    const res = await deps.dispatcher
      .stream(target.href, {
        method: "GET",
        headers,
        signal: deps.signal ?? null,
      })
      .catch((err: unknown) => {
        if (deps.signal?.aborted) throw err;
        const code = networkCode(err);
        const what = code ?? (err instanceof Error ? err.message : "network error");
        throw new ApiError(
          `could not download the video from ${target.origin} (${what})`,
          ExitCode.provider,
          {
            cause: err,
            // A request this machine could not even build fails the same way every time.
            networkFailure: !isUnsendable(code),
          },
        );
      });
    const resHeaders = flattenHeaders(res.headers);
    deps.onResponse?.({ method: "GET", url: target.href, status: res.statusCode, ms: deps.now() - started });
    const location = resHeaders.location;
    if (res.statusCode >= 300 && res.statusCode < 400 && location) {
      await res.dump();
      if (!URL.canParse(location, target.href)) {
        throw new ApiError(
          `${target.origin} redirected the video download to an address that is not a URL`,
          ExitCode.provider,
        );
      }
      current = new URL(location, target.href);
      from = target.origin;
      continue;
    }
    return { status: res.statusCode, headers: resHeaders, body: res.body, url: target.href };
  }
  throw new ApiError(`too many redirects while downloading from ${new URL(url).origin}`, ExitCode.provider);
}
