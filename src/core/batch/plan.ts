import { configCreateDefaults, resolveConnection, selectProvider } from "../../config/resolve.js";
import type { GrokvidConfig } from "../../config/schema.js";
import type { BatchLine, ParsedBatch } from "./batch-file.js";
import {
  hashRequest,
  type JobRecord,
  type JournalState,
  toJobParams,
  type UncertainCreate,
} from "../journal/journal.js";
import { loadMedia } from "../jobs/load-images.js";
import { validateCreate } from "../jobs/validate-create.js";
import { ConfigError, GrokvidError } from "../../util/errors.js";
import type { CreateParams, ModelSpec } from "../../providers/types.js";
import { isTerminal } from "../../util/task-status.js";
import type { Runtime } from "../client/context.js";

/** What a valid line of the batch file asks for, and what the journal already knows of it. */
export interface PlannedJob {
  line: number;
  /** 1-based position among the file's jobs, for {index}. */
  ordinal: number;
  provider: string;
  params: CreateParams;
  model: ModelSpec;
  requestHash: string;
  output?: string;
  /** The journal's job for the same request, from an earlier run. */
  earlier?: JobRecord;
  /** The id of the newest job for this request when the plan was made (a retry replaces it). */
  seenId?: string;
  /**
   * submit: pay for a new job; finish: wait/download an earlier one; skip: nothing to do;
   * uncertain: an earlier run's create may have reached the gateway, so it is not sent again.
   */
  action: "submit" | "finish" | "skip" | "uncertain";
  /** For `uncertain`: where and when that create went. */
  uncertain?: UncertainCreate;
}

export interface InvalidLine {
  line: number;
  message: string;
}

export interface BatchPlan {
  jobs: PlannedJob[];
  invalid: InvalidLine[];
}

async function validateLine(
  line: BatchLine,
  flags: { provider?: string; defaultProvider?: string },
  runtime: Runtime,
  config: GrokvidConfig,
): Promise<{ provider: string; params: CreateParams; model: ModelSpec }> {
  const selection = selectProvider(
    line.provider ?? flags.provider ?? flags.defaultProvider,
    runtime.env,
    config,
  );
  const { params, model } = validateCreate(
    selection.provider,
    {
      prompt: line.prompt,
      images: line.images,
      referenceImages: line.referenceImages ?? [],
      ...configCreateDefaults(selection),
      ...(line.model === undefined ? {} : { model: { value: line.model } }),
      ...(line.duration === undefined ? {} : { duration: { value: line.duration } }),
      ...(line.ratio === undefined ? {} : { ratio: { value: line.ratio } }),
      ...(line.resolution === undefined ? {} : { resolution: { value: line.resolution } }),
    },
    selection.choice,
  );
  // Reads local images now so a missing file fails the check, not a job halfway through the run.
  await loadMedia(params, model, { cwd: runtime.cwd, allowRead: runtime.allowRead });
  return { provider: selection.choice, params, model };
}

/** Flag names in messages become the batch file's field names. */
function asFieldMessage(message: string): string {
  return message
    .replace(/--(prompt|model|duration|ratio|resolution|image)\b/g, "$1")
    .replace(/--reference-image\b/g, "reference_images");
}

/**
 * A create that may have reached the gateway, whichever run sent it (a first try or a
 * --retry-failed), keeps its line "uncertain" until the user says --resubmit-uncertain.
 */
function decide(
  earlier: JobRecord | undefined,
  uncertain: UncertainCreate | undefined,
  flags: { retryFailed?: boolean; resubmitUncertain?: boolean },
): PlannedJob["action"] {
  if (uncertain && !flags.resubmitUncertain) return "uncertain";
  if (!earlier) return "submit";
  if (!isTerminal(earlier.status)) return "finish";
  if (earlier.status === "succeeded") return earlier.download ? "skip" : "finish";
  return flags.retryFailed === true ? "submit" : "skip";
}

function withDecision(
  job: PlannedJob,
  earlier: JobRecord | undefined,
  uncertain: UncertainCreate | undefined,
  flags: { retryFailed?: boolean; resubmitUncertain?: boolean },
): PlannedJob {
  const action = decide(earlier, uncertain, flags);
  const decided: PlannedJob = { ...job, action };
  // What the last decision attached is replaced, not merged: the journal may say otherwise now.
  delete decided.earlier;
  delete decided.uncertain;
  delete decided.seenId;
  if (earlier) decided.seenId = earlier.id;
  if (earlier && action !== "submit") decided.earlier = earlier;
  if (uncertain && action === "uncertain") decided.uncertain = uncertain;
  return decided;
}

/**
 * Decides a line again once this process holds its claim, from what the journal says now:
 * another process may have paid for it, finished it, or died while sending it in the meantime.
 * A failed job is retried only if it is still the one this run meant to retry.
 */
export function replan(
  job: PlannedJob,
  state: JournalState,
  flags: { retryFailed?: boolean; resubmitUncertain?: boolean },
): PlannedJob {
  const latest = state.byHash.get(job.requestHash);
  const retryFailed = flags.retryFailed === true && latest?.id === job.seenId;
  return withDecision(job, latest, state.uncertain.get(job.requestHash), { ...flags, retryFailed });
}

/**
 * Every line is checked before anything is sent: fields, the provider's rules, local images,
 * output files, and a key for every provider the file uses. Lines already in the journal (same
 * request hash) are matched to their earlier job so a re-run pays for nothing twice.
 */
export async function planBatch(
  parsed: ParsedBatch,
  flags: { provider?: string; defaultProvider?: string; retryFailed?: boolean; resubmitUncertain?: boolean },
  runtime: Runtime,
  config: GrokvidConfig,
  journaled: readonly JobRecord[],
  uncertainCreates: ReadonlyMap<string, UncertainCreate> = new Map(),
): Promise<BatchPlan> {
  const invalid: InvalidLine[] = parsed.errors.map((e) => ({ line: e.line, message: e.message }));
  const byHash = new Map(journaled.map((j) => [j.requestHash, j]));
  const seen = new Map<string, number>();
  const jobs: PlannedJob[] = [];
  for (const line of parsed.lines) {
    try {
      const { provider, params, model } = await validateLine(line, flags, runtime, config);
      const jobParams = toJobParams(params);
      // Identical lines are separate jobs: the n-th copy gets its own hash.
      const base = hashRequest(provider, model.id, jobParams);
      const occurrence = seen.get(base) ?? 0;
      seen.set(base, occurrence + 1);
      const requestHash = hashRequest(provider, model.id, jobParams, occurrence);
      const planned: PlannedJob = {
        line: line.line,
        ordinal: jobs.length + 1,
        provider,
        params,
        model,
        requestHash,
        action: "submit",
        ...(line.output === undefined ? {} : { output: line.output }),
      };
      jobs.push(withDecision(planned, byHash.get(requestHash), uncertainCreates.get(requestHash), flags));
    } catch (err) {
      if (!(err instanceof GrokvidError) || err instanceof ConfigError) throw err;
      invalid.push({ line: line.line, message: asFieldMessage(err.message) });
    }
  }
  invalid.sort((a, b) => a.line - b.line);
  return { jobs, invalid };
}

/** A missing key fails the whole batch up front (exit 3), not job by job after some were paid. */
export function checkKeys(jobs: readonly PlannedJob[], runtime: Runtime, config: GrokvidConfig): void {
  const sending = jobs.filter((j) => j.action === "submit" || j.action === "finish");
  for (const provider of new Set(sending.map((j) => j.provider))) {
    if (provider === "sandbox") continue;
    resolveConnection(selectProvider(provider, runtime.env, config), undefined, runtime.env, config);
  }
}
