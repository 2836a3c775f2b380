import type { DialectDef, ModelSpec, RequestSpec, SpecWithoutBalance } from "./types.js";

const JIMMYAI_MODEL = "grok-imagine-video-1.5";

/** jimmyai's one model: exactly one public image URL, 10 or 15 s, no resolution field. */
export const jimmyaiModels: readonly ModelSpec[] = [
  {
    id: JIMMYAI_MODEL,
    aliases: ["grok-1.5", "grok_1_5"],
    durations: { kind: "set", values: [10, 15] },
    ratios: ["16:9", "9:16", "1:1", "3:2", "2:3"],
    resolutions: [],
    images: { min: 1, max: 1, accepts: "url" },
  },
];

export const jimmyaiDef: DialectDef = {
  id: "jimmyai",
  defaultBaseUrl: "https://www.jimmyai.cn",
  models: jimmyaiModels,
  defaultModel: JIMMYAI_MODEL,
};

export function makeJimmyaiSpec({
  id,
  defaultBaseUrl,
  models,
  defaultModel,
}: DialectDef): SpecWithoutBalance {
  return {
    id,
    defaultBaseUrl,
    models,
    defaultModel,
    buildCreate(params): RequestSpec {
      const body: Record<string, unknown> = { model: params.model, prompt: params.prompt };
      if (params.ratio !== undefined) body.ratio = params.ratio;
      if (params.duration !== undefined) body.duration = params.duration;
      body.image_urls = params.images.flatMap((img) => (img.kind === "url" ? [img.url] : []));
      return { method: "POST", path: "/api/open-api/v1/grok/videos", body: { kind: "json", value: body } };
    },
    buildQuery: (taskId) => ({
      method: "GET",
      path: `/api/open-api/v1/videos/${encodeURIComponent(taskId)}`,
    }),
    noBalance: "the jimmyai dialect is prepaid and has no balance endpoint; see the gateway's dashboard",
  };
}
