import { type PollSettings, resolvePoll } from "../../config/resolve.js";
import { strictRefusal } from "../media/delivered-check.js";
import type { GrokvidConfig } from "../../config/schema.js";
import type { Claim, ClaimStore } from "../../files/claims.js";
import { createJob, finishJob } from "../jobs/paid-call.js";
import type { OutputPlan } from "../journal/journal.js";
import { loadMedia } from "../jobs/load-images.js";
import { displayPath, renderPlan } from "../download/output-plan.js";
import { ApiError, ExitCode, GrokvidError } from "../../util/errors.js";
import type { NormalizedTask } from "../../providers/types.js";
import { shellQuote } from "../../util/format.js";
import { Limiter } from "../../util/pool.js";
import type { BatchEvent, BatchOptions } from "./events.js";
import { planOutput } from "./output.js";
import { type PlannedJob, replan } from "./plan.js";
import { entry, finalStatus, type ManifestEntry, sidecarFile, sidecarSource, skipped } from "./report.js";
import type { Session } from "../client/session.js";
import type { SessionPool } from "../client/session-pool.js";

const MAX_RATE_LIMIT_RETRIES = 6;

/**
 * The paid call, slowed down per provider on 429: a 429 means the gateway refused the job, so
 * sending it again later cannot pay twice. Any other failure is final for this line.
 */
async function submitWithBackoff(
  session: Session,
  job: PlannedJob,
  output: OutputPlan,
  limiter: Limiter,
  poll: PollSettings,
): Promise<NormalizedTask> {
  const media = await loadMedia(job.params, job.model, { cwd: session.cwd, allowRead: session.allowRead });
  for (let attempt = 0; ; attempt++) {
    try {
      const { task } = await createJob(
        session.gateway,
        job.params,
        media,
        job.model,
        session.recorder,
        session.deps,
        {
          requestHash: job.requestHash,
          output,
          ...(poll.cancelOnTimeout ? { deadlineMs: poll.timeoutMs } : {}),
        },
      );
      // Additive increase after the halving on 429: the provider gets back its share slowly.
      if (limiter.limit < limiter.initial) limiter.resize(limiter.limit + 1);
      return task;
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 429 || attempt >= MAX_RATE_LIMIT_RETRIES) throw err;
      limiter.resize(Math.ceil(limiter.limit / 2));
      await session.http.sleep(Math.min(60_000, 1000 * 2 ** attempt), session.http.signal);
    }
  }
}

export interface RunContext {
  pool: SessionPool;
  claims: ClaimStore;
  limiters: Map<string, Limiter>;
  flags: BatchOptions;
  config: GrokvidConfig;
  cwd: string;
  emit: (event: BatchEvent) => void;
  width: number;
  concurrency: number;
  signal: AbortSignal;
  stopped: () => boolean;
  /** While set, a line whose claim another process holds is put here, not waited for. */
  deferred?: PlannedJob[] | undefined;
}

function limiterFor(ctx: RunContext, provider: string): Limiter {
  let limiter = ctx.limiters.get(provider);
  if (!limiter) {
    limiter = new Limiter(ctx.concurrency);
    ctx.limiters.set(provider, limiter);
  }
  return limiter;
}

/** A line that ran (paid, waited or downloaded) is told as it ends; skipped ones only in the report. */
function ran(
  ctx: RunContext,
  job: PlannedJob,
  task: NormalizedTask | undefined,
  result: ManifestEntry,
): ManifestEntry {
  const prompt = job.params.prompt;
  ctx.emit({ type: "ended", line: result.line, prompt, entry: result, ...(task ? { task } : {}) });
  return result;
}

function interruptedEntry(job: PlannedJob, id: string | null): ManifestEntry {
  const error =
    id === null
      ? "interrupted before its job was sent"
      : // One command picks up every such line (the batch's resume hint), not one per line.
        "interrupted; its job may still be running, and a re-run of the batch picks it up";
  return entry(job, { id, status: "interrupted", path: null, error, code: ExitCode.interrupted });
}

function uncertainEntry(job: PlannedJob): ManifestEntry {
  const where = job.uncertain ? ` at ${job.uncertain.at}` : "";
  return entry(job, {
    id: null,
    status: "uncertain",
    path: null,
    error: `an earlier run's create may have reached ${job.provider}${where}; check its dashboard, then pass --resubmit-uncertain to send it again`,
    code: ExitCode.provider,
  });
}

/**
 * One line, from start to sidecar, while this process holds its claim: no other grokvid pays for,
 * waits on or downloads the same request meanwhile. Never throws: a failure, and an interrupt
 * (Ctrl-C, SIGTERM, SIGHUP), is in the entry. Undefined: the line was deferred (ctx.deferred).
 */
export async function runOne(planned: PlannedJob, ctx: RunContext): Promise<ManifestEntry | undefined> {
  if (planned.action === "skip" && planned.earlier)
    return skipped(planned, planned.earlier, ctx.cwd, ctx.flags.strict === true);
  const { flags, config, emit } = ctx;
  const { line } = planned;
  const prompt = planned.params.prompt;
  const limiter = limiterFor(ctx, planned.provider);
  await limiter.acquire();
  // --fail-fast or Ctrl-C may have come while this line waited for its provider's turn.
  if (ctx.stopped() && !planned.earlier) {
    limiter.release();
    return entry(planned, { id: null, status: "not-run", path: null, error: null, code: ExitCode.ok });
  }
  let id: string | null = planned.earlier?.id ?? null;
  let claim: Claim | undefined;
  try {
    const session = await ctx.pool.get(planned.provider, planned.earlier?.baseUrl);
    if (ctx.deferred) {
      // Held by another grokvid (another batch of this file, here or on another machine): this
      // one moves on to lines nobody holds, and comes back to this one once they are done.
      const attempt = await ctx.claims.take(planned.requestHash);
      if ("heldBy" in attempt) {
        ctx.deferred.push(planned);
        return undefined;
      }
      claim = attempt.claim;
    } else
      claim = await ctx.claims.acquire(planned.requestHash, ctx.signal, (holder) =>
        emit({ type: "progress", line, prompt, phase: "waiting", ...holder }),
      );
    const job = replan(planned, await session.recorder.journal.refresh(), flags);
    if (job.action === "skip" && job.earlier)
      return skipped(job, job.earlier, ctx.cwd, flags.strict === true);
    if (job.action === "uncertain") return uncertainEntry(job);
    const earlier = job.earlier;
    // A job made earlier goes where it was planned when it was made; a new one, where this run says.
    const output = earlier?.output ?? planOutput(job, flags, config, ctx.cwd, ctx.width);
    id = earlier?.id ?? null;
    const jobSession = earlier ? await ctx.pool.get(job.provider, earlier.baseUrl) : session;
    const poll = resolvePoll(flags, config, job.provider, jobSession.gateway.provider);
    if (earlier) jobSession.recorder.know(earlier);
    else {
      emit({ type: "progress", line, prompt, phase: "submitting", provider: job.provider });
      id = (await submitWithBackoff(jobSession, job, output, limiter, poll)).id;
      // Told the moment it is known, like `create` does.
      emit({ type: "progress", line, prompt, phase: "submitted", provider: job.provider, id });
    }
    const taskId = id ?? "";
    const started = Date.now();
    const { task, saved } = await finishJob(
      jobSession.gateway,
      taskId,
      jobSession.recorder,
      {
        poll,
        resumeHint: `grokvid wait ${shellQuote(taskId)}`,
        justCreated: earlier === undefined,
        force: flags.force === true,
        dest: async (t) => earlier?.pendingPath ?? renderPlan(output, job.provider, t.id),
        onUpdate: (t) =>
          emit({
            type: "progress",
            line,
            prompt,
            phase: "polling",
            task: t,
            elapsedMs: Date.now() - started,
          }),
        onWarning: (message) => emit({ type: "warning", line, message }),
        // Written as the download ends, into the part meta's own file (see DownloadOptions.companion).
        ...(output.sidecar === false
          ? {}
          : { companion: (seen, saved) => sidecarFile(sidecarSource(job), seen, saved) }),
      },
      jobSession.deps,
    );
    const ok = task.status === "succeeded";
    const shown = saved ? displayPath(saved.path, ctx.cwd) : null;
    const warnings = saved?.warnings ?? [];
    const refused = strictRefusal(warnings, flags.strict === true);
    return ran(
      ctx,
      job,
      task,
      entry(job, {
        id: task.id,
        status: finalStatus(task.status),
        path: shown,
        error: refused ?? task.error?.message ?? null,
        code: ok && refused === undefined ? ExitCode.ok : ExitCode.taskFailed,
        ...(task.cost ? { cost: task.cost } : {}),
        ...(saved?.delivered ? { delivered: saved.delivered } : {}),
        ...(warnings.length > 0 ? { warnings } : {}),
      }),
    );
  } catch (err) {
    // Stopped by a signal: the line is reported like any other, so the manifest and the summary
    // still say what ran; a job already sent stays in the journal for `resume`.
    if (ctx.signal.aborted) return ran(ctx, planned, undefined, interruptedEntry(planned, id));
    let code = err instanceof GrokvidError ? err.exitCode : ExitCode.internal;
    // Exit 2 promises nothing was sent; once this line's job exists, a refusal is a failure (6).
    if (id !== null && code === ExitCode.usage) code = ExitCode.provider;
    // The hint matters most here ("a job may exist..."), so it goes into the manifest too.
    const message =
      err instanceof GrokvidError && err.hint
        ? `${err.message}; ${err.hint}`
        : err instanceof Error
          ? err.message
          : String(err);
    return ran(
      ctx,
      planned,
      undefined,
      entry(planned, {
        id,
        status: code === ExitCode.timeout ? "timed-out" : "error",
        path: null,
        error: message,
        code,
      }),
    );
  } finally {
    await claim?.release();
    limiter.release();
  }
}
