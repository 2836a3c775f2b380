import type { CreateParams, DialectDef, LoadedImage, ModelSpec, ProviderSpec, RequestSpec } from "./types.js";

export function apimartModel(id: string): ModelSpec {
  return {
    id,
    durations: { kind: "range", min: 6, max: 30 },
    ratios: ["16:9", "9:16", "1:1", "3:2", "2:3"],
    resolutions: [480, 720],
    images: { min: 0, max: 7, accepts: "url" },
  };
}

const APIMART_MODEL = "grok-imagine-1.5-video-apimart";
const XCOMPUTE_MODEL = "grok-imagine-1.0-video-apimart";

export const apimartDef: DialectDef = {
  id: "apimart",
  defaultBaseUrl: "https://api.apimart.ai",
  models: [apimartModel(APIMART_MODEL)],
  defaultModel: APIMART_MODEL,
};

/** xcompute resells apimart's models: same request, create answer `data` is an object keyed `id`. */
export const xcomputeDef: DialectDef = {
  id: "xcompute",
  defaultBaseUrl: "https://xcompute.us",
  models: [apimartModel(XCOMPUTE_MODEL)],
  defaultModel: XCOMPUTE_MODEL,
};

export function buildApimartCreate(params: CreateParams<LoadedImage>): RequestSpec {
  const body: Record<string, unknown> = { model: params.model, prompt: params.prompt };
  // `size` is apimart's name for the aspect ratio, `quality` for the resolution.
  if (params.ratio !== undefined) body.size = params.ratio;
  // Must be a bare JSON number: apimart rejects a quoted duration.
  if (params.duration !== undefined) body.duration = params.duration;
  if (params.resolution !== undefined) body.quality = `${params.resolution}p`;
  const urls = params.images.flatMap((img) => (img.kind === "url" ? [img.url] : []));
  if (urls.length > 0) body.image_urls = urls;
  return { method: "POST", path: "/v1/videos/generations", body: { kind: "json", value: body } };
}

export function buildTaskQuery(id: string): RequestSpec {
  return { method: "GET", path: `/v1/tasks/${encodeURIComponent(id)}` };
}

/** apimart's `GET /v1/balance` (this key); balance.ts reads the answer. */
export const apimartBalanceRequest = (): RequestSpec => ({ method: "GET", path: "/v1/balance" });

/** apimart and xcompute differ only in host, model and create-answer shape, which the parser tolerates. */
export function makeApimartFamilySpec({
  id,
  defaultBaseUrl,
  models,
  defaultModel,
}: DialectDef): ProviderSpec {
  return {
    id,
    defaultBaseUrl,
    models,
    defaultModel,
    buildCreate: (params) => buildApimartCreate(params),
    buildQuery: buildTaskQuery,
    balance: { build: apimartBalanceRequest },
  };
}
