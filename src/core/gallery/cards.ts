import { stat } from "node:fs/promises";
import { isTerminal } from "../../util/task-status.js";
import type { JobRecord } from "../journal/journal.js";
import { describeDelivery } from "../media/delivered-check.js";
import { readVideoHeader, type VideoHeader } from "../media/mp4-header.js";
import type { GalleryCard } from "./types.js";

/** Why a job has no video to show, in words a user can act on. */
function explainMissing(job: JobRecord, recordedPath: string | undefined): string {
  if (job.status === "failed" || job.status === "cancelled" || job.status === "expired") {
    return `${job.status}${job.error ? `: ${job.error.message}` : ""}`;
  }
  if (!isTerminal(job.status)) return `still ${job.status} when last seen; grokvid resume --download`;
  if (recordedPath !== undefined) return `the file was moved or deleted: ${recordedPath}`;
  return `not downloaded; grokvid download ${job.id}`;
}

async function findFile(path: string | undefined): Promise<{ path: string; bytes: number } | undefined> {
  if (path === undefined) return undefined;
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() ? { path, bytes: info.size } : undefined;
}

/**
 * One job's card, from its journal record and the file on disk as it is now. A download recorded
 * before grokvid read headers has its header read here, so every shown video says what it is.
 */
export async function buildCard(job: JobRecord): Promise<GalleryCard> {
  const recorded = job.download ?? undefined;
  const video = await findFile(recorded?.path);
  let delivered: VideoHeader | undefined = recorded?.delivered;
  let headerProblem = recorded?.headerProblem;
  if (video && !delivered && headerProblem === undefined) {
    const header = await readVideoHeader(video.path);
    if (header.ok) delivered = header.header;
    else headerProblem = header.reason;
  }
  const warnings = video
    ? describeDelivery(job.id, job.params, {
        path: video.path,
        ...(delivered ? { delivered } : {}),
        ...(headerProblem === undefined ? {} : { headerProblem }),
      })
    : [];
  const { params } = job;
  const requested: GalleryCard["requested"] = {};
  const seconds = params.seconds ?? params.duration;
  if (seconds !== undefined) requested.durationSec = seconds;
  if (params.ratio !== undefined) requested.ratio = params.ratio;
  if (params.resolution !== undefined) requested.resolution = params.resolution;
  return {
    id: job.id,
    provider: job.provider,
    model: job.model,
    prompt: params.prompt,
    operation: params.source?.operation ?? "create",
    requested,
    ...(delivered ? { delivered } : {}),
    // The card already names the job: the line's "task ID:" prefix would only repeat it.
    warnings: warnings.map((line) => line.replace(`task ${job.id}: `, "")),
    status: job.status,
    error: job.error,
    ...(job.cost ? { costUsd: job.cost.usd } : {}),
    ...(job.cost?.estimate ? { costEstimate: true } : {}),
    createdAt: job.createdAt,
    ...(isTerminal(job.status) ? { finishedAt: job.updatedAt } : {}),
    ...(video ? { video } : { missingReason: explainMissing(job, recorded?.path) }),
  };
}
