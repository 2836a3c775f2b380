import { UsageError } from "../../util/errors.js";
import { didYouMean } from "../../util/did-you-mean.js";
import { findModel } from "../../providers/specs.js";
import type { CreateParams, DurationRule, ImageRef, ModelSpec, ProviderSpec } from "../../providers/types.js";
import { checkReferences, classifyAll } from "./validate-images.js";

import { fromConfig, type Sourced, where } from "./value-source.js";

export { classifyImage } from "./validate-images.js";
export type { Sourced } from "./value-source.js";

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

/** In words a person reads once: "6-30 (whole seconds)", "10, 15", "a whole number of seconds >= 1". */
export function describeDurations(rule: DurationRule): string {
  if (rule.kind === "set") return rule.values.map((v) => `${v}`).join(", ");
  return rule.max === undefined
    ? `a whole number of seconds >= ${rule.min}`
    : `${rule.min}-${rule.max} (whole seconds)`;
}

export function resolveModel(provider: ProviderSpec, model: Sourced<string> | undefined): ModelSpec {
  if (model === undefined) {
    const spec = findModel(provider, provider.defaultModel);
    if (!spec) throw new Error(`provider ${provider.id} has no default model spec`);
    return spec;
  }
  const spec = findModel(provider, model.value);
  if (!spec) {
    const names = provider.models.flatMap((m) => [m.id, ...(m.aliases ?? [])]);
    throw new UsageError(
      `model ${model.value} is not offered by ${provider.id}${fromConfig(model)}; accepted: ${names.join(", ")}${didYouMean(model.value, names)}`,
      { option: "model" },
    );
  }
  return spec;
}

/** Whole seconds ("6" or "6s") within the rule, else undefined. */
export function acceptedSeconds(text: string, rule: DurationRule): number | undefined {
  const match = /^(\d+)\s*s?$/i.exec(text.trim());
  const seconds = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  const ok =
    Number.isSafeInteger(seconds) &&
    (rule.kind === "set"
      ? rule.values.includes(seconds)
      : seconds >= rule.min && (rule.max === undefined || seconds <= rule.max));
  return ok ? seconds : undefined;
}

function checkDuration(input: Sourced<string | number>, provider: ProviderSpec, model: ModelSpec): number {
  const text = String(input.value).trim();
  const rule = model.durations;
  const seconds = acceptedSeconds(text, rule);
  if (seconds === undefined) {
    throw new UsageError(
      `duration ${text} is not accepted by ${where(provider, model)}${fromConfig(input)}; accepted: ${describeDurations(rule)}`,
      { option: "duration" },
    );
  }
  return seconds;
}

const RATIO = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/;

function checkRatio(input: Sourced<string>, provider: ProviderSpec, model: ModelSpec): string {
  const text = input.value.replace(/\s+/g, "");
  const presets = model.ratios;
  if (presets.length === 0) {
    throw new UsageError(
      `ratio is not accepted by ${where(provider, model)}${fromConfig(input)}; leave it out`,
      { option: "ratio" },
    );
  }
  if (presets.includes(text)) return text;
  const m = RATIO.exec(text);
  if (model.customRatio && m && Number(m[1]) > 0 && Number(m[2]) > 0) return text;
  const accepted = presets.join(", ") + (model.customRatio ? ", or any N:M" : "");
  throw new UsageError(
    `ratio ${input.value} is not accepted by ${where(provider, model)}${fromConfig(input)}; accepted: ${accepted}`,
    { option: "ratio" },
  );
}

function checkResolution(input: Sourced<string | number>, provider: ProviderSpec, model: ModelSpec): number {
  const text = String(input.value).trim();
  if (model.resolutions.length === 0) {
    throw new UsageError(
      `resolution is not accepted by ${where(provider, model)}${fromConfig(input)}; leave it out`,
      { option: "resolution" },
    );
  }
  const m = /^(\d+)p?$/i.exec(text);
  const lines = m?.[1] === undefined ? Number.NaN : Number(m[1]);
  if (!model.resolutions.includes(lines)) {
    const accepted = model.resolutions.map((r) => `${r}p`).join(", ");
    throw new UsageError(
      `resolution ${text} is not accepted by ${where(provider, model)}${fromConfig(input)}; accepted: ${accepted}`,
      { option: "resolution" },
    );
  }
  return lines;
}

function checkImages(values: readonly string[], provider: ProviderSpec, model: ModelSpec): ImageRef[] {
  const rule = model.images;
  if (rule.max === 0 && values.length > 0) {
    throw new UsageError(`image is not accepted by ${where(provider, model)}; leave it out`, {
      option: "image",
    });
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
      `image: ${where(provider, model)} needs ${need} reference image${rule.max === 1 ? "" : "s"} (got ${refs.length})`,
      { option: "image" },
    );
  }
  return refs;
}

type Choices = Pick<CreateInput, "duration" | "ratio" | "resolution">;

/** Duration, ratio and resolution as the model takes them. */
function checkChoices(
  input: Choices,
  provider: ProviderSpec,
  model: ModelSpec,
): Pick<CreateParams, "duration" | "ratio" | "resolution"> {
  const out: Pick<CreateParams, "duration" | "ratio" | "resolution"> = {};
  if (input.duration !== undefined) out.duration = checkDuration(input.duration, provider, model);
  // A config default for a field this model has no use for is skipped; a flag for it is an error.
  const ratio = input.ratio?.configKey && model.ratios.length === 0 ? undefined : input.ratio;
  const resolution =
    input.resolution?.configKey && model.resolutions.length === 0 ? undefined : input.resolution;
  if (ratio !== undefined) out.ratio = checkRatio(ratio, provider, model);
  if (resolution !== undefined) out.resolution = checkResolution(resolution, provider, model);
  return out;
}

/**
 * What a create would refuse of a model and the values that go with it, prompt and images aside:
 * `config set` checks a provider's settings with this before they are written, so a default is
 * refused when it is set, not by every create after it.
 */
export function validateDefaults(
  spoken: ProviderSpec,
  input: Choices & Pick<CreateInput, "model">,
  shownAs: string = spoken.id,
): void {
  const provider = shownAs === spoken.id ? spoken : { ...spoken, id: shownAs };
  checkChoices(input, provider, resolveModel(provider, input.model));
}

/**
 * Every documented constraint, checked before anything is read from disk or sent. `shownAs` is
 * the name the user chose, for messages: the sandbox speaks apimart's rules but is not "apimart".
 */
export function validateCreate(
  spoken: ProviderSpec,
  input: CreateInput,
  shownAs: string = spoken.id,
): { params: CreateParams; model: ModelSpec } {
  const provider = shownAs === spoken.id ? spoken : { ...spoken, id: shownAs };
  const model = resolveModel(provider, input.model);
  const prompt = input.prompt;
  if (prompt.trim() === "")
    throw new UsageError("prompt is empty; describe the video to generate", { option: "prompt" });
  const length = [...prompt].length;
  if (model.promptMax !== undefined && length > model.promptMax) {
    throw new UsageError(
      `prompt is ${length} characters; ${where(provider, model)} accepts at most ${model.promptMax}`,
      { option: "prompt" },
    );
  }
  const params: CreateParams = {
    prompt,
    model: model.id,
    images: checkImages(input.images, provider, model),
    ...checkChoices(input, provider, model),
  };
  const references = input.referenceImages ?? [];
  if (references.length > 0) {
    // The resolution a reference request asks for: none when the model skipped a config default.
    const resolution = params.resolution === undefined ? undefined : input.resolution;
    const from = { duration: input.duration, resolution };
    params.referenceImages = checkReferences(references, params, from, provider, model);
  }
  return { params, model };
}
