import { makeApimartFamily } from "../providers/apimart-family.js";
import { makeOpenAiVideos } from "../providers/duoyuanx.js";
import { makeJimmyai } from "../providers/jimmyai.js";
import { providers } from "../providers/registry.js";
import type { DialectDef, Provider } from "../providers/types.js";
import { makeXai } from "../providers/xai.js";
import type { GatewayDefinition, GatewayDialect } from "./gateway-schema.js";
import { gatewayDialectDef, withOwnBudget } from "./gateway-spec.js";
import type { ProviderSelection } from "./resolve.js";

const FACTORIES: Record<GatewayDialect, (def: DialectDef) => Provider> = {
  apimart: makeApimartFamily,
  jimmyai: makeJimmyai,
  "openai-videos": makeOpenAiVideos,
  xai: makeXai,
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
