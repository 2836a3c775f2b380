import { configCreateDefaults, resolvePoll, selectProvider } from "../config/resolve.js";
import type { GrokvidConfig } from "../config/schema.js";
import { describeRequest, type RequestDescription } from "../http/encode.js";
import { providers } from "../providers/registry.js";
import type { CreateParams, LoadedImage, ModelSpec } from "../providers/types.js";
import type { CommonFlags, Reporter, Runtime } from "./context.js";
import { resolveGateway } from "./gateway.js";
import { loadImages } from "./load-images.js";
import { validateCreate } from "./validate-create.js";

/** One video job as a user describes it; numbers may be given as numbers or as text. */
export interface JobSpec {
  prompt: string;
  provider?: string;
  model?: string;
  duration?: string | number;
  ratio?: string;
  resolution?: string | number;
  /** Public URLs, local files or data: URIs. */
  images?: readonly string[];
}

/** The settings of a create that decide the request: which gateway, how long to poll. */
export interface RequestOptions extends CommonFlags {
  interval?: string;
  timeout?: string;
}

export interface Prepared {
  choice: string;
  params: CreateParams;
  model: ModelSpec;
  images: LoadedImage[];
  poll: { intervalMs: number; timeoutMs: number };
}

/** A spec that names its provider sends there, whatever the client's default. */
export function withProvider<T extends CommonFlags>(spec: JobSpec, options: T): T {
  return spec.provider === undefined ? options : { ...options, provider: spec.provider };
}

/** Everything the user typed, checked before a key is looked up or a byte is sent. */
export async function prepare(
  spec: JobSpec,
  options: RequestOptions,
  runtime: Runtime,
  config: GrokvidConfig,
): Promise<Prepared> {
  const selection = selectProvider(options.provider, runtime.env, config);
  const text = (v: string | number | undefined) => (v === undefined ? undefined : { value: String(v) });
  const given = {
    model: text(spec.model),
    duration: text(spec.duration),
    ratio: text(spec.ratio),
    resolution: text(spec.resolution),
  };
  const { params, model } = validateCreate(providers[selection.dialect], {
    prompt: spec.prompt,
    images: [...(spec.images ?? [])],
    ...configCreateDefaults(selection.dialect, config),
    ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
  });
  const poll = resolvePoll(options, config, selection.choice);
  return { choice: selection.choice, params, model, images: await loadImages(params.images, model), poll };
}

/** The exact request `create` would send, key masked; nothing is sent. */
export async function previewCreate(
  spec: JobSpec,
  options: RequestOptions,
  runtime: Runtime,
  report: Reporter,
  config: GrokvidConfig,
): Promise<RequestDescription> {
  const merged = withProvider(spec, options);
  const { params, model, images } = await prepare(spec, merged, runtime, config);
  const { gateway, stopSandbox } = await resolveGateway(merged, runtime, report, config, undefined, {
    allowMissingKey: true,
  });
  await stopSandbox?.();
  const request = gateway.provider.buildCreate({ ...params, images }, model);
  return describeRequest(gateway.baseUrl, gateway.apiKey, request, gateway.keyVariable);
}
