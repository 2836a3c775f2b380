import { displayPath } from "../core/output-plan.js";
import { deferredStatusDisplay } from "../ui/status-display.js";
import { type CommandRuntime, clientFor, createOutput } from "./cli-output.js";
import { renderFinal } from "./render.js";
import type { WaitFlags } from "./wait.js";

export interface DownloadFlags extends WaitFlags {
  output?: string;
  force?: boolean;
}

/** Waits first if the task is still running, so `download ID` works at any point of a job's life. */
export async function runDownload(id: string, flags: DownloadFlags, runtime: CommandRuntime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const display = deferredStatusDisplay(out);
  const { task, saved } = await clientFor(flags, runtime, out)
    .download(id, {
      ...(flags.output === undefined ? {} : { output: flags.output }),
      ...(flags.interval === undefined ? {} : { interval: flags.interval }),
      ...(flags.timeout === undefined ? {} : { timeout: flags.timeout }),
      force: flags.force === true,
      onUpdate: display.update,
      onDownload: display.downloading,
    })
    .finally(() => display.stop());
  if (!saved) return renderFinal(out, task);
  const shown = displayPath(saved.path, runtime.cwd);
  out.info(`saved ${shown} (${saved.bytes} bytes)`);
  renderFinal(out, task, { path: shown });
}
