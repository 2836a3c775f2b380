import { readFile } from "node:fs/promises";
import { UsageError } from "../../util/errors.js";
import { taskStatuses, type TaskStatus } from "../../util/task-status.js";
import { parseDuration } from "../../util/duration.js";
import * as z from "../../util/zod.js";
import { type JobRecord, jobKey } from "../journal/journal.js";
import { checkProviderFilter } from "../gateway/provider-filter.js";

/** Which jobs a gallery shows; every filter narrows the journal's jobs. */
export interface GallerySelection {
  status?: string;
  provider?: string;
  /** Only jobs created this long ago or less ("2h", "30m", "1d" is not a unit: "24h"). */
  since?: string;
  /** A batch manifest (`batch --manifest`): only its jobs, in its line order. */
  batch?: string;
  /** Exactly these jobs, in this order (what `batch --gallery` passes), with their batch lines. */
  jobs?: readonly NamedJob[];
}

/** A job a batch made, and the line of the batch file that made it. */
export interface NamedJob {
  id: string;
  provider: string;
  line?: number;
}

/** A manifest entry: only what names a job is read; lines that never made one have id null. */
const manifestSchema = z.array(
  z.object({ id: z.string().nullable(), provider: z.string().nullable(), line: z.number().optional() }),
);

async function readManifest(path: string): Promise<NamedJob[]> {
  const text = await readFile(path, "utf8").catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read the batch manifest ${path} (${err.code ?? err.message})`);
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not JSON: pass the file written by grokvid batch --manifest`);
  }
  const checked = manifestSchema.safeParse(parsed);
  if (!checked.success)
    throw new UsageError(
      `${path} is not a batch manifest: pass the file written by grokvid batch --manifest`,
    );
  return checked.data.flatMap((e) =>
    e.id !== null && e.provider !== null
      ? [{ id: e.id, provider: e.provider, ...(e.line === undefined ? {} : { line: e.line }) }]
      : [],
  );
}

function checkStatus(status: string | undefined): TaskStatus | undefined {
  if (status === undefined) return undefined;
  const found = taskStatuses.find((s) => s === status.trim().toLowerCase());
  if (!found)
    throw new UsageError(`status must be one of ${taskStatuses.join(", ")} (got "${status}")`, {
      option: "status",
    });
  return found;
}

function checkSince(since: string | undefined): number | undefined {
  if (since === undefined) return undefined;
  const ms = parseDuration(since);
  if (ms === undefined || ms <= 0)
    throw new UsageError(`since must be a duration such as 30m, 2h or 48h (got "${since}")`, {
      option: "since",
    });
  return ms;
}

/**
 * The jobs to show. Checks every filter before reading anything, so a typo is exit 2 with nothing
 * written. Jobs named by a manifest or a list keep that order; otherwise newest first.
 */
export async function selectJobs(
  all: readonly JobRecord[],
  selection: GallerySelection,
  env: {
    resolvePath: (path: string) => string;
    nowMs: number;
    /** Providers grokvid knows besides those in the journal (built in and configured). */
    providers: readonly string[];
  },
): Promise<{ jobs: JobRecord[]; lines?: ReadonlyMap<string, number> }> {
  const { nowMs } = env;
  const status = checkStatus(selection.status);
  const sinceMs = checkSince(selection.since);
  const provider = checkProviderFilter(selection.provider, [...env.providers, ...all.map((j) => j.provider)]);
  const named =
    selection.jobs ??
    (selection.batch === undefined ? undefined : await readManifest(env.resolvePath(selection.batch)));
  let jobs: JobRecord[];
  const lines = new Map<string, number>();
  if (named) {
    const byKey = new Map(all.map((job) => [jobKey(job.provider, job.id), job]));
    const seen = new Set<string>();
    jobs = named.flatMap((n) => {
      const key = jobKey(n.provider, n.id);
      const job = byKey.get(key);
      // A manifest names a job once per line that used it (an earlier run's job is "skipped" again).
      if (!job || seen.has(key)) return [];
      seen.add(key);
      if (n.line !== undefined) lines.set(key, n.line);
      return [job];
    });
  } else jobs = [...all].reverse();
  const kept = jobs.filter(
    (job) =>
      (status === undefined || job.status === status) &&
      (provider === undefined || job.provider === provider) &&
      (sinceMs === undefined || nowMs - Date.parse(job.createdAt) <= sinceMs),
  );
  return named ? { jobs: kept, lines } : { jobs: kept };
}
