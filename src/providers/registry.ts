import { aimlapi } from "./aimlapi.js";
import { apimart } from "./apimart.js";
import { duoyuanx } from "./duoyuanx.js";
import { fal } from "./fal.js";
import { jimmyai } from "./jimmyai.js";
import { openrouter } from "./openrouter.js";
import { replicate } from "./replicate.js";
import type { Provider, ProviderId } from "./types.js";
import { xai } from "./xai.js";
import { xcompute } from "./xcompute.js";

export { findModel } from "./specs.js";

/** The built-in providers whole: requests (specs.ts) and the parsers of their answers. */
export const providers = {
  apimart,
  xcompute,
  jimmyai,
  duoyuanx,
  xai,
  fal,
  replicate,
  openrouter,
  aimlapi,
} as const satisfies Record<ProviderId, Provider>;

export function getProvider(id: ProviderId): Provider {
  return providers[id];
}
