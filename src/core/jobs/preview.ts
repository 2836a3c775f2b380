import {
  configCreateDefaults,
  type PollSettings,
  type ProviderSelection,
  resolvePoll,
  selectProvider,
} from "../../config/resolve.js";
import type { GrokvidConfig } from "../../config/schema.js";
import { describeRequest, type RequestDescription } from "../../http/encode.js";
import type { CreateParams, ModelSpec, VideoOperation } from "../../providers/types.js";
import type { SourcedPlan } from "./validate-source.js";
import type { GatewayChoice, Reporter, Runtime } from "../client/context.js";
import { resolveEndpoint } from "../gateway/resolve-gateway.js";
import { type LoadedMedia, loadMedia } from "./load-images.js";
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
  /** Reference-to-video (xAI): like images, named in the prompt as <IMAGE_1>, <IMAGE_2>... */
  referenceImages?: readonly string[];
  /**
   * Edit or extend a video instead of generating one: `from` is a journaled job id or a public
   * video URL. `duration` then means the seconds an extension adds; ratio, resolution and images
   * are refused.
   */
  source?: { operation: VideoOperation; from: string };
}

/** The settings of a create that decide the request: which gateway, how long to poll. */
export interface RequestOptions extends GatewayChoice {
  interval?: string;
  timeout?: string;
  cancelOnTimeout?: boolean;
  /** The create would be waited for: a dry run then shows the deadline a platform is sent. */
  wait?: boolean;
}

export interface Prepared {
  choice: string;
  params: CreateParams;
  model: ModelSpec;
  media: LoadedMedia;
  /** An edit or extension: its request is built once the source's URL is known. */
  sourced?: SourcedPlan;
  poll: PollSettings;
}

/** A spec that names its provider sends there, whatever the client's default. */
export function withProvider<T extends GatewayChoice>(spec: JobSpec, options: T): T {
  return spec.provider === undefined ? options : { ...options, provider: spec.provider };
}

/** Everything the user typed, checked before a key is looked up or a byte is sent. */
export async function prepare(
  spec: JobSpec,
  options: RequestOptions,
  runtime: Runtime,
  config: GrokvidConfig,
): Promise<Prepared> {
  const selection = selectProvider(options.provider ?? options.defaultProvider, runtime.env, config);
  const poll = resolvePoll(options, config, selection.choice, selection.provider);
  if (spec.source) {
    const unused = [
      spec.ratio === undefined ? undefined : "--ratio",
      spec.resolution === undefined ? undefined : "--resolution",
      spec.images?.length ? "--image" : undefined,
      spec.referenceImages?.length ? "--reference-image" : undefined,
    ].flatMap((flag) => flag ?? []);
    const model = spec.model === undefined ? configCreateDefaults(selection).model : { value: spec.model };
    // Edits and extensions only: a plain create (and its dry run) never loads this.
    const { validateSourced } = await import("./validate-source.js");
    const sourced = validateSourced(
      selection.provider,
      {
        ...spec.source,
        prompt: spec.prompt,
        unused,
        ...(model === undefined ? {} : { model }),
        ...(spec.duration === undefined ? {} : { duration: spec.duration }),
      },
      selection.choice,
    );
    return { choice: selection.choice, ...sourced, media: { images: [] }, sourced, poll };
  }
  const { params, model } = validateSpec(spec, selection);
  return {
    choice: selection.choice,
    params,
    model,
    media: await loadMedia(params, model, { cwd: runtime.cwd, allowRead: runtime.allowRead }),
    poll,
  };
}

/**
 * A plain create's values, the config's defaults under them, checked against the provider's
 * rules; no file is read. What `prepare` and a cost estimate share, so both see the same job.
 */
export function validateSpec(
  spec: JobSpec,
  selection: ProviderSelection,
): { params: CreateParams; model: ModelSpec } {
  const text = (v: string | number | undefined) => (v === undefined ? undefined : { value: String(v) });
  const given = {
    model: text(spec.model),
    duration: text(spec.duration),
    ratio: text(spec.ratio),
    resolution: text(spec.resolution),
  };
  return validateCreate(
    selection.provider,
    {
      prompt: spec.prompt,
      images: [...(spec.images ?? [])],
      referenceImages: [...(spec.referenceImages ?? [])],
      ...configCreateDefaults(selection),
      ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
    },
    selection.choice,
  );
}

/** Loaded only for an edit or extension, so a plain dry run never reads the journal. */
async function journaledSource(
  source: NonNullable<JobSpec["source"]>,
  runtime: Runtime,
  report: Reporter,
  config: GrokvidConfig,
) {
  const [{ findSourceJob }, { openJournal }] = await Promise.all([
    import("./source-video.js"),
    import("../client/session.js"),
  ]);
  const journal = await openJournal(runtime, report, config);
  try {
    return await findSourceJob(source.from, source.operation, journal);
  } finally {
    await journal.close();
  }
}

/** The exact request `create` would send, key masked; nothing is sent. */
export async function previewCreate(
  spec: JobSpec,
  options: RequestOptions,
  runtime: Runtime,
  report: Reporter,
  config: GrokvidConfig,
): Promise<RequestDescription> {
  let merged = withProvider(spec, options);
  const job = spec.source && (await journaledSource(spec.source, runtime, report, config));
  if (job && merged.provider === undefined) merged = { ...merged, provider: job.provider };
  const { params, model, media, sourced, poll } = await prepare(spec, merged, runtime, config);
  if (job && sourced && spec.source) {
    const { checkSourceLength } = await import("./source-video.js");
    checkSourceLength(job, spec.source.operation, sourced.provider, params.duration);
  }
  const { endpoint, stopSandbox } = await resolveEndpoint(merged, runtime, report, config, job, {
    allowMissingKey: true,
  });
  await stopSandbox?.();
  // Nothing is sent, so a source job's URL is shown as the journal has it (refreshed when sent).
  const sourceUrl = job
    ? (job.videoUrl ?? `<the video of job ${job.id}, asked for when sent>`)
    : spec.source?.from;
  const built =
    sourced && sourceUrl !== undefined
      ? sourced.build(sourceUrl)
      : endpoint.provider.buildCreate({ ...params, ...media }, model);
  const { withDeadline } = endpoint.provider;
  const request =
    options.wait === true && poll.cancelOnTimeout && withDeadline
      ? withDeadline(built, poll.timeoutMs)
      : built;
  return describeRequest(
    endpoint.baseUrl,
    endpoint.apiKey,
    request,
    endpoint.keyVariable,
    endpoint.provider.authScheme,
  );
}
