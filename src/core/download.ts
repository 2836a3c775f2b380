import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ApiError, ExitCode, UsageError } from "../errors.js";
import { type Gateway, type HttpDeps, openDownload } from "../http/client.js";
import { buildUrl } from "../http/encode.js";
import type { NormalizedTask } from "../providers/types.js";

export interface DownloadResult {
  path: string;
  bytes: number;
  sha256: string;
  sourceUrl: string;
}

export async function assertWritable(path: string, force: boolean): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`${path} is a folder; pass a file path to -o`);
  if (existing && !force) throw new UsageError(`${path} already exists; pass --force to overwrite it`);
}

/** A video URL, or the gateway's authenticated `/content` endpoint where the dialect has one. */
function pickSource(gateway: Gateway, task: NormalizedTask): string {
  if (task.videoUrl) return task.videoUrl;
  const content = gateway.provider.buildContent?.(task.id);
  if (content) return buildUrl(gateway.baseUrl, content);
  throw new ApiError(`task ${task.id} on ${gateway.name} has no video to download`, ExitCode.provider);
}

/** Rejects error pages and JSON that would otherwise be saved under an .mp4 name. */
function looksLikeVideo(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return !(type.startsWith("text/") || type.includes("json") || type.includes("xml"));
}

/**
 * Streams the video to `<path>.part` (never buffered whole), checks its length, flushes it to
 * disk, then renames: the final name only ever holds a complete file.
 */
export async function downloadVideo(
  gateway: Gateway,
  task: NormalizedTask,
  dest: string,
  opts: { force: boolean; onProgress?: (received: number, total: number | undefined) => void },
  http: HttpDeps,
): Promise<DownloadResult> {
  await assertWritable(dest, opts.force);
  const source = pickSource(gateway, task);
  const auth = { origin: new URL(gateway.baseUrl).origin, apiKey: gateway.apiKey };
  const res = await openDownload(source, http, auth);
  const where = `${gateway.name} (${new URL(res.url).origin})`;
  if (res.status !== 200) {
    res.body.resume();
    throw new ApiError(
      `downloading the video of task ${task.id} failed: HTTP ${res.status} from ${where}`,
      ExitCode.provider,
      {
        status: res.status,
      },
    );
  }
  if (!looksLikeVideo(res.headers["content-type"])) {
    res.body.resume();
    throw new ApiError(
      `the video URL of task ${task.id} answered ${res.headers["content-type"]} instead of a video; nothing was saved`,
      ExitCode.provider,
    );
  }
  const lengthHeader = Number(res.headers["content-length"]);
  const total = Number.isFinite(lengthHeader) ? lengthHeader : undefined;
  await mkdir(dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  const hash = createHash("sha256");
  let received = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      hash.update(chunk);
      opts.onProgress?.(received, total);
      done(null, chunk);
    },
  });
  // `flush` fsyncs before close, so a crash right after the rename cannot leave a hollow file.
  const file = createWriteStream(part, { flush: true });
  try {
    await (http.signal
      ? pipeline(res.body, meter, file, { signal: http.signal })
      : pipeline(res.body, meter, file));
  } catch (err) {
    if (http.signal?.aborted) throw err;
    throw new ApiError(
      `the download of task ${task.id} broke off after ${received} bytes; the partial file is ${part}`,
      ExitCode.provider,
      { cause: err },
    );
  }
  if (total !== undefined && received !== total) {
    throw new ApiError(
      `the download of task ${task.id} stopped at ${received} of ${total} bytes; the partial file is ${part}`,
      ExitCode.provider,
    );
  }
  await rename(part, dest);
  return { path: dest, bytes: received, sha256: hash.digest("hex"), sourceUrl: source };
}
