import { askedFields } from "./hosted-common.js";
import type { CreateParams, LoadedImage, ModelSpec, ProviderSpec, RequestSpec } from "./types.js";

/**
 * OpenRouter's videos API, alpha (providers.md §10c). Its per-model limits are served by
 * `GET /api/v1/videos/models`, not written in §10c: the ones here are xAI's own for the same
 * models (§6) [I], so a value OpenRouter refuses is refused by it, before any charge.
 */
const RATIOS = ["16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3"] as const;

function openRouterModel(id: string, alias: string): ModelSpec {
  return {
    id,
    // Users may type the name without OpenRouter's `x-ai/` prefix.
    aliases: [alias],
    durations: { kind: "range", min: 1, max: 15 },
    ratios: RATIOS,
    resolutions: [480, 720],
    // `frame_images[].image_url.url`: a public URL, or a data: URI as OpenRouter takes elsewhere [I].
    images: { min: 0, max: 1, accepts: "url-or-data-uri" },
    references: { max: 7, accepts: "url-or-data-uri", maxDuration: 10, maxResolution: 720 },
  };
}

/** Whether the full 1.5 is listed is conflicting in §10c: only the two sure models are declared. */
export const openRouterModels: readonly ModelSpec[] = [
  openRouterModel("x-ai/grok-imagine-video", "grok-imagine-video"),
  openRouterModel("x-ai/grok-imagine-video-1.5-lite", "grok-imagine-video-1.5-lite"),
];

const imagePart = (url: string) => ({ type: "image_url", image_url: { url } });

function buildCreate(params: CreateParams<LoadedImage>, model: ModelSpec): RequestSpec {
  // The canonical id, whatever alias was typed: OpenRouter knows its models by `x-ai/...`.
  const { fields, image, references } = askedFields(params);
  const body: Record<string, unknown> = { model: model.id, ...fields };
  if (image !== undefined) body.frame_images = [{ ...imagePart(image), frame_type: "first_frame" }];
  if (references.length > 0) body.input_references = references.map(imagePart);
  return { method: "POST", path: "/v1/videos", body: { kind: "json", value: body } };
}

const video = (id: string) => `/v1/videos/${encodeURIComponent(id)}`;

/** `GET /api/v1/credits` (§10c Balance); openrouter.ts reads the answer. */
export const openRouterCreditsRequest = (): RequestSpec => ({ method: "GET", path: "/v1/credits" });

/** The base URL ends in `/api`, so each route is appended as §10c writes it after `/api`. */
export const openRouterSpec: ProviderSpec = {
  id: "openrouter",
  defaultBaseUrl: "https://openrouter.ai/api",
  models: openRouterModels,
  defaultModel: "x-ai/grok-imagine-video",
  buildCreate,
  buildQuery: (id) => ({ method: "GET", path: video(id) }),
  // Same origin, with the key; `unsigned_urls` are elsewhere and fetched without it.
  buildContent: (id) => ({ method: "GET", path: `${video(id)}/content`, query: { index: "0" } }),
  sameOriginContent: true,
  anonymousDownloads: true,
  ecosystemKeyVariable: "OPENROUTER_API_KEY",
  balance: { build: openRouterCreditsRequest },
  // No cancel: §10c documents no cancel route for videos.
};
