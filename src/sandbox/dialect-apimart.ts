import * as z from "../util/zod.js";
import { FAILURE_STATUS, type FailureKind } from "./auth.js";
import { apimartBalanceRoutes } from "./balance.js";
import { type RequestContext, sendJson } from "./context.js";
import { chooseDisplaySize } from "./display-size.js";
import { decodeTaskId, encodeTaskId } from "./ids.js";
import {
  answerCreateMarker,
  dispatchRoutes,
  type ErrorRenderer,
  readTaskOutcome,
  type Route,
  rejectUnauthorized,
  requireJsonBody,
  sendFailure,
} from "./routing.js";
import { answerId, failReason, queryState } from "./hostile.js";
import { computeTaskState, type TaskPhase, toUnixSeconds } from "./tasks.js";
import { describeTypeError, isHttpUrl, requiredPrompt, validateBody } from "./validate.js";

/** apimart and xcompute share fields, limits and error body; they differ in model, create and query shapes. */
export type ApimartFamily = "apimart" | "xcompute";

const MODELS: Record<ApimartFamily, string> = {
  apimart: "grok-imagine-1.5-video-apimart",
  xcompute: "grok-imagine-1.0-video-apimart",
};

const SIZES = ["16:9", "9:16", "1:1", "3:2", "2:3"] as const;
const QUALITIES = ["480p", "720p"] as const;
const STATUS_WORDS: Record<TaskPhase, string> = {
  queued: "pending",
  running: "processing",
  completed: "completed",
  failed: "failed",
};

// Types documented in S2; 404/405/413 have no documented type, so these are the sandbox's choice.
const ERROR_TYPES: Record<FailureKind, string> = {
  invalid_request: "invalid_request_error",
  unauthorized: "authentication_error",
  payment_required: "payment_required",
  forbidden: "permission_error",
  not_found: "not_found_error",
  method_not_allowed: "invalid_request_error",
  payload_too_large: "invalid_request_error",
  rate_limited: "rate_limit_error",
  server_error: "server_error",
  bad_gateway: "bad_gateway",
  // Undocumented; named like the documented bad_gateway.
  service_unavailable: "service_unavailable",
};

/** Documented shape: {error:{code:<HTTP status as int>, message, type}}. */
const renderError: ErrorRenderer = (kind, message) => ({
  error: { code: FAILURE_STATUS[kind], message, type: ERROR_TYPES[kind] },
});

function buildCreateSchema(family: ApimartFamily) {
  const model = MODELS[family];
  const durationMessage = "duration must be a bare integer from 6 to 30 (no quotes)";
  return z.object(
    {
      model: z
        .string({ error: describeTypeError("model", "a string") })
        .refine((value) => value === model, { error: `model must be ${model}` }),
      prompt: requiredPrompt(),
      size: z.enum(SIZES, { error: `size must be one of ${SIZES.join(", ")}` }).optional(),
      duration: z
        .number({ error: durationMessage })
        .int({ error: durationMessage })
        .min(6, { error: durationMessage })
        .max(30, { error: durationMessage })
        .optional(),
      quality: z.enum(QUALITIES, { error: `quality must be one of ${QUALITIES.join(", ")}` }).optional(),
      image_urls: z
        .array(
          z.string({ error: "image_urls entries must be strings" }).refine(isHttpUrl, {
            error: "image_urls entries must be public http(s) URLs; base64 and data URIs are not supported",
          }),
          { error: "image_urls must be an array of URLs" },
        )
        .max(7, { error: "image_urls accepts at most 7 images" })
        .optional(),
    },
    { error: "request body must be a JSON object" },
  );
}

const SCHEMAS = { apimart: buildCreateSchema("apimart"), xcompute: buildCreateSchema("xcompute") };

function handleCreate(ctx: RequestContext, family: ApimartFamily): void {
  if (rejectUnauthorized(ctx, renderError, "create")) return;
  const json = requireJsonBody(ctx, renderError);
  if (!json) return;
  const checked = validateBody(SCHEMAS[family], json.value);
  if (!checked.ok) {
    sendFailure(ctx, renderError, "invalid_request", checked.issue.message);
    return;
  }
  const body = checked.data;
  if (answerCreateMarker(ctx, renderError, body.prompt)) return;
  const resolution = body.quality === "720p" ? "720P" : "480P";
  const id = encodeTaskId({
    dialect: family,
    outcome: readTaskOutcome(ctx, body.prompt),
    createdMs: ctx.nowMs,
    seconds: body.duration ?? 6,
    resolution,
    ...chooseDisplaySize(ctx, body.size, resolution),
  });
  if (family === "apimart") {
    sendJson(ctx, 200, { code: 200, data: [{ task_id: id, status: "submitted" }] });
    return;
  }
  sendJson(ctx, 200, {
    code: 200,
    data: { id, status: "submitted", progress: 0, created: toUnixSeconds(ctx.nowMs), type: "video" },
  });
}

function buildTaskData(
  ctx: RequestContext,
  id: string,
  createdMs: number,
  state: ReturnType<typeof computeTaskState>,
) {
  const totalSeconds = Math.ceil((ctx.timeline.queuedMs + ctx.timeline.runningMs) / 1000);
  const data: Record<string, unknown> = {
    id: answerId(ctx, id),
    status: STATUS_WORDS[state.phase],
    progress: state.progress,
    created: toUnixSeconds(createdMs),
    estimated_time: totalSeconds,
  };
  if (state.phase === "completed") {
    const url = ctx.fileUrl(id);
    data.result = { videos: [{ url: ctx.variants.apimartUrl === "string" ? url : [url] }] };
  }
  if (state.finishedMs !== undefined) {
    data.completed = toUnixSeconds(state.finishedMs);
    data.actual_time = totalSeconds;
  }
  if (state.phase === "failed") data.error = { message: failReason(ctx) };
  return data;
}

function handleQuery(ctx: RequestContext, family: ApimartFamily, id: string): void {
  if (rejectUnauthorized(ctx, renderError, "query")) return;
  const info = decodeTaskId(id, family);
  if (!info) {
    sendFailure(ctx, renderError, "not_found", `task not found: ${id}`);
    return;
  }
  const state = queryState(ctx, computeTaskState(info, ctx.nowMs, ctx.timeline));
  const data = buildTaskData(ctx, id, info.createdMs, state);
  // xcompute's only documented query example is flat; "wrapped" mirrors apimart for clients that expect it.
  const flat = family === "xcompute" && ctx.variants.xcomputeQuery === "flat";
  sendJson(ctx, 200, flat ? data : { code: 200, data });
}

export function handleApimartFamily(ctx: RequestContext, family: ApimartFamily): Promise<void> {
  const routes: Route[] = [
    {
      pattern: ["v1", "videos", "generations"],
      methods: ["POST"],
      target: "create",
      handle: (c) => handleCreate(c, family),
    },
    {
      pattern: ["v1", "tasks", ":id"],
      methods: ["GET"],
      target: "query",
      handle: (c, id) => handleQuery(c, family, id),
    },
    ...apimartBalanceRoutes(renderError),
  ];
  return dispatchRoutes(ctx, routes, renderError);
}
