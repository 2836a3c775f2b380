import { createHash } from "node:crypto";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { discardBody, downloadAuth, openDownload } from "../../http/open-download.js";
import type { NormalizedTask } from "../../providers/types.js";
import { readByteCount } from "../../util/numbers.js";
import { DownloadError } from "./download-error.js";
import { listSources } from "./download.js";
import { type DownloadProgress, warnOfDelivery } from "../jobs/follow.js";
import type { VideoHeader } from "../media/mp4-header.js";
import { StreamHeaderReader } from "../media/stream-header.js";
import type { Session } from "../client/session.js";
import { isVideoHead, SNIFF_BYTES } from "./video-sniff.js";

export interface StreamedVideo {
  bytes: number;
  sha256: string;
  sourceUrl: string;
  /** What the video's own header says, read from the bytes as they passed. */
  delivered?: VideoHeader;
  /** Why no header could be read from them. */
  headerProblem?: string;
  /** How the video differs from its request, or that it has no readable header (already reported). */
  warnings?: string[];
}

/** Writes one chunk, waiting when the reader is slower than the network (memory stays flat). */
async function write(to: Writable, chunk: Buffer): Promise<void> {
  if (!to.write(chunk)) await once(to, "drain", {});
}

/**
 * A finished task's video into any writable stream (a pipe, an upload, a buffer): nothing is
 * written until the first bytes look like a video, and a body shorter than its Content-Length is
 * an error, so the reader never mistakes a cut transfer for a whole one. The stream is not ended:
 * it belongs to the caller. No file and no journal record is made, but the header is read from the
 * passing bytes and checked against the request, as for a saved file.
 */
export async function streamVideo(
  session: Session,
  task: NormalizedTask,
  to: Writable,
  onProgress?: DownloadProgress,
): Promise<StreamedVideo> {
  const { gateway } = session;
  const [source = ""] = listSources(gateway, task);
  const auth = downloadAuth(gateway);
  const res = await openDownload(source, session.http, auth);
  if (res.status !== 200) {
    discardBody(res.body);
    throw new DownloadError(
      `downloading the video of task ${task.id} failed: HTTP ${res.status} from ${gateway.name}`,
      "final",
      { status: res.status },
    );
  }
  const declared = readByteCount(res.headers["content-length"]);
  const hash = createHash("sha256");
  const header = new StreamHeaderReader(declared);
  let head: Buffer | undefined = Buffer.alloc(0);
  let bytes = 0;
  for await (const raw of res.body) {
    let chunk = raw as Buffer;
    if (head) {
      head = Buffer.concat([head, chunk]);
      if (head.length < SNIFF_BYTES) continue;
      if (!isVideoHead(head)) {
        res.body.destroy();
        throw new DownloadError(
          `task ${task.id}: ${gateway.name} sent something that is not a video`,
          "final",
        );
      }
      chunk = head;
      head = undefined;
    }
    hash.update(chunk);
    header.push(chunk);
    bytes += chunk.length;
    await write(to, chunk);
    onProgress?.(bytes, declared);
  }
  if (head || (declared !== undefined && bytes !== declared)) {
    throw new DownloadError(
      `the video of task ${task.id} ended after ${bytes} of ${declared ?? "?"} bytes; what was written is incomplete`,
      "final",
    );
  }
  const read = header.finish();
  const seen = read.ok ? { delivered: read.header } : { headerProblem: read.reason };
  const warnings = warnOfDelivery(session, task, { path: "the streamed video", ...seen });
  return { bytes, sha256: hash.digest("hex"), sourceUrl: source.split("?")[0] ?? source, ...seen, warnings };
}
