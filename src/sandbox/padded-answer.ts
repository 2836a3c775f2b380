import type { OutgoingHttpHeaders } from "node:http";
import type { Writable } from "node:stream";
import type { PaddedVideo } from "./big-video.js";
import { type RequestContext, sendBytes } from "./context.js";
import { parseRange } from "./ranges.js";

type Span = readonly [start: number, end: number];

/**
 * Serves a padded video like files.ts serves a small one, faults included, so a test may combine
 * `videoBytes` with any download fault and see the same file through every request (a resumed
 * download must find the bytes its first attempt was cut from).
 */
export function sendPaddedVideo(ctx: RequestContext, video: PaddedVideo, base: OutgoingHttpHeaders): void {
  const { size } = video;
  const range = parseRange(ctx.req.headers.range, size);
  if (range === "unsatisfiable") {
    sendBytes(ctx, 416, { ...base, "Content-Range": `bytes */${size}`, "Content-Length": 0 });
    return;
  }
  let spans: Span[];
  let status = 200;
  const headers: OutgoingHttpHeaders = { ...base };
  if (ctx.fault === "oversized-range") {
    // As files.ts: the asked range plus the first kilobyte again, or the whole file labelled as its first half.
    const { start, end } = range ?? { start: 0, end: Math.floor(size / 2) - 1 };
    spans = range
      ? [
          [start, end + 1],
          [0, 1024],
        ]
      : [[0, size]];
    status = 206;
    headers["Content-Range"] = `bytes ${start}-${end}/${size}`;
  } else if (range) {
    spans = [[range.start, range.end + 1]];
    status = 206;
    headers["Content-Range"] = `bytes ${range.start}-${range.end}/${size}`;
  } else {
    spans = [[0, size]];
  }
  const length = spans.reduce((sum, [start, end]) => sum + end - start, 0);
  headers["Content-Length"] = length;
  ctx.entry.status = status;
  ctx.res.writeHead(status, headers);
  if (ctx.method === "HEAD") {
    ctx.res.end();
    return;
  }
  void streamBody(ctx, video, spans, length).catch(() => ctx.res.destroy());
}

function* spanPieces(video: PaddedVideo, spans: readonly Span[]): Generator<Buffer> {
  for (const [start, end] of spans) yield* video.pieces(start, end);
}

function* firstBytes(pieces: Iterable<Buffer>, count: number): Generator<Buffer> {
  let left = count;
  for (const piece of pieces) {
    if (left <= 0) return;
    const part = piece.subarray(0, left);
    left -= part.length;
    yield part;
  }
}

function* slices(pieces: Iterable<Buffer>, length: number): Generator<Buffer> {
  for (const piece of pieces) {
    for (let at = 0; at < piece.length; at += length) yield piece.subarray(at, at + length);
  }
}

async function streamBody(
  ctx: RequestContext,
  video: PaddedVideo,
  spans: readonly Span[],
  length: number,
): Promise<void> {
  const pieces = spanPieces(video, spans);
  if (ctx.fault === "truncate" || ctx.fault === "reset") {
    // Like context.ts cutShort: half the body straight to the socket (so the response never counts
    // as finished and the connection is not reused), each piece with the kernel before the cut.
    const socket = ctx.req.socket;
    ctx.res.flushHeaders();
    for (const piece of firstBytes(pieces, Math.floor(length / 2))) {
      if (!(await writeFlushed(socket, piece))) return;
    }
    if (socket.destroyed) return;
    if (ctx.fault === "reset") socket.resetAndDestroy();
    else socket.end();
    return;
  }
  const trickle = ctx.fault === "trickle";
  for (const piece of trickle ? slices(pieces, 16) : pieces) {
    if (ctx.res.destroyed) return;
    if (!ctx.res.write(piece) && !(await settle(ctx.res, "drain"))) return;
    if (trickle && !(await pause(ctx.res, ctx.faultMs ?? 25))) return;
  }
  ctx.res.end();
}

/** True once `event` fires, false if the stream closes first (the client went away). */
function settle(stream: Writable, event: "drain"): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (ok: boolean) => {
      stream.off(event, onEvent);
      stream.off("close", onClose);
      resolve(ok);
    };
    const onEvent = () => finish(true);
    const onClose = () => finish(false);
    stream.once(event, onEvent);
    stream.once("close", onClose);
  });
}

function writeFlushed(stream: Writable, piece: Buffer): Promise<boolean> {
  if (stream.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => stream.write(piece, (err) => resolve(!err && !stream.destroyed)));
}

function pause(stream: Writable, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stream.off("close", onClose);
      resolve(true);
    }, ms);
    function onClose() {
      clearTimeout(timer);
      resolve(false);
    }
    stream.once("close", onClose);
  });
}
