import type {
  CreateParams,
  DialectDef,
  LoadedImage,
  ModelSpec,
  MultipartField,
  ProviderSpec,
  RequestBody,
  RequestSpec,
} from "./types.js";

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

const encodeId = (id: string) => encodeURIComponent(id);

/** new-api's `GET /api/usage/token/` (the key used); balance.ts reads the answer. */
export const newApiBalanceRequest = (): RequestSpec => ({ method: "GET", path: "/api/usage/token/" });

/**
 * The OpenAI/new-api video dialect (`POST /v1/videos`, `GET /v1/videos/{id}`, `/content`): what
 * duoyuanx speaks, and what a gateway of dialect `openai-videos` in the config speaks. Each model
 * says whether it takes JSON or a multipart upload.
 */
export function makeOpenAiVideosSpec({ id, defaultBaseUrl, models, defaultModel }: DialectDef): ProviderSpec {
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
    buildQuery: (taskId) => ({ method: "GET", path: `/v1/videos/${encodeId(taskId)}` }),
    buildContent: (taskId) => ({ method: "GET", path: `/v1/videos/${encodeId(taskId)}/content` }),
    balance: { build: newApiBalanceRequest },
  };
}

export const duoyuanxDef: DialectDef = {
  id: "duoyuanx",
  defaultBaseUrl: "https://duoyuanx.com",
  models: [
    previewModel,
    multipartModel("grok-video-1.5", [6, 10]),
    multipartModel("grok-video-1.5-pro", [10]),
    multipartModel("grok-video-1.5-max", [15]),
  ],
  defaultModel: PREVIEW,
};
