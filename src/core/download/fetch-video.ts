import { ApiError } from "../../util/errors.js";
import type { Gateway } from "../../http/client.js";
import { retryDelay } from "../../http/retry-policy.js";
import type { NormalizedTask } from "../../providers/types.js";
import {
  type CompanionFile,
  type DownloadOptions,
  type DownloadResult,
  DownloadError,
  downloadVideo,
} from "./download.js";
import { fetchTask, type TaskDeps } from "../jobs/task-identity.js";

/** Broken transfers are continued from the .part file this many times before giving up. */
export const MAX_DOWNLOAD_RETRIES = 4;
/** Signed URLs expire; a fresh status query usually hands out a new one. */
const MAX_URL_REFRESHES = 2;

/**
 * Only what may pass is tried again: a cut or refused connection, a 5xx, a short body. Anything
 * else (a redirect to file:, a folder where the .part goes) would fail the same way every time.
 */
function reasonOf(err: unknown): DownloadError["reason"] | undefined {
  if (err instanceof DownloadError) return err.reason;
  return err instanceof ApiError && err.networkFailure ? "transient" : undefined;
}

export interface FetchedVideo {
  /** The task as last seen: a refreshed URL replaces an expired one. */
  task: NormalizedTask;
  saved: DownloadResult;
}

/**
 * Downloads a finished task's video through everything a CDN does to a client: broken or short
 * transfers are continued with Range after a backoff, and a refused URL (expired signature) is
 * replaced by a fresh status query before trying again.
 */
export async function fetchVideo(
  gateway: Gateway,
  task: NormalizedTask,
  dest: string,
  opts: Omit<DownloadOptions, "onSaved" | "companion"> & {
    onRetry?: (message: string) => void;
    /** As DownloadOptions.onSaved, with the task as last seen (its URL may have been refreshed). */
    onSaved?: (task: NormalizedTask, saved: DownloadResult) => Promise<void>;
    /** As DownloadOptions.companion, with the task as last seen. */
    companion?: (task: NormalizedTask, saved: DownloadResult) => CompanionFile | undefined;
  },
  deps: TaskDeps,
): Promise<FetchedVideo> {
  const { http } = deps;
  let current = task;
  let refreshes = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      const seen = current;
      const { force, onProgress, expected, onSaved, companion } = opts;
      const saved = await downloadVideo(
        gateway,
        current,
        dest,
        {
          force,
          ...(onProgress ? { onProgress } : {}),
          ...(expected ? { expected } : {}),
          ...(onSaved ? { onSaved: (result: DownloadResult) => onSaved(seen, result) } : {}),
          ...(companion ? { companion: (result: DownloadResult) => companion(seen, result) } : {}),
        },
        http,
      );
      return { task: current, saved };
    } catch (err) {
      if (http.signal?.aborted) throw err;
      const reason = reasonOf(err);
      if (reason === "refused" && refreshes < MAX_URL_REFRESHES) {
        refreshes++;
        const fresh = (await fetchTask(gateway, current.id, deps)).task;
        if (fresh.status !== "succeeded") throw err;
        opts.onRetry?.(`the video URL was refused; asked ${gateway.name} for a fresh one`);
        current = fresh;
        continue;
      }
      if (reason === "transient" && attempt < MAX_DOWNLOAD_RETRIES) {
        const delayMs = retryDelay(attempt, undefined, http.random);
        opts.onRetry?.(`${err instanceof Error ? err.message : "download failed"}; retrying in ${delayMs}ms`);
        await http.sleep(delayMs, http.signal);
        continue;
      }
      throw err;
    }
  }
}
