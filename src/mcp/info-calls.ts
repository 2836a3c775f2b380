import type { JobRecord, ModelSummary } from "../index.js";
import { formatUsd } from "../util/format.js";
import type { Args } from "./args.js";
import { assertAllowed, type CallContext } from "./context.js";
import { success, type ToolResult } from "./results.js";

const DEFAULT_LIMIT = 20;

function row(job: JobRecord): Record<string, unknown> {
  return {
    id: job.id,
    provider: job.provider,
    model: job.model,
    status: job.status,
    prompt: job.params.prompt,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    cost: job.cost ?? null,
    savedTo: job.download?.path ?? null,
  };
}

/** The journal, newest first: jobs of this server and of the user's own grokvid alike. Local only. */
export async function listJobs(ctx: CallContext, args: Args<"list_jobs">): Promise<ToolResult> {
  const list = await ctx.client.jobs({
    limit: args.limit ?? DEFAULT_LIMIT,
    ...(args.provider === undefined ? {} : { provider: args.provider }),
    ...(args.status === undefined ? {} : { status: args.status }),
  });
  const lines = list.jobs.map((j) => `${j.id}\t${j.provider}\t${j.status}\t${j.params.prompt.slice(0, 60)}`);
  const head = `${list.jobs.length} of ${list.matching} matching jobs (${list.total} in the journal)`;
  const uncertain =
    list.uncertain.length > 0
      ? `; ${list.uncertain.length} creates may have reached a gateway with no id known`
      : "";
  return success(
    {
      jobs: list.jobs.map(row),
      matching: list.matching,
      total: list.total,
      uncertain: list.uncertain.length,
    },
    [head + uncertain, ...lines].join("\n"),
  );
}

function describeModel(m: ModelSummary): string {
  const d = m.durations;
  const seconds = d.kind === "set" ? d.values.join("/") : `${d.min}-${d.max ?? "..."}`;
  const resolutions = m.resolutions.length > 0 ? `; ${m.resolutions.join(", ")}` : "";
  return `${m.id} (${seconds} s${resolutions})`;
}

/** The providers this server may use, with each model's limits, and the spending limits. */
export async function listProviders(ctx: CallContext): Promise<ToolResult> {
  const allowed = ctx.settings.providers;
  const providers = (await ctx.client.providers()).filter((p) => !allowed || allowed.includes(p.id));
  const budget = ctx.budget.state();
  const limit = (n: number | null, show: (n: number) => string) => (n === null ? "no limit" : show(n));
  const limits = `this server: ${budget.jobs.created} of ${limit(budget.jobs.limit, String)} jobs created, ${formatUsd(budget.usd.counted)} of ${limit(budget.usd.limit, formatUsd)} counted`;
  const lines = providers.map((p) => `${p.id}: ${p.models.map(describeModel).join(", ")}`);
  return success({ providers, budget }, [limits, ...lines].join("\n"));
}

export async function balance(ctx: CallContext, args: Args<"balance">): Promise<ToolResult> {
  assertAllowed(ctx.settings, args.provider);
  const result = await ctx.client.balance(args.provider === undefined ? {} : { provider: args.provider });
  const left = result.unlimited
    ? "unlimited"
    : `${result.remaining === null ? "unknown" : result.remaining.toLocaleString("en-US")} ${result.unit} left`;
  return success({ ...result }, `${result.provider}: ${left}`);
}
