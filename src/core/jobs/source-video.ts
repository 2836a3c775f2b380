import { UsageError } from "../../util/errors.js";
import { shellQuote } from "../../util/format.js";
import type { ProviderSpec, VideoOperation } from "../../providers/types.js";
import type { JobRecord, Journal } from "../journal/journal.js";
import type { Session } from "../client/session.js";
import { fetchTask } from "./task-identity.js";

/**
 * xAI's video URLs live 24 hours, and the gateway fetches the source when the job starts, which
 * may be a while after it is submitted: a URL the journal saw more than 12 hours ago is asked for
 * again rather than trusted.
 */
export const SOURCE_URL_FRESH_MS = 12 * 60 * 60 * 1000;

const isUrl = (from: string) => /^https?:\/\//i.test(from);

/** The journal's record of a source job, looked up before anything is sent (undefined for a URL). */
export async function findSourceJob(
  from: string,
  operation: VideoOperation,
  journal: Journal,
): Promise<JobRecord | undefined> {
  if (isUrl(from)) return undefined;
  const job = await journal.findJob(from);
  if (!job) {
    throw new UsageError(
      `${from} is neither a video URL nor a job in the journal (${journal.where}); ${operation} takes a job id from \`grokvid jobs\` or an http(s) video URL`,
    );
  }
  if (job.status === "failed" || job.status === "cancelled" || job.status === "expired") {
    throw new UsageError(`job ${from} ${job.status}; it has no video to ${operation}`);
  }
  return job;
}

/**
 * The video URL to send: a URL as given, or the source job's, asked for again (one status query,
 * journaled) when the journal's is missing or old and the job lives on this session's gateway.
 */
export async function sourceVideoUrl(
  from: string,
  job: JobRecord | undefined,
  operation: VideoOperation,
  session: Session,
): Promise<string> {
  if (!job) return from;
  const age = session.deps.http.now() - Date.parse(job.updatedAt);
  const fresh = job.status === "succeeded" && job.videoUrl !== null && age < SOURCE_URL_FRESH_MS;
  if (fresh && job.videoUrl) return job.videoUrl;
  const here = job.provider === session.gateway.name && job.baseUrl === session.gateway.baseUrl;
  if (!here) {
    if (job.videoUrl) return job.videoUrl;
    throw new UsageError(
      `job ${from} has no video URL in the journal yet; check it with: grokvid status ${shellQuote(from)}`,
    );
  }
  const { task } = await fetchTask(session.gateway, job.id, session.deps);
  await session.recorder.status(task);
  if (task.status === "succeeded" && task.videoUrl) return task.videoUrl;
  if (task.status === "queued" || task.status === "running") {
    throw new UsageError(
      `job ${from} is still ${task.status}; wait for it first: grokvid wait ${shellQuote(from)}`,
      {
        hint: "nothing was paid for",
      },
    );
  }
  throw new UsageError(
    `job ${from} ${task.status === "succeeded" ? "has no video URL" : task.status}; it has no video to ${operation}`,
  );
}

/** A journaled video's length in seconds, where the journal can tell. */
export function journaledSeconds(job: JobRecord): number | undefined {
  return job.params.seconds ?? (job.params.source ? undefined : job.params.duration);
}

/**
 * The gateway's limits on its source's length, checked before anything is sent where the journal
 * knows that length (a URL's is unknown: the gateway judges it). Returns the new video's length.
 */
export function checkSourceLength(
  job: JobRecord | undefined,
  operation: VideoOperation,
  provider: ProviderSpec,
  added: number | undefined,
): number | undefined {
  const seconds = job && journaledSeconds(job);
  if (!job || seconds === undefined) return undefined;
  if (operation === "edit") {
    const max = provider.operations?.edit?.maxSourceSeconds;
    if (max !== undefined && seconds > max) {
      throw new UsageError(
        `job ${job.id} is ${seconds} s long; ${provider.id} edits videos of at most ${max} s`,
      );
    }
    return seconds;
  }
  const extend = provider.operations?.extend;
  const range = extend?.sourceSeconds;
  if (range && (seconds < range.min || seconds > range.max)) {
    throw new UsageError(
      `job ${job.id} is ${seconds} s long; ${provider.id} extends videos of ${range.min}-${range.max} s`,
    );
  }
  return seconds + (added ?? extend?.defaultDuration ?? 0);
}
