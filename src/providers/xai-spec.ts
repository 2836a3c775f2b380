import { priceFrom, type PriceTable } from "./list-price.js";
import type {
  CreateParams,
  DialectDef,
  ListPrice,
  LoadedImage,
  ModelSpec,
  PriceAsk,
  RequestSpec,
  SourceParams,
  SpecWithoutBalance,
} from "./types.js";

const RATIOS = ["1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3"] as const;

/** What xAI makes when the request does not say (providers.md §6): 8 s at 480p. */
export const XAI_DEFAULTS = { duration: 8, resolution: 480 } as const;

/**
 * xAI's list prices per second of video (providers.md §6, from secondary sources: they change).
 * An input image is listed at $0.002-0.01; the top is taken, since an estimate before a job is
 * what a spending limit is checked against. The sandbox bills its xAI jobs from this table too.
 */
export const xaiPrices: Readonly<Record<string, PriceTable>> = {
  "grok-imagine-video": { perSecond: { 480: 0.05, 720: 0.07 }, perImage: 0.01 },
  "grok-imagine-video-1.5": { perSecond: { 480: 0.08, 720: 0.14, 1080: 0.25 }, perImage: 0.01 },
};

/** Every mode of a model is billed per second of output at one price (§6); edits have no such ask. */
function listPrice(ask: PriceAsk): ListPrice | undefined {
  if (!Object.hasOwn(xaiPrices, ask.model) || ask.mode === "edit" || ask.mode === "extend") return undefined;
  return priceFrom(xaiPrices[ask.model], ask, XAI_DEFAULTS);
}

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
    defaultDuration: XAI_DEFAULTS.duration,
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

/** xAI's own API, or a gateway of dialect `xai` in the config (same paths, answers and limits). */
export function makeXaiSpec({ id, defaultBaseUrl, models, defaultModel }: DialectDef): SpecWithoutBalance {
  return {
    id,
    defaultBaseUrl,
    models,
    defaultModel,
    buildCreate: (params) => buildGeneration(params),
    buildQuery: (taskId) => ({ method: "GET", path: `/v1/videos/${encodeURIComponent(taskId)}` }),
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
} as const satisfies Partial<SpecWithoutBalance>;

export const xaiSpec: SpecWithoutBalance = {
  ...makeXaiSpec({
    id: "xai",
    defaultBaseUrl: "https://api.x.ai",
    models: [
      xaiModel("grok-imagine-video", [480, 720]),
      // The preview name became an alias of 1.5 (xai-sdk-python v1.19.0); only 1.5 makes 1080p.
      xaiModel("grok-imagine-video-1.5", [480, 720, 1080], ["grok-imagine-video-1.5-preview"]),
    ],
    defaultModel: "grok-imagine-video",
  }),
  // The xAI SDKs' own variable; a gateway of this dialect has its own key (and its own prices).
  ecosystemKeyVariable: "XAI_API_KEY",
  listPrice,
};
