import { resolvePoll } from "../config/resolve.js";
import { finishJob } from "../core/job-flow.js";
import { type Claim, Claims } from "../core/claims.js";
import { type JobRecord, jobKey } from "../core/journal.js";
import { displayPath, renderPlan } from "../core/output-plan.js";
import { ExitCode, type ExitCodeValue, GrokvidError, InterruptedError, UsageError } from "../errors.js";
import { isTerminal } from "../task-status.js";
import { LiveLines } from "../ui/live-lines.js";
import { describeTask } from "../ui/status-display.js";
import { shellQuote } from "../util/format.js";
import { runPool } from "../util/pool.js";
import { writeSidecar } from "./batch-report.js";
import { resolveDestination } from "./destination.js";
import { runExitCode } from "./outcome.js";
import { type CommonFlags, createOutput, loadSessionConfig, openJournal, type Runtime } from "./session.js";
import { SessionPool } from "./session-pool.js";

export interface ResumeFlags extends CommonFlags {
  download?: boolean;
  force?: boolean;
  concurrency?: string;
  interval?: string;
  timeout?: string;
}

interface Outcome {
  id: string;
  provider: string;
  status: string;
  path?: string;
  error?: string;
  code: ExitCodeValue;
}

export function parseConcurrency(value: string | undefined, fallback: number): number {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new UsageError(`--concurrency ${value} must be a whole number from 1 to 64`);
  }
  return n;
}

/** Jobs the journal says are unfinished, and with --download finished ones never downloaded. */
function pending(jobs: readonly JobRecord[], download: boolean, provider: string | undefined): JobRecord[] {
  return jobs.filter(
    (j) =>
      (provider === undefined || j.provider === provider) &&
      (!isTerminal(j.status) || (download && j.status === "succeeded" && j.download === null)),
  );
}

/** A job another grokvid finished while this one waited for it. */
function alreadyDone(job: JobRecord, cwd: string): Outcome {
  const ok = job.status === "succeeded";
  return {
    id: job.id,
    provider: job.provider,
    status: job.status,
    code: ok ? ExitCode.ok : ExitCode.taskFailed,
    ...(job.download ? { path: displayPath(job.download.path, cwd) } : {}),
    ...(job.error ? { error: job.error.message } : {}),
  };
}

/** Picks up every job a crash, Ctrl-C or timeout left behind. */
export async function runResume(flags: ResumeFlags, runtime: Runtime): Promise<void> {
  const out = createOutput(flags, runtime);
  const config = await loadSessionConfig(flags, runtime, out);
  const concurrency = parseConcurrency(flags.concurrency, 4);
  resolvePoll(flags, config);
  const journal = openJournal(runtime, out);
  const todo = pending(
    await journal.readJobs(),
    flags.download === true,
    flags.provider?.trim().toLowerCase(),
  );
  if (todo.length === 0) {
    out.info(flags.download ? "nothing to resume or download" : "nothing to resume");
    if (out.mode.json) out.resultJson([]);
    return;
  }
  out.info(`resuming ${todo.length} job${todo.length === 1 ? "" : "s"}`);
  const pool = new SessionPool(flags, runtime, out, config, journal);
  const claims = new Claims(journal.dir);
  const live = new LiveLines(out);
  const outcomes: Outcome[] = [];
  try {
    await runPool(
      todo,
      concurrency,
      async (job) => {
        const key = `${job.provider}/${job.id}`;
        const started = Date.now();
        let claim: Claim | undefined;
        try {
          const session = await pool.get(job.provider, job.baseUrl);
          // Another grokvid (a batch, another resume) may be on this job: one at a time, then
          // look again at what the journal says, in case it finished it meanwhile.
          claim = await claims.acquire(job.requestHash, runtime.signal, (pid) =>
            live.set(key, `waiting for grokvid (pid ${pid}), which is on this job`),
          );
          const now = (await journal.refresh()).jobs.get(jobKey(job.provider, job.id)) ?? job;
          if (pending([now], flags.download === true, undefined).length === 0) {
            outcomes.push(alreadyDone(now, runtime.cwd));
            live.finish(key, `${job.id}: ${now.status} (finished by another grokvid)`);
            return;
          }
          session.recorder.know(now);
          const finished = await finishJob(
            session.gateway,
            job.id,
            session.recorder,
            {
              poll: resolvePoll(flags, config, job.provider),
              resumeHint: `grokvid wait ${shellQuote(job.id)}`,
              force: flags.force === true,
              ...(flags.download
                ? {
                    // An interrupted download continues where its .part file is; otherwise the
                    // video goes where it was planned when the job was made, from any folder.
                    dest: async (t) =>
                      now.pendingPath ??
                      (now.output
                        ? renderPlan(now.output, job.provider, t.id)
                        : await resolveDestination(undefined, config, job.provider, t.id, runtime.cwd)),
                  }
                : {}),
              onUpdate: (t) => live.set(key, describeTask(t, Date.now() - started)),
            },
            session.deps,
          );
          const { task, saved } = finished;
          if (saved && now.output?.sidecar)
            await writeSidecar(
              { provider: now.provider, model: now.model, parameters: now.params },
              task,
              saved,
            );
          const shown = saved ? displayPath(saved.path, runtime.cwd) : undefined;
          const outcome: Outcome = {
            id: job.id,
            provider: job.provider,
            status: task.status,
            code: task.status === "succeeded" ? ExitCode.ok : ExitCode.taskFailed,
            ...(shown ? { path: shown } : {}),
            ...(task.error ? { error: task.error.message } : {}),
          };
          outcomes.push(outcome);
          live.finish(key, `${job.id}: ${task.status}${shown ? ` -> ${shown}` : ""}`);
        } catch (err) {
          if (runtime.signal.aborted) throw err;
          const code = err instanceof GrokvidError ? err.exitCode : ExitCode.internal;
          const message = err instanceof Error ? err.message : String(err);
          outcomes.push({ id: job.id, provider: job.provider, status: "error", error: message, code });
          live.finish(key, `${job.id}: ${message}`);
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
    live.stop();
    await pool.closeAll();
  }
  report(out, outcomes, todo.length, pool.sent());
}

function report(
  out: ReturnType<typeof createOutput>,
  outcomes: Outcome[],
  total: number,
  sent: boolean,
): void {
  if (out.mode.json) out.resultJson(outcomes);
  else for (const o of outcomes) out.result([o.id, o.status, o.path ?? o.error ?? ""].join("\t").trimEnd());
  const ok = outcomes.filter((o) => o.code === 0).length;
  out.info(`${ok} of ${total} jobs succeeded`);
  const code = runExitCode(
    outcomes.map((o) => o.code),
    sent,
  );
  if (code !== 0) {
    const failure = new GrokvidError(`${total - ok} of ${total} jobs did not succeed`, code);
    failure.resultPrinted = true;
    throw failure;
  }
}
