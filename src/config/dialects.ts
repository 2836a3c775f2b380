/**
 * The dialects a gateway in the config may speak: each is one of the built-in provider modules.
 * Kept apart from the schema (zod) so what builds a gateway's requests loads no validator.
 */
export const gatewayDialects = [
  "apimart",
  "jimmyai",
  "openai-videos",
  "xai",
  "fal",
  "replicate",
  "openrouter",
  "aimlapi",
] as const;
export type GatewayDialect = (typeof gatewayDialects)[number];

/**
 * The hosted platforms' protocols (fal, Replicate, OpenRouter, AIML API): a mirror or proxy of one
 * serves the platform's own models, so `models` may be left out (the platform's, with its limits).
 */
export const platformDialects: readonly GatewayDialect[] = ["fal", "replicate", "openrouter", "aimlapi"];
