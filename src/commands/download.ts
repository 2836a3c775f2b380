import { pollOptions } from "./poll-flags.js";
import { deferredStatusDisplay } from "../ui/status-display.js";
import { downloadHint, videoToStdout } from "../ui/stdout-video.js";
import { UsageError } from "../util/errors.js";
import { clientFor, createOutput, type InputRuntime } from "./cli-output.js";
import { forEachId } from "./ids.js";
import { renderFinal, renderSaved, renderStreamed } from "./render.js";
import type { WaitFlags } from "./wait.js";

export interface DownloadFlags extends WaitFlags {
  output?: string;
  force?: boolean;
  strict?: boolean;
}

/** Waits first if the task is still running, so `download ID` works at any point of a job's life. */
export async function runDownload(id: string, flags: DownloadFlags, runtime: InputRuntime): Promise<void> {
  const out = await createOutput(flags, runtime);
  // Videos one after another on stdout would be one unplayable file.
  if (id === "-" && flags.output === "-")
    throw new UsageError("-o - takes one task id, not ids from standard input; use -o FOLDER/");
  const client = clientFor(flags, runtime, out);
  await forEachId(id, runtime.stdin, out, async (each) => {
    const to = videoToStdout(flags.output, runtime.stdout, out.mode.json, () => downloadHint(each));
    const display = deferredStatusDisplay(out);
    const { task, saved, streamed } = await client
      .download(each, {
        ...(to ? { to } : flags.output === undefined ? {} : { output: flags.output }),
        ...pollOptions(flags),
        force: flags.force === true,
        onUpdate: display.update,
        onDownload: display.downloading,
      })
      .finally(() => display.stop());
    if (to) return renderStreamed(out, task, streamed, { strict: flags.strict === true });
    if (!saved) return renderFinal(out, task);
    renderSaved(out, task, saved, { cwd: runtime.cwd, strict: flags.strict === true });
  });
}
