import type { MultipartField, RequestBody, RequestSpec } from "../providers/types.js";
import { ApiError, ExitCode } from "../util/errors.js";
import { maskKey } from "../util/redact.js";

export function buildUrl(baseUrl: string, spec: Pick<RequestSpec, "path" | "query" | "url">): string {
  if (spec.url !== undefined) return returnedTarget(baseUrl, spec.url);
  // Keep any path prefix of the base URL (mirrors and the sandbox mount gateways below one).
  const url = new URL(baseUrl.replace(/\/+$/, "") + spec.path);
  for (const [k, v] of Object.entries(spec.query ?? {})) url.searchParams.set(k, v);
  return url.toString();
}

/**
 * A URL the gateway returned (fal's status, result and cancel URLs), used exactly as returned, but
 * only on the base URL's own origin: the key goes with it, and a gateway (or whoever answers in its
 * place) must not be able to send it anywhere else.
 */
function returnedTarget(baseUrl: string, returned: string): string {
  const base = new URL(baseUrl);
  const target = URL.canParse(returned) ? new URL(returned) : undefined;
  // The origin is the boundary, as for a browser's credentials: a mirror may return URLs outside
  // the path it was configured with (a path is no boundary between parts of one server).
  if (target?.origin !== base.origin) {
    const where = target ? target.origin : "an address that is not a URL";
    throw new ApiError(
      `the gateway at ${base.origin} returned a task URL on ${where}; refusing to send the key there`,
      ExitCode.provider,
    );
  }
  return target.toString();
}

function encodeMultipart(fields: readonly MultipartField[], boundary: string): Buffer {
  const parts: Buffer[] = [];
  const quote = (s: string) => s.replace(/["\r\n]/g, "_");
  for (const f of fields) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quote(f.name)}"`;
    if ("data" in f) head += `; filename="${quote(f.filename)}"\r\nContent-Type: ${f.contentType}`;
    parts.push(
      Buffer.from(`${head}\r\n\r\n`),
      "data" in f ? Buffer.from(f.data) : Buffer.from(f.value),
      Buffer.from("\r\n"),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(parts);
}

export function encodeBody(body: RequestBody): { contentType: string; payload: Buffer } {
  if (body.kind === "json") {
    return { contentType: "application/json", payload: Buffer.from(JSON.stringify(body.value)) };
  }
  // The global Web Crypto: node:crypto and the streams it pulls in cost a dry run ~4 ms to load.
  const boundary = `grokvid-${globalThis.crypto.randomUUID()}`;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    payload: encodeMultipart(body.fields, boundary),
  };
}

/** Inline images are megabytes of base64; a dry run shows their size, not their bytes. */
function abbreviate(value: unknown): unknown {
  if (typeof value === "string") {
    const m = /^(data:[^;,]+;base64,)(.*)$/s.exec(value);
    return m?.[1] && m[2] && m[2].length > 48
      ? `${m[1]}${m[2].slice(0, 24)}...(${m[2].length} base64 chars)`
      : value;
  }
  if (Array.isArray(value)) return value.map(abbreviate);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, abbreviate(v)]));
  }
  return value;
}

export interface RequestDescription {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** The request exactly as it would be sent, with the key masked: what `--dry-run` prints. */
export function describeRequest(
  baseUrl: string,
  apiKey: string,
  spec: RequestSpec,
  keyVariable = "the API key variable",
  authScheme: "Bearer" | "Key" = "Bearer",
): RequestDescription {
  const shown = apiKey === "" ? `<not set: ${keyVariable}>` : maskKey(apiKey);
  // What callGateway sends: the dialect's own headers, then the key in its scheme.
  const headers: Record<string, string> = { ...spec.headers, Authorization: `${authScheme} ${shown}` };
  let body: unknown;
  if (spec.body?.kind === "json") {
    headers["Content-Type"] = "application/json";
    body = abbreviate(spec.body.value);
  } else if (spec.body?.kind === "multipart") {
    headers["Content-Type"] = "multipart/form-data";
    body = Object.fromEntries(
      spec.body.fields.map((f) => [
        f.name,
        "data" in f ? { file: f.filename, type: f.contentType, bytes: f.data.byteLength } : f.value,
      ]),
    );
  }
  return { method: spec.method, url: buildUrl(baseUrl, spec), headers, body: body ?? null };
}
