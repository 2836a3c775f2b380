import { UsageError } from "../errors.js";
import { didYouMean } from "../util/did-you-mean.js";
import { findModel } from "../providers/registry.js";
import type {
  CreateParams,
  DurationRule,
  ImageRef,
  ImageRule,
  ModelSpec,
  Provider,
} from "../providers/types.js";

/** A value as the user gave it, and where from, so an error can point at the right place. */
export interface Sourced<T> {
  value: T;
  /** Undefined for a flag; a config key path ("providers.apimart.defaults.duration") otherwise. */
  configKey?: string;
}

export interface CreateInput {
  prompt: string;
  model?: Sourced<string>;
  duration?: Sourced<string | number>;
  ratio?: Sourced<string>;
  resolution?: Sourced<string | number>;
  images: readonly string[];
  /** `--reference-image` values: reference-to-video, where the model has it. */
  referenceImages?: readonly string[];
}

function where(provider: Provider, model: ModelSpec): string {
  return provider.models.length > 1 ? `${provider.id} model ${model.id}` : provider.id;
}

function fromConfig(s: Sourced<unknown>): string {
  return s.configKey ? ` (set by ${s.configKey} in the config file)` : "";
}

export function describeDurations(rule: DurationRule): string {
  if (rule.kind === "set") return rule.values.map((v) => `${v}`).join(", ");
  return rule.max === undefined ? `a whole number of seconds >= ${rule.min}` : `${rule.min}-${rule.max}`;
}

export function resolveModel(provider: Provider, model: Sourced<string> | undefined): ModelSpec {
  if (model === undefined) {
    const spec = findModel(provider, provider.defaultModel);
    if (!spec) throw new Error(`provider ${provider.id} has no default model spec`);
    return spec;
  }
  const spec = findModel(provider, model.value);
  if (!spec) {
    const names = provider.models.flatMap((m) => [m.id, ...(m.aliases ?? [])]);
    throw new UsageError(
      `--model ${model.value} is not offered by ${provider.id}${fromConfig(model)}; accepted: ${names.join(", ")}${didYouMean(model.value, names)}`,
    );
  }
  return spec;
}

function checkDuration(input: Sourced<string | number>, provider: Provider, model: ModelSpec): number {
  const text = String(input.value).trim();
  const match = /^(\d+)\s*s?$/i.exec(text);
  const seconds = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  const rule = model.durations;
  const ok =
    Number.isSafeInteger(seconds) &&
    (rule.kind === "set"
      ? rule.values.includes(seconds)
      : seconds >= rule.min && (rule.max === undefined || seconds <= rule.max));
  if (!ok) {
    throw new UsageError(
      `--duration ${text} is not accepted by ${where(provider, model)}${fromConfig(input)}; accepted: ${describeDurations(rule)}`,
    );
  }
  return seconds;
}

const RATIO = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/;

function checkRatio(input: Sourced<string>, provider: Provider, model: ModelSpec): string {
  const text = input.value.replace(/\s+/g, "");
  const presets = model.ratios;
  if (presets.length === 0) {
    throw new UsageError(
      `--ratio is not accepted by ${where(provider, model)}${fromConfig(input)}; leave it out`,
    );
  }
  if (presets.includes(text)) return text;
  const m = RATIO.exec(text);
  if (model.customRatio && m && Number(m[1]) > 0 && Number(m[2]) > 0) return text;
  const accepted = presets.join(", ") + (model.customRatio ? ", or any N:M" : "");
  throw new UsageError(
    `--ratio ${input.value} is not accepted by ${where(provider, model)}${fromConfig(input)}; accepted: ${accepted}`,
  );
}

function checkResolution(input: Sourced<string | number>, provider: Provider, model: ModelSpec): number {
  const text = String(input.value).trim();
  if (model.resolutions.length === 0) {
    throw new UsageError(
      `--resolution is not accepted by ${where(provider, model)}${fromConfig(input)}; leave it out`,
    );
  }
  const m = /^(\d+)p?$/i.exec(text);
  const lines = m?.[1] === undefined ? Number.NaN : Number(m[1]);
  if (!model.resolutions.includes(lines)) {
    const accepted = model.resolutions.map((r) => `${r}p`).join(", ");
    throw new UsageError(
      `--resolution ${text} is not accepted by ${where(provider, model)}${fromConfig(input)}; accepted: ${accepted}`,
    );
  }
  return lines;
}

export function classifyImage(value: string): ImageRef {
  if (/^https?:\/\//i.test(value)) return { kind: "url", url: value };
  if (/^data:/i.test(value)) return { kind: "data-uri", uri: value };
  return { kind: "file", path: value };
}

const imageAdvice = {
  url: "takes only public http(s) image URLs (no local files, no base64); upload the image and pass its URL",
  "data-uri": "takes images as inline data, not URLs; pass a local image file and grokvid encodes it",
  file: "takes one uploaded image file, not a URL; pass a local image file",
  "url-or-data-uri": "takes public http(s) image URLs, local image files or data: URIs",
} as const;

function fitsRule(ref: ImageRef, accepts: ImageRule["accepts"]): boolean {
  if (accepts === "url-or-data-uri") return true;
  return (
    ref.kind === accepts ||
    (accepts === "data-uri" && ref.kind === "file") ||
    (accepts === "file" && ref.kind === "data-uri")
  );
}

/** Each value parsed and checked against what the model takes, naming the flag it came from. */
function classifyAll(
  values: readonly string[],
  accepts: ImageRule["accepts"],
  flag: string,
  provider: Provider,
  model: ModelSpec,
): ImageRef[] {
  const refs = values.map(classifyImage);
  for (const [i, ref] of refs.entries()) {
    if (ref.kind === "url" && !URL.canParse(ref.url)) {
      throw new UsageError(`${flag} ${values[i]} is not a valid URL`);
    }
    if (!fitsRule(ref, accepts))
      throw new UsageError(`${flag} ${values[i]}: ${where(provider, model)} ${imageAdvice[accepts]}`);
  }
  return refs;
}

function checkImages(values: readonly string[], provider: Provider, model: ModelSpec): ImageRef[] {
  const rule = model.images;
  if (rule.max === 0 && values.length > 0) {
    throw new UsageError(`--image is not accepted by ${where(provider, model)}; leave it out`);
  }
  const refs = classifyAll(values, rule.accepts, "--image", provider, model);
  if (refs.length < rule.min || refs.length > rule.max) {
    const need =
      rule.min === rule.max
        ? `exactly ${rule.min}`
        : rule.max === Number.POSITIVE_INFINITY
          ? `at least ${rule.min}`
          : `${rule.min} to ${rule.max}`;
    throw new UsageError(
      `--image: ${where(provider, model)} needs ${need} reference image${rule.max === 1 ? "" : "s"} (got ${refs.length})`,
    );
  }
  return refs;
}

/** Every documented constraint, checked before anything is read from disk or sent. */
export function validateCreate(
  provider: Provider,
  input: CreateInput,
): { params: CreateParams; model: ModelSpec } {
  const model = resolveModel(provider, input.model);
  const prompt = input.prompt;
  if (prompt.trim() === "") throw new UsageError("--prompt is empty; describe the video to generate");
  const length = [...prompt].length;
  if (model.promptMax !== undefined && length > model.promptMax) {
    throw new UsageError(
      `--prompt is ${length} characters; ${where(provider, model)} accepts at most ${model.promptMax}`,
    );
  }
  const params: CreateParams = {
    prompt,
    model: model.id,
    images: checkImages(input.images, provider, model),
  };
  if (input.duration !== undefined) params.duration = checkDuration(input.duration, provider, model);
  // A config default for a field this model has no use for is skipped; a flag for it is an error.
  const ratio = input.ratio?.configKey && model.ratios.length === 0 ? undefined : input.ratio;
  const resolution =
    input.resolution?.configKey && model.resolutions.length === 0 ? undefined : input.resolution;
  if (ratio !== undefined) params.ratio = checkRatio(ratio, provider, model);
  if (resolution !== undefined) params.resolution = checkResolution(resolution, provider, model);
  const references = input.referenceImages ?? [];
  if (references.length > 0) {
    const from = { duration: input.duration, resolution };
    params.referenceImages = checkReferences(references, params, from, provider, model);
  }
  return { params, model };
}

/**
 * Reference-to-video has limits of its own (xAI): a count, never with --image, a shorter video
 * and a lower resolution than plain generation. Checked after the plain rules, with the values
 * they produced, so a config default that breaks them is named as such.
 */
function checkReferences(
  values: readonly string[],
  params: CreateParams,
  from: { duration: Sourced<unknown> | undefined; resolution: Sourced<unknown> | undefined },
  provider: Provider,
  model: ModelSpec,
): ImageRef[] {
  const rule = model.references;
  if (!rule) {
    throw new UsageError(
      `--reference-image is not accepted by ${where(provider, model)}; use --image instead`,
    );
  }
  if (params.images.length > 0) {
    throw new UsageError("--reference-image cannot be combined with --image; give one or the other");
  }
  if (values.length > rule.max) {
    throw new UsageError(
      `--reference-image: ${where(provider, model)} takes at most ${rule.max} reference images (got ${values.length})`,
    );
  }
  if (params.duration !== undefined && params.duration > rule.maxDuration) {
    throw new UsageError(
      `--duration ${params.duration} is too long with --reference-image on ${where(provider, model)}${from.duration ? fromConfig(from.duration) : ""}; accepted: 1-${rule.maxDuration}`,
    );
  }
  if (params.resolution !== undefined && params.resolution > rule.maxResolution) {
    const accepted = model.resolutions.filter((r) => r <= rule.maxResolution).map((r) => `${r}p`);
    throw new UsageError(
      `--resolution ${params.resolution}p is not accepted with --reference-image on ${where(provider, model)}${from.resolution ? fromConfig(from.resolution) : ""}; accepted: ${accepted.join(", ")}`,
    );
  }
  return classifyAll(values, rule.accepts, "--reference-image", provider, model);
}
