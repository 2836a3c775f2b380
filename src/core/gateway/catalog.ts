import { keyVariable, selectProvider } from "../../config/resolve.js";
import type { GrokvidConfig } from "../../config/schema.js";
import { providerSpecs } from "../../providers/specs.js";
import type { DurationRule, ImageRule, ModelSpec, ProviderSpec } from "../../providers/types.js";

/** One model's limits, as `--model`, `--duration`, `--ratio`... are checked against them. */
export interface ModelSummary {
  id: string;
  aliases: string[];
  default: boolean;
  durations: DurationRule;
  ratios: string[];
  /** Any N:M besides the presets. */
  customRatio: boolean;
  /** "720p", ... */
  resolutions: string[];
  images: { min: number; max: number | null; accepts: ImageRule["accepts"] };
  referenceImages: { max: number; maxDuration: number; maxResolution: string } | null;
  promptMax: number | null;
}

export interface ProviderSummary {
  id: string;
  /** The dialect it speaks: its own name for a built-in, the entry's `dialect` for a gateway. */
  dialect: string;
  /** Defined under `gateways` in the config. */
  configured: boolean;
  /** The simulator grokvid runs in-process (`sandbox`): no key, no network, no base URL. */
  offline: boolean;
  /** Empty for the sandbox, which has no base URL of its own. */
  defaultBaseUrl: string;
  /** Environment variables read for the key, in order. */
  keyVariables: string[];
  models: ModelSummary[];
  /** `edit` and `extend`, where offered; extend's added seconds. */
  operations: { edit: boolean; extend: DurationRule | null };
  balance: boolean;
  /** `grokvid cancel` (and --cancel-on-timeout) work there: fal, Replicate and their dialects. */
  cancel: boolean;
  /** The gateway's request budget per key, where it has one. */
  requestsPerSecond: number | null;
}

function summarizeModel(model: ModelSpec, provider: ProviderSpec): ModelSummary {
  const refs = model.references;
  return {
    id: model.id,
    aliases: [...(model.aliases ?? [])],
    default: model.id === provider.defaultModel,
    durations: model.durations,
    ratios: [...model.ratios],
    customRatio: model.customRatio === true,
    resolutions: model.resolutions.map((r) => `${r}p`),
    images: {
      min: model.images.min,
      max: Number.isFinite(model.images.max) ? model.images.max : null,
      accepts: model.images.accepts,
    },
    referenceImages: refs
      ? { max: refs.max, maxDuration: refs.maxDuration, maxResolution: `${refs.maxResolution}p` }
      : null,
    promptMax: model.promptMax ?? null,
  };
}

/**
 * Every provider grokvid speaks, built in or defined under `gateways` in the config, with the
 * limits each flag is checked against before paying.
 */
export function listProviders(config: GrokvidConfig = {}): ProviderSummary[] {
  const configured = Object.keys(config.gateways ?? {}).map((name) => selectProvider(name, {}, config));
  const all = [
    ...Object.values(providerSpecs).map((p) => ({
      p,
      key: keyVariable(p.id),
      dialect: p.id,
      gateway: false,
    })),
    // `--provider sandbox` is a choice like the others: apimart's dialect, served in-process.
    {
      p: { ...providerSpecs.apimart, id: "sandbox", defaultBaseUrl: "" },
      key: "",
      dialect: "apimart",
      gateway: false,
    },
    ...configured.map((s) => ({
      p: s.provider,
      key: s.keyVariable,
      dialect: s.settingsDialect,
      gateway: true,
    })),
  ];
  return all.map(({ p, key, dialect, gateway }) => ({
    id: p.id,
    dialect,
    configured: gateway,
    offline: p.id === "sandbox" && !gateway,
    defaultBaseUrl: p.defaultBaseUrl,
    keyVariables: key === "" ? [] : [key, ...(p.ecosystemKeyVariable ? [p.ecosystemKeyVariable] : [])],
    models: p.models.map((m) => summarizeModel(m, p)),
    operations: { edit: p.operations?.edit !== undefined, extend: p.operations?.extend?.durations ?? null },
    balance: p.balance !== undefined,
    cancel: p.buildCancel !== undefined,
    requestsPerSecond: p.requestsPerSecond ?? null,
  }));
}
