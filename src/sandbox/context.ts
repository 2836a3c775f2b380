import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { FaultBook } from "./faults.js";
import { deepen } from "./deep-json.js";
import { type MultipartPart, parseMultipart, summarizeParts } from "./multipart.js";
import type { CreatePacer } from "./pacing.js";
import type { PlatformJobs } from "./platform-jobs.js";
import type { FaultKind, SandboxRequest, SandboxTimeline, SandboxVariants } from "./types.js";

export type RequestBody =
  | { kind: "none" }
  | { kind: "json"; value: unknown }
  | { kind: "invalid-json" }
  | { kind: "multipart"; parts: MultipartPart[] }
  | { kind: "invalid-multipart"; reason: string }
  | { kind: "too-large" };

/** Everything a dialect handler needs for one request; `send*` also records the status in the log. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Path segments after the dialect prefix, URL-decoded (left raw when not decodable). */
  segments: string[];
  nowMs: number;
  timeline: SandboxTimeline;
  variants: SandboxVariants;
  body: RequestBody;
  entry: SandboxRequest;
  fileUrl(id: string): string;
  /** The hosted platforms' video URL: the same file on the sandbox's CDN origin (Sandbox.cdnUrl). */
  cdnFileUrl(id: string): string;
  /** The API origin's base URL of this request's dialect, for the URLs an answer carries. */
  baseUrl: string;
  /** The hosted platforms' remembered jobs (platform-jobs.ts). */
  jobs: PlatformJobs;
  /** The sandbox clock, for answers that wait (Replicate's Prefer: wait). */
  now(): number;
  faults: FaultBook;
  pacer: CreatePacer;
  /** Every video padded to this size (see big-video.ts). */
  videoBytes?: number;
  /** The fault that hit this request and still shapes its answer (never-finish, truncate, download reset). */
  fault?: FaultKind;
  /** The pacing a trickle fault asked for, in ms. */
  faultMs?: number;
}

/** Large enough for several data-URI images, small enough that a runaway client cannot exhaust memory. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export function sendJson(
  ctx: RequestContext,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  const text = JSON.stringify(body);
  const payload = Buffer.from(ctx.fault === "deep-json" ? deepen(text) : text);
  const all = {
    ...headers,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": payload.length,
  };
  writeAnswer(ctx, status, all, payload);
}

export function sendBytes(
  ctx: RequestContext,
  status: number,
  headers: OutgoingHttpHeaders,
  bytes?: Buffer,
): void {
  writeAnswer(ctx, status, headers, bytes);
}

function writeAnswer(ctx: RequestContext, status: number, headers: OutgoingHttpHeaders, body?: Buffer): void {
  ctx.entry.status = status;
  ctx.res.writeHead(status, headers);
  if (ctx.fault === "truncate" || ctx.fault === "reset") cutShort(ctx, body ?? Buffer.alloc(0), ctx.fault);
  else if (ctx.fault === "trickle") trickle(ctx, body ?? Buffer.alloc(0), ctx.faultMs ?? 25);
  else ctx.res.end(body);
}

/**
 * A server that never goes quiet but hardly sends anything: 16 bytes, a pause, 16 more, until the
 * body is out or the client hangs up. Real time, so keep the pause short in tests.
 */
function trickle(ctx: RequestContext, body: Buffer, pauseMs: number): void {
  let sent = 0;
  const next = () => {
    if (ctx.res.destroyed) return;
    const piece = body.subarray(sent, sent + 16);
    sent += piece.length;
    if (sent >= body.length) ctx.res.end(piece);
    else ctx.res.write(piece, () => setTimeout(next, pauseMs));
  };
  next();
}

/**
 * The headers (with the full Content-Length) and the first half of the body, then the connection
 * ends: cleanly for truncate (the client sees a short body), with a TCP RST for reset.
 */
function cutShort(ctx: RequestContext, body: Buffer, how: "truncate" | "reset"): void {
  const socket = ctx.req.socket;
  ctx.res.flushHeaders();
  // Written to the socket itself so the response never counts as finished (no keep-alive reuse of a
  // connection we are about to kill). The callback fires once the half is with the kernel, so the
  // RST cannot overtake it; an empty half still waits for the headers.
  socket.write(body.subarray(0, Math.floor(body.length / 2)), () => {
    if (socket.destroyed) return;
    if (how === "reset") socket.resetAndDestroy();
    else socket.end();
  });
}

export function decodeSegments(pathname: string): string[] {
  return pathname
    .split("/")
    .slice(1)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
}

async function readRaw(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    // Keep draining so the client sees our 413 instead of a reset connection.
    if (size > MAX_BODY_BYTES) tooLarge = true;
    else chunks.push(buffer);
  }
  return tooLarge ? undefined : Buffer.concat(chunks);
}

/** Reads and parses the body once, for the handler and for the request log. */
export async function readBody(req: IncomingMessage, entry: SandboxRequest): Promise<RequestBody> {
  const raw = await readRaw(req);
  if (raw === undefined) return { kind: "too-large" };
  const contentType = req.headers["content-type"] ?? "";
  if (contentType !== "") entry.contentType = contentType;
  if (/^multipart\/form-data/i.test(contentType)) {
    const result = parseMultipart(raw, contentType);
    if (!result.ok) return { kind: "invalid-multipart", reason: result.reason };
    entry.body = summarizeParts(result.parts);
    return { kind: "multipart", parts: result.parts };
  }
  if (raw.length === 0) return { kind: "none" };
  // JSON is parsed whatever the declared type: the gateways' docs only ever show JSON bodies.
  const text = raw.toString("utf8");
  try {
    const value: unknown = JSON.parse(text);
    entry.body = value;
    return { kind: "json", value };
  } catch {
    entry.body = text.length > 2048 ? `${text.slice(0, 2048)}…` : text;
    return { kind: "invalid-json" };
  }
}
