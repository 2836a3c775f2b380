import { resolvePoll } from "../config/resolve.js";
import { finishJob } from "../core/job-flow.js";
import type { JobRecord } from "../core/journal.js";
import { ExitCode, type ExitCodeValue, GrokvidError, InterruptedError, UsageError } from "../errors.js";
import { isTerminal } from "../task-status.js";
import { LiveLines } from "../ui/live-lines.js";
import { describeTask } from "../ui/status-display.js";
import { shellQuote } from "../util/format.js";
import { runPool } from "../util/pool.js";
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
  const live = new LiveLines(out);
  const outcomes: Outcome[] = [];
  try {
    await runPool(
      todo,
      concurrency,
      async (job) => {
        const key = `${job.provider}/${job.id}`;
        const started = Date.now();
        try {
          const session = await pool.get(job.provider, job.baseUrl);
          session.recorder.know(job);
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
                    // An interrupted download continues where its .part file is.
                    dest: async (t) =>
                      job.pendingPath ?? (await resolveDestination(undefined, config, job.provider, t.id)),
                  }
                : {}),
              onUpdate: (t) => live.set(key, describeTask(t, Date.now() - started)),
            },
            session.deps,
          );
          const { task, saved } = finished;
          const outcome: Outcome = {
            id: job.id,
            provider: job.provider,
            status: task.status,
            code: task.status === "succeeded" ? ExitCode.ok : ExitCode.taskFailed,
            ...(saved ? { path: saved.path } : {}),
            ...(task.error ? { error: task.error.message } : {}),
          };
          outcomes.push(outcome);
          live.finish(key, `${job.id}: ${task.status}${saved ? ` -> ${saved.path}` : ""}`);
        } catch (err) {
          if (runtime.signal.aborted) throw err;
          const code = err instanceof GrokvidError ? err.exitCode : ExitCode.internal;
          const message = err instanceof Error ? err.message : String(err);
          outcomes.push({ id: job.id, provider: job.provider, status: "error", error: message, code });
          live.finish(key, `${job.id}: ${message}`);
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
