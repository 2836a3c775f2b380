import type { JobRecord, UncertainCreate } from "../index.js";
import { UsageError } from "../util/errors.js";
import { taskStatuses } from "../util/task-status.js";
import type { Output } from "../ui/output.js";
import type { Column } from "../ui/fit-table.js";
import { printTable, renderTsv, truncate } from "../ui/table.js";
import { fitMiddle } from "../ui/text-width.js";
import { displayPath } from "../util/paths.js";
import { formatAge, formatCost, plural } from "../util/format.js";
import type { CommonFlags } from "./cli-output.js";
import { type CommandRuntime as Runtime, clientFor, createOutput } from "./cli-output.js";

export interface JobsFlags extends CommonFlags {
  status?: string;
  limit?: string;
  ids?: boolean;
  wide?: boolean;
}

function isStatus(value: string): value is (typeof taskStatuses)[number] {
  return (taskStatuses as readonly string[]).includes(value);
}

/** Creates that may have made (and billed) a job whose id nobody received: the user must know. */
function reportUncertain(out: Output, shown: readonly UncertainCreate[], here: string | undefined): void {
  if (shown.length === 0) return;
  const n = shown.length;
  out.info(
    `${plural(n, "create")} may have reached a gateway with no id known; check its dashboard before sending again:`,
  );
  for (const u of shown) {
    const from = u.host === undefined || u.host === here ? "" : ` from ${u.host}`;
    out.info(`  ${u.provider} at ${u.at}${from}: ${truncate(u.prompt ?? "(prompt not recorded)", 60)}`);
  }
}

/**
 * For a person: ages, prompts cut to their start, files relative to the working folder, and a
 * COST column once any shown job has a reported cost, a HOST column once a shared journal shows
 * another machine's job; with --wide every value whole. On a narrow
 * terminal FILE gives way first (cut in its middle, then left out), then PROMPT, then the ID's
 * middle, then AGE and COST; ID, PROVIDER and STATUS always stay.
 */
/** A shared journal's HOST column, once a shown job is another machine's: alone, it would say nothing. */
const showsHost = (shown: readonly JobRecord[], here: string | undefined): boolean =>
  shown.some((j) => j.host !== undefined && j.host !== here);

function tableOf(
  shown: readonly JobRecord[],
  cwd: string,
  wide: boolean,
  here: string | undefined,
): [Column[], string[][]] {
  const now = Date.now();
  // Most gateways report no cost, so the column would mostly be dashes.
  const withCost = shown.some((j) => j.cost !== undefined);
  const withHost = showsHost(shown, here);
  const rows = shown.map((j) => [
    j.id,
    j.provider,
    j.status,
    ...(withHost ? [j.host ?? "-"] : []),
    formatAge(j.createdAt, now),
    ...(withCost ? [j.cost ? formatCost(j.cost) : "-"] : []),
    truncate(j.params.prompt, wide ? Infinity : 40),
    j.download ? (wide ? j.download.path : displayPath(j.download.path, cwd)) : "",
  ]);
  const columns: Column[] = [
    { header: "ID", giveWay: 3, min: 15, floor: 9, cut: fitMiddle },
    { header: "PROVIDER" },
    { header: "STATUS" },
    ...(withHost ? [{ header: "HOST", giveWay: 4, optional: true }] : []),
    { header: "AGE", giveWay: 4, optional: true },
    ...(withCost ? [{ header: "COST", giveWay: 5, optional: true }] : []),
    { header: "PROMPT", giveWay: 2, min: 20, optional: true },
    { header: "FILE", giveWay: 1, min: 24, optional: true, cut: fitMiddle },
  ];
  return [columns, rows];
}

/**
 * The journal (newest first), like `gh run list`: a table on a terminal, tab-separated rows for a
 * pipe or file, ids alone with --ids. Reads only local state: no key, no network.
 */
export async function runJobs(flags: JobsFlags, runtime: Runtime): Promise<void> {
  const out = await createOutput(flags, runtime);
  if (out.mode.json && flags.ids) throw new UsageError("--ids and --json cannot be combined; pick one");
  const status = flags.status?.trim().toLowerCase();
  if (status !== undefined && !isStatus(status)) {
    throw new UsageError(`--status ${flags.status} is not a status; accepted: ${taskStatuses.join(", ")}`);
  }
  const limit = Number(flags.limit ?? "20");
  if (!Number.isInteger(limit) || limit < 0)
    throw new UsageError(`--limit ${flags.limit} must be a whole number (0 = all)`);
  const provider = flags.provider?.trim().toLowerCase();
  const list = await clientFor(flags, runtime, out).jobs({
    limit,
    ...(status === undefined ? {} : { status }),
    ...(provider === undefined ? {} : { provider }),
  });
  const shown = list.jobs;
  if (out.mode.json) {
    out.resultJson(shown);
    return;
  }
  reportUncertain(out, list.uncertain, list.host);
  if (shown.length === 0) {
    out.info(list.total === 0 ? "no jobs yet: grokvid create ... records every job here" : "no jobs match");
    return;
  }
  if (flags.ids) {
    for (const j of shown) out.result(j.id);
  } else if (out.streams.stdout.isTTY === true) {
    printTable(out, ...tableOf(shown, runtime.cwd, flags.wide === true, list.host), flags.wide === true);
  } else {
    // For scripts: every column always there (an empty field when unknown), full values, exact
    // times; a shared journal's host last, so the first seven columns mean the same everywhere.
    const withHost = showsHost(shown, list.host);
    const rows = shown.map((j) => [
      j.id,
      j.provider,
      j.status,
      j.createdAt,
      j.cost ? formatCost(j.cost) : "",
      j.params.prompt,
      j.download?.path ?? "",
      ...(withHost ? [j.host ?? ""] : []),
    ]);
    for (const line of renderTsv(rows)) out.result(line);
  }
  if (list.matching > shown.length)
    out.info(`${list.matching - shown.length} more; use --limit 0 to see all`);
}
