import type { OutgoingHttpHeaders } from "node:http";
import type { RequestContext } from "./context.js";
import { parseRange } from "./files.js";

const FREE_HEADER_BYTES = 8;
const MAX_BOX_BYTES = 0xffffffff;
const ZEROS = Buffer.alloc(1024 * 1024);

/**
 * A video of exactly `size` bytes for download tests and benchmarks: the real mp4 of the task,
 * then one `free` box of zeros (players skip it), streamed with backpressure so a 2 GiB file never
 * sits in the sandbox's memory. Ranges are honoured like the small files.
 */
export function paddedLayout(video: Buffer, size: number): { header: Buffer; size: number } {
  const pad = size - video.length;
  if (pad < FREE_HEADER_BYTES || pad > MAX_BOX_BYTES) throw new Error(`cannot pad a video to ${size} bytes`);
  const header = Buffer.alloc(FREE_HEADER_BYTES);
  header.writeUInt32BE(pad, 0);
  header.write("free", 4, "latin1");
  return { header, size };
}

/** Byte `offset` onwards of the padded file, in order, one piece at a time. */
function* pieces(video: Buffer, header: Buffer, start: number, end: number): Generator<Buffer> {
  const prefix = Buffer.concat([video, header]);
  let at = start;
  if (at < prefix.length) {
    const piece = prefix.subarray(at, Math.min(prefix.length, end + 1));
    at += piece.length;
    yield piece;
  }
  while (at <= end) {
    const piece = ZEROS.subarray(0, Math.min(ZEROS.length, end + 1 - at));
    at += piece.length;
    yield piece;
  }
}

export function sendPaddedVideo(
  ctx: RequestContext,
  video: Buffer,
  size: number,
  base: OutgoingHttpHeaders,
): void {
  const { header } = paddedLayout(video, size);
  const range = parseRange(ctx.req.headers.range, size);
  if (range === "unsatisfiable") {
    ctx.entry.status = 416;
    ctx.res.writeHead(416, { ...base, "Content-Range": `bytes */${size}`, "Content-Length": 0 }).end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const status = range ? 206 : 200;
  ctx.entry.status = status;
  ctx.res.writeHead(status, {
    ...base,
    "Content-Length": end - start + 1,
    ...(range ? { "Content-Range": `bytes ${start}-${end}/${size}` } : {}),
  });
  if (ctx.method === "HEAD") {
    ctx.res.end();
    return;
  }
  const source = pieces(video, header, start, end);
  const pump = () => {
    for (;;) {
      if (ctx.res.destroyed) return;
      const next = source.next();
      if (next.done) {
        ctx.res.end();
        return;
      }
      if (!ctx.res.write(next.value)) {
        ctx.res.once("drain", pump);
        return;
      }
    }
  };
  pump();
}
