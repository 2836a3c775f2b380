import { askedFields } from "./hosted-common.js";
import type { CreateParams, LoadedImage, ModelSpec, RequestSpec, SpecWithoutBalance } from "./types.js";

/**
 * AIML API (providers.md §10d). Its ratios are not listed in §10d: xAI's own for the same models
 * (§6) [I]. Images are "URLs" in its schema, so local files are refused rather than inlined.
 */
const RATIOS = ["16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3"] as const;

function aimlModel(id: string, alias: string): ModelSpec {
  return {
    id,
    // Users may type the name without the `x-ai/` prefix.
    aliases: [alias],
    durations: { kind: "range", min: 1, max: 15 },
    ratios: RATIOS,
    // One schema file lists 480p|720p|1080p for both models [D §10d]; per-model limits are not split.
    resolutions: [480, 720, 1080],
    images: { min: 0, max: 1, accepts: "url" },
    // `reference_images`: at most 7 URLs; no duration or resolution cap of their own in §10d.
    references: { max: 7, accepts: "url", maxDuration: 15, maxResolution: 1080 },
    defaultDuration: 10,
  };
}

export const aimlModels: readonly ModelSpec[] = [
  aimlModel("x-ai/grok-imagine-video", "grok-imagine-video"),
  aimlModel("x-ai/grok-imagine-video-1.5-preview", "grok-imagine-video-1.5-preview"),
];

const GENERATIONS = "/v2/video/generations";

function buildCreate(params: CreateParams<LoadedImage>, model: ModelSpec): RequestSpec {
  // Only what was asked: AIML API's defaults (10 s) apply to the rest.
  const { fields, image, references } = askedFields(params);
  const body: Record<string, unknown> = { model: model.id, ...fields };
  // `image_url` | `reference_images`: one or the other, never both.
  if (references.length > 0) body.reference_images = references;
  else if (image !== undefined) body.image_url = image;
  return { method: "POST", path: GENERATIONS, body: { kind: "json", value: body } };
}

export const aimlapiSpec: SpecWithoutBalance = {
  id: "aimlapi",
  defaultBaseUrl: "https://api.aimlapi.com",
  models: aimlModels,
  defaultModel: "x-ai/grok-imagine-video",
  buildCreate,
  // The id travels as a query parameter, not in the path (§10d Poll).
  buildQuery: (id) => ({ method: "GET", path: GENERATIONS, query: { generation_id: id } }),
  // `video.url` is on another origin: fetched without the key [I, §10d].
  anonymousDownloads: true,
  noBalance:
    "AIML API documents no balance endpoint for a key; see the billing page of your AIML API account",
};
