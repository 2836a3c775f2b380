import { FAILURE_STATUS, type FailureKind } from "./auth.js";
import { type RequestContext, sendJson } from "./context.js";
import { applyFault } from "./fault-answers.js";
import { describeFalVideo, FAL_ENDPOINTS, FAL_SCHEMAS } from "./fal-validate.js";
import { loadVideo } from "./files.js";
import { answerId, failReason } from "./hostile.js";
import { refusedAuth, createPlatformJob, readPlatformState } from "./platform-common.js";
import { isTerminal, type PlatformJob } from "./platform-jobs.js";
import { checkFields } from "./platform-validate.js";
import { answerCreateMarker, type ErrorRenderer, requireJsonBody } from "./routing.js";

/**
 * fal's queue API (providers.md 10a) under /fal: POST /<endpoint id>, then GET/PUT on URLs made of
 * the app path only (/fal/xai/grok-imagine-video/requests/<id>/...). Errors are FastAPI's {detail}.
 */

const APP = ["xai", "grok-imagine-video"];

const renderError: ErrorRenderer = (_kind, message) => ({ detail: message });

/** fal locks an account whose balance ran out with a 403, not a 402 [I: fal's "User is locked" answer]. */
function sendFalFailure(ctx: RequestContext, kind: FailureKind, message: string): void {
  if (kind === "payment_required") {
    sendJson(ctx, 403, { detail: `User is locked. Reason: Exhausted balance. (${message})` });
    return;
  }
  const headers = kind === "rate_limited" ? { "Retry-After": "1" } : {};
  sendJson(ctx, FAILURE_STATUS[kind], renderError(kind, message), headers);
}

function rejectUnauthorized(ctx: RequestContext, operation: "create" | "query"): boolean {
  return refusedAuth(ctx, "Key", operation, (kind, message) => sendFalFailure(ctx, kind, message));
}

function requestUrls(ctx: RequestContext, id: string) {
  const response = `${ctx.baseUrl}/${APP.join("/")}/requests/${id}`;
  return { response_url: response, status_url: `${response}/status`, cancel_url: `${response}/cancel` };
}

function handleSubmit(ctx: RequestContext, endpointId: string): void {
  if (rejectUnauthorized(ctx, "create")) return;
  const endpoint = FAL_ENDPOINTS.get(endpointId);
  const schema = FAL_SCHEMAS.get(endpointId);
  if (!endpoint || !schema) {
    sendFalFailure(ctx, "not_found", `Application "${endpointId}" not found`);
    return;
  }
  const json = requireJsonBody(ctx, renderError);
  if (!json) return;
  const checked = checkFields(schema, json.value);
  if (!checked.ok) {
    const detail = checked.issues.map((issue) => ({
      loc: ["body", ...issue.path],
      msg: issue.message,
      type: issue.type,
    }));
    sendJson(ctx, 422, { detail });
    return;
  }
  const body = checked.data;
  if (answerCreateMarker(ctx, renderError, body.prompt)) return;
  const video = describeFalVideo(endpoint, body);
  const { id } = createPlatformJob(ctx, "fal", {
    model: endpointId,
    input: json.value,
    prompt: body.prompt,
    ...video,
    ratio: body.aspect_ratio === "auto" ? undefined : body.aspect_ratio,
  });
  sendJson(ctx, 200, { request_id: id, ...requestUrls(ctx, id) });
}

function findJob(ctx: RequestContext, id: string): PlatformJob | undefined {
  const job = ctx.jobs.get(id, "fal");
  if (!job) sendFalFailure(ctx, "not_found", `Request ${id} not found`);
  return job;
}

function handleStatus(ctx: RequestContext, id: string): void {
  if (rejectUnauthorized(ctx, "query")) return;
  const job = findJob(ctx, id);
  if (!job) return;
  const state = readPlatformState(ctx, job);
  const { response_url } = requestUrls(ctx, answerId(ctx, id));
  const wantsLogs = new URL(ctx.req.url ?? "/", "http://x").searchParams.get("logs") === "1";
  const logs = wantsLogs
    ? [
        {
          message: `sandbox: ${state.phase}`,
          level: "INFO",
          source: "user",
          timestamp: new Date(ctx.nowMs).toISOString(),
        },
      ]
    : null;
  if (state.phase === "queued") {
    const position = ctx.jobs.countQueuedAhead(id, ctx.nowMs, ctx.timeline);
    // 202 while not completed, as also seen live (providers.md 10a), so clients cannot lean on 200.
    sendJson(ctx, 202, { status: "IN_QUEUE", queue_position: position, response_url });
  } else if (state.phase === "running") {
    sendJson(ctx, 202, { status: "IN_PROGRESS", logs, response_url });
  } else {
    // Failed and cancelled requests are COMPLETED too: only the result tells (providers.md 10a).
    const ran = state.startedMs !== undefined && state.finishedMs !== undefined;
    const metrics = ran ? { inference_time: ((state.finishedMs ?? 0) - (state.startedMs ?? 0)) / 1000 } : {};
    sendJson(ctx, 200, { status: "COMPLETED", logs, metrics, response_url });
  }
}

function handleResult(ctx: RequestContext, id: string): void {
  if (rejectUnauthorized(ctx, "query")) return;
  const job = findJob(ctx, id);
  if (!job) return;
  const state = readPlatformState(ctx, job);
  if (!isTerminal(state.phase)) {
    sendJson(ctx, 400, { detail: "Request is still in progress" });
    return;
  }
  if (state.phase === "failed") {
    sendJson(ctx, 500, { detail: failReason(ctx) });
    return;
  }
  if (state.phase !== "completed") {
    // The sandbox's wording [I]: fal documents only that the result says so.
    sendJson(ctx, 400, { detail: "Request was cancelled" });
    return;
  }
  const seconds = job.info.seconds ?? 0;
  const video = {
    url: ctx.cdnFileUrl(id),
    content_type: "video/mp4",
    file_name: `${id}.mp4`,
    file_size: ctx.videoBytes ?? loadVideo(id).length,
  };
  // Seconds of video: what the endpoint's per-second price multiplies (providers.md 10a "Cost").
  sendJson(ctx, 200, { video }, { "x-fal-billable-units": String(seconds) });
}

function handleCancel(ctx: RequestContext, id: string): void {
  if (rejectUnauthorized(ctx, "query")) return;
  const job = ctx.jobs.get(id, "fal");
  if (!job) {
    sendJson(ctx, 404, { status: "NOT_FOUND" });
    return;
  }
  if (isTerminal(readPlatformState(ctx, job).phase)) {
    sendJson(ctx, 400, { status: "ALREADY_COMPLETED" });
    return;
  }
  // Queued: never starts. Running: signalled; the sandbox's model stops it at once.
  job.cancelledMs = ctx.nowMs;
  sendJson(ctx, 202, { status: "CANCELLATION_REQUESTED" });
}

/** The one place fal's paths are told apart, since endpoint ids have 3 to 5 segments. */
export async function handleFal(ctx: RequestContext): Promise<void> {
  const segments = ctx.segments;
  const onApp = segments[0] === APP[0] && segments[1] === APP[1];
  const requestsAt = segments.indexOf("requests");
  if (onApp && requestsAt === 2 && segments.length >= 4 && segments.length <= 5) {
    const id = segments[3] ?? "";
    const tail = segments[4];
    if (tail === "status" && ctx.method === "GET") {
      if (!(await applyFault(ctx, "query", renderError))) handleStatus(ctx, id);
    } else if (tail === undefined && ctx.method === "GET") {
      if (!(await applyFault(ctx, "query", renderError))) handleResult(ctx, id);
    } else if (tail === "cancel" && ctx.method === "PUT") handleCancel(ctx, id);
    else if (tail === undefined || tail === "status" || tail === "cancel")
      sendJson(ctx, 405, { detail: "Method Not Allowed" }, { Allow: tail === "cancel" ? "PUT" : "GET" });
    else sendFalFailure(ctx, "not_found", "Not Found");
    return;
  }
  if (onApp && requestsAt > 2) {
    // The URL trap: built from the endpoint id instead of taken from the submit answer.
    const message = "Not Found: request URLs use the app path only; do not add the endpoint path";
    sendFalFailure(ctx, "not_found", message);
    return;
  }
  const endpointId = segments.join("/");
  if (ctx.method !== "POST") {
    const known = FAL_ENDPOINTS.has(endpointId);
    if (known) sendJson(ctx, 405, { detail: "Method Not Allowed" }, { Allow: "POST" });
    else sendFalFailure(ctx, "not_found", "Not Found");
    return;
  }
  if (await applyFault(ctx, "create", renderError)) return;
  handleSubmit(ctx, endpointId);
}
