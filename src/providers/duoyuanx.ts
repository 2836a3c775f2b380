import * as z from "../util/zod.js";
import {
  buildTask,
  errorField,
  firstNonEmpty,
  lazy,
  looseNumberish,
  looseString,
  type StatusTable,
} from "./parse-helpers.js";
import { newApiBalance } from "./balance.js";
import { unexpectedResponse } from "./response-error.js";
import type {
  CreateParams,
  LoadedImage,
  ModelSpec,
  MultipartField,
  ParsedTask,
  Provider,
  ProviderErrorInfo,
  RequestBody,
  RequestSpec,
  DialectDef,
} from "./types.js";

/** duoyuanx's documented words plus what stock new-api emits (`in_progress`, `unknown`). */
export const duoyuanxStatusTable: StatusTable = {
  queued: "queued",
  pending: "queued",
  submitted: "queued",
  // new-api's sora converter rewrites `unknown` to queued; we do the same.
  unknown: "queued",
  // Upstream words new-api's adaptor parses (providers.md §3); a fork or proxy may pass them on.
  not_start: "queued",
  notstarted: "queued",
  preparing: "queued",
  created: "queued",
  starting: "queued",
  processing: "running",
  in_progress: "running",
  running: "running",
  generating: "running",
  completed: "succeeded",
  complete: "succeeded",
  succeeded: "succeeded",
  success: "succeeded",
  finished: "succeeded",
  done: "succeeded",
  failed: "failed",
  failure: "failed",
  fail: "failed",
  error: "failed",
  cancelled: "cancelled",
  canceled: "cancelled",
  expired: "expired",
};

const PREVIEW = "grok-imagine-video-1.5-preview";
const PREVIEW_DEFAULTS = { seconds: 6, ratio: "16:9", resolution: 720 } as const;

const previewModel: ModelSpec = {
  id: PREVIEW,
  encoding: "json",
  durations: { kind: "range", min: 1 },
  ratios: [
    "1:1",
    "16:9",
    "9:16",
    "4:3",
    "3:4",
    "3:2",
    "2:3",
    "2:1",
    "1:2",
    "19.5:9",
    "9:19.5",
    "20:9",
    "9:20",
  ],
  customRatio: true,
  resolutions: [480, 720],
  images: { min: 0, max: Number.POSITIVE_INFINITY, accepts: "data-uri" },
  promptMax: 4096,
};

/**
 * The grok-video-1.5 family is multipart with one `input_reference` file and `size` as resolution.
 * Pro is 10 s and Max 15 s (duoyuanx's table); 6 or 10 s for the base model comes from a new-api
 * fork, not from duoyuanx itself. No ratio field is documented, so `--ratio` is refused, not dropped.
 */
function multipartModel(id: string, durations: readonly number[]): ModelSpec {
  return {
    id,
    encoding: "multipart",
    durations: { kind: "set", values: durations },
    ratios: [],
    resolutions: [480, 540, 720, 1080],
    images: { min: 0, max: 1, accepts: "file" },
    promptMax: 4096,
  };
}

function buildPreviewBody(
  params: CreateParams<LoadedImage>,
  model: ModelSpec,
  builtIn: boolean,
): RequestBody {
  const body: Record<string, unknown> = { model: params.model, prompt: params.prompt };
  // Documented as a string ("6"); a number is accepted but the string is what the docs recommend.
  // duoyuanx's docs list these three as what text-to-video needs, so they are always sent there,
  // with the docs' own example values; a configured gateway gets only what was asked (and what
  // its model takes), its own defaults applying to the rest.
  const always = builtIn && model.id === PREVIEW;
  const seconds = params.duration ?? (always ? PREVIEW_DEFAULTS.seconds : undefined);
  const ratio = params.ratio ?? (always ? PREVIEW_DEFAULTS.ratio : undefined);
  const resolution = params.resolution ?? (always ? PREVIEW_DEFAULTS.resolution : undefined);
  if (seconds !== undefined) body.seconds = String(seconds);
  if (ratio !== undefined) body.aspect_ratio = ratio;
  if (resolution !== undefined) body.resolution = `${resolution}P`;
  const uris = params.images.flatMap((img) => (img.kind === "data-uri" ? [img.uri] : []));
  // `image` and `images` must never be sent together.
  if (uris.length === 1) body.image = uris[0];
  else if (uris.length > 1) body.images = uris;
  return { kind: "json", value: body };
}

function buildMultipartBody(params: CreateParams<LoadedImage>): RequestBody {
  const fields: MultipartField[] = [
    { name: "model", value: params.model },
    { name: "prompt", value: params.prompt },
  ];
  if (params.duration !== undefined) fields.push({ name: "seconds", value: String(params.duration) });
  if (params.resolution !== undefined) fields.push({ name: "size", value: `${params.resolution}P` });
  for (const img of params.images) {
    if (img.kind === "file") {
      fields.push({ name: "input_reference", filename: img.filename, contentType: img.mime, data: img.data });
    }
  }
  return { kind: "multipart", fields };
}

const videoFields = lazy(() =>
  z.object({
    id: looseString(),
    task_id: looseString(),
    model: looseString(),
    status: looseString(),
    progress: looseNumberish(),
    created_at: looseNumberish(),
    completed_at: looseNumberish(),
    video_url: looseString(),
    url: looseString(),
    result_url: looseString(),
    output: z.object({ url: looseString() }).optional().catch(undefined),
    metadata: z.object({ url: looseString() }).optional().catch(undefined),
    error: errorField(),
    fail_reason: looseString(),
  }),
);

function parseVideo(
  provider: string,
  body: unknown,
  fallbackId: string | undefined,
  now: Date,
  create: boolean,
): ParsedTask {
  const parsed = videoFields().safeParse(body);
  if (!parsed.success) throw unexpectedResponse(provider, "the answer is not a JSON object");
  const v = parsed.data;
  // new-api sets both `id` and the legacy `task_id` to its public id; `id` wins.
  const id = firstNonEmpty(v.id, v.task_id) ?? fallbackId;
  if (!id) throw unexpectedResponse(provider, "no task id in the create answer");
  // Old new-api versions stored the result URL in `fail_reason`.
  const legacyUrl = v.fail_reason && /^https?:\/\//i.test(v.fail_reason) ? v.fail_reason : undefined;
  const failReason = legacyUrl ? undefined : v.fail_reason;
  return buildTask({
    provider,
    id,
    model: v.model,
    statusWord: v.status ?? (create ? "queued" : undefined),
    table: duoyuanxStatusTable,
    progress: v.progress,
    videoUrl: firstNonEmpty(v.video_url, v.url, v.output?.url, v.result_url, v.metadata?.url, legacyUrl),
    errorMessage: firstNonEmpty(v.error?.message, failReason),
    errorCode: v.error?.code,
    createdAt: v.created_at,
    updatedAt: v.completed_at,
    // `/v1/videos/{id}/content` serves the video when no URL is given.
    urlRequired: false,
    raw: body,
    now,
  });
}

// new-api answers in the OpenAI shape `{error:{message,type,param,code}}` or as a TaskError `{code,message,data}`.
const errorBody = lazy(() =>
  z.union([
    z.object({
      error: z.object({
        message: z.string().optional(),
        type: z.string().optional(),
        code: z.union([z.string(), z.number()]).optional(),
      }),
    }),
    z.object({ code: z.union([z.string(), z.number()]), message: z.string() }),
  ]),
);

function parseError(_status: number, body: unknown): ProviderErrorInfo | undefined {
  const parsed = errorBody().safeParse(body);
  if (!parsed.success) return undefined;
  const e = "error" in parsed.data ? parsed.data.error : parsed.data;
  const code = e.code === undefined ? ("type" in e ? e.type : undefined) : String(e.code);
  const message = e.message ?? code ?? "unknown error";
  const notFound = code === "task_not_exist" || message === "task_not_exist";
  return { message, ...(code ? { code } : {}), ...(notFound ? { notFound } : {}) };
}

const encodeId = (id: string) => encodeURIComponent(id);

/**
 * The OpenAI/new-api video dialect (`POST /v1/videos`, `GET /v1/videos/{id}`, `/content`): what
 * duoyuanx speaks, and what a gateway of dialect `openai-videos` in the config speaks. Each model
 * says whether it takes JSON or a multipart upload.
 */
export function makeOpenAiVideos({ id, defaultBaseUrl, models, defaultModel }: DialectDef): Provider {
  const builtIn = id === "duoyuanx";
  return {
    id,
    defaultBaseUrl,
    models,
    defaultModel,
    buildCreate(params, model): RequestSpec {
      const body =
        model.encoding === "multipart"
          ? buildMultipartBody(params)
          : buildPreviewBody(params, model, builtIn);
      return { method: "POST", path: "/v1/videos", body };
    },
    parseCreate: (body, now) => parseVideo(id, body, undefined, now, true),
    buildQuery: (taskId) => ({ method: "GET", path: `/v1/videos/${encodeId(taskId)}` }),
    parseQuery: (body, taskId, now) => parseVideo(id, body, taskId, now, false),
    buildContent: (taskId) => ({ method: "GET", path: `/v1/videos/${encodeId(taskId)}/content` }),
    parseError,
    balance: newApiBalance(id),
  };
}

export const duoyuanx = makeOpenAiVideos({
  id: "duoyuanx",
  defaultBaseUrl: "https://duoyuanx.com",
  models: [
    previewModel,
    multipartModel("grok-video-1.5", [6, 10]),
    multipartModel("grok-video-1.5-pro", [10]),
    multipartModel("grok-video-1.5-max", [15]),
  ],
  defaultModel: PREVIEW,
});
