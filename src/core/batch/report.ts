import type { DownloadResult } from "../download/download.js";
import { describeDelivery, strictRefusal } from "../media/delivered-check.js";
import type { VideoHeader } from "../media/mp4-header.js";
import { type JobParams, type JobRecord, toJobParams } from "../journal/journal.js";
import { displayPath, sidecarPathFor } from "../download/output-plan.js";
import { writeFileAtomic } from "../../files/safe-file.js";
import { type JobCost, knownCost, sumCostsUsd } from "../../util/cost.js";
import { formatUsd, plural } from "../../util/format.js";
import { ExitCode, type ExitCodeValue } from "../../util/errors.js";
import type { NormalizedTask } from "../../providers/types.js";
import type { TaskStatus } from "../../util/task-status.js";
import type { PlannedJob } from "./plan.js";

/** One entry per input line, in the manifest and in --json. */
export interface ManifestEntry {
  line: number;
  id: string | null;
  provider: string | null;
  status:
    | "succeeded"
    | "failed"
    | "cancelled"
    | "expired"
    | "timed-out"
    | "skipped"
    | "invalid"
    | "error"
    | "uncertain"
    | "interrupted"
    | "not-run";
  path: string | null;
  error: string | null;
  code: ExitCodeValue;
  /** What the gateway said the job cost, or its list price says (`estimate`). */
  cost?: JobCost;
  /** The line's job was made (and paid for) by an earlier run: its cost is not this run's. */
  earlierRun?: true;
  /** What the saved video's header says it is. */
  delivered?: VideoHeader;
  /** How the saved video differs from its line's request, or that its header is unreadable. */
  warnings?: string[];
}

/** What a sidecar says of the request, from a batch line or from the journal's record of it. */
export interface SidecarSource {
  provider: string;
  model: string;
  parameters: JobParams;
}

export function sidecarSource(job: PlannedJob): SidecarSource {
  return { provider: job.provider, model: job.model.id, parameters: toJobParams(job.params) };
}

/**
 * `sidecarPathFor(video)`: everything needed to know later how it was made (never a key). Like the
 * video, it replaces an existing file only with --force, and never writes through a link.
 */
export async function writeSidecar(
  source: SidecarSource,
  task: NormalizedTask,
  saved: DownloadResult,
  opts: { force: boolean } = { force: false },
): Promise<void> {
  const { path, text } = sidecarFile(source, task, saved);
  await writeFileAtomic(path, text, opts);
}

/** The sidecar of a saved video: where it goes and what it says. */
export function sidecarFile(
  source: SidecarSource,
  task: NormalizedTask,
  saved: DownloadResult,
): { path: string; text: string } {
  const sidecar = {
    prompt: source.parameters.prompt,
    parameters: source.parameters,
    provider: source.provider,
    model: source.model,
    id: task.id,
    sourceUrl: saved.sourceUrl,
    sha256: saved.sha256,
    bytes: saved.bytes,
    createdAt: task.createdAt,
    finishedAt: task.updatedAt,
    downloadedAt: new Date().toISOString(),
    ...(saved.delivered ? { delivered: saved.delivered } : {}),
    ...(saved.headerProblem === undefined ? {} : { headerProblem: saved.headerProblem }),
    ...(saved.warnings?.length ? { warnings: saved.warnings } : {}),
    ...(task.cost ? { cost: task.cost } : {}),
  };
  return { path: sidecarPathFor(saved.path), text: `${JSON.stringify(sidecar, null, 2)}\n` };
}

/** Only a terminal word belongs in the manifest; anything else means the run did not see the end. */
export function finalStatus(status: TaskStatus): ManifestEntry["status"] {
  return status === "queued" || status === "running" ? "error" : status;
}

export function entry(job: PlannedJob, fields: Omit<ManifestEntry, "line" | "provider">): ManifestEntry {
  return { line: job.line, provider: job.provider, ...fields };
}

/** A line the journal says is done: reported from the earlier run, nothing sent. */
export function skipped(job: PlannedJob, earlier: JobRecord, cwd: string, strict: boolean): ManifestEntry {
  const ok = earlier.status === "succeeded";
  // Shown like this run's own paths: relative to the working folder when inside it.
  const path = earlier.download ? displayPath(earlier.download.path, cwd) : null;
  // What the journal recorded of the video is checked again, so a re-run with --strict cannot pass
  // a line its first run refused.
  const warnings = earlier.download
    ? describeDelivery(earlier.id, earlier.params, { ...earlier.download, path: path ?? "" })
    : [];
  const refused = strictRefusal(warnings, strict);
  const cost = knownCost(earlier.cost);
  return entry(job, {
    id: earlier.id,
    status: ok ? "skipped" : finalStatus(earlier.status),
    path,
    error: refused ?? earlier.error?.message ?? null,
    code: ok && refused === undefined ? ExitCode.ok : ExitCode.taskFailed,
    // Paid in an earlier run: part of what the batch cost (if the record is a price), said apart.
    ...(cost ? { cost } : {}),
    earlierRun: true,
    ...(earlier.download?.delivered ? { delivered: earlier.download.delivered } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  });
}

/** A line whose video came, and that --strict failed because it is not what was asked. */
export function refusedByStrict(e: ManifestEntry): boolean {
  return (e.status === "succeeded" || e.status === "skipped") && e.code !== ExitCode.ok;
}

/** The user named this file, so an earlier manifest there is replaced (by rename, never through a link). */
export async function writeManifest(path: string, entries: readonly ManifestEntry[]): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(entries, null, 2)}\n`, { force: true });
}

/** `notRunBecause` says why lines never started: --fail-fast, or the signal that stopped the run. */
export function summarize(entries: readonly ManifestEntry[], notRunBecause = "--fail-fast"): string {
  const count = (...statuses: ManifestEntry["status"][]) =>
    entries.filter((e) => statuses.includes(e.status)).length;
  const parts = [
    `${count("succeeded")} succeeded`,
    ...(entries.some(refusedByStrict)
      ? [`${entries.filter(refusedByStrict).length} not as asked (--strict)`]
      : []),
    `${count("failed", "cancelled", "expired")} failed`,
    `${count("timed-out")} timed out`,
    `${count("skipped")} skipped (done earlier)`,
  ];
  const errors = count("error");
  const uncertain = count("uncertain");
  if (uncertain) parts.push(`${uncertain} uncertain (not sent again)`);
  const invalid = count("invalid");
  const notRun = count("not-run");
  if (errors) parts.push(plural(errors, "error"));
  const interrupted = count("interrupted");
  if (interrupted) parts.push(`${interrupted} interrupted`);
  if (invalid) parts.push(`${invalid} invalid`);
  if (notRun) parts.push(`${notRun} not run (${notRunBecause})`);
  // Only plausible prices count: a skipped line's cost comes from a journal an older grokvid wrote.
  const now = describeCosts(entries.filter((e) => !e.earlierRun));
  const before = describeCosts(entries.filter((e) => e.earlierRun));
  if (now) parts.push(`cost ${now}`);
  // A re-run's own spending, and what earlier runs paid for the lines it skipped, said apart.
  if (before) parts.push(`${now ? "plus " : "cost "}${before} paid in earlier runs`);
  return parts.join(", ");
}

/** "$0.30 (2 jobs with a reported cost)", "about $0.42 (...)", or undefined when none has one. */
function describeCosts(entries: readonly ManifestEntry[]): string | undefined {
  const costs = entries.flatMap((e) => knownCost(e.cost) ?? []);
  if (costs.length === 0) return undefined;
  const total = formatUsd(sumCostsUsd(costs.map((c) => c.usd)));
  const estimated = costs.filter((c) => c.estimate).length;
  return estimated === 0
    ? `${total} (${plural(costs.length, "job")} with a reported cost)`
    : `about ${total} (${plural(costs.length, "job")} with a cost, ${estimated} of them estimated from list prices)`;
}
