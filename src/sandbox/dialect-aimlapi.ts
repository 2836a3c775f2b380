import * as z from "../util/zod.js";
import { FAILURE_STATUS, type FailureKind } from "./auth.js";
import { type RequestContext, sendJson } from "./context.js";
import { answerId, failReason } from "./hostile.js";
import {
  ASPECT_RATIOS,
  refusedBearer,
  createPlatformJob,
  priceUsd,
  readPlatformState,
  toResolution,
} from "./platform-common.js";
import type { PlatformPhase } from "./platform-jobs.js";
import { checkFields, FILE_INPUT_MESSAGE, isFileInput } from "./platform-validate.js";
import {
  answerCreateMarker,
  dispatchRoutes,
  type ErrorRenderer,
  type Route,
  requireJsonBody,
  sendFailure,
} from "./routing.js";
import { describeTypeError, requiredPrompt } from "./validate.js";

/**
 * AIML API's video generations (providers.md 10d) under /aimlapi: one path, POST to create and GET
 * with ?generation_id= to poll.
 */

const REASONS: Record<FailureKind, string> = {
  invalid_request: "Bad Request",
  unauthorized: "Unauthorized",
  payment_required: "Payment Required",
  forbidden: "Forbidden",
  not_found: "Not Found",
  method_not_allowed: "Method Not Allowed",
  payload_too_large: "Payload Too Large",
  rate_limited: "Too Many Requests",
  server_error: "Internal Server Error",
  bad_gateway: "Bad Gateway",
  service_unavailable: "Service Unavailable",
};

/** The error body is not in providers.md: a NestJS-style {statusCode, message, error} is the sandbox's choice [I]. */
const renderError: ErrorRenderer = (kind, message) => ({
  statusCode: FAILURE_STATUS[kind],
  message,
  error: REASONS[kind],
});

const MODELS = ["x-ai/grok-imagine-video", "x-ai/grok-imagine-video-1.5-preview"] as const;

const STATUS_WORDS: Record<PlatformPhase, string> = {
  queued: "queued",
  running: "generating",
  completed: "completed",
  failed: "error",
  // AIML API has no cancel; nothing reaches these, but a status word is owed.
  cancelled: "error",
  aborted: "error",
};

/** The sandbox's rate of AIML credits per USD [I: providers.md gives no ratio]. */
const CREDITS_PER_USD = 1000;
const DEFAULT_SECONDS = 10;

const url = (field: string) =>
  z
    .string({ error: describeTypeError(field, "a string") })
    .refine(isFileInput, { error: `${field} ${FILE_INPUT_MESSAGE}` });
const durationMessage = "duration must be an integer from 1 to 15";
const SCHEMA = z
  .strictObject({
    model: z.enum(MODELS, { error: `model must be one of ${MODELS.join(", ")}` }),
    prompt: requiredPrompt(),
    image_url: url("image_url").optional(),
    reference_images: z
      .array(url("reference_images entries"))
      .min(1, { error: "reference_images needs 1 to 7 URLs" })
      .max(7, { error: "reference_images needs 1 to 7 URLs" })
      .optional(),
    duration: z
      .number({ error: durationMessage })
      .int({ error: durationMessage })
      .min(1, { error: durationMessage })
      .max(15, { error: durationMessage })
      .optional(),
    aspect_ratio: z
      .enum(ASPECT_RATIOS, { error: `aspect_ratio must be one of ${ASPECT_RATIOS.join(", ")}` })
      .optional(),
    resolution: z
      .enum(["480p", "720p", "1080p"], { error: "resolution must be one of 480p, 720p, 1080p" })
      .optional(),
  })
  .refine((body) => body.image_url === undefined || body.reference_images === undefined, {
    error: "give image_url or reference_images, not both",
    path: ["reference_images"],
  });

function handleCreate(ctx: RequestContext): void {
  if (refusedBearer(ctx, renderError, "create")) return;
  const json = requireJsonBody(ctx, renderError);
  if (!json) return;
  const checked = checkFields(SCHEMA, json.value);
  if (!checked.ok) {
    const first = checked.issues[0];
    sendFailure(ctx, renderError, "invalid_request", first?.message ?? "invalid request");
    return;
  }
  const body = checked.data;
  if (answerCreateMarker(ctx, renderError, body.prompt)) return;
  const { id } = createPlatformJob(ctx, "aimlapi", {
    model: body.model,
    input: json.value,
    prompt: body.prompt,
    seconds: body.duration ?? DEFAULT_SECONDS,
    resolution: toResolution(body.resolution ?? "720p"),
    ratio: body.aspect_ratio === "auto" ? undefined : body.aspect_ratio,
  });
  sendJson(ctx, 200, { id, status: "queued" });
}

function handlePoll(ctx: RequestContext): void {
  if (refusedBearer(ctx, renderError, "query")) return;
  const id = new URL(ctx.req.url ?? "/", "http://x").searchParams.get("generation_id");
  if (id === null || id === "") {
    sendFailure(ctx, renderError, "invalid_request", "generation_id is required");
    return;
  }
  const job = ctx.jobs.get(id, "aimlapi");
  if (!job) {
    sendFailure(ctx, renderError, "not_found", `generation ${id} not found`);
    return;
  }
  const state = readPlatformState(ctx, job);
  const done = state.phase === "completed";
  const version = job.model === "x-ai/grok-imagine-video" ? "1.0" : "1.5";
  const usd = done ? priceUsd(version, job.info.resolution ?? "720P", job.info.seconds ?? 0) : 0;
  sendJson(ctx, 200, {
    id: answerId(ctx, id),
    status: STATUS_WORDS[state.phase],
    video: done ? { url: ctx.cdnFileUrl(id) } : null,
    error: state.phase === "failed" ? { name: "GenerationError", message: failReason(ctx) } : null,
    meta: { usage: { credits_used: Math.round(usd * CREDITS_PER_USD), usd_spent: usd } },
  });
}

const ROUTES: Route[] = [
  { pattern: ["v2", "video", "generations"], methods: ["POST"], target: "create", handle: handleCreate },
  { pattern: ["v2", "video", "generations"], methods: ["GET"], target: "query", handle: handlePoll },
];

export function handleAimlapi(ctx: RequestContext): Promise<void> {
  return dispatchRoutes(ctx, ROUTES, renderError);
}
