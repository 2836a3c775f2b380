import { makeApimartFamily } from "../providers/apimart-family.js";
import { makeOpenAiVideos } from "../providers/duoyuanx.js";
import { makeJimmyai } from "../providers/jimmyai.js";
import type { DialectDef, ImageRule, ModelSpec, Provider, ProviderId } from "../providers/types.js";
import { makeXai } from "../providers/xai.js";
import type { GatewayDefinition, GatewayDialect, GatewayModel } from "./gateway-schema.js";

/** The built-in module each dialect reuses (the sandbox serves each under that name). */
export const DIALECT_MODULES: Record<GatewayDialect, ProviderId> = {
  apimart: "apimart",
  jimmyai: "jimmyai",
  "openai-videos": "duoyuanx",
  xai: "xai",
};

const FACTORIES: Record<GatewayDialect, (def: DialectDef) => Provider> = {
  apimart: makeApimartFamily,
  jimmyai: makeJimmyai,
  "openai-videos": makeOpenAiVideos,
  xai: makeXai,
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

/**
 * A provider from a `gateways` entry: the dialect's own request builders and parsers, with the
 * entry's models and limits as data, so a gateway nobody wrote code for is checked as strictly
 * as a built-in one before anything is sent.
 */
export function makeGatewayProvider(name: string, def: GatewayDefinition): Provider {
  const models = Object.entries(def.models).map(([id, m]) => toModelSpec(id, m, def.dialect));
  const wanted = def.model?.toLowerCase();
  const chosen =
    models.find(
      (m) => m.id.toLowerCase() === wanted || (m.aliases ?? []).some((a) => a.toLowerCase() === wanted),
    ) ?? models[0];
  if (!chosen) throw new Error(`gateway ${name} has no model`);
  const provider = FACTORIES[def.dialect]({
    id: name,
    defaultBaseUrl: def.baseUrl,
    models,
    defaultModel: chosen.id,
  });
  // The entry's own budget wins over the dialect's (a reseller of xAI may allow more or less).
  return def.requestsPerSecond === undefined
    ? provider
    : { ...provider, requestsPerSecond: def.requestsPerSecond };
}
