import { resolve } from "node:path";
import { resolvePoll } from "../config/resolve.js";
import { type Claim, Claims } from "../core/claims.js";
import type { OutputPlan } from "../core/journal.js";
import { displayPath, renderPlan } from "../core/output-plan.js";
import type { GrokvidConfig } from "../config/schema.js";
import { createJob, finishJob } from "../core/job-flow.js";
import { loadImages } from "../core/load-images.js";
import { ApiError, ExitCode, GrokvidError, InterruptedError, UsageError } from "../errors.js";
import type { NormalizedTask } from "../providers/types.js";
import { LiveLines } from "../ui/live-lines.js";
import { describeTask } from "../ui/status-display.js";
import { Limiter, runPool } from "../util/pool.js";
import {
  entry,
  finalStatus,
  type ManifestEntry,
  sidecarSource,
  skipped,
  summarize,
  writeManifest,
  writeSidecar,
} from "./batch-report.js";
import { planOutput, rejectCollisions } from "./batch-output.js";
import {
  type BatchPlan,
  checkKeys,
  type PlannedJob,
  planBatch,
  readBatchText,
  replan,
} from "./batch-plan.js";
import { batchExitCode } from "./outcome.js";
import { parseConcurrency } from "./resume.js";
import {
  type CommonFlags,
  createOutput,
  loadSessionConfig,
  openJournal,
  type Runtime,
  type Session,
} from "./session.js";
import { shellQuote } from "../util/format.js";
import { SessionPool } from "./session-pool.js";

export interface BatchFlags extends CommonFlags {
  concurrency?: string;
  skipInvalid?: boolean;
  retryFailed?: boolean;
  resubmitUncertain?: boolean;
  failFast?: boolean;
  manifest?: string;
  outDir?: string;
  template?: string;
  force?: boolean;
  interval?: string;
  timeout?: string;
}

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
): Promise<NormalizedTask> {
  const images = await loadImages(job.params.images, job.model);
  for (let attempt = 0; ; attempt++) {
    try {
      const { task } = await createJob(
        session.gateway,
        job.params,
        images,
        job.model,
        session.recorder,
        session.deps,
        { requestHash: job.requestHash, output },
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

interface RunContext {
  pool: SessionPool;
  claims: Claims;
  limiters: Map<string, Limiter>;
  flags: BatchFlags;
  config: GrokvidConfig;
  cwd: string;
  live: LiveLines;
  width: number;
  concurrency: number;
  signal: AbortSignal;
  stopped: () => boolean;
}

function limiterFor(ctx: RunContext, provider: string): Limiter {
  let limiter = ctx.limiters.get(provider);
  if (!limiter) {
    limiter = new Limiter(ctx.concurrency);
    ctx.limiters.set(provider, limiter);
  }
  return limiter;
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
 * waits on or downloads the same request meanwhile. Never throws but for Ctrl-C.
 */
async function runOne(planned: PlannedJob, ctx: RunContext): Promise<ManifestEntry> {
  if (planned.action === "skip" && planned.earlier) return skipped(planned, planned.earlier);
  const { flags, config, live } = ctx;
  const key = `line ${planned.line}`;
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
    claim = await ctx.claims.acquire(planned.requestHash, ctx.signal, (pid) =>
      live.set(key, `${key}: waiting for grokvid (pid ${pid}), which is running this line`),
    );
    const job = replan(planned, await session.recorder.journal.refresh(), flags);
    if (job.action === "skip" && job.earlier) return skipped(job, job.earlier);
    if (job.action === "uncertain") return uncertainEntry(job);
    const earlier = job.earlier;
    // A job made earlier goes where it was planned when it was made; a new one, where this run says.
    const output = earlier?.output ?? planOutput(job, flags, config, ctx.cwd, ctx.width);
    id = earlier?.id ?? null;
    const jobSession = earlier ? await ctx.pool.get(job.provider, earlier.baseUrl) : session;
    if (earlier) jobSession.recorder.know(earlier);
    else {
      live.set(key, `${key}: submitting to ${job.provider}`);
      id = (await submitWithBackoff(jobSession, job, output, limiter)).id;
      // Shown the moment it is known, like `create` does.
      live.set(key, `${key}: submitted task ${id} to ${job.provider}`);
    }
    const taskId = id ?? "";
    const started = Date.now();
    const { task, saved } = await finishJob(
      jobSession.gateway,
      taskId,
      jobSession.recorder,
      {
        poll: resolvePoll(flags, config, job.provider),
        resumeHint: `grokvid wait ${shellQuote(taskId)}`,
        force: flags.force === true,
        dest: async (t) => earlier?.pendingPath ?? renderPlan(output, job.provider, t.id),
        onUpdate: (t) => live.set(key, `${key}: ${describeTask(t, Date.now() - started)}`),
      },
      jobSession.deps,
    );
    if (saved && output.sidecar !== false)
      await writeSidecar(sidecarSource(job), task, saved, { force: flags.force === true });
    const ok = task.status === "succeeded";
    const shown = saved ? displayPath(saved.path, ctx.cwd) : null;
    live.finish(
      key,
      `${key}: ${task.id} ${task.status}${shown ? ` -> ${shown}` : ""}${task.error ? `: ${task.error.message}` : ""}`,
    );
    return entry(job, {
      id: task.id,
      status: finalStatus(task.status),
      path: shown,
      error: task.error?.message ?? null,
      code: ok ? ExitCode.ok : ExitCode.taskFailed,
    });
  } catch (err) {
    if (ctx.signal.aborted) throw err;
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
    live.finish(key, `${key}: ${message}`);
    return entry(planned, {
      id,
      status: code === ExitCode.timeout ? "timed-out" : "error",
      path: null,
      error: message,
      code,
    });
  } finally {
    await claim?.release();
    limiter.release();
  }
}

export async function runBatch(
  file: string,
  flags: BatchFlags,
  runtime: Runtime & { stdin: NodeJS.ReadableStream },
): Promise<void> {
  const out = createOutput(flags, runtime);
  const config = await loadSessionConfig(flags, runtime, out);
  const concurrency = parseConcurrency(flags.concurrency, 4);
  const journal = openJournal(runtime, out);
  const text = await readBatchText(file === "-" ? file : resolve(runtime.cwd, file), runtime.stdin);
  const state = await journal.readState();
  const plan: BatchPlan = await planBatch(text, flags, runtime, config, state.jobs, state.uncertain);
  await rejectCollisions(plan, flags, config, runtime.cwd);
  for (const bad of plan.invalid) out.error(`line ${bad.line}: ${bad.message}`);
  if (plan.invalid.length > 0 && !flags.skipInvalid) {
    throw new UsageError(
      `${plan.invalid.length} invalid line${plan.invalid.length === 1 ? "" : "s"} in ${file}; nothing was sent`,
      { hint: "fix them, or pass --skip-invalid to run the valid lines" },
    );
  }
  if (plan.jobs.length === 0 && plan.invalid.length === 0) throw new UsageError(`${file} has no jobs`);
  checkKeys(plan.jobs, runtime, config);
  // Poll settings are checked now: a bad --interval must not surface after jobs were paid for.
  resolvePoll(flags, config);
  const submitting = plan.jobs.filter((j) => j.action === "submit").length;
  out.info(
    `${plan.jobs.length} jobs: ${submitting} to submit, ${plan.jobs.length - submitting} known from earlier runs`,
  );
  const pool = new SessionPool(flags, runtime, out, config, journal);
  const live = new LiveLines(out);
  const results = new Map<number, ManifestEntry>();
  let failed = false;
  const ctx: RunContext = {
    pool,
    claims: new Claims(journal.dir),
    limiters: new Map(),
    flags,
    config,
    cwd: runtime.cwd,
    live,
    width: String(plan.jobs.length).length,
    concurrency,
    signal: runtime.signal,
    stopped: () => runtime.signal.aborted || (flags.failFast === true && failed),
  };
  const updateFooter = () =>
    live.setFooter(
      `${results.size} of ${plan.jobs.length} done, ${[...results.values()].filter((e) => e.code !== 0).length} not ok`,
    );
  updateFooter();
  try {
    await runPool(
      plan.jobs,
      concurrency,
      async (job) => {
        const result = await runOne(job, ctx);
        results.set(job.line, result);
        if (result.code !== ExitCode.ok) failed = true;
        updateFooter();
      },
      ctx.stopped,
    );
  } catch (err) {
    if (runtime.signal.aborted) {
      throw new InterruptedError("interrupted; submitted jobs are in the journal", {
        hint: `resume with: grokvid batch ${shellQuote(file)} (or grokvid resume --download)`,
      });
    }
    throw err;
  } finally {
    live.stop();
    await pool.closeAll();
  }
  const entries: ManifestEntry[] = [
    ...plan.jobs.map(
      (j) =>
        results.get(j.line) ??
        entry(j, { id: null, status: "not-run", path: null, error: null, code: ExitCode.ok }),
    ),
    ...plan.invalid.map((bad): ManifestEntry => ({
      line: bad.line,
      id: null,
      provider: null,
      status: "invalid",
      path: null,
      error: bad.message,
      code: ExitCode.usage,
    })),
  ].sort((a, b) => a.line - b.line);
  if (flags.manifest) await writeManifest(resolve(runtime.cwd, flags.manifest), entries);
  if (out.mode.json) out.resultJson(entries);
  else
    for (const e of entries)
      out.result([e.line, e.id ?? "-", e.status, e.path ?? e.error ?? ""].join("\t").trimEnd());
  out.info(`batch: ${summarize(entries)}`);
  const earlierFailures = plan.jobs.filter(
    (j) => j.action === "skip" && j.earlier?.status !== "succeeded",
  ).length;
  if (earlierFailures > 0 && !flags.retryFailed) {
    out.info(`${earlierFailures} line(s) failed in an earlier run; --retry-failed submits them again`);
  }
  // Lines --fail-fast left out count through the failure that stopped the run.
  const code = batchExitCode(entries, flags.skipInvalid === true, pool.sent());
  if (code !== ExitCode.ok) {
    const failure = new GrokvidError(`not every job of ${file} succeeded (${summarize(entries)})`, code);
    failure.resultPrinted = true;
    throw failure;
  }
}
