import type { FailureKind } from "./auth.js";
import { newApiBalanceRoutes } from "./balance.js";
import { type RequestContext, sendJson } from "./context.js";
import {
  type DuoyuanxCreate,
  isMultipartModel,
  MULTIPART_MODELS,
  PREVIEW_MODEL,
  readModelField,
  validateMultipart,
  validatePreviewJson,
} from "./duoyuanx-validate.js";
import { chooseDisplaySize } from "./display-size.js";
import { sendVideo } from "./files.js";
import { decodeTaskId, encodeTaskId, type TaskInfo } from "./ids.js";
import {
  answerCreateMarker,
  dispatchRoutes,
  type ErrorRenderer,
  readTaskOutcome,
  type Route,
  rejectUnauthorized,
  sendFailure,
} from "./routing.js";
import { answerId, failReason, queryState } from "./hostile.js";
import { computeTaskState, type TaskPhase, toUnixSeconds } from "./tasks.js";
import type { Validation } from "./validate.js";

/**
 * new-api's OpenAI-style error body. S1 documents the 400 ({message, type:"new_api_error", param,
 * code:"invalid_request"}); the codes for the other statuses are the sandbox's choice.
 */
const ERROR_CODES: Record<FailureKind, string> = {
  invalid_request: "invalid_request",
  unauthorized: "invalid_api_key",
  payment_required: "insufficient_user_quota",
  forbidden: "access_denied",
  not_found: "not_found",
  method_not_allowed: "method_not_allowed",
  payload_too_large: "request_body_too_large",
  rate_limited: "rate_limit_exceeded",
  server_error: "internal_error",
  bad_gateway: "bad_gateway",
  service_unavailable: "service_unavailable",
};

const renderError: ErrorRenderer = (kind, message, param) => ({
  error: {
    message,
    type: "new_api_error",
    ...(param === undefined ? {} : { param }),
    code: ERROR_CODES[kind],
  },
});

function readStatusWord(ctx: RequestContext, phase: TaskPhase): string {
  return phase === "running" ? ctx.variants.duoyuanxRunning : phase;
}

function validateCreate(ctx: RequestContext): Validation<DuoyuanxCreate> | undefined {
  const body = ctx.body;
  if (body.kind === "too-large") {
    sendFailure(ctx, renderError, "payload_too_large", "request body too large");
    return undefined;
  }
  if (body.kind === "invalid-multipart") return { ok: false, issue: { param: "", message: body.reason } };
  if (body.kind !== "json" && body.kind !== "multipart") {
    return { ok: false, issue: { param: "", message: "request body must be JSON or multipart/form-data" } };
  }
  const model = readModelField(body);
  if (model === undefined || model === "")
    return { ok: false, issue: { param: "model", message: "model is required" } };
  if (model === PREVIEW_MODEL) {
    if (body.kind === "json") return validatePreviewJson(body.value);
    return {
      ok: false,
      issue: {
        param: "model",
        message: `${PREVIEW_MODEL} takes an application/json body, not multipart/form-data`,
      },
    };
  }
  if (isMultipartModel(model)) {
    if (body.kind === "multipart") return validateMultipart(model, body.parts);
    return {
      ok: false,
      issue: {
        param: "model",
        message: `${model} requires a multipart/form-data body (prompt, seconds, size, input_reference file)`,
      },
    };
  }
  return {
    ok: false,
    issue: {
      param: "model",
      message: `model ${model} is not supported; use ${PREVIEW_MODEL} or ${MULTIPART_MODELS.join(", ")}`,
    },
  };
}

function handleCreate(ctx: RequestContext): void {
  if (rejectUnauthorized(ctx, renderError, "create")) return;
  const checked = validateCreate(ctx);
  if (!checked) return;
  if (!checked.ok) {
    sendFailure(ctx, renderError, "invalid_request", checked.issue.message, checked.issue.param);
    return;
  }
  const task = checked.data;
  if (answerCreateMarker(ctx, renderError, task.prompt)) return;
  const id = encodeTaskId({
    dialect: "duoyuanx",
    outcome: readTaskOutcome(ctx, task.prompt),
    createdMs: ctx.nowMs,
    model: task.model,
    seconds: task.seconds,
    resolution: task.size,
    ...chooseDisplaySize(ctx, task.ratio, task.size),
  });
  sendJson(ctx, 200, {
    id,
    object: "video",
    model: task.model,
    status: "queued",
    progress: 0,
    created_at: toUnixSeconds(ctx.nowMs),
    seconds: String(task.seconds),
    size: task.size,
    video_url: "",
  });
}

function buildVideo(ctx: RequestContext, id: string, info: TaskInfo) {
  const state = queryState(ctx, computeTaskState(info, ctx.nowMs, ctx.timeline));
  // Only the JSON preview model hands out a direct URL; the multipart models leave video_url empty so
  // clients must fall back to GET /v1/videos/{id}/content, as the docs tell them to.
  const direct = state.phase === "completed" && info.model === PREVIEW_MODEL;
  return {
    id: answerId(ctx, id),
    object: "video",
    model: info.model ?? PREVIEW_MODEL,
    status: readStatusWord(ctx, state.phase),
    progress: state.progress,
    created_at: toUnixSeconds(info.createdMs),
    ...(state.finishedMs === undefined ? {} : { completed_at: toUnixSeconds(state.finishedMs) }),
    seconds: String(info.seconds ?? 6),
    size: info.resolution ?? "720P",
    video_url: direct ? ctx.fileUrl(id) : "",
    ...(state.phase === "failed"
      ? { error: { message: failReason(ctx), code: "video_generation_failed" } }
      : {}),
  };
}

function handleQuery(ctx: RequestContext, id: string): void {
  if (rejectUnauthorized(ctx, renderError, "query")) return;
  const info = decodeTaskId(id, "duoyuanx");
  if (!info) {
    // new-api answers an unknown task with HTTP 400 task_not_exist, not 404 (relay_task.go).
    sendJson(ctx, 400, {
      error: { message: "task_not_exist", type: "new_api_error", code: "task_not_exist" },
    });
    return;
  }
  sendJson(ctx, 200, buildVideo(ctx, id, info));
}

function handleContent(ctx: RequestContext, id: string): void {
  if (rejectUnauthorized(ctx, renderError, "query")) return;
  const info = decodeTaskId(id, "duoyuanx");
  if (!info) {
    // new-api's video proxy errors carry only {message, type} (controller/video_proxy.go).
    sendJson(ctx, 404, { error: { message: "Task not found", type: "new_api_error" } });
    return;
  }
  const state = computeTaskState(info, ctx.nowMs, ctx.timeline);
  if (state.phase !== "completed") {
    const message = `Task is not completed yet, current status: ${readStatusWord(ctx, state.phase)}`;
    sendJson(ctx, 400, { error: { message, type: "new_api_error" } });
    return;
  }
  sendVideo(ctx, id, { "Cache-Control": "public, max-age=86400" });
}

const ROUTES: Route[] = [
  { pattern: ["v1", "videos"], methods: ["POST"], target: "create", handle: handleCreate },
  { pattern: ["v1", "videos", ":id"], methods: ["GET"], target: "query", handle: handleQuery },
  {
    pattern: ["v1", "videos", ":id", "content"],
    methods: ["GET", "HEAD"],
    target: "download",
    handle: handleContent,
  },
  ...newApiBalanceRoutes(renderError),
];

export function handleDuoyuanx(ctx: RequestContext): Promise<void> {
  return dispatchRoutes(ctx, ROUTES, renderError);
}
