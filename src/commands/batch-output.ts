import { join, resolve } from "node:path";
import type { GrokvidConfig } from "../config/schema.js";
import { assertWritable } from "../core/download.js";
import { DEFAULT_TEMPLATE, renderFileName, slugify } from "../core/output-path.js";
import type { BatchPlan, PlannedJob } from "./batch-plan.js";

/** The batch flags that decide where each line's video goes. */
export interface OutputFlags {
  outDir?: string;
  template?: string;
  force?: boolean;
}

/** A line's `output`, else the template (with {index} and {slug}) in the output folder. */
export function destFor(
  job: PlannedJob,
  id: string,
  flags: OutputFlags,
  config: GrokvidConfig,
  width: number,
): string {
  if (job.output !== undefined) return job.output;
  const template = flags.template ?? config.download?.template ?? DEFAULT_TEMPLATE;
  const name = renderFileName(template, {
    provider: job.provider,
    id,
    date: new Date(),
    index: String(job.ordinal).padStart(width, "0"),
    slug: slugify(job.params.prompt),
  });
  return join(flags.outDir ?? config.download?.dir ?? ".", name);
}

/**
 * Two lines that would write the same file (the same `output`, or a template without {id} that
 * renders alike) are refused before anything is paid for, as is a fixed name that already exists.
 */
export async function rejectCollisions(
  plan: BatchPlan,
  flags: OutputFlags,
  config: GrokvidConfig,
): Promise<void> {
  const width = String(plan.jobs.length).length;
  const template = flags.template ?? config.download?.template ?? DEFAULT_TEMPLATE;
  const claimed = new Map<string, number>();
  const keep: PlannedJob[] = [];
  for (const job of plan.jobs) {
    const fixed = job.output !== undefined || !template.includes("{id}");
    const path = fixed && job.action !== "skip" ? resolve(destFor(job, "", flags, config, width)) : undefined;
    const first = path === undefined ? undefined : claimed.get(path);
    let problem: string | undefined;
    if (first !== undefined)
      problem = `writes the same file as line ${first} (${path}); give it its own output`;
    else if (path !== undefined && job.action === "submit") {
      problem = await assertWritable(path, flags.force === true).then(
        () => undefined,
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      );
    }
    if (problem) plan.invalid.push({ line: job.line, message: problem });
    else {
      if (path !== undefined) claimed.set(path, job.line);
      keep.push(job);
    }
  }
  plan.jobs = keep;
  plan.invalid.sort((a, b) => a.line - b.line);
}
