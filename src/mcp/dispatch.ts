import { UsageError } from "../index.js";
import { type ArgumentSchemas, readArguments, type ToolName } from "./args.js";
import type { CallContext } from "./context.js";
import { downloadJob } from "./download-call.js";
import { balance, listJobs, listProviders } from "./info-calls.js";
import { cancelJob, createVideo, estimateCost, getJob, waitJob } from "./job-calls.js";
import { failure, type ToolResult } from "./results.js";

/** Each tool's work, given its arguments already read and typed. */
const CALLS: {
  [T in ToolName]: (ctx: CallContext, schemas: ArgumentSchemas, args: unknown) => Promise<ToolResult>;
} = {
  create_video: (ctx, s, a) => createVideo(ctx, readArguments(s, "create_video", a)),
  estimate_cost: (ctx, s, a) => estimateCost(ctx, readArguments(s, "estimate_cost", a)),
  get_job: (ctx, s, a) => getJob(ctx, readArguments(s, "get_job", a)),
  wait_job: (ctx, s, a) => waitJob(ctx, readArguments(s, "wait_job", a)),
  download_job: (ctx, s, a) => downloadJob(ctx, readArguments(s, "download_job", a)),
  list_jobs: (ctx, s, a) => listJobs(ctx, readArguments(s, "list_jobs", a)),
  cancel_job: (ctx, s, a) => cancelJob(ctx, readArguments(s, "cancel_job", a)),
  list_providers: (ctx, s, a) => (readArguments(s, "list_providers", a), listProviders(ctx)),
  balance: (ctx, s, a) => balance(ctx, readArguments(s, "balance", a)),
};

const isTool = (name: string): name is ToolName => Object.hasOwn(CALLS, name);

/**
 * One `tools/call`: whatever goes wrong (bad arguments, a refused limit, a gateway's error, a bug)
 * comes back as a tool error with one line, so the server keeps serving.
 */
export async function callTool(
  ctx: CallContext,
  schemas: ArgumentSchemas,
  name: string,
  args: unknown,
): Promise<ToolResult> {
  try {
    if (!isTool(name)) return failure(new UsageError(`there is no tool ${name}; tools/list names them`));
    return await CALLS[name](ctx, schemas, args);
  } catch (err) {
    return failure(err);
  }
}
