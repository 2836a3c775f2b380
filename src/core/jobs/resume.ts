import { resolvePoll } from "../../config/resolve.js";
import type { GrokvidConfig } from "../../config/schema.js";
import {
  ExitCode,
  type ExitCodeValue,
  GrokvidError,
  InterruptedError,
  UsageError,
} from "../../util/errors.js";
import type { NormalizedTask } from "../../providers/types.js";
import { isTerminal } from "../../util/task-status.js";
import { shellQuote } from "../../util/format.js";
import { runPool } from "../../util/pool.js";
import { writeSidecar } from "../batch/report.js";
import type { Claim } from "../../files/claims.js";
import type { GatewayChoice, Reporter, Runtime } from "../client/context.js";
import { resolveDestination } from "../download/destination.js";
import type { DownloadResult } from "../download/download.js";
import { finishJob } from "./paid-call.js";
import { type JobRecord, type Journal, jobKey } from "../journal/journal.js";
import { strictRefusal } from "../media/delivered-check.js";
import type { VideoHeader } from "../media/mp4-header.js";
import { runExitCode } from "./outcome.js";
import { displayPath, renderPlan } from "../download/output-plan.js";
import { SessionPool } from "../client/session-pool.js";

export interface ResumeOptions extends GatewayChoice {
  /** Also download finished jobs that were never downloaded. */
  download?: boolean;
  force?: boolean;
  /** A saved video that is not what its job asked for ends that job 7, as `create --strict` does. */
  strict?: boolean;
  concurrency?: string | number;
  interval?: string;
  timeout?: string;
  /** When a job's wait times out, cancel it (fal, Replicate); refused where it cannot be. */
  cancelOnTimeout?: boolean;
  /**
   * Only these jobs (a script's own, say): by default every unfinished job of the journal is picked
   * up, whoever started it, as `grokvid resume` does after a crash.
   */
  ids?: readonly string[];
}

/** How one resumed job ended. */
export interface ResumeOutcome {
  id: string;
  provider: string;
  status: string;
  path?: string;
  error?: string;
  code: ExitCodeValue;
  /** What the saved video's header says it is. */
  delivered?: VideoHeader;
  /** How it differs from what the job asked for. */
  warnings?: string[];
}

export type ResumeEvent =
  | { type: "started"; total: number }
  | { type: "progress"; job: JobRecord; phase: "waiting"; pid: number; host?: string }
  | { type: "progress"; job: JobRecord; phase: "polling"; task: NormalizedTask; elapsedMs: number }
  /** A retried download, or a saved video that is not what was asked. */
  | { type: "warning"; job: JobRecord; message: string }
  /** `elsewhere`: another grokvid finished the job while this one waited for it. */
  | { type: "ended"; job: JobRecord; outcome: ResumeOutcome; elsewhere: boolean };

export interface ResumeResult {
  outcomes: ResumeOutcome[];
  total: number;
  exitCode: ExitCodeValue;
}

export function parseConcurrency(value: string | number | undefined, fallback: number): number {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new UsageError(`concurrency ${value} must be a whole number from 1 to 64`, {
      option: "concurrency",
    });
  }
  return n;
}

/** Jobs the journal says are unfinished, and with --download finished ones never downloaded. */
export function pendingJobs(jobs: readonly JobRecord[], download: boolean, provider?: string): JobRecord[] {
  return jobs.filter(
    (j) =>
      (provider === undefined || j.provider === provider) &&
      (!isTerminal(j.status) || (download && j.status === "succeeded" && j.download === null)),
  );
}

function outcomeOf(
  job: JobRecord,
  task: { status: string; error: { message: string } | null },
  path?: string,
): ResumeOutcome {
  return {
    id: job.id,
    provider: job.provider,
    status: task.status,
    code: task.status === "succeeded" ? ExitCode.ok : ExitCode.taskFailed,
    ...(path ? { path } : {}),
    ...(task.error ? { error: task.error.message } : {}),
  };
}

/** A saved video's outcome: what it is, how it differs from the request, and --strict's verdict. */
function savedOutcome(outcome: ResumeOutcome, saved: DownloadResult, strict: boolean): ResumeOutcome {
  const warnings = saved.warnings ?? [];
  const refused = strictRefusal(warnings, strict);
  return {
    ...outcome,
    ...(saved.delivered ? { delivered: saved.delivered } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(refused === undefined ? {} : { code: ExitCode.taskFailed, error: refused }),
  };
}

export interface ResumeDeps {
  runtime: Runtime;
  report: Reporter;
  config: GrokvidConfig;
  journal: Journal;
  emit: (event: ResumeEvent) => void;
}

/** Picks up every job a crash, Ctrl-C or timeout left behind, each under its claim. */
export async function resumeJobs(options: ResumeOptions, deps: ResumeDeps): Promise<ResumeResult> {
  const { runtime, config, journal, emit } = deps;
  const concurrency = parseConcurrency(options.concurrency, 4);
  resolvePoll(options, config);
  const download = options.download === true;
  const wanted = options.ids === undefined ? undefined : new Set(options.ids);
  const todo = pendingJobs(await journal.readJobs(), download, options.provider?.trim().toLowerCase()).filter(
    (job) => wanted === undefined || wanted.has(job.id),
  );
  if (todo.length === 0) return { outcomes: [], total: 0, exitCode: ExitCode.ok };
  emit({ type: "started", total: todo.length });
  const pool = new SessionPool(options, runtime, deps.report, config, journal);
  const { claims } = journal;
  const outcomes: ResumeOutcome[] = [];
  const end = (job: JobRecord, outcome: ResumeOutcome, elsewhere = false) => {
    outcomes.push(outcome);
    emit({ type: "ended", job, outcome, elsewhere });
  };
  try {
    await runPool(
      todo,
      concurrency,
      async (job) => {
        const started = Date.now();
        let claim: Claim | undefined;
        try {
          const session = await pool.get(job.provider, job.baseUrl);
          // Another grokvid (a batch, another resume) may be on this job: one at a time, then
          // look again at what the journal says, in case it finished it meanwhile.
          claim = await claims.acquire(job.requestHash, runtime.signal, (holder) =>
            emit({ type: "progress", job, phase: "waiting", ...holder }),
          );
          const now = (await journal.refresh()).jobs.get(jobKey(job.provider, job.id)) ?? job;
          if (pendingJobs([now], download).length === 0) {
            const path = now.download ? displayPath(now.download.path, runtime.cwd) : undefined;
            end(job, outcomeOf(now, now, path), true);
            return;
          }
          session.recorder.know(now);
          // An interrupted download continues where its .part file is; otherwise the video goes
          // where it was planned when the job was made, from any folder.
          const dest = async (t: NormalizedTask) =>
            now.pendingPath ??
            (now.output
              ? renderPlan(now.output, job.provider, t.id)
              : await resolveDestination(undefined, config, job.provider, t.id, runtime.cwd));
          const { task, saved } = await finishJob(
            session.gateway,
            job.id,
            session.recorder,
            {
              poll: resolvePoll(options, config, job.provider, session.gateway.provider),
              resumeHint: `grokvid wait ${shellQuote(job.id)}`,
              force: options.force === true,
              ...(download ? { dest } : {}),
              onUpdate: (t) =>
                emit({ type: "progress", job, phase: "polling", task: t, elapsedMs: Date.now() - started }),
              onWarning: (message) => emit({ type: "warning", job, message }),
            },
            session.deps,
          );
          if (saved && now.output?.sidecar)
            await writeSidecar(
              { provider: now.provider, model: now.model, parameters: now.params },
              task,
              saved,
            );
          const outcome = outcomeOf(job, task, saved ? displayPath(saved.path, runtime.cwd) : undefined);
          end(job, saved ? savedOutcome(outcome, saved, options.strict === true) : outcome);
        } catch (err) {
          if (runtime.signal.aborted) throw err;
          const code = err instanceof GrokvidError ? err.exitCode : ExitCode.internal;
          const message = err instanceof Error ? err.message : String(err);
          end(job, { id: job.id, provider: job.provider, status: "error", error: message, code });
        } finally {
          await claim?.release();
        }
      },
      () => runtime.signal.aborted,
    );
  } catch (err) {
    if (runtime.signal.aborted) {
      throw new InterruptedError("interrupted; unfinished jobs stay in the journal", {
        hint: "resume with: grokvid resume",
      });
    }
    throw err;
  } finally {
    await pool.closeAll();
  }
  const exitCode = runExitCode(
    outcomes.map((o) => o.code),
    pool.sent(),
  );
  return { outcomes, total: todo.length, exitCode };
}
