import { aimlapiSpec } from "./aimlapi-spec.js";
import { apimartDef, makeApimartFamilySpec, xcomputeDef } from "./apimart-family-spec.js";
import { duoyuanxDef, makeOpenAiVideosSpec } from "./duoyuanx-spec.js";
import { falSpec } from "./fal-spec.js";
import { jimmyaiDef, makeJimmyaiSpec } from "./jimmyai-spec.js";
import { openRouterSpec } from "./openrouter-spec.js";
import { replicateSpec } from "./replicate-spec.js";
import type { ModelSpec, ProviderId, ProviderSpec } from "./types.js";
import { xaiSpec } from "./xai-spec.js";

/**
 * The built-in providers as far as checking flags and building requests goes (registry.ts has
 * them whole, with the parsers of their answers): a dry run, a TAB press and `providers` load
 * only this.
 */
export const providerSpecs: Readonly<Record<ProviderId, ProviderSpec>> = {
  apimart: makeApimartFamilySpec(apimartDef),
  xcompute: makeApimartFamilySpec(xcomputeDef),
  jimmyai: makeJimmyaiSpec(jimmyaiDef),
  duoyuanx: makeOpenAiVideosSpec(duoyuanxDef),
  xai: xaiSpec,
  fal: falSpec,
  replicate: replicateSpec,
  openrouter: openRouterSpec,
  aimlapi: aimlapiSpec,
};

/** Model names compare case-insensitively and through each gateway's documented aliases. */
export function findModel(provider: ProviderSpec, name: string): ModelSpec | undefined {
  const wanted = name.trim().toLowerCase();
  return provider.models.find(
    (m) => m.id.toLowerCase() === wanted || (m.aliases ?? []).some((a) => a.toLowerCase() === wanted),
  );
}
