import { type DownloadOutcome, type NormalizedTask, WaitTimeoutError } from "../index.js";
import type { Args } from "./args.js";
import { type CallContext, jobProvider, noteCost, pollFor } from "./context.js";
import { downloadTarget } from "./out-dir.js";
import { describeTask, isTask, success, type ToolResult, taskView } from "./results.js";

const MIB = 1024 * 1024;

function notSaved(task: NormalizedTask, reason: string): ToolResult {
  return success(
    {
      task: taskView(task),
      downloaded: false,
      path: null,
      bytes: null,
      sha256: null,
      delivered: null,
      warnings: [],
      reason,
    },
    `${describeTask(task)}; not downloaded: ${reason}`,
  );
}

/**
 * Waits (at most wait_seconds) and saves the video inside the output folder. A job that is still
 * running, or failed, is a result saying so: only a refused path or a broken download is an error.
 */
export async function downloadJob(ctx: CallContext, args: Args<"download_job">): Promise<ToolResult> {
  await jobProvider(ctx, args.id, args.provider);
  // Where it goes is settled (and refused) before any waiting or request.
  const output = await downloadTarget(ctx.settings.outDir, args.path);
  const seconds = args.wait_seconds ?? ctx.settings.maxWaitSeconds;
  let outcome: DownloadOutcome;
  try {
    outcome = await ctx.client.download(args.id, {
      output,
      ...pollFor(ctx, seconds),
      ...(args.provider === undefined ? {} : { provider: args.provider }),
    });
  } catch (err) {
    if (err instanceof WaitTimeoutError && isTask(err.task)) {
      return notSaved(err.task, `still unfinished after ${seconds} s; call download_job again later`);
    }
    throw err;
  }
  const { task, saved } = outcome;
  noteCost(ctx, task);
  if (!saved) return notSaved(task, `the job ended ${task.status}, with no video`);
  const delivered = saved.delivered ?? null;
  const shape = delivered
    ? `, ${delivered.width}x${delivered.height}, ${delivered.durationSec.toFixed(1)} s`
    : "";
  const warnings = saved.warnings ?? [];
  return success(
    {
      task: taskView(task),
      downloaded: true,
      path: saved.path,
      bytes: saved.bytes,
      sha256: saved.sha256,
      delivered,
      warnings,
      reason: null,
    },
    `saved ${saved.path} (${(saved.bytes / MIB).toFixed(1)} MiB${shape})${warnings.length > 0 ? `; ${warnings.join("; ")}` : ""}`,
  );
}
