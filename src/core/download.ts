import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, rename, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { UsageError } from "../errors.js";
import { DownloadError } from "./download-error.js";
import { clearPartMeta, lockPart, readPart, writePartMeta } from "./part-file.js";

export { DownloadError } from "./download-error.js";
import { type Gateway, type HttpDeps, openDownload, type StreamResponse } from "../http/client.js";
import { buildUrl } from "../http/encode.js";
import type { NormalizedTask } from "../providers/types.js";

export interface DownloadResult {
  path: string;
  bytes: number;
  sha256: string;
  sourceUrl: string;
  /** Bytes taken over from an earlier, interrupted attempt. */
  resumedFrom: number;
}

function classify(status: number): DownloadError["reason"] {
  if (status === 401 || status === 403 || status === 404 || status === 410) return "refused";
  return status === 408 || status === 425 || status === 429 || status >= 500 ? "transient" : "final";
}

export async function assertWritable(path: string, force: boolean): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`${path} is a folder; pass a file path to -o`);
  if (existing && !force) throw new UsageError(`${path} already exists; pass --force to overwrite it`);
}

/**
 * Where the video can come from, best first: the task's URL (new-api may send one relative to the
 * gateway), then the gateway's authenticated `/content` endpoint where the dialect has one, which
 * also serves when a direct URL has expired.
 */
function listSources(gateway: Gateway, task: NormalizedTask): string[] {
  const sources: string[] = [];
  if (task.videoUrl) {
    const base = gateway.baseUrl.endsWith("/") ? gateway.baseUrl : `${gateway.baseUrl}/`;
    if (!URL.canParse(task.videoUrl, base)) {
      throw new DownloadError(`task ${task.id} has an unusable video URL`, "final");
    }
    sources.push(new URL(task.videoUrl, base).toString());
  }
  const content = gateway.provider.buildContent?.(task.id);
  if (content) sources.push(buildUrl(gateway.baseUrl, content));
  if (sources.length === 0) {
    throw new DownloadError(`task ${task.id} on ${gateway.name} has no video to download`, "final");
  }
  return [...new Set(sources)];
}

/** Rejects error pages and JSON that would otherwise be saved under an .mp4 name. */
function looksLikeVideo(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return !(type.startsWith("text/") || type.includes("json") || type.includes("xml"));
}

/** `bytes START-END/TOTAL` of a 206; only an answer that starts where our file ends can be appended. */
function parseContentRange(
  header: string | undefined,
): { start: number; total: number | undefined } | undefined {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header?.trim() ?? "");
  if (!m?.[1] || !m[3]) return undefined;
  return { start: Number(m[1]), total: m[3] === "*" ? undefined : Number(m[3]) };
}

interface Opened {
  res: StreamResponse;
  offset: number;
  total: number | undefined;
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
  const auth = { origin: new URL(gateway.baseUrl).origin, apiKey: gateway.apiKey };
  const headers: Record<string, string> = have > 0 ? { range: `bytes=${have}-` } : {};
  // If the file changed since the part was written, If-Range makes the server send it whole.
  if (have > 0 && etag) headers["if-range"] = etag;
  const res = await openDownload(source, http, auth, headers);
  const length = Number(res.headers["content-length"]);
  const size = Number.isFinite(length) && res.headers["content-length"] !== undefined ? length : undefined;
  if (res.status === 206 && have > 0) {
    const range = parseContentRange(res.headers["content-range"]);
    if (range?.start === have)
      return { res, offset: have, total: range.total ?? (size === undefined ? undefined : have + size) };
  }
  if (res.status === 200) return { res, offset: 0, total: size };
  res.body.resume();
  if (have > 0 && (res.status === 206 || res.status === 416))
    return openFrom(source, 0, undefined, gateway, http);
  return { failed: res };
}

async function hashExisting(path: string, bytes: number, hash: Hash): Promise<void> {
  if (bytes === 0) return;
  for await (const chunk of createReadStream(path, { start: 0, end: bytes - 1 })) hash.update(chunk);
}

/**
 * Writes each chunk before reading the next (the stream's own back-pressure, no buffering), and on
 * any error closes the file with everything received so far in it: that is what a resume continues.
 * The data is fsynced before close, so a crash right after the rename cannot leave a hollow file.
 */
async function appendStream(
  body: AsyncIterable<unknown>,
  path: string,
  append: boolean,
  onWritten: (chunk: Buffer) => void,
): Promise<void> {
  const file = await open(path, append ? "a" : "w");
  let ok = false;
  try {
    for await (const piece of body) {
      const chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(String(piece));
      for (let done = 0; done < chunk.length;) done += (await file.write(chunk, done)).bytesWritten;
      onWritten(chunk);
    }
    ok = true;
  } finally {
    if (ok) await file.sync();
    await file.close();
  }
}

/**
 * Streams the video to `<path>.part` (never buffered whole), continuing an earlier partial file
 * when the server allows, checks the length, flushes to disk, then renames: the final name only
 * ever holds a complete file, and an interrupted download is kept for the next attempt.
 */
export async function downloadVideo(
  gateway: Gateway,
  task: NormalizedTask,
  dest: string,
  opts: { force: boolean; onProgress?: (received: number, total: number | undefined) => void },
  http: HttpDeps,
): Promise<DownloadResult> {
  await assertWritable(dest, opts.force);
  await mkdir(dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  const unlock = await lockPart(part);
  try {
    return await downloadLocked(gateway, task, dest, part, opts, http);
  } finally {
    await unlock();
  }
}

async function downloadLocked(
  gateway: Gateway,
  task: NormalizedTask,
  dest: string,
  part: string,
  opts: { onProgress?: (received: number, total: number | undefined) => void },
  http: HttpDeps,
): Promise<DownloadResult> {
  const size = (await stat(part).catch(() => undefined))?.size ?? 0;
  const { have, etag } = await readPart(part, task.id, size);
  let opened: Opened | undefined;
  let source = "";
  let refusal = "";
  let refusedStatus = 0;
  for (const candidate of listSources(gateway, task)) {
    const attempt = await openFrom(candidate, have, etag, gateway, http);
    if ("failed" in attempt) {
      refusedStatus = attempt.failed.status;
      refusal = `HTTP ${refusedStatus} from ${gateway.name} (${new URL(attempt.failed.url).origin})`;
      continue;
    }
    opened = attempt;
    source = candidate;
    break;
  }
  if (!opened) {
    throw new DownloadError(
      `downloading the video of task ${task.id} failed: ${refusal}`,
      classify(refusedStatus),
      {
        status: refusedStatus,
      },
    );
  }
  const { res, offset, total } = opened;
  if (!looksLikeVideo(res.headers["content-type"])) {
    res.body.resume();
    throw new DownloadError(
      `the video URL of task ${task.id} answered ${res.headers["content-type"]} instead of a video; nothing was saved`,
      "final",
    );
  }
  await writePartMeta(part, task.id, res.headers.etag);
  const hash = createHash("sha256");
  await hashExisting(part, offset, hash);
  const received = { bytes: offset };
  try {
    await appendStream(res.body, part, offset > 0, (chunk) => {
      // Counted once the bytes are on disk, so the .part file always matches the count and hash.
      received.bytes += chunk.length;
      hash.update(chunk);
      opts.onProgress?.(received.bytes, total);
    });
  } catch (err) {
    if (http.signal?.aborted) throw err;
    throw new DownloadError(
      `the download of task ${task.id} broke off after ${received.bytes} bytes; the partial file ${part} is kept and the next download continues it`,
      "transient",
      { cause: err },
    );
  }
  if (total !== undefined && received.bytes !== total) {
    throw new DownloadError(
      `the download of task ${task.id} stopped at ${received.bytes} of ${total} bytes; the partial file ${part} is kept and the next download continues it`,
      "transient",
    );
  }
  await rename(part, dest);
  await clearPartMeta(part);
  return {
    path: dest,
    bytes: received.bytes,
    sha256: hash.digest("hex"),
    sourceUrl: source,
    resumedFrom: offset,
  };
}
