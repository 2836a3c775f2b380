import { resolve } from "node:path";
import { resolvePoll, selectProvider } from "../../config/resolve.js";
import type { GrokvidConfig } from "../../config/schema.js";
import { ExitCode, UsageError } from "../../util/errors.js";
import { plural } from "../../util/format.js";
import { runPool } from "../../util/pool.js";
import type { ParsedBatch } from "./batch-file.js";
import type { Reporter, Runtime } from "../client/context.js";
import type { Journal } from "../journal/journal.js";
import { batchExitCode } from "../jobs/outcome.js";
import { lookupInJobs } from "../jobs/path-owner.js";
import { parseConcurrency } from "../jobs/resume.js";
import { SessionPool } from "../client/session-pool.js";
import type { BatchEvent, BatchOptions, BatchResult } from "./events.js";
import { type RunContext, runOne } from "./line.js";
import { rejectCollisions } from "./output.js";
import { checkKeys, type PlannedJob, planBatch } from "./plan.js";
import { rerunCommand } from "./rerun-command.js";
import { entry, type ManifestEntry, summarize, writeManifest } from "./report.js";

export interface BatchDeps {
  runtime: Runtime;
  report: Reporter;
  config: GrokvidConfig;
  journal: Journal;
  emit: (event: BatchEvent) => void;
}

function resumeHint(source: string, options: BatchOptions): string {
  return `resume with: ${rerunCommand(source, options)}`;
}

function invalidEntry(bad: { line: number; message: string }): ManifestEntry {
  return {
    line: bad.line,
    id: null,
    provider: null,
    status: "invalid",
    path: null,
    error: bad.message,
    code: ExitCode.usage,
  };
}

/**
 * Every line is checked (fields, provider rules, images, output files, keys) before anything is
 * sent; then lines run `concurrency` at a time, each under its claim, and the journal makes a
 * re-run pay for nothing twice. Never throws for a line's failure: that is in its entry.
 */
export async function runBatchJobs(
  input: ParsedBatch,
  options: BatchOptions,
  deps: BatchDeps,
): Promise<BatchResult> {
  const { runtime, config, journal, emit } = deps;
  const source = options.source ?? "the batch";
  const concurrency = parseConcurrency(options.concurrency, 4);
  // A batch pays for many jobs: what would leave one unrecorded is refused before the first.
  await journal.readyToPay();
  const state = await journal.readState();
  const plan = await planBatch(input, options, runtime, config, state.jobs, state.uncertain);
  await rejectCollisions(
    plan,
    options,
    config,
    runtime.cwd,
    lookupInJobs(state.jobs, state.uncertain.values()),
  );
  for (const bad of plan.invalid) emit({ type: "invalid", ...bad });
  if (plan.invalid.length > 0 && !options.skipInvalid) {
    const n = plan.invalid.length;
    throw new UsageError(`${plural(n, "invalid line")} in ${source}; nothing was sent`, {
      hint: "fix them, or pass --skip-invalid to run the valid lines",
    });
  }
  if (plan.jobs.length === 0 && plan.invalid.length === 0) throw new UsageError(`${source} has no jobs`);
  checkKeys(plan.jobs, runtime, config);
  // Poll settings are checked now: a bad --interval must not surface after jobs were paid for.
  // --cancel-on-timeout is refused now for a provider that cannot cancel, before anything is paid.
  for (const name of new Set(plan.jobs.map((j) => j.provider)))
    resolvePoll(options, config, name, selectProvider(name, runtime.env, config).provider);
  const submitting = plan.jobs.filter((j) => j.action === "submit").length;
  emit({ type: "planned", total: plan.jobs.length, submitting });
  const pool = new SessionPool(options, runtime, deps.report, config, journal);
  const results = new Map<number, ManifestEntry>();
  let failed = false;
  const ctx: RunContext = {
    pool,
    claims: journal.claims,
    limiters: new Map(),
    flags: options,
    config,
    cwd: runtime.cwd,
    emit,
    width: String(plan.jobs.length).length,
    concurrency,
    signal: runtime.signal,
    stopped: () => runtime.signal.aborted || (options.failFast === true && failed),
  };
  const work = async (job: PlannedJob) => {
    const result = await runOne(job, ctx);
    if (result === undefined) return;
    results.set(job.line, result);
    if (result.code !== ExitCode.ok) failed = true;
    emit({ type: "settled", line: job.line, entry: result });
  };
  try {
    // Lines other grokvid processes hold (N batches of one file share its lines) are left for
    // last, then waited for: by then their holders have mostly finished them.
    const deferred: PlannedJob[] = [];
    ctx.deferred = deferred;
    await runPool(plan.jobs, concurrency, work, ctx.stopped);
    ctx.deferred = undefined;
    await runPool(deferred, concurrency, work, ctx.stopped);
  } finally {
    await pool.closeAll();
  }
  // Interrupted or not, the report covers every line: what ran, what was cut short, what never started.
  const interrupted = runtime.signal.aborted;
  const notRun = { id: null, status: "not-run", path: null, error: null, code: ExitCode.ok } as const;
  const entries = [
    ...plan.jobs.map((j) => results.get(j.line) ?? entry(j, notRun)),
    ...plan.invalid.map(invalidEntry),
  ].sort((a, b) => a.line - b.line);
  if (options.manifest) await writeManifest(resolve(runtime.cwd, options.manifest), entries);
  const earlierFailures = plan.jobs.filter(
    (j) => j.action === "skip" && j.earlier?.status !== "succeeded",
  ).length;
  // Lines --fail-fast left out count through the failure that stopped the run.
  const exitCode = interrupted
    ? ExitCode.interrupted
    : batchExitCode(entries, options.skipInvalid === true, pool.sent());
  const summary = summarize(entries, interrupted ? "interrupted" : "--fail-fast");
  return {
    entries,
    exitCode,
    summary,
    earlierFailures,
    ...(interrupted ? { interrupted: resumeHint(source, options) } : {}),
  };
}
