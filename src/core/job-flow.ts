import type { Gateway } from "../http/client.js";
import type { NormalizedTask } from "../providers/types.js";
import type { DownloadResult } from "./download.js";
import { fetchVideo } from "./fetch-video.js";
import type { JobRecorder } from "./job-recorder.js";
import type { TaskDeps } from "./tasks.js";
import { waitForTask } from "./wait.js";

export interface FinishOptions {
  poll: { intervalMs: number; timeoutMs: number };
  resumeHint: string;
  /** Where to save the video once the task succeeds; no download when undefined. */
  dest?: (task: NormalizedTask) => Promise<string>;
  force: boolean;
  onUpdate?: (task: NormalizedTask) => void;
  onWarning?: (message: string) => void;
  onDownload?: (received: number, total: number | undefined) => void;
}

export interface FinishedJob {
  task: NormalizedTask;
  saved?: DownloadResult;
}

/** Waits for a journaled task and downloads its video, recording every step (used by resume and batch). */
export async function finishJob(
  gateway: Gateway,
  id: string,
  recorder: JobRecorder,
  opts: FinishOptions,
  deps: TaskDeps,
): Promise<FinishedJob> {
  const task = await waitForTask(
    gateway,
    id,
    {
      ...opts.poll,
      resumeHint: opts.resumeHint,
      onUpdate: async (t) => {
        opts.onUpdate?.(t);
        await recorder.status(t);
      },
      ...(opts.onWarning ? { onWarning: opts.onWarning } : {}),
    },
    deps,
  );
  if (task.status !== "succeeded" || !opts.dest) return { task };
  const fetched = await fetchVideo(
    gateway,
    task,
    await opts.dest(task),
    {
      force: opts.force,
      ...(opts.onDownload ? { onProgress: opts.onDownload } : {}),
      ...(opts.onWarning ? { onRetry: opts.onWarning } : {}),
    },
    deps,
  );
  await recorder.status(fetched.task);
  await recorder.downloaded(fetched.task, fetched.saved);
  return fetched;
}
