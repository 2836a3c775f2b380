import { resolvePoll } from "../config/resolve.js";
import { shellQuote } from "../util/format.js";
import { assertWritable } from "../core/download.js";
import { fetchVideo } from "../core/fetch-video.js";
import { createStatusDisplay } from "../ui/status-display.js";
import { resolveDestination } from "./destination.js";
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
  flags: { output?: string; force?: boolean },
  /** Where the journal says an earlier download of this task stopped (its `.part` is there). */
  pendingPath?: string | null,
): Promise<void> {
  const { out, gateway } = session;
  const dest =
    flags.output === undefined && pendingPath
      ? pendingPath
      : await resolveDestination(flags.output, session.config, gateway.name, task.id);
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
        { force: flags.force === true, onProgress: display.downloading, onRetry: (m) => out.warn(m) },
        session.deps,
      ),
  ).finally(() => display.stop());
  await session.recorder.status(final);
  await session.recorder.downloaded(final, saved);
  out.info(`saved ${saved.path} (${saved.bytes} bytes)`);
  renderFinal(session, final, { path: saved.path });
}

/** Waits first if the task is still running, so `download ID` works at any point of a job's life. */
export async function runDownload(id: string, flags: DownloadFlags, runtime: Runtime): Promise<void> {
  await withTaskSession(id, flags, runtime, async (session, job) => {
    const poll = resolvePoll(flags, session.config, session.gateway.name);
    // A file in the way is refused before the first status query, so its exit 2 stays true
    // ("nothing was sent") and nobody waits minutes to learn it. fetchVideo checks again at the end.
    if (flags.output !== "-" && !(flags.output === undefined && job?.pendingPath)) {
      const dest = await resolveDestination(flags.output, session.config, session.gateway.name, id);
      await assertWritable(dest, flags.force === true);
    }
    const task = await waitAndReport(session, id, poll);
    if (task.status !== "succeeded") {
      renderFinal(session, task);
      return;
    }
    await downloadAndReport(session, task, flags, job?.pendingPath);
  });
}
