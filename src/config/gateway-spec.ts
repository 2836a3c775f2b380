import { aimlapiSpec } from "../providers/aimlapi-spec.js";
import { makeApimartFamilySpec } from "../providers/apimart-family-spec.js";
import { makeOpenAiVideosSpec } from "../providers/duoyuanx-spec.js";
import { falSpec } from "../providers/fal-spec.js";
import { makeJimmyaiSpec } from "../providers/jimmyai-spec.js";
import { openRouterSpec } from "../providers/openrouter-spec.js";
import { replicateSpec } from "../providers/replicate-spec.js";
import type { DialectDef, ImageRule, ModelSpec, ProviderId, ProviderSpec } from "../providers/types.js";
import { makeXaiSpec } from "../providers/xai-spec.js";
import { type GatewayDialect, platformDialects } from "./dialects.js";
import type { GatewayDefinition, GatewayModel } from "./gateway-schema.js";

/** The built-in module each dialect reuses (the sandbox serves each under that name). */
export const DIALECT_MODULES: Record<GatewayDialect, ProviderId> = {
  apimart: "apimart",
  jimmyai: "jimmyai",
  "openai-videos": "duoyuanx",
  xai: "xai",
  fal: "fal",
  replicate: "replicate",
  openrouter: "openrouter",
  aimlapi: "aimlapi",
};

const PLATFORM_SPECS: Partial<Record<GatewayDialect, ProviderSpec>> = {
  fal: falSpec,
  replicate: replicateSpec,
  openrouter: openRouterSpec,
  aimlapi: aimlapiSpec,
};

/**
 * A platform's spec under a gateway's name, base URL and models. The platform's own key variable
 * (FAL_KEY...) is not read for a gateway: that key belongs to the platform, not to a proxy. Nor
 * are its list prices assumed: a proxy charges what it likes.
 */
function platformSpec(base: ProviderSpec) {
  return ({ id, defaultBaseUrl, models, defaultModel }: DialectDef): ProviderSpec => {
    const spec: ProviderSpec = { ...base, id, defaultBaseUrl, models, defaultModel };
    delete (spec as { ecosystemKeyVariable?: string }).ecosystemKeyVariable;
    delete spec.listPrice;
    return spec;
  };
}

const SPEC_FACTORIES: Record<GatewayDialect, (def: DialectDef) => ProviderSpec> = {
  apimart: makeApimartFamilySpec,
  jimmyai: makeJimmyaiSpec,
  "openai-videos": makeOpenAiVideosSpec,
  xai: makeXaiSpec,
  fal: platformSpec(falSpec),
  replicate: platformSpec(replicateSpec),
  openrouter: platformSpec(openRouterSpec),
  aimlapi: platformSpec(aimlapiSpec),
};

/** How each dialect takes a local image when the model does not say. */
const DEFAULT_ACCEPTS: Record<GatewayDialect, ImageRule["accepts"]> = {
  apimart: "url",
  jimmyai: "url",
  "openai-videos": "data-uri",
  xai: "url-or-data-uri",
  fal: "url-or-data-uri",
  replicate: "url-or-data-uri",
  openrouter: "url-or-data-uri",
  aimlapi: "url",
};

/** The platform's own model of that name, whose endpoints (modes) a gateway's model keeps. */
function platformModel(dialect: GatewayDialect, id: string): ModelSpec | undefined {
  if (!platformDialects.includes(dialect)) return undefined;
  const wanted = id.toLowerCase();
  return PLATFORM_SPECS[dialect]?.models.find((m) => m.id.toLowerCase() === wanted);
}

const lines = (r: number | string): number => (typeof r === "number" ? r : Number.parseInt(r, 10));

function toModelSpec(id: string, m: GatewayModel, dialect: GatewayDialect): ModelSpec {
  const accepts = m.images?.accepts ?? DEFAULT_ACCEPTS[dialect];
  return {
    id,
    ...(m.aliases ? { aliases: m.aliases } : {}),
    durations: Array.isArray(m.durations)
      ? { kind: "set", values: m.durations }
      : {
          kind: "range",
          min: m.durations.min,
          ...(m.durations.max === undefined ? {} : { max: m.durations.max }),
        },
    ratios: m.ratios ?? [],
    ...(m.customRatio ? { customRatio: true } : {}),
    resolutions: (m.resolutions ?? []).map(lines),
    // Absent: no image, so nothing the gateway was never said to take is sent.
    images: { min: m.images?.min ?? 0, max: m.images?.max ?? 0, accepts },
    ...(m.encoding ? { encoding: m.encoding } : {}),
    ...(m.referenceImages
      ? {
          references: {
            max: m.referenceImages.max,
            accepts,
            maxDuration: m.referenceImages.maxDuration,
            maxResolution: lines(m.referenceImages.maxResolution),
          },
        }
      : {}),
    ...(m.promptMax ? { promptMax: m.promptMax } : {}),
    // fal and Replicate serve each mode on an endpoint of its own: the platform's model says which.
    ...(platformModel(dialect, id)?.modes ? { modes: platformModel(dialect, id)?.modes ?? [] } : {}),
  };
}

/** The dialect definition of a `gateways` entry: its name, base URL and models, its model first. */
export function gatewayDialectDef(name: string, def: GatewayDefinition): DialectDef {
  // A platform's mirror without `models` serves the platform's own, with its limits.
  const models = def.models
    ? Object.entries(def.models).map(([id, m]) => toModelSpec(id, m, def.dialect))
    : [...(PLATFORM_SPECS[def.dialect]?.models ?? [])];
  const wanted = def.model?.toLowerCase();
  const named = models.find(
    (m) => m.id.toLowerCase() === wanted || (m.aliases ?? []).some((a) => a.toLowerCase() === wanted),
  );
  const chosen = named ?? models[0];
  if (!chosen) throw new Error(`gateway ${name} has no model`);
  return { id: name, defaultBaseUrl: def.baseUrl, models, defaultModel: chosen.id };
}

/** The spec of a dialect for a gateway's def: the request side gateway-provider.ts builds on. */
export function makeGatewaySpecOf(dialect: GatewayDialect, def: DialectDef): ProviderSpec {
  return SPEC_FACTORIES[dialect](def);
}

/** A gateway's own budget wins over its dialect's (a reseller of xAI may allow more or less). */
export function withOwnBudget<T extends ProviderSpec>(provider: T, def: GatewayDefinition): T {
  return def.requestsPerSecond === undefined
    ? provider
    : { ...provider, requestsPerSecond: def.requestsPerSecond };
}

/**
 * The requests and limits of a `gateways` entry: the dialect's own request builders, with the
 * entry's models and limits as data, so a gateway nobody wrote code for is checked as strictly
 * as a built-in one before anything is sent. gateway-provider.ts adds the dialect's parsers.
 */
export function makeGatewaySpec(name: string, def: GatewayDefinition): ProviderSpec {
  return withOwnBudget(SPEC_FACTORIES[def.dialect](gatewayDialectDef(name, def)), def);
}
