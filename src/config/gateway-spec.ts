import { makeApimartFamilySpec } from "../providers/apimart-family-spec.js";
import { makeOpenAiVideosSpec } from "../providers/duoyuanx-spec.js";
import { makeJimmyaiSpec } from "../providers/jimmyai-spec.js";
import type { DialectDef, ImageRule, ModelSpec, ProviderId, ProviderSpec } from "../providers/types.js";
import { makeXaiSpec } from "../providers/xai-spec.js";
import type { GatewayDefinition, GatewayDialect, GatewayModel } from "./gateway-schema.js";

/** The built-in module each dialect reuses (the sandbox serves each under that name). */
export const DIALECT_MODULES: Record<GatewayDialect, ProviderId> = {
  apimart: "apimart",
  jimmyai: "jimmyai",
  "openai-videos": "duoyuanx",
  xai: "xai",
};

const SPEC_FACTORIES: Record<GatewayDialect, (def: DialectDef) => ProviderSpec> = {
  apimart: makeApimartFamilySpec,
  jimmyai: makeJimmyaiSpec,
  "openai-videos": makeOpenAiVideosSpec,
  xai: makeXaiSpec,
};

/** How each dialect takes a local image when the model does not say. */
const DEFAULT_ACCEPTS: Record<GatewayDialect, ImageRule["accepts"]> = {
  apimart: "url",
  jimmyai: "url",
  "openai-videos": "data-uri",
  xai: "url-or-data-uri",
};

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
  };
}

/** The dialect definition of a `gateways` entry: its name, base URL and models, its model first. */
export function gatewayDialectDef(name: string, def: GatewayDefinition): DialectDef {
  const models = Object.entries(def.models).map(([id, m]) => toModelSpec(id, m, def.dialect));
  const wanted = def.model?.toLowerCase();
  const chosen =
    models.find(
      (m) => m.id.toLowerCase() === wanted || (m.aliases ?? []).some((a) => a.toLowerCase() === wanted),
    ) ?? models[0];
  if (!chosen) throw new Error(`gateway ${name} has no model`);
  return { id: name, defaultBaseUrl: def.baseUrl, models, defaultModel: chosen.id };
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
