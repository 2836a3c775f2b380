import { makeApimartFamily } from "../providers/apimart-family.js";
import { makeOpenAiVideos } from "../providers/duoyuanx.js";
import { makeJimmyai } from "../providers/jimmyai.js";
import { providers } from "../providers/registry.js";
import { aimlapi } from "../providers/aimlapi.js";
import { fal } from "../providers/fal.js";
import { openrouter } from "../providers/openrouter.js";
import { replicate } from "../providers/replicate.js";
import type { DialectDef, Provider } from "../providers/types.js";
import { makeXai } from "../providers/xai.js";
import type { GatewayDefinition, GatewayDialect } from "./gateway-schema.js";
import { gatewayDialectDef, makeGatewaySpecOf, withOwnBudget } from "./gateway-spec.js";
import type { ProviderSelection } from "./resolve.js";

/** A platform's parsers with the gateway's spec (gateway-spec.ts makes it from the same def). */
function platformProvider(base: Provider, dialect: GatewayDialect) {
  return (def: DialectDef): Provider => {
    // The platform's balance reader stays (the spec only builds its request); its key variable
    // does not (gateway-spec.ts): FAL_KEY is fal's, not a proxy's.
    const { balance, ...spec } = makeGatewaySpecOf(dialect, def);
    const provider = { ...base, ...spec, ...(balance && base.balance ? { balance: base.balance } : {}) };
    delete (provider as { ecosystemKeyVariable?: string }).ecosystemKeyVariable;
    return provider;
  };
}

const FACTORIES: Record<GatewayDialect, (def: DialectDef) => Provider> = {
  apimart: makeApimartFamily,
  jimmyai: makeJimmyai,
  "openai-videos": makeOpenAiVideos,
  xai: makeXai,
  fal: platformProvider(fal, "fal"),
  replicate: platformProvider(replicate, "replicate"),
  openrouter: platformProvider(openrouter, "openrouter"),
  aimlapi: platformProvider(aimlapi, "aimlapi"),
};

/**
 * A provider from a `gateways` entry: the dialect's own request builders and parsers, with the
 * entry's models and limits as data (gateway-spec.ts).
 */
export function makeGatewayProvider(name: string, def: GatewayDefinition): Provider {
  return withOwnBudget(FACTORIES[def.dialect](gatewayDialectDef(name, def)), def);
}

/**
 * The whole provider of a selection, parsers included: what a command needs once it sends
 * something. Loaded then, not before (see ProviderSpec).
 */
export function providerOf(selection: ProviderSelection): Provider {
  return selection.gateway
    ? makeGatewayProvider(selection.choice, selection.gateway)
    : providers[selection.dialect];
}
