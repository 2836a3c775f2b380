import {
  type CostEstimate,
  ExitCode,
  GrokvidError,
  type JobSpec,
  type NormalizedTask,
  WaitTimeoutError,
} from "../index.js";
import { isAbsolute, resolve } from "node:path";
import { formatUsd } from "../util/format.js";
import type { Args } from "./args.js";
import { assertAllowed, type CallContext, jobProvider, noteCost, pollFor } from "./context.js";
import { describeTask, isTask, success, type ToolResult, taskView } from "./results.js";

/**
 * An agent does not know the server's working folder: a relative local path is taken from the
 * first folder images may be read from. URLs and data: URIs are left as they are.
 */
function localFrom(folder: string | undefined) {
  return (value: string): string =>
    folder === undefined || /^(https?:|data:)/i.test(value) || isAbsolute(value)
      ? value
      : resolve(folder, value);
}

/** The tool's job fields as the library's spec: only what was given, the config's defaults under it. */
function specOf(args: Args<"estimate_cost">, imagesFrom?: string): JobSpec {
  const local = localFrom(imagesFrom);
  const images = args.image === undefined ? [] : Array.isArray(args.image) ? args.image : [args.image];
  return {
    prompt: args.prompt,
    images: images.map(local),
    ...(args.reference_images === undefined ? {} : { referenceImages: args.reference_images.map(local) }),
    ...(args.provider === undefined ? {} : { provider: args.provider }),
    ...(args.model === undefined ? {} : { model: args.model }),
    ...(args.duration === undefined ? {} : { duration: args.duration }),
    ...(args.ratio === undefined ? {} : { ratio: args.ratio }),
    ...(args.resolution === undefined ? {} : { resolution: args.resolution }),
  };
}

/** The spec's values checked as `create` checks them, its provider allowed, and its price. */
async function checkedEstimate(ctx: CallContext, spec: JobSpec): Promise<CostEstimate> {
  assertAllowed(ctx.settings, spec.provider);
  const estimate = await ctx.client.estimateCost(spec);
  // The provider the client chose when none was named (its configured default) is checked too.
  assertAllowed(ctx.settings, estimate.provider);
  return estimate;
}

const price = (e: CostEstimate): string =>
  e.usd === null ? "unknown price" : `estimated ${formatUsd(e.usd)}`;

export async function estimateCost(ctx: CallContext, args: Args<"estimate_cost">): Promise<ToolResult> {
  const estimate = await checkedEstimate(ctx, specOf(args, ctx.settings.imagesFrom));
  const refusal = ctx.budget.refusal(estimate) ?? null;
  const verdict =
    refusal === null ? "create_video would be allowed" : `create_video would be refused: ${refusal}`;
  return success(
    { estimate, allowed: refusal === null, refusal, budget: ctx.budget.state() },
    `${estimate.provider} ${estimate.model}: ${price(estimate)} (${estimate.basis}); ${verdict}`,
  );
}

/** A create that stopped before its request went out sent nothing, so it costs nothing. */
function nothingSent(err: unknown): boolean {
  return (
    err instanceof GrokvidError &&
    (err.exitCode === ExitCode.usage || err.exitCode === ExitCode.config || err.nothingSent)
  );
}

/** Waits on a task for at most `seconds`; a task still running then is a result, not an error. */
export async function waitAtMost(
  ctx: CallContext,
  id: string,
  seconds: number,
  provider?: string,
): Promise<{ task: NormalizedTask; timedOut: boolean }> {
  try {
    const task = await ctx.client.wait(id, { ...pollFor(ctx, seconds), ...(provider ? { provider } : {}) });
    return { task, timedOut: false };
  } catch (err) {
    if (err instanceof WaitTimeoutError && isTask(err.task)) return { task: err.task, timedOut: true };
    throw err;
  }
}

export async function createVideo(ctx: CallContext, args: Args<"create_video">): Promise<ToolResult> {
  const spec = specOf(args, ctx.settings.imagesFrom);
  const estimate = await checkedEstimate(ctx, spec);
  // Taken synchronously after the estimate: two calls at once cannot both take the last place.
  const place = ctx.budget.reserve(estimate);
  let task: NormalizedTask;
  try {
    task = (await ctx.client.create(spec, { onSubmitted: (t) => place.keep(t.id) })).task;
  } catch (err) {
    if (nothingSent(err)) place.release();
    else place.keep(undefined);
    throw err;
  }
  let timedOut = false;
  const seconds = args.wait_seconds ?? 0;
  if (seconds > 0) ({ task, timedOut } = await waitAtMost(ctx, task.id, seconds));
  noteCost(ctx, task);
  const next = timedOut || seconds === 0 ? "; wait_job or get_job follows it" : "";
  return success(
    { task: taskView(task), estimate, budget: ctx.budget.state(), timedOut },
    `submitted ${describeTask(task)} (${price(estimate)})${next}`,
  );
}

export async function getJob(ctx: CallContext, args: Args<"get_job">): Promise<ToolResult> {
  await jobProvider(ctx, args.id, args.provider);
  const task = await ctx.client.status(
    args.id,
    args.provider === undefined ? {} : { provider: args.provider },
  );
  noteCost(ctx, task);
  return success({ task: taskView(task) }, describeTask(task));
}

export async function waitJob(ctx: CallContext, args: Args<"wait_job">): Promise<ToolResult> {
  await jobProvider(ctx, args.id, args.provider);
  const seconds = args.wait_seconds ?? ctx.settings.maxWaitSeconds;
  const { task, timedOut } = await waitAtMost(ctx, args.id, seconds, args.provider);
  noteCost(ctx, task);
  const after = timedOut ? `; still unfinished after ${seconds} s, call wait_job again` : "";
  return success({ task: taskView(task), timedOut }, `${describeTask(task)}${after}`);
}

export async function cancelJob(ctx: CallContext, args: Args<"cancel_job">): Promise<ToolResult> {
  await jobProvider(ctx, args.id, args.provider);
  const result = await ctx.client.cancel(
    args.id,
    args.provider === undefined ? {} : { provider: args.provider },
  );
  const said =
    result.outcome === "requested"
      ? `${result.provider} took the cancel`
      : `it had already finished on ${result.provider}; nothing to cancel`;
  return success(
    { id: result.id, provider: result.provider, outcome: result.outcome, task: taskView(result.task) },
    `${result.id}: ${result.task.status}; ${said}`,
  );
}
