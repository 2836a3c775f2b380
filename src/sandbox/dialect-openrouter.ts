import * as z from "../util/zod.js";
import { FAILURE_STATUS } from "./auth.js";
import { type RequestContext, sendJson } from "./context.js";
import { sendVideo } from "./files.js";
import { answerId, failReason, keyOf } from "./hostile.js";
import {
  ASPECT_RATIOS,
  refusedBearer,
  createPlatformJob,
  priceUsd,
  readPlatformState,
  toResolution,
} from "./platform-common.js";
import type { PlatformJob, PlatformPhase } from "./platform-jobs.js";
import { checkFields, FILE_INPUT_MESSAGE, isFileInput } from "./platform-validate.js";
import {
  answerCreateMarker,
  dispatchRoutes,
  type ErrorRenderer,
  readTaskOutcome,
  type Route,
  requireJsonBody,
  sendFailure,
} from "./routing.js";
import { describeTypeError, isHttpUrl, requiredPrompt } from "./validate.js";

/**
 * OpenRouter's videos API (providers.md 10c) under /openrouter: create, poll, download through the
 * API with the key (or the unsigned CDN URLs without it), credits. No cancel route is documented.
 */

const renderError: ErrorRenderer = (kind, message, param) => ({
  error: { code: FAILURE_STATUS[kind], message, metadata: param === undefined ? {} : { param } },
});

/** Both 1.0 and 1.5-lite are listed; whether the full 1.5 is, sources disagree, so it is accepted [I]. */
const MODELS = [
  "x-ai/grok-imagine-video",
  "x-ai/grok-imagine-video-1.5-lite",
  "x-ai/grok-imagine-video-1.5",
] as const;

const STATUS_WORDS: Record<PlatformPhase, string> = {
  queued: "pending",
  running: "in_progress",
  completed: "completed",
  failed: "failed",
  cancelled: "cancelled",
  aborted: "cancelled",
};

/** xAI's default length, which OpenRouter passes on when none is asked [I]. */
const DEFAULT_SECONDS = 8;
const TOTAL_CREDITS = 100;
const USED_CREDITS = 12.5;

const image = (field: string) =>
  z.strictObject({
    type: z.literal("image_url", { error: `${field}.type must be "image_url"` }),
    image_url: z.strictObject({
      url: z.string({ error: describeTypeError(`${field}.image_url.url`, "a string") }).refine(isFileInput, {
        error: `${field}.image_url.url ${FILE_INPUT_MESSAGE}`,
      }),
    }),
  });

const durationMessage = "duration must be an integer from 1 to 15";
const SCHEMA = z
  .strictObject({
    model: z.enum(MODELS, { error: `model must be one of ${MODELS.join(", ")}` }),
    prompt: requiredPrompt(),
    duration: z
      .number({ error: durationMessage })
      .int({ error: durationMessage })
      .min(1, { error: durationMessage })
      .max(15, { error: durationMessage })
      .optional(),
    resolution: z
      .enum(["480p", "720p", "1080p"], { error: "resolution must be one of 480p, 720p, 1080p" })
      .optional(),
    aspect_ratio: z
      .enum(ASPECT_RATIOS, { error: `aspect_ratio must be one of ${ASPECT_RATIOS.join(", ")}` })
      .optional(),
    seed: z.number({ error: "seed must be an integer" }).int({ error: "seed must be an integer" }).optional(),
    frame_images: z
      .array(
        image("frame_images[]").extend({
          frame_type: z.enum(["first_frame", "last_frame"], {
            error: "frame_type must be first_frame or last_frame",
          }),
        }),
      )
      .max(2, { error: "frame_images takes a first and a last frame at most" })
      .optional(),
    input_references: z
      .array(image("input_references[]"))
      .max(7, { error: "input_references takes at most 7 images" })
      .optional(),
    callback_url: z.string().refine(isHttpUrl, { error: "callback_url must be an http(s) URL" }).optional(),
  })
  .refine((body) => body.resolution !== "1080p" || body.model !== "x-ai/grok-imagine-video", {
    error: "x-ai/grok-imagine-video supports 480p and 720p only",
    path: ["resolution"],
  });

function handleCreate(ctx: RequestContext): void {
  if (refusedBearer(ctx, renderError, "create")) return;
  const json = requireJsonBody(ctx, renderError);
  if (!json) return;
  const checked = checkFields(SCHEMA, json.value);
  if (!checked.ok) {
    const first = checked.issues[0];
    sendFailure(
      ctx,
      renderError,
      "invalid_request",
      first?.message ?? "invalid request",
      first?.path.join("."),
    );
    return;
  }
  const body = checked.data;
  if (answerCreateMarker(ctx, renderError, body.prompt)) return;
  const expired = readTaskOutcome(ctx, body.prompt) === "normal" && body.prompt.includes("[expired]");
  const { id } = createPlatformJob(ctx, "openrouter", {
    model: body.model,
    input: json.value,
    prompt: body.prompt,
    seconds: body.duration ?? DEFAULT_SECONDS,
    resolution: toResolution(body.resolution ?? "720p"),
    ratio: body.aspect_ratio === "auto" ? undefined : body.aspect_ratio,
    ...(expired ? { outcome: "expired" as const } : {}),
  });
  sendJson(ctx, 200, { id, polling_url: `${ctx.baseUrl}/api/v1/videos/${id}`, status: "pending" });
}

function findJob(ctx: RequestContext, id: string): PlatformJob | undefined {
  const job = ctx.jobs.get(id, "openrouter");
  if (!job) sendFailure(ctx, renderError, "not_found", `video ${id} not found`);
  return job;
}

function handlePoll(ctx: RequestContext, id: string): void {
  if (refusedBearer(ctx, renderError, "query")) return;
  const job = findJob(ctx, id);
  if (!job) return;
  const state = readPlatformState(ctx, job);
  const expired = state.phase === "completed" && job.info.outcome === "expired";
  const answer: Record<string, unknown> = {
    id: answerId(ctx, id),
    status: expired ? "expired" : STATUS_WORDS[state.phase],
    generation_id: `gen-${id}`,
  };
  if (state.phase === "completed" && !expired) {
    answer.unsigned_urls = [ctx.cdnFileUrl(id)];
    const version = job.model === "x-ai/grok-imagine-video" ? "1.0" : "1.5";
    const { seconds = 0, resolution = "720P" } = job.info;
    answer.usage = { cost: priceUsd(version, resolution, seconds), is_byok: false };
  }
  if (state.phase === "failed") answer.error = failReason(ctx);
  if (expired) answer.error = "sandbox: the video expired before it was fetched ([expired] in prompt)";
  sendJson(ctx, 200, answer);
}

/** The same video as the unsigned URL, through the API and with the key (providers.md 10c "Download"). */
function handleContent(ctx: RequestContext, id: string): void {
  if (refusedBearer(ctx, renderError, "query")) return;
  const job = findJob(ctx, id);
  if (!job) return;
  const index = new URL(ctx.req.url ?? "/", "http://x").searchParams.get("index") ?? "0";
  if (index !== "0") return sendFailure(ctx, renderError, "not_found", `no video at index ${index}`, "index");
  const state = readPlatformState(ctx, job);
  if (state.phase !== "completed" || job.info.outcome === "expired")
    return sendFailure(
      ctx,
      renderError,
      "not_found",
      `video ${id} has no content (status ${STATUS_WORDS[state.phase]})`,
    );
  sendVideo(ctx, id);
}

/** A drained key ("nobalance") has used everything it had. */
function handleCredits(ctx: RequestContext): void {
  if (refusedBearer(ctx, renderError, "query")) return;
  const used = keyOf(ctx.req).includes("nobalance") ? TOTAL_CREDITS : USED_CREDITS;
  sendJson(ctx, 200, { data: { total_credits: TOTAL_CREDITS, total_usage: used } });
}

/** Public: no key needed (providers.md 10c). */
function handleModels(ctx: RequestContext): void {
  sendJson(ctx, 200, {
    data: MODELS.map((id) => ({
      id,
      supported_resolutions: id === MODELS[0] ? ["480p", "720p"] : ["480p", "720p", "1080p"],
    })),
  });
}

const ROUTES: Route[] = [
  { pattern: ["api", "v1", "videos"], methods: ["POST"], target: "create", handle: handleCreate },
  { pattern: ["api", "v1", "videos", "models"], methods: ["GET"], handle: handleModels },
  { pattern: ["api", "v1", "videos", ":id"], methods: ["GET"], target: "query", handle: handlePoll },
  {
    pattern: ["api", "v1", "videos", ":id", "content"],
    methods: ["GET"],
    target: "download",
    handle: handleContent,
  },
  { pattern: ["api", "v1", "credits"], methods: ["GET"], handle: handleCredits },
];

export function handleOpenrouter(ctx: RequestContext): Promise<void> {
  return dispatchRoutes(ctx, ROUTES, renderError);
}
