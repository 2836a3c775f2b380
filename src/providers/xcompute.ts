import { apimartModel, makeApimartFamily } from "./apimart-family.js";

const MODEL = "grok-imagine-1.0-video-apimart";

/** xcompute resells apimart's models: same request, create answer `data` is an object keyed `id`. */
export const xcompute = makeApimartFamily({
  id: "xcompute",
  defaultBaseUrl: "https://xcompute.us",
  models: [apimartModel(MODEL)],
  defaultModel: MODEL,
});
