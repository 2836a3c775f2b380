import { resolvePoll, selectProvider } from "../config/resolve.js";
import { downloadVideo } from "../core/download.js";
import { createStatusDisplay } from "../ui/status-display.js";
import { resolveDestination } from "./destination.js";
import { guardInterrupt, renderFinal } from "./render.js";
import { createOutput, loadSessionConfig, openSession, type Runtime } from "./session.js";
import { type WaitFlags, waitAndReport } from "./wait.js";

export interface DownloadFlags extends WaitFlags {
  output?: string;
  force?: boolean;
}

/** Waits first if the task is still running, so `download ID` works at any point of a job's life. */
export async function runDownload(id: string, flags: DownloadFlags, runtime: Runtime): Promise<void> {
  const out = createOutput(flags, runtime);
  const config = await loadSessionConfig(flags, runtime);
  const poll = resolvePoll(flags, config, selectProvider(flags.provider, runtime.env, config).choice);
  const session = await openSession(flags, runtime, out, config);
  try {
    const task = await waitAndReport(session, id, poll);
    if (task.status !== "succeeded") {
      renderFinal(session, task);
      return;
    }
    const dest = await resolveDestination(flags.output, config, session.gateway.name, id);
    const display = await createStatusDisplay(out);
    const saved = await guardInterrupt(
      session,
      `while downloading task ${id}`,
      `run again: grokvid download ${id}${session.resumeFlags}`,
      () =>
        downloadVideo(
          session.gateway,
          task,
          dest,
          { force: flags.force === true, onProgress: display.downloading },
          session.http,
        ),
    ).finally(() => display.stop());
    out.info(`saved ${saved.path} (${saved.bytes} bytes)`);
    renderFinal(session, task, { path: saved.path });
  } finally {
    await session.close();
  }
}
