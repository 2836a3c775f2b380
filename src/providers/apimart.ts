import { apimartModel, makeApimartFamily } from "./apimart-family.js";

const MODEL = "grok-imagine-1.5-video-apimart";

export const apimart = makeApimartFamily({
  id: "apimart",
  defaultBaseUrl: "https://api.apimart.ai",
  models: [apimartModel(MODEL)],
  defaultModel: MODEL,
});
