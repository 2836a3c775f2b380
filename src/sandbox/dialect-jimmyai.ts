import * as z from "../util/zod.js";
import { FAILURE_STATUS } from "./auth.js";
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
import { isHttpUrl, requiredPrompt, validateBody } from "./validate.js";

const MODEL = "grok-imagine-video-1.5";
const MODEL_ALIASES = [MODEL, "grok-1.5", "grok_1_5"] as const;
const RATIOS = ["16:9", "9:16", "1:1", "3:2", "2:3"] as const;
const ORIENTATIONS = ["landscape", "portrait"] as const;
const STATUS_WORDS: Record<TaskPhase, string> = {
  queued: "queued",
  running: "processing",
  completed: "completed",
  failed: "failed",
};

/**
 * jimmyai documents only success ({code:"20000", msg:"ok", data}); its error body is not published.
 * Inferred: the same envelope with a string code of HTTP status x 100 ("40000", "40100", "40200",
 * "40300", "40400", "42900", "50000"), the reason in `msg`, `data: null`, sent with that HTTP status.
 */
const renderError: ErrorRenderer = (kind, message) => ({
  code: String(FAILURE_STATUS[kind] * 100),
  msg: message,
  data: null,
});

const imageList = (field: string) =>
  z
    .array(
      z.string({ error: `${field} entries must be strings` }).refine(isHttpUrl, {
        error: `${field} entries must be http(s) image URLs`,
      }),
      { error: `${field} must be an array of image URLs` },
    )
    .optional();

const createSchema = z
  .object(
    {
      model: z.enum(MODEL_ALIASES, {
        error: (issue) =>
          issue.input === undefined
            ? "model is required"
            : `model must be one of ${MODEL_ALIASES.join(", ")}`,
      }),
      prompt: requiredPrompt(),
      image_urls: imageList("image_urls"),
      images: imageList("images"),
      duration: z
        .union([z.literal(10), z.literal(15)], { error: "duration must be the integer 10 or 15" })
        .optional(),
      // An empty ratio/orientation is documented as "not given" (ratio wins, orientation is the fallback).
      ratio: z.enum([...RATIOS, ""], { error: `ratio must be one of ${RATIOS.join(", ")}` }).optional(),
      orientation: z
        .enum([...ORIENTATIONS, ""], { error: `orientation must be one of ${ORIENTATIONS.join(", ")}` })
        .optional(),
    },
    { error: "request body must be a JSON object" },
  )
  .superRefine((body, ctx) => {
    // `images` is only a fallback: it is consulted when image_urls is missing or empty.
    const useFallback = (body.image_urls ?? []).length === 0;
    const field = useFallback ? "images" : "image_urls";
    const list = (useFallback ? body.images : body.image_urls) ?? [];
    if (list.length !== 1) {
      ctx.addIssue({
        code: "custom",
        path: [field],
        message: `${MODEL} requires exactly 1 reference image in image_urls (got ${list.length}); text-only requests are not supported`,
      });
    }
  });

/** Documented: ratio wins; orientation is used only when ratio is empty; 16:9 otherwise. */
function readRatio(ratio: string | undefined, orientation: string | undefined): string | undefined {
  if (ratio) return ratio;
  if (orientation === "portrait") return "9:16";
  return orientation === "landscape" ? "16:9" : undefined;
}

function handleCreate(ctx: RequestContext): void {
  if (rejectUnauthorized(ctx, renderError, "create")) return;
  const json = requireJsonBody(ctx, renderError);
  if (!json) return;
  const checked = validateBody(createSchema, json.value);
  if (!checked.ok) {
    sendFailure(ctx, renderError, "invalid_request", checked.issue.message);
    return;
  }
  const body = checked.data;
  if (answerCreateMarker(ctx, renderError, body.prompt)) return;
  const id = encodeTaskId({
    dialect: "jimmyai",
    outcome: readTaskOutcome(ctx, body.prompt),
    createdMs: ctx.nowMs,
    seconds: body.duration ?? 10,
    ...chooseDisplaySize(ctx, readRatio(body.ratio, body.orientation), undefined),
  });
  // The initial status word is undocumented; "queued" is the first of the documented waiting words.
  sendJson(ctx, 200, {
    code: "20000",
    msg: "ok",
    data: { task_id: id, status: "queued", model: MODEL, created_at: toUnixSeconds(ctx.nowMs) },
  });
}

function handleQuery(ctx: RequestContext, id: string): void {
  if (rejectUnauthorized(ctx, renderError, "query")) return;
  const info = decodeTaskId(id, "jimmyai");
  if (!info) {
    sendJson(ctx, 404, { code: "40400", msg: "task not found", data: null });
    return;
  }
  const state = queryState(ctx, computeTaskState(info, ctx.nowMs, ctx.timeline));
  const videoUrl = state.phase === "completed" ? ctx.fileUrl(id) : "";
  const wrapped = ctx.variants.jimmyaiQuery === "wrapped";
  const task = {
    task_id: answerId(ctx, id),
    status: STATUS_WORDS[state.phase],
    // Documented: a failed task reports progress 0.
    progress: state.phase === "failed" ? 0 : state.progress,
    model: MODEL,
    created_at: toUnixSeconds(info.createdMs),
    completed_at: state.finishedMs === undefined ? null : toUnixSeconds(state.finishedMs),
    // The en page's result also has image_url (a cover frame); the sandbox has none to offer.
    result: wrapped ? { video_url: videoUrl, image_url: "" } : { video_url: videoUrl },
    error_message: state.phase === "failed" ? failReason(ctx) : "",
  };
  sendJson(ctx, 200, wrapped ? { code: "20000", msg: "ok", data: task } : task);
}

const ROUTES: Route[] = [
  {
    pattern: ["api", "open-api", "v1", "grok", "videos"],
    methods: ["POST"],
    target: "create",
    handle: handleCreate,
  },
  {
    pattern: ["api", "open-api", "v1", "videos", ":id"],
    methods: ["GET"],
    target: "query",
    handle: handleQuery,
  },
];

export function handleJimmyai(ctx: RequestContext): Promise<void> {
  return dispatchRoutes(ctx, ROUTES, renderError);
}
