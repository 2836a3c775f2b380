import type { OutgoingHttpHeaders } from "node:http";
import { type RequestContext, sendBytes, sendJson } from "./context.js";
import { padVideo } from "./big-video.js";
import { applyFault } from "./fault-answers.js";
import { decodeTaskId } from "./ids.js";
import { generateTaskVideo } from "./task-video.js";
import { sendPaddedVideo } from "./padded-answer.js";
import { parseRange } from "./ranges.js";
import type { ErrorRenderer } from "./routing.js";
import { computeTaskState, leavesVideo } from "./tasks.js";

export { type ByteRange, parseRange } from "./ranges.js";

const CACHE_LIMIT = 8;
const videoCache = new Map<string, Buffer>();

/** Bytes are a pure function of the id, so the cache is only about speed and may be shared by all sandboxes. */
export function loadVideo(id: string): Buffer {
  const cached = videoCache.get(id);
  if (cached) {
    videoCache.delete(id);
    videoCache.set(id, cached);
    return cached;
  }
  const bytes = generateTaskVideo(id);
  videoCache.set(id, bytes);
  for (const key of videoCache.keys()) {
    if (videoCache.size <= CACHE_LIMIT) break;
    videoCache.delete(key);
  }
  return bytes;
}

export function sendVideo(ctx: RequestContext, id: string, extraHeaders: OutgoingHttpHeaders = {}): void {
  const bytes = loadVideo(id);
  const base: OutgoingHttpHeaders = {
    ...extraHeaders,
    "Content-Type": "video/mp4",
    "Accept-Ranges": "bytes",
    ETag: `"${id}"`,
  };
  if (ctx.videoBytes !== undefined) {
    sendPaddedVideo(ctx, padVideo(id, bytes, ctx.videoBytes), base);
    return;
  }
  const range = parseRange(ctx.req.headers.range, bytes.length);
  if (ctx.fault === "oversized-range" && range !== "unsatisfiable") {
    sendOversized(ctx, bytes, range, base);
    return;
  }
  if (range === "unsatisfiable") {
    sendBytes(ctx, 416, { ...base, "Content-Range": `bytes */${bytes.length}`, "Content-Length": 0 });
    return;
  }
  if (range) {
    const slice = bytes.subarray(range.start, range.end + 1);
    sendBytes(
      ctx,
      206,
      {
        ...base,
        "Content-Range": `bytes ${range.start}-${range.end}/${bytes.length}`,
        "Content-Length": slice.length,
      },
      slice,
    );
    return;
  }
  sendBytes(ctx, 200, { ...base, "Content-Length": bytes.length }, bytes);
}

/**
 * A broken cache: a 206 whose body runs on past the end its Content-Range names (the asked range
 * plus the file's first kilobyte again; the first half with the whole file when no range was asked).
 * Content-Length matches the body, so only a client that checks the range against it notices.
 */
function sendOversized(
  ctx: RequestContext,
  bytes: Buffer,
  range: { start: number; end: number } | undefined,
  base: OutgoingHttpHeaders,
): void {
  const { start, end } = range ?? { start: 0, end: Math.floor(bytes.length / 2) - 1 };
  const body = range ? Buffer.concat([bytes.subarray(start, end + 1), bytes.subarray(0, 1024)]) : bytes;
  const headers = {
    ...base,
    "Content-Range": `bytes ${start}-${end}/${bytes.length}`,
    "Content-Length": body.length,
  };
  sendBytes(ctx, 206, headers, body);
}

/** The CDN's own plain error body, the same one its 404 and 405 use. */
const renderFilesError: ErrorRenderer = (kind, message) => ({ error: { message, type: kind } });

/** GET /files/{id}.mp4: the public "CDN" URL, no auth, like the gateways' result URLs. */
export async function handleFiles(ctx: RequestContext): Promise<void> {
  const [root, file, ...rest] = ctx.segments;
  const match = /^(.+)\.mp4$/.exec(file ?? "");
  if (root !== "files" || !match || rest.length > 0) {
    sendJson(ctx, 404, { error: { message: "not found", type: "not_found" } });
    return;
  }
  if (ctx.method !== "GET" && ctx.method !== "HEAD") {
    sendJson(
      ctx,
      405,
      { error: { message: "method not allowed", type: "method_not_allowed" } },
      { Allow: "GET, HEAD" },
    );
    return;
  }
  if (await applyFault(ctx, "download", renderFilesError)) return;
  const id = match[1] ?? "";
  const info = decodeTaskId(id);
  if (
    !info ||
    !leavesVideo(info.outcome) ||
    computeTaskState(info, ctx.nowMs, ctx.timeline).phase !== "completed"
  ) {
    // Unknown, unfinished, failed, moderated and expired tasks look alike on a CDN: there is no object.
    sendJson(ctx, 404, { error: { message: "video not found", type: "not_found" } });
    return;
  }
  sendVideo(ctx, id, { "Cache-Control": "public, max-age=86400" });
}
