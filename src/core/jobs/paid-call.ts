import { ApiError, ConfigError, ExitCode, GrokvidError } from "../../util/errors.js";
import type { Gateway, HttpDeps } from "../../http/client.js";
import type {
  CreateParams,
  ModelSpec,
  NormalizedTask,
  ParsedTask,
  RequestSpec,
} from "../../providers/types.js";
import type { LoadedMedia } from "./load-images.js";
import type { CompanionFile, DownloadResult } from "../download/download.js";
import { fetchVideo } from "../download/fetch-video.js";
import type { JobRecorder } from "../journal/recorder.js";
import { describeDelivery } from "../media/delivered-check.js";
import type { OutputPlan } from "../journal/journal.js";
import { submitTask, type TaskDeps } from "./task-identity.js";
import { waitForTask } from "./poll.js";

export interface FinishOptions {
  poll: { intervalMs: number; timeoutMs: number; cancelOnTimeout?: boolean };
  resumeHint: string;
  /** See WaitOptions.justCreated. */
  justCreated?: boolean;
  /** Where to save the video once the task succeeds; no download when undefined. */
  dest?: (task: NormalizedTask) => Promise<string>;
  force: boolean;
  onUpdate?: (task: NormalizedTask) => void;
  onWarning?: (message: string) => void;
  onDownload?: (received: number, total: number | undefined) => void;
  /**
   * A file to write beside the saved video once it is recorded (a batch's sidecar), given the
   * task as last seen and the video with the warnings of its delivery (see DownloadOptions).
   */
  companion?: (task: NormalizedTask, saved: DownloadResult) => CompanionFile | undefined;
}

export interface FinishedJob {
  task: NormalizedTask;
  saved?: DownloadResult;
}

/** What identifies a paid request in the journal, and where its video is meant to go. */
export interface CreateIntent {
  requestHash: string;
  output?: OutputPlan | undefined;
  /** Sent instead of the provider's create request (an edit or an extension). */
  request?: RequestSpec;
  /** --cancel-on-timeout: the wait's deadline, sent where the platform takes one (Replicate). */
  deadlineMs?: number;
}

/**
 * The paid call between its two journal records, as one step Ctrl-C does not cut in half. The
 * intent is fsynced before anything is sent (a journal that cannot take it stops us with nothing
 * sent); the id is journaled the moment it is known; a certain refusal is journaled as such, and
 * anything else leaves the create "uncertain", never resent without the user's word. The create is
 * not tied to the cancel signal (bounded by the HTTP timeouts instead), because a request cut off
 * in flight may still have created a job nobody would know of.
 */
export async function createJob(
  gateway: Gateway,
  params: CreateParams,
  media: LoadedMedia,
  model: ModelSpec,
  recorder: JobRecorder,
  deps: TaskDeps,
  intent: CreateIntent,
): Promise<ParsedTask> {
  const http: HttpDeps = { ...deps.http };
  delete http.signal;
  // Waiting for the key's turn (xAI's 1 per second) sends nothing, so Ctrl-C may still end it.
  if (deps.http.signal) http.paceSignal = deps.http.signal;
  try {
    await recorder.submitting(gateway.name, intent.requestHash, model, params, intent.output);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new ConfigError(`${err.message}; nothing was sent`, { ...(err.hint ? { hint: err.hint } : {}) });
  }
  let submitted: ParsedTask;
  try {
    submitted = await submitTask(
      gateway,
      { ...params, ...media },
      model,
      { ...deps, http },
      {
        ...(intent.request ? { request: intent.request } : {}),
        ...(intent.deadlineMs === undefined ? {} : { deadlineMs: intent.deadlineMs }),
      },
    );
  } catch (err) {
    const refused = err instanceof ApiError && !err.mayExist;
    if (refused || (err instanceof GrokvidError && err.nothingSent))
      await recorder.abandoned(gateway.name, intent.requestHash);
    throw err;
  }
  const { id } = submitted.task;
  try {
    await recorder.created(gateway, submitted.task, model, params, intent.requestHash, intent.output);
  } catch (err) {
    throw new ApiError(
      `task ${id} was created on ${gateway.name} but could not be written to the journal (${err instanceof Error ? err.message : String(err)})`,
      ExitCode.provider,
      {
        hint: `keep this id; follow it with: grokvid wait ${id} --provider ${gateway.name}`,
        cause: err,
        mayExist: true,
      },
    );
  }
  return submitted;
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
      ...(opts.justCreated ? { justCreated: true } : {}),
      onUpdate: async (t) => {
        opts.onUpdate?.(t);
        await recorder.status(t);
      },
      ...(opts.onWarning ? { onWarning: opts.onWarning } : {}),
      onCancelling: (t, requested) => recorder.cancelling(t, requested),
    },
    deps,
  );
  if (task.status !== "succeeded" || !opts.dest) return { task };
  const dest = await opts.dest(task);
  const { companion } = opts;
  await recorder.downloading(task, dest);
  const fetched = await fetchVideo(
    gateway,
    task,
    dest,
    {
      force: opts.force,
      ...(opts.onDownload ? { onProgress: opts.onDownload } : {}),
      ...(opts.onWarning ? { onRetry: opts.onWarning } : {}),
      // Journaled while the part meta still proves the file is this task's: a kill right after
      // the rename leaves a file the next run adopts, not one it refuses as "already exists".
      onSaved: async (seen, saved) => {
        await recorder.status(seen);
        await recorder.downloaded(seen, saved);
      },
      ...(companion
        ? {
            companion: (seen: NormalizedTask, saved: DownloadResult) =>
              companion(seen, { ...saved, warnings: describeDelivery(id, recorder.requestOf(task), saved) }),
          }
        : {}),
    },
    deps,
  );
  const warnings = describeDelivery(id, recorder.requestOf(task), fetched.saved);
  for (const warning of warnings) opts.onWarning?.(warning);
  return { task: fetched.task, saved: { ...fetched.saved, warnings } };
}
