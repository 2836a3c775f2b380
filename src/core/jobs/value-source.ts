import type { Sourced } from "../../config/sourced.js";
import type { ModelSpec, ProviderSpec } from "../../providers/types.js";

export type { Sourced } from "../../config/sourced.js";

/** "apimart", or "duoyuanx model grok-video-1.5" where the provider has several models. */
export function where(provider: ProviderSpec, model: ModelSpec): string {
  return provider.models.length > 1 ? `${provider.id} model ${model.id}` : provider.id;
}

/** " (set by providers.x.defaults.duration in the config file)" for a config value, "" for a flag. */
export function fromConfig(s: Sourced<unknown>): string {
  return s.configKey ? ` (set by ${s.configKey} in the config file)` : "";
}
