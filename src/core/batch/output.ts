import { isAbsolute, resolve } from "node:path";
import type { GrokvidConfig } from "../../config/schema.js";
import { GrokvidError } from "../../util/errors.js";
import { assertWritable } from "../download/download.js";
import type { OutputPlan } from "../journal/journal.js";
import { isInside, renderPlan, sidecarPathFor } from "../download/output-plan.js";
import { DEFAULT_TEMPLATE, slugify } from "../download/output-path.js";
import { assertPathFree, type JobLookup } from "../jobs/path-owner.js";
import type { BatchPlan, PlannedJob } from "./plan.js";

/** The batch flags that decide where each line's video goes. */
export interface OutputFlags {
  outDir?: string;
  template?: string;
  force?: boolean;
}

/**
 * Where a line's video goes, with absolute paths: its `output` relative to the batch's output
 * folder (--out-dir, else the config's download folder, else the working folder), else the
 * template (with {index} and {slug}) in that folder. Sidecars always go beside the video.
 */
export function planOutput(
  job: PlannedJob,
  flags: OutputFlags,
  config: GrokvidConfig,
  cwd: string,
  width: number,
): OutputPlan {
  const dir = resolve(cwd, flags.outDir ?? config.download?.dir ?? ".");
  if (job.output !== undefined) return { path: resolve(dir, job.output), sidecar: true };
  return {
    dir,
    template: flags.template ?? config.download?.template ?? DEFAULT_TEMPLATE,
    index: String(job.ordinal).padStart(width, "0"),
    slug: slugify(job.params.prompt),
    sidecar: true,
  };
}

/** With --out-dir, a line's output must stay inside that folder; saying otherwise is a mistake. */
function escapesOutDir(job: PlannedJob, flags: OutputFlags, cwd: string): string | undefined {
  if (job.output === undefined || flags.outDir === undefined) return undefined;
  const dir = resolve(cwd, flags.outDir);
  if (!isAbsolute(job.output) && isInside(dir, resolve(dir, job.output))) return undefined;
  return `output ${job.output} is outside --out-dir ${flags.outDir}; give a path inside it`;
}

/** Why a new job may not write `path`, as the line's one message (the hint says what to do). */
async function refusal(check: Promise<void>): Promise<string | undefined> {
  return check.then(
    () => undefined,
    (err: unknown) =>
      err instanceof GrokvidError && err.hint
        ? `${err.message}; ${err.hint}`
        : err instanceof Error
          ? err.message
          : String(err),
  );
}

/**
 * Everything a line will write is checked before anything is paid for: an output outside
 * --out-dir, two lines (or a line's video and another's sidecar) writing the same file, a video
 * whose sidecar would be itself, a fixed name, video or sidecar, that already exists, and a fixed
 * video path that an unsaved paid job of another request owns (`owners`, from the journal).
 */
export async function rejectCollisions(
  plan: BatchPlan,
  flags: OutputFlags,
  config: GrokvidConfig,
  cwd: string,
  owners: JobLookup,
): Promise<void> {
  const width = String(plan.jobs.length).length;
  const claimed = new Map<string, number>();
  const keep: PlannedJob[] = [];
  for (const job of plan.jobs) {
    let problem = escapesOutDir(job, flags, cwd);
    const output = planOutput(job, flags, config, cwd, width);
    const video = renderPlan(output, job.provider, "id-a");
    const fixed = job.action !== "skip" && video === renderPlan(output, job.provider, "id-b");
    const files = fixed ? [video, sidecarPathFor(video)] : [];
    for (const file of files) {
      const first = claimed.get(file);
      if (first !== undefined)
        problem ??= `writes the same file as line ${first} (${file}); give it its own output`;
    }
    const force = flags.force === true;
    for (const file of job.action === "submit" ? files : [])
      problem ??= await refusal(assertWritable(file, force));
    // A line of another request must not pay for a job that takes an unsaved paid job's file.
    if (job.action === "submit" && fixed)
      problem ??= await refusal(assertPathFree(video, owners, { force, cwd, selfRequest: job.requestHash }));
    if (problem) plan.invalid.push({ line: job.line, message: problem });
    else {
      for (const file of files) claimed.set(file, job.line);
      keep.push(job);
    }
  }
  plan.jobs = keep;
  plan.invalid.sort((a, b) => a.line - b.line);
}
