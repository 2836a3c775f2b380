import { type RequestContext, sendJson } from "./context.js";
import { handleFiles } from "./files.js";
import { computePlatformState } from "./platform-jobs.js";

/**
 * The platforms' video origin (fal.media, replicate.delivery and the like): the same public file
 * namespace as the API origin's /files, except that a job cancelled before it finished has no video,
 * which only the per-sandbox job store knows.
 */
export async function handleCdn(ctx: RequestContext): Promise<void> {
  const match = /^(.+)\.mp4$/.exec(ctx.segments[1] ?? "");
  const job = match ? ctx.jobs.find(match[1] ?? "") : undefined;
  if (job && computePlatformState(job, ctx.nowMs, ctx.timeline).phase !== "completed") {
    sendJson(ctx, 404, { error: { message: "video not found", type: "not_found" } });
    return;
  }
  await handleFiles(ctx);
}
