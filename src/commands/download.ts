import { resolvePoll } from "../config/resolve.js";
import { shellQuote } from "../util/format.js";
import type { ExpectedFile } from "../core/adopt.js";
import { fetchVideo } from "../core/fetch-video.js";
import { createStatusDisplay } from "../ui/status-display.js";
import { displayPath, renderPlan } from "../core/output-plan.js";
import { planDestination, resolveDestination } from "./destination.js";
import { guardInterrupt, renderFinal } from "./render.js";
import type { NormalizedTask } from "../providers/types.js";
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

/** Waits first if the task is still running, so `download ID` works at any point of a job's life. */
export async function runDownload(id: string, flags: DownloadFlags, runtime: Runtime): Promise<void> {
  await withTaskSession(id, flags, runtime, async (session, job) => {
    // An -o name the file system cannot hold is refused before any waiting.
    if (flags.output !== undefined) await planDestination(flags.output, session.config, session.cwd);
    const poll = resolvePoll(flags, session.config, session.gateway.name);
    const task = await waitAndReport(session, id, poll);
    if (task.status !== "succeeded") {
      renderFinal(session, task);
      return;
    }
    // -o wins; else where an earlier download stopped (its .part is there); else where the job
    // was meant to go when it was created; else the configured folder and template.
    const dest =
      flags.output === undefined && job?.pendingPath
        ? job.pendingPath
        : flags.output === undefined && job?.output
          ? renderPlan(job.output, session.gateway.name, task.id)
          : await resolveDestination(
              flags.output,
              session.config,
              session.gateway.name,
              task.id,
              session.cwd,
            );
    const recorded = job?.download?.path === dest ? job.download : undefined;
    await downloadAndReport(
      session,
      task,
      dest,
      flags.force === true,
      recorded && { bytes: recorded.bytes, sha256: recorded.sha256 },
    );
  });
}
