import { UsageError } from "../../util/errors.js";
import type { CreateParams, ImageRef, ImageRule, ModelSpec, ProviderSpec } from "../../providers/types.js";
import { fromConfig, type Sourced, where } from "./value-source.js";

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

/** A message quotes a value, not megabytes of one: a data: URI is named by its start and size. */
const MAX_SHOWN = 120;
function shortened(value: string): string {
  if (value.length <= MAX_SHOWN) return value;
  return `${value.slice(0, 40)}... (${value.length} characters)`;
}

/** Each value parsed and checked against what the model takes, naming the flag it came from. */
export function classifyAll(
  values: readonly string[],
  accepts: ImageRule["accepts"],
  flag: string,
  provider: ProviderSpec,
  model: ModelSpec,
): ImageRef[] {
  const refs = values.map(classifyImage);
  for (const [i, ref] of refs.entries()) {
    const shown = shortened(values[i] ?? "");
    if (ref.kind === "url" && !URL.canParse(ref.url)) {
      throw new UsageError(`${flag} ${shown} is not a valid URL`);
    }
    if (!fitsRule(ref, accepts))
      throw new UsageError(`${flag} ${shown}: ${where(provider, model)} ${imageAdvice[accepts]}`);
  }
  return refs;
}

/**
 * Reference-to-video has limits of its own (xAI): a count, never with --image, a shorter video
 * and a lower resolution than plain generation. Checked after the plain rules, with the values
 * they produced, so a config default that breaks them is named as such.
 */
export function checkReferences(
  values: readonly string[],
  params: CreateParams,
  from: { duration: Sourced<unknown> | undefined; resolution: Sourced<unknown> | undefined },
  provider: ProviderSpec,
  model: ModelSpec,
): ImageRef[] {
  const rule = model.references;
  if (!rule) {
    // Only advice that works: a first frame where this model takes one, else the models that do.
    const others = provider.models.filter((m) => m.references).map((m) => m.id);
    const advice =
      model.images.max > 0
        ? "; give a first frame as an image instead"
        : others.length > 0
          ? `; models that take them: ${others.join(", ")}`
          : "";
    throw new UsageError(`referenceImage is not accepted by ${where(provider, model)}${advice}`, {
      option: "referenceImage",
    });
  }
  if (params.images.length > 0) {
    throw new UsageError("referenceImage cannot be combined with --image; give one or the other", {
      option: "referenceImage",
    });
  }
  if (values.length > rule.max) {
    throw new UsageError(
      `referenceImage: ${where(provider, model)} takes at most ${rule.max} reference images (got ${values.length})`,
      { option: "referenceImage" },
    );
  }
  if (params.duration !== undefined && params.duration > rule.maxDuration) {
    throw new UsageError(
      `duration ${params.duration} is too long with --reference-image on ${where(provider, model)}${from.duration ? fromConfig(from.duration) : ""}; accepted: 1-${rule.maxDuration}`,
      { option: "duration" },
    );
  }
  if (params.resolution !== undefined && params.resolution > rule.maxResolution) {
    const accepted = model.resolutions.filter((r) => r <= rule.maxResolution).map((r) => `${r}p`);
    throw new UsageError(
      `resolution ${params.resolution}p is not accepted with --reference-image on ${where(provider, model)}${from.resolution ? fromConfig(from.resolution) : ""}; accepted: ${accepted.join(", ")}`,
      { option: "resolution" },
    );
  }
  return classifyAll(values, rule.accepts, "--reference-image", provider, model);
}
