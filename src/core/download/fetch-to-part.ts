import { rm } from "node:fs/promises";
import { DEFAULT_LOW_SPEED, type Gateway, type LowSpeedLimit, type HttpDeps } from "../../http/client.js";
import { discardBody, downloadAuth, openDownload, type StreamResponse } from "../../http/open-download.js";
import type { NormalizedTask } from "../../providers/types.js";
import { readByteCount } from "../../util/numbers.js";
import { DiskWriteError } from "./batched-writer.js";
import { type BodyOutcome, writeBody } from "./body-writer.js";
import { type ChunkHasher, createChunkHasher, hashFilePrefix } from "./chunk-hasher.js";
import type { DownloadResult } from "./download-result.js";
import { DownloadError } from "./download-error.js";
import { clearPartMeta, PartMetaFile, readPartMeta } from "./part-file.js";
import { commitFile } from "../../files/safe-file.js";
import { PartHandle } from "./part-handle.js";
import { isVideoHead, SNIFF_BYTES } from "./video-sniff.js";

export interface PartJob {
  task: NormalizedTask;
  dest: string;
  part: string;
  sources: string[];
  force: boolean;
  onProgress?: (received: number, total: number | undefined) => void;
}

function classify(status: number): DownloadError["reason"] {
  if (status === 401 || status === 403 || status === 404 || status === 410) return "refused";
  return status === 408 || status === 425 || status === 429 || status >= 500 ? "transient" : "final";
}

/** Rejects error pages and JSON by their declared type; the body's first bytes are checked too. */
function declaredNotVideo(contentType: string | undefined): boolean {
  const type = contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
  return type.startsWith("text/") || type.includes("json") || type.includes("xml");
}

/** `bytes START-END/TOTAL` of a 206; a bound too large to count exactly makes it unusable (a restart). */
function parseContentRange(header: string | undefined) {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header?.trim() ?? "");
  if (!m?.[1] || !m[2] || !m[3]) return undefined;
  const start = readByteCount(m[1]);
  const last = readByteCount(m[2]);
  const total = m[3] === "*" ? undefined : readByteCount(m[3]);
  if (start === undefined || last === undefined || (m[3] !== "*" && total === undefined)) return undefined;
  const range = { start, end: last + 1, total };
  return range.end <= range.start || (range.total !== undefined && range.end > range.total)
    ? undefined
    : range;
}

interface Opened {
  res: StreamResponse;
  offset: number;
  total: number | undefined;
  /** Where this answer's bytes must stop: the Content-Range end, else the Content-Length. */
  end: number | undefined;
}

/**
 * Asks for the rest of a partial file with Range. A server that ignores Range (200), answers a
 * different range, or finds the range unsatisfiable (416, e.g. a stale part) gets a clean restart.
 */
async function openFrom(
  source: string,
  have: number,
  etag: string | undefined,
  gateway: Gateway,
  http: HttpDeps,
): Promise<Opened | { failed: StreamResponse }> {
  const auth = downloadAuth(gateway);
  const headers: Record<string, string> = have > 0 ? { range: `bytes=${have}-` } : {};
  // If the file changed since the part was written, If-Range makes the server send it whole.
  if (have > 0 && etag) headers["if-range"] = etag;
  const res = await openDownload(source, http, auth, headers);
  const size = readByteCount(res.headers["content-length"]);
  if (res.status === 206) {
    const range = parseContentRange(res.headers["content-range"]);
    // Only an answer that starts where our file ends can be appended (a 206 from 0 is a whole start).
    if (range?.start === have) return { res, offset: have, total: range.total, end: range.end };
  }
  if (res.status === 200) return { res, offset: 0, total: size, end: size };
  // Not read: draining a hostile error page could take for ever, and an unread one holds the socket.
  discardBody(res.body);
  if (have > 0 && (res.status === 206 || res.status === 416))
    return openFrom(source, 0, undefined, gateway, http);
  return { failed: res };
}

/** This task's earlier bytes to continue: a plain file, named in the meta, starting like a video. */
async function openPart(part: string, taskId: string) {
  const meta = await readPartMeta(part);
  if (meta?.taskId !== taskId) return undefined;
  const file = PartHandle.openToAppend(part);
  if (!file) return undefined;
  const head = Buffer.alloc(SNIFF_BYTES);
  const { bytesRead } = await file.read(head, 0, SNIFF_BYTES, 0).catch((err: unknown) => {
    file.close();
    throw err;
  });
  if (!isVideoHead(head.subarray(0, bytesRead))) {
    file.close();
    return undefined;
  }
  return { file, have: file.size(), etag: meta.etag ?? undefined };
}

async function openSource(
  job: PartJob,
  have: number,
  etag: string | undefined,
  gateway: Gateway,
  http: HttpDeps,
) {
  let refused: StreamResponse | undefined;
  for (const source of job.sources) {
    const attempt = await openFrom(source, have, etag, gateway, http);
    if (!("failed" in attempt)) return { ...attempt, source };
    refused = attempt.failed;
  }
  const status = refused?.status ?? 0;
  const from = refused ? ` (${new URL(refused.url).origin})` : "";
  throw new DownloadError(
    `downloading the video of task ${job.task.id} failed: HTTP ${status} from ${gateway.name}${from}`,
    classify(status),
    { status },
  );
}

/** Why an attempt ended without a complete file; the .part is kept only where its bytes are good. */
function failure(
  job: PartJob,
  outcome: Exclude<BodyOutcome, { kind: "done" }>,
  contentType: string | undefined,
  limit: LowSpeedLimit,
) {
  const { task, part } = job;
  switch (outcome.kind) {
    case "not-video":
      return new DownloadError(
        `the download of task ${task.id} is not a video (${contentType ?? "no content type"}, and it does not start like an MP4 or WebM file); nothing was saved`,
        "final",
      );
    case "overflow":
      return new DownloadError(
        `the server sent more of task ${task.id}'s video than it announced; the partial file was discarded and the download starts again`,
        "transient",
      );
    case "too-slow":
      return new DownloadError(
        `the download of task ${task.id} was slower than ${limit.bytesPerSecond} bytes/s (${outcome.bytesPerSecond} bytes/s) after ${outcome.received} bytes; the partial file ${part} is kept and the next download continues it`,
        "transient",
      );
  }
}

/** A video saved by fetchToPart, and its part meta, still open: the caller clears it once it has recorded the download. */
export interface FetchedPart {
  saved: DownloadResult;
  meta: PartMetaFile;
}

/**
 * One attempt: continue or start `<dest>.part`, stream the body into it (checked to be a video,
 * never past the announced end, not slower than the limit), flush it, record its size and hash in
 * the part meta, then give it its final name. Bytes that cannot be trusted are deleted; bytes that
 * can are kept for the next attempt, which continues them with Range.
 */
export async function fetchToPart(gateway: Gateway, job: PartJob, http: HttpDeps): Promise<FetchedPart> {
  const { task, part } = job;
  const kept = await openPart(part, task.id);
  let file: PartHandle | undefined = kept?.file;
  let hasher: ChunkHasher | undefined;
  let meta: PartMetaFile | undefined;
  let body: StreamResponse["body"] | undefined;
  try {
    const opened = await openSource(job, kept?.have ?? 0, kept?.etag, gateway, http);
    const { res, offset, total } = opened;
    body = res.body;
    const contentType = res.headers["content-type"];
    if (declaredNotVideo(contentType)) {
      throw new DownloadError(
        `the video URL of task ${task.id} answered ${contentType} instead of a video; nothing was saved`,
        "final",
      );
    }
    if (offset === 0) {
      file?.close();
      file = undefined;
      // Whatever has the name (an old part, a planted link) goes; unlinking a link spares its target.
      file = await PartHandle.create(part);
    }
    if (!file) throw new Error("no part file to continue");
    meta = await PartMetaFile.create(part, { taskId: task.id, etag: res.headers.etag ?? null });
    hasher = createChunkHasher(opened.end);
    await hashFilePrefix(file, offset, hasher);
    const lowSpeed = http.lowSpeed ?? DEFAULT_LOW_SPEED;
    let outcome: BodyOutcome;
    let got = offset;
    try {
      outcome = await writeBody(res.body, {
        file,
        offset,
        end: opened.end,
        sniff: offset === 0,
        lowSpeed,
        now: http.now,
        hasher,
        collectGarbage: http.collectGarbage,
        onReceived: (received) => {
          got = received;
          job.onProgress?.(received, total);
        },
      });
    } catch (err) {
      // A refusing disk is not a network cut: retrying would only refuse again (see download.ts).
      if (http.signal?.aborted || err instanceof DiskWriteError) throw err;
      throw new DownloadError(
        `the download of task ${task.id} broke off after ${got} bytes; the partial file ${part} is kept and the next download continues it`,
        "transient",
        { cause: err },
      );
    }
    if (outcome.kind === "not-video" || outcome.kind === "overflow") {
      file.close();
      file = undefined;
      meta.close();
      meta = undefined;
      await rm(part, { force: true });
      await clearPartMeta(part);
      throw failure(job, outcome, contentType, lowSpeed);
    }
    // The data is fsynced before the rename, so a crash right after it cannot leave a hollow file.
    await file.sync();
    if (outcome.kind === "too-slow") throw failure(job, outcome, contentType, lowSpeed);
    const received = outcome.received;
    if (total !== undefined && received !== total) {
      throw new DownloadError(
        `the download of task ${task.id} stopped at ${received} of ${total} bytes; the partial file ${part} is kept and the next download continues it`,
        "transient",
      );
    }
    file.close();
    file = undefined;
    const sha256 = await hasher.digest();
    const etag = res.headers.etag ?? null;
    await meta.seal({ taskId: task.id, etag, final: { bytes: received, sha256, sourceUrl: opened.source } });
    await commitFile(part, job.dest, job.force);
    const saved = { path: job.dest, bytes: received, sha256, sourceUrl: opened.source, resumedFrom: offset };
    const fetched = { saved, meta };
    meta = undefined;
    return fetched;
  } finally {
    // A body this attempt stopped reading (the disk refused the .part, an error page) is let go
    // now: left open, it holds its connection, and every dispatcher.close(), until the server quits.
    if (body && !body.readableEnded) discardBody(body);
    file?.close();
    await hasher?.close();
    meta?.close();
  }
}
