import { providerIds } from "../providers/types.js";

/** Faster polling only burns the gateway's rate limit; no job finishes in under a second. */
export const MIN_INTERVAL_MS = 100;

export const providerChoices = [...providerIds, "sandbox"] as const;
export type ProviderChoice = (typeof providerChoices)[number];
