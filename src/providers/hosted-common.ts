import { UsageError } from "../util/errors.js";
import { checkCostUsd, describeRefusedCost, MAX_JOB_COST_USD } from "../util/cost.js";
import { sanitizeToken } from "../util/untrusted.js";
import type { CreateParams, LoadedImage, ParsedTask, RequestSpec, VideoMode } from "./types.js";

/**
 * What the four hosted platforms (fal, Replicate, OpenRouter, AIML API: providers.md §10) share:
 * images as URL strings, the mode a set of flags asks for, returned URLs, the estimated cost of a
 * finished job (list-price.ts works the dollars out of each module's own price table).
 */

/** A public URL as it is, a local file as its data: URI; a multipart file is no URL. */
export const imageUrlOf = (img: LoadedImage): string | undefined =>
  img.kind === "url" ? img.url : img.kind === "data-uri" ? img.uri : undefined;

/** Reference images win over a first frame: the core never sends both (CreateParams). */
export function modeOf(params: CreateParams<LoadedImage>): VideoMode {
  if ((params.references ?? []).length > 0) return "reference-to-video";
  return params.images.length > 0 ? "image-to-video" : "text-to-video";
}

/**
 * A model that has no endpoint for the mode the flags ask for: a usage error about `model` that
 * says what this model does and which of the platform's models do the mode.
 */
export function modeRefused(
  platform: string,
  endpoints: Readonly<Record<string, Partial<Record<VideoMode, unknown>>>>,
  model: string,
  mode: VideoMode,
): UsageError {
  const offered = Object.keys(Object.hasOwn(endpoints, model) ? (endpoints[model] ?? {}) : {});
  const doers = Object.keys(endpoints).filter((m) => endpoints[m]?.[mode] !== undefined);
  const also = doers.length > 0 ? `; accepted: ${doers.join(", ")}` : "";
  return new UsageError(
    `model ${model} on ${platform} does not do ${mode} (it does ${offered.join(", ") || "nothing"})${also}`,
    { option: "model" },
  );
}

/**
 * What the four platforms name alike (§10a-10d): the prompt and, only where asked (each platform's
 * own defaults apply to the rest), `duration`, `resolution` ("720p") and `aspect_ratio`; and the
 * first frame and the reference images as URL strings, for each to place under its own names.
 */
export function askedFields(params: CreateParams<LoadedImage>): {
  fields: Record<string, unknown>;
  image: string | undefined;
  references: string[];
} {
  const fields: Record<string, unknown> = { prompt: params.prompt };
  if (params.duration !== undefined) fields.duration = params.duration;
  if (params.resolution !== undefined) fields.resolution = resolutionWord(params.resolution);
  if (params.ratio !== undefined) fields.aspect_ratio = params.ratio;
  return {
    fields,
    image: params.images.map(imageUrlOf).find((url) => url !== undefined),
    references: (params.references ?? []).flatMap((img) => imageUrlOf(img) ?? []),
  };
}

/** "720p" from 720, the way all four platforms write a resolution. */
export const resolutionWord = (lines: number): string => `${lines}p`;

/**
 * A URL the gateway returned, kept only when it is an absolute http(s) URL after the control
 * characters are gone: anything else is not a place to send a request (or a key) to.
 */
export function returnedUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const clean = sanitizeToken(value);
  if (!URL.canParse(clean)) return undefined;
  const url = new URL(clean);
  return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : undefined;
}

/**
 * A request to a returned URL, used as returned (`url`); `path` is its path and query, so a
 * sender that knows only `path` still reaches the same place below the default base URL.
 */
export function requestTo(method: RequestSpec["method"], absolute: string): RequestSpec {
  const url = new URL(absolute);
  return { method, url: url.toString(), path: `${url.pathname}${url.search}` };
}

/**
 * Adds a cost computed from a price table, marked as an estimate, where the gateway reported none.
 * An implausible one (a hostile duration or billable-unit count) is dropped with a warning.
 */
export function withEstimate(parsed: ParsedTask, usd: number | undefined): ParsedTask {
  if (usd === undefined || parsed.task.cost !== undefined) return parsed;
  const checked = checkCostUsd(usd);
  if (checked === undefined) {
    const warning = `${parsed.task.provider}: an estimate of ${describeRefusedCost(usd)} is not 0 to ${MAX_JOB_COST_USD} USD; the cost of task ${parsed.task.id} is unknown`;
    return { ...parsed, warnings: [...parsed.warnings, warning] };
  }
  // The marker is the caveat: whoever shows the cost says "about" (no warning on every job).
  return { ...parsed, task: { ...parsed.task, cost: { usd: checked, estimate: true } } };
}
