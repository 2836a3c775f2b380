import { randomUUID } from "node:crypto";
import type { Writable } from "node:stream";
import type { GrokvidConfig } from "../../config/schema.js";
import { InterruptedError } from "../../util/errors.js";
import type { NormalizedTask } from "../../providers/types.js";
import { type JobSpec, prepare, withProvider } from "./preview.js";
import { shellQuote } from "../../util/format.js";
import type { GatewayChoice, Reporter, Runtime } from "../client/context.js";
import { fixedPath, planDestination } from "../download/destination.js";
import { assertWritable, type DownloadResult } from "../download/download.js";
import { type DownloadProgress, followTask, saveVideo, type TaskUpdate } from "./follow.js";
import { createJob } from "./paid-call.js";
import { hashRequest, type Journal, type OutputPlan, toJobParams } from "../journal/journal.js";
import { afterSending } from "./outcome.js";
import { renderPlan } from "../download/output-plan.js";
import { assertPathFree, lookupInJournal } from "./path-owner.js";
import { checkSourceLength, findSourceJob, sourceVideoUrl } from "./source-video.js";
import { openJournal, openSession } from "../client/session.js";
import type { StreamedVideo } from "../download/stream-video.js";

export type { JobSpec } from "./preview.js";

export interface CreateOptions extends GatewayChoice {
  /** Wait until the job ends (implied by download or output). */
  wait?: boolean;
  download?: boolean;
  /** A file, or a folder for the configured name; missing folders are created. */
  output?: string;
  /** A stream to write the video into instead of a file (not ended: it is the caller's). */
  to?: Writable;
  force?: boolean;
  interval?: string;
  timeout?: string;
  /** When the timeout ends the wait, cancel the job (fal, Replicate); refused where it cannot be. */
  cancelOnTimeout?: boolean;
  /** Told the moment the paid job has an id, before any waiting. */
  onSubmitted?: (task: NormalizedTask, warnings: readonly string[]) => void | Promise<void>;
  onUpdate?: TaskUpdate;
  onDownload?: DownloadProgress;
}

export interface CreateResult {
  /** The task as last seen: just submitted, or final when waited for. */
  task: NormalizedTask;
  /** The saved video, when downloaded ... */
  saved?: DownloadResult;
  /** ... or what was written to `to`. */
  streamed?: StreamedVideo;
}

/**
 * Pays for one job: the intent is journaled (and fsynced) before anything is sent, the id the
 * moment it is known, so the paid job cannot be lost; then waits and downloads when asked.
 */
export async function runCreate(
  spec: JobSpec,
  options: CreateOptions,
  runtime: Runtime,
  report: Reporter,
  config: GrokvidConfig,
  given?: Journal,
): Promise<CreateResult> {
  const journal = given ?? (await openJournal(runtime, report, config));
  options = withProvider(spec, options);
  // An edit of a journaled job goes where that job lives, unless told otherwise.
  const sourceJob = spec.source && (await findSourceJob(spec.source.from, spec.source.operation, journal));
  const remembered = sourceJob && options.provider === undefined ? sourceJob : undefined;
  if (remembered) options = { ...options, provider: remembered.provider };
  const prepared = await prepare(spec, options, runtime, config);
  if (spec.source && prepared.sourced) {
    const provider = prepared.sourced.provider;
    const seconds = checkSourceLength(sourceJob, spec.source.operation, provider, prepared.params.duration);
    if (seconds !== undefined) prepared.params.seconds = seconds;
  }
  const { to } = options;
  const wantDownload = options.download === true || options.output !== undefined || to !== undefined;
  const wantWait = options.wait === true || wantDownload;
  // A file that would be refused after the job is paid for is refused now instead.
  const plan: OutputPlan | undefined =
    wantDownload && !to ? await planDestination(options.output, config, runtime.cwd) : undefined;
  const fixed = plan && fixedPath(plan, prepared.choice);
  const force = options.force === true;
  if (fixed !== undefined) {
    await assertWritable(fixed, force);
    // A re-run of an interrupted command would otherwise pay again and take the first job's file.
    await assertPathFree(fixed, lookupInJournal(journal), { force, cwd: runtime.cwd });
  }
  const sessionFlags = remembered ? withoutProvider(options) : options;
  const session = await openSession(sessionFlags, runtime, report, config, {
    journal,
    creates: true,
    remembered,
  });
  try {
    // A Ctrl-C that came while files were read must stop us before the paid call, not after.
    if (runtime.signal.aborted) throw new InterruptedError("interrupted; nothing was sent");
    // Two identical commands are two jobs: the intent's hash is this command's alone.
    const { params, model, media, sourced } = prepared;
    const request =
      sourced && spec.source
        ? sourced.build(await sourceVideoUrl(spec.source.from, sourceJob, spec.source.operation, session))
        : undefined;
    const requestHash = hashRequest(session.gateway.name, model.id, toJobParams(params), randomUUID());
    const submitted = await createJob(session.gateway, params, media, model, session.recorder, session.deps, {
      requestHash,
      output: plan,
      ...(request ? { request } : {}),
      ...(wantWait && prepared.poll.cancelOnTimeout ? { deadlineMs: prepared.poll.timeoutMs } : {}),
    });
    const { id } = submitted.task;
    await options.onSubmitted?.(submitted.task, submitted.warnings);
    // A job that was to be saved to a file is picked up by `download`, which remembers where.
    const then = wantDownload && !to ? "download" : "wait";
    if (runtime.signal.aborted) {
      throw new InterruptedError(`interrupted; task ${id} was submitted to ${session.gateway.name}`, {
        hint: `resume with: grokvid ${then} ${shellQuote(id)}`,
      });
    }
    if (!wantWait) return { task: submitted.task };
    const task = await followTask(session, id, prepared.poll, options.onUpdate, then);
    if (task.status !== "succeeded" || !wantDownload) return { task };
    if (to) {
      const { streamVideo } = await import("../download/stream-video.js");
      return { task, streamed: await streamVideo(session, task, to, options.onDownload) };
    }
    const dest = renderPlan(
      plan ?? (await planDestination(undefined, config, runtime.cwd)),
      session.gateway.name,
      id,
    );
    return await saveVideo(session, task, dest, {
      force,
      ...(options.onDownload ? { onProgress: options.onDownload } : {}),
    });
  } catch (err) {
    throw session.sent() ? afterSending(err) : err;
  } finally {
    await session.close();
  }
}

/** The flags minus --provider, so the session goes where the journaled source job lives. */
function withoutProvider<T extends GatewayChoice>(options: T): Omit<T, "provider"> {
  const rest: T = { ...options };
  delete rest.provider;
  return rest;
}
