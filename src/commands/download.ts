import { resolvePoll } from "../config/resolve.js";
import { shellQuote } from "../util/format.js";
import { type ExpectedFile, findAdoptable } from "../core/adopt.js";
import { assertWritable } from "../core/download.js";
import { fetchVideo } from "../core/fetch-video.js";
import { createStatusDisplay } from "../ui/status-display.js";
import { displayPath, renderPlan } from "../core/output-plan.js";
import { resolveDestination } from "./destination.js";
import { guardInterrupt, renderFinal } from "./render.js";
import type { NormalizedTask } from "../providers/types.js";
import type { JobRecord } from "../core/journal.js";
import { type Runtime, type Session, withTaskSession } from "./session.js";
import { type WaitFlags, waitAndReport } from "./wait.js";

export interface DownloadFlags extends WaitFlags {
  output?: string;
  force?: boolean;
}

/** Streams a finished task's video with a progress display, then prints the path (or JSON). */
export async function downloadAndReport(
  session: Session,
  task: NormalizedTask,
  dest: string,
  force: boolean,
  /** What the journal recorded of an earlier download of this task: a matching file is adopted. */
  expected?: ExpectedFile,
): Promise<void> {
  const { out, gateway } = session;
  await session.recorder.downloading(task, dest);
  const display = await createStatusDisplay(out);
  const { task: final, saved } = await guardInterrupt(
    session,
    `while downloading task ${task.id}; the partial file is kept`,
    `the task is finished; download it with: grokvid download ${shellQuote(task.id)}${session.resumeFlags}`,
    () =>
      fetchVideo(
        gateway,
        task,
        dest,
        {
          force,
          ...(expected ? { expected } : {}),
          onProgress: display.downloading,
          onRetry: (m) => out.warn(m),
          // Recorded before the download's own proof of the file is cleared: a kill in between
          // leaves a file the next `grokvid download` adopts instead of "already exists".
          onSaved: async (seen, result) => {
            await session.recorder.status(seen);
            await session.recorder.downloaded(seen, result);
          },
        },
        session.deps,
      ),
  ).finally(() => display.stop());
  const shown = displayPath(saved.path, session.cwd);
  out.info(`saved ${shown} (${saved.bytes} bytes)`);
  renderFinal(session, final, { path: shown });
}

/** Where `download ID` saves, decided before any waiting: see runDownload. */
async function destinationFor(
  id: string,
  flags: DownloadFlags,
  session: Session,
  job: JobRecord | undefined,
): Promise<string> {
  if (flags.output !== undefined)
    return resolveDestination(flags.output, session.config, session.gateway.name, id, session.cwd);
  if (job?.pendingPath) return job.pendingPath;
  if (job?.output) return renderPlan(job.output, session.gateway.name, id);
  return resolveDestination(undefined, session.config, session.gateway.name, id, session.cwd);
}

/** Waits first if the task is still running, so `download ID` works at any point of a job's life. */
export async function runDownload(id: string, flags: DownloadFlags, runtime: Runtime): Promise<void> {
  await withTaskSession(id, flags, runtime, async (session, job) => {
    const poll = resolvePoll(flags, session.config, session.gateway.name);
    // -o wins; else where an earlier download stopped (its .part is there); else where the job
    // was meant to go when it was created; else the configured folder and template.
    const dest = await destinationFor(id, flags, session, job);
    const recorded = job?.download?.path === dest ? job.download : undefined;
    const expected = recorded && { bytes: recorded.bytes, sha256: recorded.sha256 };
    // A file in the way is refused before the first status query, so its exit 2 stays true
    // ("nothing was sent") and nobody waits minutes to learn it; a file provably this task's
    // (recorded in the journal, or by an interrupted download's part meta) is adopted instead.
    if (!job?.pendingPath && !(await findAdoptable(dest, `${dest}.part`, id, expected)))
      await assertWritable(dest, flags.force === true);
    const task = await waitAndReport(session, id, poll);
    if (task.status !== "succeeded") {
      renderFinal(session, task);
      return;
    }
    await downloadAndReport(session, task, dest, flags.force === true, expected);
  });
}
