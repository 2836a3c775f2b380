import { statSync } from "node:fs";
import { stat } from "node:fs/promises";
import { GrokvidError, UsageError } from "../../util/errors.js";
import { shellQuote } from "../../util/format.js";
import type { Gateway, HttpDeps } from "../../http/client.js";
import { buildUrl } from "../../http/encode.js";
import type { NormalizedTask } from "../../providers/types.js";
import { adoptFinished, type ExpectedFile } from "./adopt.js";
import { DownloadError } from "./download-error.js";
import { readVideoHeader } from "../media/mp4-header.js";
import { clearPartMeta, lockPart, type PartMetaFile, partTask } from "./part-file.js";
import { fetchToPart } from "./fetch-to-part.js";
import type { DownloadResult } from "./download-result.js";
import { alreadyExists, writeFileAtomic } from "../../files/safe-file.js";

export { DownloadError } from "./download-error.js";
export type { ExpectedFile } from "./adopt.js";
export type { DownloadResult } from "./download-result.js";

export interface DownloadOptions {
  force: boolean;
  onProgress?: (received: number, total: number | undefined) => void;
  /**
   * Runs after the file has its final name and before the part meta (which can prove the file is
   * this task's) is cleared: a caller that records the download here and dies before it is done
   * leaves a file the next download adopts instead of refusing to overwrite.
   */
  onSaved?: (saved: DownloadResult) => Promise<void>;
  /** Size and hash the caller recorded for this task's download: a matching file at dest is adopted. */
  expected?: ExpectedFile;
  /**
   * A small file to write beside the video once the download is recorded (a batch's .json
   * sidecar), or undefined for none; it replaces a file already there only with force. It is
   * written into the part meta's own file, which then takes its name (see PartMetaFile.becomeFile),
   * so the download creates no further file; beside an adopted video, as writeFileAtomic writes.
   */
  companion?: (saved: DownloadResult) => CompanionFile | undefined;
}

export interface CompanionFile {
  path: string;
  text: string;
}

export async function assertWritable(path: string, force: boolean): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`${path} is a folder; pass a file path to -o`);
  // --force replaces an old video, never a device, a pipe or a socket (-o /dev/null --force).
  if (existing && !existing.isFile())
    throw new UsageError(`${path} is not a regular file; pass a file path to -o`);
  if (existing && !force) throw alreadyExists(path);
}

/**
 * Where the video can come from, best first: the task's URL (new-api may send one relative to the
 * gateway), then the gateway's authenticated `/content` endpoint where the dialect has one, which
 * also serves when a direct URL has expired.
 */
export function listSources(gateway: Gateway, task: NormalizedTask): string[] {
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

/**
 * Streams the video to `<path>.part` (never buffered whole), continuing an earlier partial file
 * when the server allows, checks it, flushes it to disk, then gives it its final name: the final
 * name only ever holds a complete video, and an interrupted download is kept for the next attempt.
 * A file already at `dest` that is provably this task's video is adopted instead (see adopt.ts).
 */
export async function downloadVideo(
  gateway: Gateway,
  task: NormalizedTask,
  dest: string,
  opts: DownloadOptions,
  http: HttpDeps,
): Promise<DownloadResult> {
  try {
    return await downloadTo(gateway, task, dest, opts, http);
  } catch (err) {
    // The video is saved and recorded by then: the companion's own failure is not the video's.
    throw err instanceof CompanionFailure ? err.failure : asSaveError(err, task, dest);
  }
}

/** Carries a companion file's failure past asSaveError unchanged. */
class CompanionFailure extends Error {
  constructor(readonly failure: unknown) {
    super("the companion file could not be written");
  }
}

async function companionStep<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw new CompanionFailure(err);
  }
}

/** Refusals of the disk, not the network: a network error keeps its own (retried) meaning. */
const FILE_SYSTEM_CODES = new Set([
  "EACCES",
  "EBUSY",
  "EDQUOT",
  "EEXIST",
  "EFBIG",
  "EIO",
  "EISDIR",
  "ELOOP",
  "EMLINK",
  "ENAMETOOLONG",
  "ENOENT",
  "ENOSPC",
  "ENOTDIR",
  "EPERM",
  "EROFS",
  "ETXTBSY",
  "EXDEV",
]);

/**
 * The file system refusing to take a paid video (a folder where the .part goes, a folder that
 * became a file meanwhile, a full disk) is this job's failure with a way forward, never an
 * "internal error".
 */
function asSaveError(err: unknown, task: NormalizedTask, dest: string): unknown {
  const raw = err && typeof err === "object" && "code" in err ? err.code : undefined;
  // fs.rm reports a folder as ERR_FS_EISDIR, the rest of fs as plain EISDIR.
  const code = typeof raw === "string" ? raw.replace(/^ERR_FS_/, "") : undefined;
  if (err instanceof GrokvidError || code === undefined || !FILE_SYSTEM_CODES.has(code)) return err;
  return new DownloadError(`cannot save the video of task ${task.id} to ${dest} (${code})`, "final", {
    cause: err,
    hint: `the task is finished; save it elsewhere with: grokvid download ${shellQuote(task.id)} -o PATH`,
  });
}

/**
 * The last guard before a download starts its part afresh: a `.part` another task's meta names
 * holds that task's paid bytes, whoever sent us here (a resume, a batch, a job whose path was
 * free when it was paid for). Only --force replaces it.
 */
async function refuseForeignPart(part: string, taskId: string): Promise<void> {
  const owner = await partTask(part);
  if (owner === undefined || owner === taskId) return;
  throw new UsageError(`${part} holds part of the video of task ${owner}`, {
    hint: `finish that one with: grokvid download ${shellQuote(owner)}; save task ${taskId} elsewhere with: grokvid download ${shellQuote(taskId)} -o PATH, or pass --force to replace it`,
  });
}

async function downloadTo(
  gateway: Gateway,
  task: NormalizedTask,
  dest: string,
  opts: DownloadOptions,
  http: HttpDeps,
): Promise<DownloadResult> {
  // Synchronous, like the other small steps of a download (see safe-file.ts).
  const existing = statSync(dest, { throwIfNoEntry: false });
  if (existing?.isDirectory()) throw new UsageError(`${dest} is a folder; pass a file path to -o`);
  if (existing && !existing.isFile())
    throw new UsageError(`${dest} is not a regular file; pass a file path to -o`);
  const part = `${dest}.part`;
  const unlock = await lockPart(part);
  let meta: PartMetaFile | undefined;
  try {
    let saved = existing ? await adoptFinished(dest, part, task.id, opts.expected) : undefined;
    if (!saved) {
      if (existing && !opts.force) throw alreadyExists(dest);
      if (!opts.force) await refuseForeignPart(part, task.id);
      const job = { task, dest, part, sources: listSources(gateway, task), force: opts.force };
      ({ saved, meta } = await fetchToPart(
        gateway,
        opts.onProgress ? { ...job, onProgress: opts.onProgress } : job,
        http,
      ));
    }
    // Read before it is recorded, so the journal says what the file is, not only that it exists.
    const header = await readVideoHeader(saved.path);
    saved = header.ok ? { ...saved, delivered: header.header } : { ...saved, headerProblem: header.reason };
    await opts.onSaved?.(saved);
    const companion = opts.companion?.(saved);
    const file = meta;
    meta = undefined;
    const { force } = opts;
    // The meta's own file becomes the companion where it can; else the meta is cleared as before.
    const became =
      companion && file
        ? await companionStep(() => file.becomeFile(companion.path, companion.text, force))
        : false;
    if (!became) {
      file?.close();
      await clearPartMeta(part);
      if (companion) await companionStep(() => writeFileAtomic(companion.path, companion.text, { force }));
    }
    return saved;
  } finally {
    meta?.close();
    await unlock();
  }
}
