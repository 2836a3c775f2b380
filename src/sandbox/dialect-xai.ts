import type { FailureKind } from "./auth.js";
import { type RequestContext, sendBytes, sendJson } from "./context.js";
import { decodeTaskId, encodeTaskId, type TaskInfo, type TaskOutcome, type XaiKind } from "./ids.js";
import { answerId, failReason, keyOf, queryState, reportedCostTicks } from "./hostile.js";
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
import { computeTaskState, type TaskState } from "./tasks.js";
import type { Validation } from "./validate.js";
import {
  buildEditJob,
  buildExtensionJob,
  buildGenerationJob,
  computeCostTicks,
  type XaiJob,
} from "./xai-jobs.js";
import { validateEdit, validateExtension, validateGeneration } from "./xai-validate.js";

/**
 * xAI's error `code` is a gRPC status description. "Client specified an invalid argument" was seen
 * live, also for a wrong key; the others are the matching gRPC texts, the sandbox's choice.
 */
const FLAT_CODES: Record<FailureKind, string> = {
  invalid_request: "Client specified an invalid argument",
  unauthorized: "Client specified an invalid argument",
  payment_required: "The caller does not have permission to execute the specified operation",
  forbidden: "The caller does not have permission to execute the specified operation",
  not_found: "Some requested entity was not found",
  method_not_allowed: "The operation is not implemented or is not supported/enabled in this service",
  payload_too_large: "Client specified an invalid argument",
  rate_limited: "Some resource has been exhausted, perhaps a per-user quota",
  server_error: "Internal error",
  bad_gateway: "The service is currently unavailable",
  service_unavailable: "The service is currently unavailable",
};

/** The nested shape's `type` and `code` (what Vercel's xai-error.ts parses); the values are the sandbox's choice. */
const NESTED: Record<FailureKind, { type: string; code: string }> = {
  invalid_request: { type: "invalid_request_error", code: "invalid_argument" },
  unauthorized: { type: "authentication_error", code: "invalid_api_key" },
  payment_required: { type: "permission_error", code: "insufficient_credits" },
  forbidden: { type: "permission_error", code: "permission_denied" },
  not_found: { type: "invalid_request_error", code: "not_found" },
  method_not_allowed: { type: "invalid_request_error", code: "unimplemented" },
  payload_too_large: { type: "invalid_request_error", code: "request_too_large" },
  rate_limited: { type: "rate_limit_error", code: "rate_limit_exceeded" },
  server_error: { type: "server_error", code: "internal_error" },
  bad_gateway: { type: "server_error", code: "unavailable" },
  service_unavailable: { type: "server_error", code: "unavailable" },
};

/** providers.md section 6 lists both bodies (flat seen live, nested in Vercel's client): a variant picks one. */
function rendererFor(ctx: RequestContext): ErrorRenderer {
  return (kind, message, param) => {
    // What xAI says for a wrong key, with the sandbox's own reason after it (never the key).
    const text = kind === "unauthorized" ? `Incorrect API key provided: ${message}` : message;
    if (ctx.variants.xaiErrors === "flat") return { code: FLAT_CODES[kind], error: text };
    return {
      error: { message: text, type: NESTED[kind].type, param: param ?? null, code: NESTED[kind].code },
    };
  };
}

/** `[moderated]` and `[expired]` script xAI's own endings, after the markers every dialect knows. */
function readXaiOutcome(ctx: RequestContext, prompt: string): TaskOutcome {
  const outcome = readTaskOutcome(ctx, prompt);
  if (outcome !== "normal") return outcome;
  if (prompt.includes("[moderated]")) return "moderated";
  if (prompt.includes("[expired]")) return "expired";
  return "normal";
}

function readJob(ctx: RequestContext, kind: XaiKind, value: unknown): Validation<XaiJob> {
  if (kind === "generation") {
    const checked = validateGeneration(value);
    return checked.ok ? { ok: true, data: buildGenerationJob(ctx, checked.data) } : checked;
  }
  const checked = kind === "edit" ? validateEdit(value) : validateExtension(value);
  if (!checked.ok) return checked;
  return kind === "edit" ? buildEditJob(ctx, checked.data) : buildExtensionJob(ctx, checked.data);
}

function handleCreate(ctx: RequestContext, kind: XaiKind): void {
  const render = rendererFor(ctx);
  if (rejectUnauthorized(ctx, render, "create")) return;
  const key = keyOf(ctx.req);
  // Before the body is read, as a limiter in front of the API would; only accepted creates count.
  if (ctx.pacer.isTooSoon(key, ctx.nowMs)) {
    sendFailure(ctx, render, "rate_limited", "too many requests: video models allow 1 request per second");
    return;
  }
  const json = requireJsonBody(ctx, render);
  if (!json) return;
  const checked = readJob(ctx, kind, json.value);
  if (!checked.ok) {
    sendFailure(ctx, render, "invalid_request", checked.issue.message, checked.issue.param);
    return;
  }
  const job = checked.data;
  if (answerCreateMarker(ctx, render, job.prompt)) return;
  const id = encodeTaskId({
    dialect: "xai",
    outcome: readXaiOutcome(ctx, job.prompt),
    createdMs: ctx.nowMs,
    model: job.model,
    seconds: job.seconds,
    resolution: job.resolution,
    kind: job.kind,
    billedSeconds: job.billedSeconds,
    ...job.size,
  });
  ctx.pacer.recordAccepted(key, ctx.nowMs);
  sendJson(ctx, 200, { request_id: id });
}

/** HTTP 202 while not done, in the shape the xaiWaiting variant picks (see types.ts). */
function sendWaiting(ctx: RequestContext, id: string, state: TaskState): void {
  const variant = ctx.variants.xaiWaiting;
  if (variant === "empty" || (variant === "mixed" && state.phase === "queued")) {
    // Labelled JSON with nothing in it (the sandbox's choice): a client must look at the length, not the type.
    sendBytes(ctx, 202, { "Content-Type": "application/json; charset=utf-8", "Content-Length": 0 });
  } else if (variant === "bare") {
    sendJson(ctx, 202, { request_id: answerId(ctx, id) });
  } else {
    sendJson(ctx, 202, { status: "pending", progress: state.progress });
  }
}

function buildDone(ctx: RequestContext, id: string, info: TaskInfo) {
  // A moderated video is withheld (no URL) but billed all the same.
  const moderated = info.outcome === "moderated";
  return {
    request_id: answerId(ctx, id),
    status: "done",
    model: info.model ?? "grok-imagine-video",
    progress: 100,
    video: {
      url: moderated ? "" : ctx.fileUrl(id),
      duration: info.seconds ?? 0,
      respect_moderation: !moderated,
    },
    usage: { cost_in_usd_ticks: reportedCostTicks(ctx, computeCostTicks(info)) },
  };
}

function handlePoll(ctx: RequestContext, id: string): void {
  const render = rendererFor(ctx);
  if (rejectUnauthorized(ctx, render, "query")) return;
  const info = decodeTaskId(id, "xai");
  if (!info) {
    sendFailure(ctx, render, "not_found", `no video request with id ${id}`);
    return;
  }
  const state = queryState(ctx, computeTaskState(info, ctx.nowMs, ctx.timeline));
  const requestId = answerId(ctx, id);
  if (state.phase === "queued" || state.phase === "running") sendWaiting(ctx, id, state);
  else if (state.phase === "failed") {
    sendJson(ctx, 200, {
      request_id: requestId,
      status: "failed",
      error: { code: "internal_error", message: failReason(ctx) },
    });
  } else if (info.outcome === "expired") sendJson(ctx, 200, { request_id: requestId, status: "expired" });
  else sendJson(ctx, 200, buildDone(ctx, id, info));
}

/**
 * xAI's `GET /v1/api-key`: what the key is, never the key (a redacted form). It costs nothing, so
 * `grokvid doctor` asks it to learn whether a key is accepted.
 */
function handleApiKey(ctx: RequestContext): void {
  const render = rendererFor(ctx);
  if (rejectUnauthorized(ctx, render, "query")) return;
  sendJson(ctx, 200, {
    redacted_api_key: "xai-...sbox",
    api_key_id: "sandbox-key",
    name: "sandbox",
    api_key_blocked: false,
    api_key_disabled: false,
    team_blocked: false,
  });
}

const ROUTES: Route[] = [
  { pattern: ["v1", "api-key"], methods: ["GET"], handle: handleApiKey },
  {
    pattern: ["v1", "videos", "generations"],
    methods: ["POST"],
    target: "create",
    handle: (ctx) => handleCreate(ctx, "generation"),
  },
  {
    pattern: ["v1", "videos", "edits"],
    methods: ["POST"],
    target: "create",
    handle: (ctx) => handleCreate(ctx, "edit"),
  },
  {
    pattern: ["v1", "videos", "extensions"],
    methods: ["POST"],
    target: "create",
    handle: (ctx) => handleCreate(ctx, "extension"),
  },
  { pattern: ["v1", "videos", ":id"], methods: ["GET"], target: "query", handle: handlePoll },
];

export function handleXai(ctx: RequestContext): Promise<void> {
  return dispatchRoutes(ctx, ROUTES, rendererFor(ctx));
}
