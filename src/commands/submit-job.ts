import type { Writable } from "node:stream";
import type { GrokvidClient, JobSpec } from "../index.js";
import { deferredStatusDisplay } from "../ui/status-display.js";
import type { Output } from "../ui/output.js";
import { renderFinal, renderSaved, renderStreamed } from "./render.js";

/** A job create, edit or extend sends: what runJob (create.ts) worked out before sending. */
export interface Submission {
  client: GrokvidClient;
  out: Output;
  spec: JobSpec;
  timing: { interval?: string; timeout?: string; cancelOnTimeout?: boolean };
  wait: boolean;
  download: boolean;
  /** `-o -`: the video goes to standard output. */
  to: Writable | undefined;
  output: string | undefined;
  force: boolean;
  strict: boolean;
  cwd: string;
  /** Told the job's id the moment the gateway gives it. */
  onId: (id: string) => void;
}

/**
 * Submits the job, shows its progress, and prints the result. Apart from create.ts: a dry run
 * loads none of the live display or the result lines.
 */
export async function submitJob(job: Submission): Promise<void> {
  const { out, wait, to } = job;
  const display = deferredStatusDisplay(out);
  const { task, saved, streamed } = await job.client
    .create(job.spec, {
      ...job.timing,
      wait,
      download: job.download,
      ...(to ? { to } : job.output === undefined ? {} : { output: job.output }),
      force: job.force,
      // Shown before any waiting: if anything goes wrong later, the paid job can still be found.
      onSubmitted: (submitted, warnings) => {
        job.onId(submitted.id);
        for (const w of warnings) out.warn(w);
        out.info(`submitted task ${submitted.id} to ${submitted.provider}`);
      },
      onUpdate: display.update,
      onDownload: display.downloading,
    })
    .finally(() => display.stop());
  if (!wait) {
    if (out.mode.json) out.resultJson(task);
    else out.result(task.id);
    return;
  }
  if (to) return renderStreamed(out, task, streamed, { strict: job.strict });
  if (!saved) return renderFinal(out, task);
  renderSaved(out, task, saved, { cwd: job.cwd, strict: job.strict });
}
