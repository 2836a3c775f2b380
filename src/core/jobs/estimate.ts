import type { ProviderSelection } from "../../config/resolve.js";
import { selectProvider } from "../../config/resolve.js";
import type { CreateParams, ModelSpec, VideoMode } from "../../providers/types.js";
import { formatUsd } from "../../util/format.js";
import { type JobSpec, validateSpec } from "./preview.js";

/** What a job would cost, worked out before anything is sent or paid. */
export interface CostEstimate {
  provider: string;
  model: string;
  /**
   * US dollars by the provider's published list price; null where no price is known before the
   * job runs (a reseller, a gateway from the config, a platform that reports the cost only after).
   */
  usd: number | null;
  /** The length and resolution priced: the asked ones, or the gateway's defaults (null: unknown). */
  seconds: number | null;
  resolution: string | null;
  /** How the figure was worked out, or why there is none, in one line. */
  basis: string;
}

/** The mode a validated create asks for, as the priced platforms route it. */
function modeOf(params: CreateParams): VideoMode {
  if ((params.referenceImages ?? []).length > 0) return "reference-to-video";
  return params.images.length > 0 ? "image-to-video" : "text-to-video";
}

const unknown = (provider: string, model: string, basis: string): CostEstimate => ({
  provider,
  model,
  usd: null,
  seconds: null,
  resolution: null,
  basis,
});

/** The estimate of a validated create on the chosen provider: data in, dollars (or "unknown") out. */
export function priceJob(selection: ProviderSelection, params: CreateParams, model: ModelSpec): CostEstimate {
  const provider = selection.choice;
  // The simulator runs in this process: nothing is billed, so the estimate is exact.
  if (provider === "sandbox") {
    return { ...unknown(provider, model.id, "the sandbox runs offline and bills nothing"), usd: 0 };
  }
  const { listPrice } = selection.provider;
  if (!listPrice) {
    const why = selection.gateway
      ? "a gateway from the config sets its own prices"
      : "it publishes no list price that grokvid knows";
    return unknown(provider, model.id, `the cost on ${provider} is not known before the job runs: ${why}`);
  }
  const images = params.images.length + (params.referenceImages ?? []).length;
  const price = listPrice({
    model: model.id,
    mode: modeOf(params),
    images,
    ...(params.duration === undefined ? {} : { duration: params.duration }),
    ...(params.resolution === undefined ? {} : { resolution: params.resolution }),
  });
  if (!price) {
    const at = params.resolution === undefined ? "" : ` at ${params.resolution}p`;
    return unknown(provider, model.id, `${provider} lists no price for ${model.id}${at} in this mode`);
  }
  const extra =
    images > 0 && price.perImageUsd > 0 ? ` + ${images} × ${formatUsd(price.perImageUsd)} per image` : "";
  return {
    provider,
    model: model.id,
    usd: price.usd,
    seconds: price.seconds,
    resolution: `${price.resolution}p`,
    basis: `${provider} list price: ${formatUsd(price.perSecondUsd)}/s at ${price.resolution}p × ${price.seconds} s${extra}`,
  };
}

/** An edit's or extension's price depends on its source video, which only the gateway measures. */
function sourcedEstimate(selection: ProviderSelection, spec: JobSpec): CostEstimate {
  const model = spec.model ?? selection.provider.defaultModel;
  return unknown(
    selection.choice,
    model,
    `the cost of an ${spec.source?.operation ?? "edit"} depends on its source video`,
  );
}

/** The estimate with the configuration's choices (its gateways, its defaults) applied. */
export function estimateWith(selection: ProviderSelection, spec: JobSpec): CostEstimate {
  if (spec.source) return sourcedEstimate(selection, spec);
  const { params, model } = validateSpec(spec, selection);
  return priceJob(selection, params, model);
}

/**
 * What a job on a built-in provider would cost by its published list price, checked as `create`
 * checks it (an unaccepted value is the same UsageError); pure: no config, no file, no network.
 * `spec.provider` is required; the gateway's own defaults fill a length or resolution not given.
 */
export function estimateCost(spec: JobSpec): CostEstimate {
  return estimateWith(selectProvider(spec.provider, {}, {}), spec);
}
