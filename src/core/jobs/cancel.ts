import { ApiError, ExitCode, UsageError } from "../../util/errors.js";
import { callGateway, type Gateway } from "../../http/client.js";
import type { CancelOutcome, NormalizedTask, ProviderSpec, TaskRef } from "../../providers/types.js";
import { isTerminal } from "../../util/task-status.js";
import type { JobRecord } from "../journal/journal.js";
import type { JobRecorder } from "../journal/recorder.js";
import { fetchTask, type TaskDeps } from "./task-identity.js";

/** What a cancel did: the platform's answer in one vocabulary, and the task as it now stands. */
export interface CancelResult {
  id: string;
  provider: string;
  /** requested: the platform took the cancel; already-finished: the job had ended, nothing changed. */
  outcome: Exclude<CancelOutcome, "not-found">;
  task: NormalizedTask;
}

/** Whether the dialect has a documented cancel (fal, Replicate, and gateways of their dialects). */
export const canCancel = (provider: ProviderSpec): boolean => provider.buildCancel !== undefined;

/** The refusal, before anything is sent, where the platform has no cancel to call. */
export function cannotCancel(name: string, option?: string): UsageError {
  return new UsageError(`${name} has no way to cancel a job: its API documents none, so nothing was sent`, {
    hint: "a job there runs to its end; fal and replicate (and gateways of their dialects) can cancel",
    ...(option ? { option } : {}),
  });
}

/** fal answers an already finished or unknown request with 400 or 404 and its own status word. */
const cancelAnswer = (status: number): boolean => status === 400 || status === 404;

/**
 * Sends the platform's cancel for a task and reads the answer; journals nothing. fal answers with
 * a word (parseCancel), Replicate with the prediction itself (parseQuery). A cancel can be sent
 * again safely, so it is retried like a query.
 */
export async function requestCancel(
  gateway: Gateway,
  id: string,
  deps: TaskDeps,
): Promise<{ outcome: Exclude<CancelOutcome, "not-found">; task?: NormalizedTask }> {
  const { provider } = gateway;
  if (!provider.buildCancel) throw cannotCancel(gateway.name);
  const known = deps.known?.(id);
  const ref: TaskRef = known?.links ? { id, links: known.links } : { id };
  const parseCancel = provider.parseCancel?.bind(provider);
  const res = await callGateway(gateway, provider.buildCancel(ref), deps.http, {
    idempotent: true,
    taskId: id,
    emptyOk: true,
    ...(parseCancel ? { acceptStatus: cancelAnswer } : {}),
  });
  if (parseCancel) {
    const outcome = parseCancel(res.status, res.body);
    if (outcome === "not-found") {
      throw new ApiError(
        `task ${id} was not found on ${gateway.name} (HTTP ${res.status})`,
        ExitCode.provider,
        {
          status: res.status,
          notFound: true,
          hint: "check the id and --provider (a task lives on the gateway that created it)",
        },
      );
    }
    if (outcome === undefined) {
      throw new ApiError(
        `${gateway.name} answered the cancel of task ${id} with something grokvid cannot read (HTTP ${res.status})`,
        ExitCode.provider,
        { status: res.status },
      );
    }
    return { outcome };
  }
  // The answer is the task itself (Replicate's prediction, `canceled` once it took).
  const { task } = provider.parseQuery(res.body, id, deps.now());
  const named = { ...task, id, provider: gateway.name };
  const finishedFirst = isTerminal(named.status) && named.status !== "cancelled";
  return { outcome: finishedFirst ? "already-finished" : "requested", task: named };
}

/**
 * The task as the journal should hold it once the platform took the cancel: `cancelled`, whatever
 * the platform still says for a moment (fal only signals a running request), so `jobs`, the
 * gallery and a batch re-run see it; a later status answer brings the journal up to date.
 */
export function cancelledTask(
  id: string,
  provider: string,
  job: JobRecord | undefined,
  answered: NormalizedTask | undefined,
  now: Date,
  why: string,
): NormalizedTask {
  const base: NormalizedTask = answered ?? {
    id,
    provider,
    model: job?.model ?? null,
    status: "cancelled",
    progress: job?.progress ?? null,
    videoUrl: null,
    error: null,
    createdAt: job?.createdAt ?? null,
    updatedAt: now.toISOString(),
    raw: null,
  };
  return {
    ...base,
    status: "cancelled",
    error: base.error ?? { code: "cancelled", message: why },
  };
}

/** The task as the journal last saw it, for the record written before a cancel. */
export function taskOf(job: JobRecord): NormalizedTask {
  return {
    id: job.id,
    provider: job.provider,
    model: job.model,
    status: job.status,
    progress: job.progress,
    videoUrl: job.videoUrl,
    error: job.error,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    raw: null,
  };
}

/** `grokvid cancel ID`: asks the platform to cancel, then journals what it said. */
export async function cancelJob(
  session: { gateway: Gateway; deps: TaskDeps; recorder: JobRecorder },
  id: string,
  job: JobRecord | undefined,
): Promise<CancelResult> {
  const { gateway, deps, recorder } = session;
  // The intent first: if this process dies once the cancel is out, the failure fal reports next is
  // still read as the cancellation, by a `wait` running elsewhere too.
  if (job) await recorder.cancelling(taskOf(job));
  const answer = await requestCancel(gateway, id, deps).catch(async (err: unknown) => {
    // Refused outright (a 4xx answer, or no such task): no cancel is under way after all, so a
    // failure reported later is the job's own. A network failure may have delivered it: kept.
    const refused = err instanceof ApiError && err.status !== undefined && err.status < 500;
    if (job && refused) await recorder.cancelling(taskOf(job), false);
    throw err;
  });
  if (answer.outcome === "already-finished") {
    // It ended first, so its outcome is its own: fal says only that it had finished; the status
    // (and the result) say how.
    if (job) await recorder.cancelling(taskOf(job), false);
    const task = answer.task ?? (await fetchTask(gateway, id, deps)).task;
    await recorder.status(task);
    return { id, provider: gateway.name, outcome: answer.outcome, task };
  }
  const task = cancelledTask(
    id,
    gateway.name,
    job,
    answer.task,
    deps.now(),
    "cancelled on request (grokvid cancel)",
  );
  await recorder.status(task);
  return { id, provider: gateway.name, outcome: "requested", task };
}
