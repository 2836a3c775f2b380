import { resolve } from "node:path";
import { resolvePoll } from "../config/resolve.js";
import { Claims } from "../core/claims.js";
import { ExitCode, GrokvidError, InterruptedError, UsageError } from "../errors.js";
import { LiveLines } from "../ui/live-lines.js";
import { runPool } from "../util/pool.js";
import { type RunContext, runOne } from "./batch-line.js";
import { entry, type ManifestEntry, summarize, writeManifest } from "./batch-report.js";
import { rejectCollisions } from "./batch-output.js";
import { type BatchPlan, checkKeys, planBatch, readBatchText } from "./batch-plan.js";
import { batchExitCode } from "./outcome.js";
import { parseConcurrency } from "./resume.js";
import { type CommonFlags, createOutput, loadSessionConfig, openJournal, type Runtime } from "./session.js";
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
