import { apimart } from "./apimart.js";
import { duoyuanx } from "./duoyuanx.js";
import { jimmyai } from "./jimmyai.js";
import type { ModelSpec, Provider, ProviderId } from "./types.js";
import { xai } from "./xai.js";
import { xcompute } from "./xcompute.js";

export const providers = { apimart, xcompute, jimmyai, duoyuanx, xai } as const satisfies Record<
  ProviderId,
  Provider
>;

export function getProvider(id: ProviderId): Provider {
  return providers[id];
}

/** Model names compare case-insensitively and through each gateway's documented aliases. */
export function findModel(provider: Provider, name: string): ModelSpec | undefined {
  const wanted = name.trim().toLowerCase();
  return provider.models.find(
    (m) => m.id.toLowerCase() === wanted || (m.aliases ?? []).some((a) => a.toLowerCase() === wanted),
  );
}
