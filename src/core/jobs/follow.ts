import { ApiError, GrokvidError, InterruptedError, WaitTimeoutError } from "../../util/errors.js";
import type { NormalizedTask } from "../../providers/types.js";
import { shellQuote } from "../../util/format.js";
import { type ExpectedFile, findAdoptable } from "../download/adopt.js";
import { resolveDestination } from "../download/destination.js";
import { assertWritable, type DownloadResult } from "../download/download.js";
import { fetchVideo } from "../download/fetch-video.js";
import type { JobRecord } from "../journal/journal.js";
import { describeDelivery } from "../media/delivered-check.js";
import { renderPlan } from "../download/output-plan.js";
import { assertPathFree, lookupInJournal } from "./path-owner.js";
import type { Session } from "../client/session.js";
import { waitForTask } from "./poll.js";

export type TaskUpdate = (task: NormalizedTask, elapsedMs: number) => void;
export type DownloadProgress = (received: number, total: number | undefined) => void;

/**
 * Ctrl-C aborts the signal; whatever was under way then surfaces as an abort error. It becomes exit
 * 130 with the command that picks the job up again, because the provider keeps running (and billing) it.
 */
export async function guardInterrupt<T>(
  session: Session,
  what: string,
  resume: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (session.http.signal?.aborted) throw new InterruptedError(`interrupted ${what}`, { hint: resume });
    throw err;
  }
}

/** Polls until the task ends, journaling every status; any failure says how to pick the job up. */
export async function followTask(
  session: Session,
  id: string,
  poll: { intervalMs: number; timeoutMs: number; cancelOnTimeout?: boolean },
  onUpdate?: TaskUpdate,
  then: "wait" | "download" = "wait",
): Promise<NormalizedTask> {
  // A job that was to be saved is picked up by `download` (it remembers where); `wait` saves nothing.
  const resume = `grokvid ${then} ${shellQuote(id)}${session.resumeFlags}`;
  try {
    return await guardInterrupt(
      session,
      `while waiting; task ${id} is still running on ${session.gateway.name}`,
      `resume with: ${resume}`,
      () =>
        waitForTask(
          session.gateway,
          id,
          {
            ...poll,
            resumeHint: resume,
            onUpdate: async (task, elapsed) => {
              onUpdate?.(task, elapsed);
              await session.recorder.status(task);
            },
            onWarning: (w) => session.report.warn(w),
            onCancelling: (task, requested) => session.recorder.cancelling(task, requested),
          },
          session.deps,
        ),
    );
  } catch (err) {
    // Whatever stopped the wait, the job may still be running and billed: say how to pick it up.
    // Unless the gateway says there is no such task: then nothing runs, and resuming cannot help.
    const gone = (err instanceof ApiError && err.notFound) || cancelledAtDeadline(err);
    if (
      err instanceof GrokvidError &&
      !(err instanceof InterruptedError) &&
      !gone &&
      !err.hint?.includes(resume)
    ) {
      throw new GrokvidError(err.message, err.exitCode, {
        hint: `${err.hint ? `${err.hint}\n` : ""}task ${id} may still be running; resume with: ${resume}`,
        task: err.task,
        cause: err,
      });
    }
    throw err;
  }
}

/** --cancel-on-timeout cancelled the job: there is nothing left running to pick up. */
function cancelledAtDeadline(err: unknown): boolean {
  const task = err instanceof WaitTimeoutError ? err.task : undefined;
  return typeof task === "object" && task !== null && "status" in task && task.status === "cancelled";
}

/** Streams a finished task's video to `dest`, journaling the attempt and the saved file. */
export async function saveVideo(
  session: Session,
  task: NormalizedTask,
  dest: string,
  opts: { force: boolean; expected?: ExpectedFile | undefined; onProgress?: DownloadProgress },
): Promise<{ task: NormalizedTask; saved: DownloadResult }> {
  await session.recorder.downloading(task, dest);
  const fetched = await guardInterrupt(
    session,
    `while downloading task ${task.id}; the partial file is kept`,
    `the task is finished; download it with: grokvid download ${shellQuote(task.id)}${session.resumeFlags}`,
    () =>
      fetchVideo(
        session.gateway,
        task,
        dest,
        {
          force: opts.force,
          ...(opts.expected ? { expected: opts.expected } : {}),
          ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
          onRetry: (m) => session.report.warn(m),
          // Recorded before the download's own proof of the file is cleared: a kill in between
          // leaves a file the next `grokvid download` adopts instead of "already exists".
          onSaved: async (seen, result) => {
            await session.recorder.status(seen);
            await session.recorder.downloaded(seen, result);
          },
        },
        session.deps,
      ),
  );
  const warnings = warnOfDelivery(session, task, fetched.saved);
  return { task: fetched.task, saved: { ...fetched.saved, warnings } };
}

/** How a video (saved or streamed) differs from its job's request, each said as a warning as found. */
export function warnOfDelivery(
  session: Session,
  task: NormalizedTask,
  seen: Parameters<typeof describeDelivery>[2],
): string[] {
  const warnings = describeDelivery(task.id, session.recorder.requestOf(task), seen);
  for (const warning of warnings) session.report.warn(warning);
  return warnings;
}

/**
 * Where `download ID` saves, decided before any waiting: -o wins; else where an earlier download
 * stopped (its .part is there); else where the job was meant to go when it was created; else the
 * configured folder and template. A file in the way is refused now, so its exit 2 stays true
 * ("nothing was sent"); a file provably this task's (journal, or part meta) is adopted instead,
 * and a path another unsaved paid job owns (see path-owner.ts) is refused unless --force.
 */
export async function downloadTarget(
  session: Session,
  id: string,
  job: JobRecord | undefined,
  opts: { output?: string | undefined; force: boolean },
): Promise<{ dest: string; expected: ExpectedFile | undefined }> {
  const { config, gateway, cwd } = session;
  let dest: string;
  if (opts.output !== undefined) dest = await resolveDestination(opts.output, config, gateway.name, id, cwd);
  else if (job?.pendingPath) dest = job.pendingPath;
  else if (job?.output) dest = renderPlan(job.output, gateway.name, id);
  else dest = await resolveDestination(undefined, config, gateway.name, id, cwd);
  const recorded = job?.download?.path === dest ? job.download : undefined;
  const expected = recorded && { bytes: recorded.bytes, sha256: recorded.sha256 };
  if (!job?.pendingPath && !(await findAdoptable(dest, `${dest}.part`, id, expected)))
    await assertWritable(dest, opts.force);
  // Another paid job's file (its .part, or where it is planned) is not this one's to take.
  await assertPathFree(dest, lookupInJournal(session.recorder.journal), { force: opts.force, cwd, self: id });
  return { dest, expected };
}
