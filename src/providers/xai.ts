import * as z from "../util/zod.js";
import {
  buildTask,
  firstNonEmpty,
  lazy,
  looseNumberish,
  looseString,
  type StatusTable,
} from "./parse-helpers.js";
import { unexpectedResponse } from "./response-error.js";
import type {
  CreateParams,
  DialectDef,
  LoadedImage,
  ModelSpec,
  ParsedTask,
  Provider,
  ProviderErrorInfo,
  RequestSpec,
  SourceParams,
} from "./types.js";

/**
 * xAI's own words (pending, done, expired, failed) plus queued/processing, which only a
 * reseller's page lists for xAI (providers.md §0, inferred): accepted so such a proxy works too.
 */
export const xaiStatusTable: StatusTable = {
  pending: "queued",
  queued: "queued",
  processing: "running",
  in_progress: "running",
  running: "running",
  done: "succeeded",
  completed: "succeeded",
  succeeded: "succeeded",
  failed: "failed",
  error: "failed",
  expired: "expired",
};

const RATIOS = ["1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3"] as const;
/** 1 USD = 10^10 ticks (docs.x.ai cost tracking). */
const TICKS_PER_USD = 1e10;

function xaiModel(id: string, resolutions: readonly number[], aliases?: readonly string[]): ModelSpec {
  return {
    id,
    ...(aliases ? { aliases } : {}),
    durations: { kind: "range", min: 1, max: 15 },
    ratios: RATIOS,
    resolutions,
    // One image makes it image-to-video: a public URL as it is, a local file as a data: URI.
    images: { min: 0, max: 1, accepts: "url-or-data-uri" },
    references: { max: 7, accepts: "url-or-data-uri", maxDuration: 10, maxResolution: 720 },
    defaultDuration: 8,
  };
}

const imageUrl = (img: LoadedImage): string | undefined =>
  img.kind === "url" ? img.url : img.kind === "data-uri" ? img.uri : undefined;

/** There is no mode field: the fields sent decide text-, image- or reference-to-video. */
function buildGeneration(params: CreateParams<LoadedImage>): RequestSpec {
  const body: Record<string, unknown> = { model: params.model, prompt: params.prompt };
  if (params.duration !== undefined) body.duration = params.duration;
  if (params.ratio !== undefined) body.aspect_ratio = params.ratio;
  if (params.resolution !== undefined) body.resolution = `${params.resolution}p`;
  const image = params.images.map(imageUrl).find((url) => url !== undefined);
  if (image !== undefined) body.image = { url: image };
  const references = (params.references ?? []).flatMap((img) => imageUrl(img) ?? []);
  if (references.length > 0) body.reference_images = references.map((url) => ({ url }));
  return { method: "POST", path: "/v1/videos/generations", body: { kind: "json", value: body } };
}

function buildSourced(path: string, params: SourceParams): RequestSpec {
  const body: Record<string, unknown> = {
    model: params.model,
    prompt: params.prompt,
    video: { url: params.videoUrl },
  };
  if (params.duration !== undefined) body.duration = params.duration;
  return { method: "POST", path, body: { kind: "json", value: body } };
}

const createBody = lazy(() => z.object({ request_id: looseString(), id: looseString() }));

function parseCreate(provider: string, body: unknown, now: Date): ParsedTask {
  const parsed = createBody().safeParse(body);
  if (!parsed.success) throw unexpectedResponse(provider, "the create answer is not a JSON object");
  const id = firstNonEmpty(parsed.data.request_id, parsed.data.id);
  if (!id) throw unexpectedResponse(provider, "no request_id in the create answer");
  return buildTask({
    provider,
    id,
    model: undefined,
    statusWord: "pending",
    table: xaiStatusTable,
    progress: 0,
    videoUrl: undefined,
    errorMessage: undefined,
    errorCode: undefined,
    createdAt: undefined,
    updatedAt: undefined,
    urlRequired: true,
    raw: body,
    now,
  });
}

const pollBody = lazy(() =>
  z.object({
    request_id: looseString(),
    status: looseString(),
    model: looseString(),
    progress: looseNumberish(),
    video: z
      .object({
        url: looseString(),
        duration: looseNumberish(),
        respect_moderation: z.boolean().optional().catch(undefined),
      })
      .optional()
      .catch(undefined),
    // Ticks arrive as a JSON number; a string is accepted in case a proxy keeps them exact.
    usage: z.object({ cost_in_usd_ticks: looseNumberish() }).optional().catch(undefined),
    error: z
      .union([
        z.string().transform((message) => ({ message, code: undefined as string | undefined })),
        z.object({ message: looseString(), code: looseString() }),
      ])
      .optional()
      .catch(undefined),
  }),
);

/**
 * Ticks are whole numbers, so a string is read only as digits ("Infinity", "1e999" or "-0" are
 * not a price). Anything present comes back as a number, NaN when unreadable, for buildTask to
 * check and warn about: a cost the gateway sent but we cannot use is unknown, and said so.
 */
function costInUsd(ticks: string | number | undefined): number | undefined {
  if (ticks === undefined) return undefined;
  const n = typeof ticks === "number" ? ticks : /^\s*\d+\s*$/.test(ticks) ? Number(ticks) : Number.NaN;
  return n / TICKS_PER_USD;
}

/**
 * While the video is made xAI answers 202, sometimes with an empty body (vercel/ai#17308) and,
 * right after the create, with `{request_id}` and no status (new-api PR #5927): both mean
 * "not finished yet". `done` with `respect_moderation: false` has no video: moderated, and billed.
 */
function parseQuery(provider: string, body: unknown, id: string, now: Date): ParsedTask {
  const parsed = body === undefined ? undefined : pollBody().safeParse(body);
  if (parsed && !parsed.success) throw unexpectedResponse(provider, "the task answer is not a JSON object");
  const v = parsed?.data;
  const status = v?.status;
  return buildTask({
    provider,
    id: firstNonEmpty(v?.request_id) ?? id,
    model: v?.model,
    statusWord: status ?? "processing",
    table: xaiStatusTable,
    progress: v?.progress,
    videoUrl: v?.video?.url,
    errorMessage: firstNonEmpty(
      v?.error?.message,
      status?.toLowerCase() === "expired" ? "the request expired before a video was made" : undefined,
    ),
    errorCode: v?.error?.code,
    createdAt: undefined,
    updatedAt: undefined,
    urlRequired: true,
    costUsd: costInUsd(v?.usage?.cost_in_usd_ticks),
    moderated: v?.video?.respect_moderation === false,
    raw: body ?? null,
    now,
  });
}

/**
 * Seen live: a flat `{code: "<gRPC-style text>", error: "<message>"}`; Vercel's client expects
 * the OpenAI shape `{error: {message, type, param, code}}`. Both are read.
 */
const errorBody = lazy(() =>
  z.union([
    z.object({ code: looseString(), error: z.string() }),
    z.object({
      error: z.object({ message: looseString(), type: looseString(), code: looseString() }),
    }),
  ]),
);

function parseError(_status: number, body: unknown): ProviderErrorInfo | undefined {
  const parsed = errorBody().safeParse(body);
  if (!parsed.success) return undefined;
  const e = parsed.data;
  if (typeof e.error === "string") {
    const code = "code" in e ? e.code : undefined;
    return { message: e.error, ...(code ? { code } : {}) };
  }
  const code = firstNonEmpty(e.error.code, e.error.type);
  return { message: e.error.message ?? code ?? "unknown error", ...(code ? { code } : {}) };
}

/** xAI's own API, or a gateway of dialect `xai` in the config (same paths, answers and limits). */
export function makeXai({ id, defaultBaseUrl, models, defaultModel }: DialectDef): Provider {
  return {
    id,
    defaultBaseUrl,
    models,
    defaultModel,
    buildCreate: (params) => buildGeneration(params),
    parseCreate: (body, now) => parseCreate(id, body, now),
    buildQuery: (taskId) => ({ method: "GET", path: `/v1/videos/${encodeURIComponent(taskId)}` }),
    parseQuery: (body, taskId, now) => parseQuery(id, body, taskId, now),
    parseError,
    ...XAI_TRAITS,
  };
}

const XAI_TRAITS = {
  operations: {
    // docs.x.ai: an edit takes a video of at most 8.7 s; an extension one of 2-15 s.
    edit: { maxSourceSeconds: 8.7, build: (params) => buildSourced("/v1/videos/edits", params) },
    extend: {
      durations: { kind: "range", min: 2, max: 10 },
      defaultDuration: 6,
      sourceSeconds: { min: 2, max: 15 },
      build: (params) => buildSourced("/v1/videos/extensions", params),
    },
  },
  emptyPollAnswer: true,
  requestsPerSecond: 1,
  anonymousDownloads: true,
  noBalance:
    "xAI answers balance questions only to a management key (management-api.x.ai), not to an API key; see console.x.ai",
} as const satisfies Partial<Provider>;

export const xai: Provider = {
  ...makeXai({
    id: "xai",
    defaultBaseUrl: "https://api.x.ai",
    models: [
      xaiModel("grok-imagine-video", [480, 720]),
      // The preview name became an alias of 1.5 (xai-sdk-python v1.19.0); only 1.5 makes 1080p.
      xaiModel("grok-imagine-video-1.5", [480, 720, 1080], ["grok-imagine-video-1.5-preview"]),
    ],
    defaultModel: "grok-imagine-video",
  }),
  // The xAI SDKs' own variable; a gateway of this dialect has its own key.
  ecosystemKeyVariable: "XAI_API_KEY",
};
