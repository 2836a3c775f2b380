import { UsageError } from "../util/errors.js";
import { askedFields, modeOf, modeRefused } from "./hosted-common.js";
import { type PerSecondPrices, priceFrom } from "./list-price.js";
import type {
  CreateParams,
  ListPrice,
  LoadedImage,
  ModelSpec,
  PriceAsk,
  RequestSpec,
  SourceParams,
  SpecWithoutBalance,
  VideoMode,
} from "./types.js";

/**
 * Replicate's predictions API (providers.md §10b). Users name our model; the mode picks one of
 * xAI's Replicate models, and every field goes under `input`.
 */
export const replicateModelFor: Readonly<Record<string, Partial<Record<VideoMode, string>>>> = {
  "grok-imagine-video": {
    "text-to-video": "xai/grok-imagine-video",
    "image-to-video": "xai/grok-imagine-video",
    "reference-to-video": "xai/grok-imagine-r2v",
    edit: "xai/grok-imagine-video",
    extend: "xai/grok-imagine-video-extension",
  },
  // §10b lists the 1.5 model for image-to-video only.
  "grok-imagine-video-1.5": { "image-to-video": "xai/grok-imagine-video-1.5" },
};

/**
 * Per-second list prices by Replicate model (§10b): 1.5 is documented; the base model's are
 * xAI's own "presumably" [I], and so are r2v's and the extension's, which are the same model's
 * other modes (xAI prices every mode per second of video) [I]. Shown as estimates only.
 */
export const replicatePrices: Readonly<Record<string, PerSecondPrices>> = {
  "xai/grok-imagine-video-1.5": { 480: 0.08, 720: 0.14 },
  "xai/grok-imagine-video": { 480: 0.05, 720: 0.07 },
  "xai/grok-imagine-r2v": { 480: 0.05, 720: 0.07 },
  "xai/grok-imagine-video-extension": { 480: 0.05, 720: 0.07 },
};

/** Replicate's defaults when a field is not sent (§10b), for the estimate of an echoed input. */
export const replicateDefaults: Readonly<Record<string, { duration: number; resolution: number }>> = {
  "xai/grok-imagine-video": { duration: 5, resolution: 720 },
  // §10b gives 1.5 no defaults of its own: the base model's are assumed [I].
  "xai/grok-imagine-video-1.5": { duration: 5, resolution: 720 },
  // r2v: 8 s at 480p by default (§10b); the extension adds 6 s, at the base model's 720p [I].
  "xai/grok-imagine-r2v": { duration: 8, resolution: 480 },
  "xai/grok-imagine-video-extension": { duration: 6, resolution: 720 },
};

const RATIOS = ["auto", "16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3"] as const;
const ALL_MODES: readonly VideoMode[] = [
  "text-to-video",
  "image-to-video",
  "reference-to-video",
  "edit",
  "extend",
];

function replicateModel(id: string, imagesMin: number): ModelSpec {
  const modes = ALL_MODES.filter((mode) => replicateModelFor[id]?.[mode] !== undefined);
  return {
    id,
    // 1-15 s is documented for xai/grok-imagine-video; the 1.5 model is assumed alike [I].
    durations: { kind: "range", min: 1, max: 15 },
    ratios: RATIOS,
    resolutions: [480, 720],
    // Data URIs serve files under 256 KB (§10b, the exact size [I]); larger ones need a public URL.
    images: { min: imagesMin, max: 1, accepts: "url-or-data-uri" },
    // grok-imagine-r2v: 1-7 images, 1-10 s; its resolutions are not listed (default 480p), 720p assumed [I].
    ...(modes.includes("reference-to-video")
      ? { references: { max: 7, accepts: "url-or-data-uri", maxDuration: 10, maxResolution: 720 } }
      : {}),
    defaultDuration: 5,
    modes,
  } satisfies ModelSpec;
}

export const replicateModels: readonly ModelSpec[] = [
  replicateModel("grok-imagine-video", 0),
  replicateModel("grok-imagine-video-1.5", 1),
];

/** The Replicate model for our model and mode, or a usage error naming what the model offers. */
export function replicateModelName(model: string, mode: VideoMode): string {
  const byMode = Object.hasOwn(replicateModelFor, model) ? replicateModelFor[model] : undefined;
  const name = byMode?.[mode];
  if (name === undefined) throw modeRefused("Replicate", replicateModelFor, model, mode);
  return name;
}

const predictionsOf = (name: string, input: Record<string, unknown>): RequestSpec => ({
  method: "POST",
  path: `/v1/models/${name}/predictions`,
  body: { kind: "json", value: { input } },
});

function buildCreate(params: CreateParams<LoadedImage>, model: ModelSpec): RequestSpec {
  const name = replicateModelName(model.id, modeOf(params));
  // Only what was asked: each Replicate model's own defaults apply to the rest.
  const { fields: input, image, references } = askedFields(params);
  if (image !== undefined) input.image = image;
  if (references.length > 0) input.reference_images = references;
  return predictionsOf(name, input);
}

function buildSourced(mode: "edit" | "extend", params: SourceParams): RequestSpec {
  const input: Record<string, unknown> = { prompt: params.prompt, video: params.videoUrl };
  if (mode === "extend" && params.duration !== undefined) input.duration = params.duration;
  return predictionsOf(replicateModelName(params.model, mode), input);
}

const CANCEL_AFTER = /^\d+(\.\d+)?(ms|s|m|h)$/;

/**
 * `Cancel-After: 10m` (§10b): a prediction not started by then ends `aborted`, unbilled. Pure, for
 * the wiring to add to a create when the user asks for a deadline.
 */
export function withCancelAfter(spec: RequestSpec, after: string): RequestSpec {
  if (!CANCEL_AFTER.test(after))
    throw new UsageError(`"${after}" is no Cancel-After duration (like 90s or 10m)`);
  return { ...spec, headers: { ...spec.headers, "Cancel-After": after } };
}

/** How long after grokvid's own deadline Replicate's Cancel-After falls. */
export const DEADLINE_GRACE_SECONDS = 30;

/** A job's list price, by the Replicate model its mode goes to (Replicate charges nothing per image). */
function listPrice(ask: PriceAsk): ListPrice | undefined {
  const byMode = Object.hasOwn(replicateModelFor, ask.model) ? replicateModelFor[ask.model] : undefined;
  const name = byMode?.[ask.mode];
  if (name === undefined || !Object.hasOwn(replicatePrices, name)) return undefined;
  const defaults = replicateDefaults[name];
  const perSecond = replicatePrices[name];
  return defaults && perSecond ? priceFrom({ perSecond, perImage: 0 }, ask, defaults) : undefined;
}

const prediction = (id: string) => `/v1/predictions/${encodeURIComponent(id)}`;

export const replicateSpec: SpecWithoutBalance = {
  id: "replicate",
  defaultBaseUrl: "https://api.replicate.com",
  models: replicateModels,
  defaultModel: "grok-imagine-video",
  buildCreate,
  // `urls.get` and `urls.cancel` are these same documented routes, so they are built from the id.
  buildQuery: (id) => ({ method: "GET", path: prediction(id) }),
  buildCancel: (task) => ({ method: "POST", path: `${prediction(task.id)}/cancel` }),
  // grokvid cancels at its own deadline while it runs; Replicate's, a little later, is the backstop
  // for a grokvid that is gone by then. Whole seconds, rounded up.
  withDeadline: (create, ms) => withCancelAfter(create, `${Math.ceil(ms / 1000) + DEADLINE_GRACE_SECONDS}s`),
  operations: {
    // xai/grok-imagine-video edits a `video` of at most 8.7 s (§10b).
    edit: { maxSourceSeconds: 8.7, build: (params) => buildSourced("edit", params) },
    // xai/grok-imagine-video-extension: a 2-15 s `video`, 2-10 s added (default 6).
    extend: {
      durations: { kind: "range", min: 2, max: 10 },
      defaultDuration: 6,
      sourceSeconds: { min: 2, max: 15 },
      build: (params) => buildSourced("extend", params),
    },
  },
  listPrice,
  anonymousDownloads: true,
  ecosystemKeyVariable: "REPLICATE_API_TOKEN",
  noBalance:
    "Replicate documents no balance endpoint for a token; see the billing page of your Replicate account",
};
