import { askedFields, modeOf, modeRefused, requestTo } from "./hosted-common.js";
import { priceFrom, type PriceTable } from "./list-price.js";
import type {
  CreateParams,
  ListPrice,
  LoadedImage,
  ModelSpec,
  PriceAsk,
  RequestSpec,
  SourceParams,
  SpecWithoutBalance,
  TaskRef,
  VideoMode,
} from "./types.js";

/** fal.ai's queue API (providers.md §10a). Users name a model; the mode picks the endpoint id. */
const APP = "xai/grok-imagine-video";

/** §10a endpoint ids, by our model name and mode: the mode is the endpoint, not a field. */
export const falEndpoints: Readonly<Record<string, Partial<Record<VideoMode, string>>>> = {
  "grok-imagine-video": {
    "text-to-video": `${APP}/text-to-video`,
    "image-to-video": `${APP}/image-to-video`,
    "reference-to-video": `${APP}/reference-to-video`,
    edit: `${APP}/edit-video`,
    extend: `${APP}/extend-video`,
  },
  "grok-imagine-video-1.5": {
    "text-to-video": `${APP}/v1.5/text-to-video`,
    "image-to-video": `${APP}/v1.5/image-to-video`,
    "reference-to-video": `${APP}/v1.5/reference-to-video`,
  },
  "grok-imagine-video-1.5-lite": { "text-to-video": `${APP}/v1.5/lite/text-to-video` },
};

/** §10a list prices per second of video; v1.5 adds $0.01 per input image. Lite has none listed. */
export const falPrices: Readonly<Record<string, PriceTable>> = {
  "grok-imagine-video": { perSecond: { 480: 0.05, 720: 0.07 }, perImage: 0 },
  "grok-imagine-video-1.5": { perSecond: { 480: 0.08, 720: 0.14, 1080: 0.25 }, perImage: 0.01 },
};

/** fal's defaults when a field is not sent (§10a): 6 s, 720p, 16:9. */
export const FAL_DEFAULTS = { duration: 6, resolution: 720, ratio: "16:9" } as const;

/**
 * §10a gives `aspect_ratio` only a default (16:9); the list is xAI's own, as Replicate documents
 * it for the same model (§10b) without `auto` [I]: fal refuses anything else with a 422, unbilled.
 */
const RATIOS = ["16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3"] as const;

const ALL_MODES: readonly VideoMode[] = [
  "text-to-video",
  "image-to-video",
  "reference-to-video",
  "edit",
  "extend",
];

function falModel(id: string, resolutions: readonly number[]): ModelSpec {
  const modes = ALL_MODES.filter((mode) => falEndpoints[id]?.[mode] !== undefined);
  const references = modes.includes("reference-to-video");
  return {
    id,
    durations: { kind: "range", min: 1, max: 15 },
    ratios: RATIOS,
    resolutions,
    // image_url is a URL or a data: URI (§10a: fal takes data URIs for file inputs [I]).
    images: { min: 0, max: modes.includes("image-to-video") ? 1 : 0, accepts: "url-or-data-uri" },
    // 1-7 reference_image_urls; §10a states no lower duration or resolution cap for them.
    ...(references
      ? {
          references: {
            max: 7,
            accepts: "url-or-data-uri",
            maxDuration: 15,
            maxResolution: Math.max(...resolutions),
          },
        }
      : {}),
    defaultDuration: FAL_DEFAULTS.duration,
    modes,
  } satisfies ModelSpec;
}

export const falModels: readonly ModelSpec[] = [
  falModel("grok-imagine-video", [480, 720]),
  falModel("grok-imagine-video-1.5", [480, 720, 1080]),
  // Lite is a v1.5 endpoint, and §10a says "v1.5 also 1080p" without excepting it [I].
  falModel("grok-imagine-video-1.5-lite", [480, 720, 1080]),
];

/** The endpoint for a model and mode, or a usage error naming what the model offers. */
export function falEndpoint(model: string, mode: VideoMode): string {
  const byMode = Object.hasOwn(falEndpoints, model) ? falEndpoints[model] : undefined;
  const endpoint = byMode?.[mode];
  if (endpoint === undefined) throw modeRefused("fal", falEndpoints, model, mode);
  return endpoint;
}

function buildCreate(params: CreateParams<LoadedImage>, model: ModelSpec): RequestSpec {
  const endpoint = falEndpoint(model.id, modeOf(params));
  // Only what was asked: fal's own defaults (6 s, 720p, 16:9) apply to the rest.
  const { fields: body, image, references } = askedFields(params);
  if (image !== undefined) body.image_url = image;
  if (references.length > 0) body.reference_image_urls = references;
  return { method: "POST", path: `/${endpoint}`, body: { kind: "json", value: body } };
}

function buildSourced(mode: "edit" | "extend", params: SourceParams): RequestSpec {
  const body: Record<string, unknown> = { prompt: params.prompt, video_url: params.videoUrl };
  if (mode === "extend" && params.duration !== undefined) body.duration = params.duration;
  return { method: "POST", path: `/${falEndpoint(params.model, mode)}`, body: { kind: "json", value: body } };
}

/**
 * The URL trap (§10a): status, result and cancel URLs are the ones fal returned, used as returned.
 * Without them (a job journaled by an older grokvid) the fallback is the documented shape of a
 * returned status URL, the app path without the endpoint's sub-path; the result and cancel
 * fallbacks (`requests/<id>`, `requests/<id>/cancel`) follow fal's queue docs [I].
 */
function appUrl(id: string, suffix: string): string {
  return `/${APP}/requests/${encodeURIComponent(id)}${suffix}`;
}

const buildPoll = (task: TaskRef): RequestSpec =>
  task.links?.status
    ? requestTo("GET", task.links.status)
    : { method: "GET", path: appUrl(task.id, "/status") };

/** A job's list price, for the endpoint its mode goes to; none where the model has no such endpoint. */
function listPrice(ask: PriceAsk): ListPrice | undefined {
  if (!Object.hasOwn(falPrices, ask.model) || falEndpoints[ask.model]?.[ask.mode] === undefined)
    return undefined;
  return priceFrom(falPrices[ask.model], ask, FAL_DEFAULTS);
}

export const falSpec: SpecWithoutBalance = {
  id: "fal",
  defaultBaseUrl: "https://queue.fal.run",
  models: falModels,
  defaultModel: "grok-imagine-video",
  buildCreate,
  buildQuery: (id) => buildPoll({ id }),
  buildPoll,
  buildResult: (task) =>
    task.links?.result ? requestTo("GET", task.links.result) : { method: "GET", path: appUrl(task.id, "") },
  buildCancel: (task) =>
    task.links?.cancel
      ? requestTo("PUT", task.links.cancel)
      : { method: "PUT", path: appUrl(task.id, "/cancel") },
  operations: {
    // Edits take any length: fal cuts the input to 854×480 and 8 s rather than refusing it (§10a).
    edit: { build: (params) => buildSourced("edit", params) },
    // §10a gives extend-video no limits of its own; the create's 1-15 s (default 6) is assumed [I].
    extend: {
      durations: { kind: "range", min: 1, max: 15 },
      defaultDuration: FAL_DEFAULTS.duration,
      build: (params) => buildSourced("extend", params),
    },
  },
  listPrice,
  authScheme: "Key",
  anonymousDownloads: true,
  ecosystemKeyVariable: "FAL_KEY",
  noBalance: "fal documents no balance endpoint for a key; see the billing page of your fal account",
};
