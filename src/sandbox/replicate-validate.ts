import * as z from "../util/zod.js";
import type { Resolution } from "./ids.js";
import { ASPECT_RATIOS, toResolution } from "./platform-common.js";
import { FILE_INPUT_MESSAGE, isFileInput } from "./platform-validate.js";
import { describeTypeError, requiredPrompt } from "./validate.js";

/** The xAI models Replicate serves (providers.md 10b), by their owner/name. */
export const REPLICATE_MODELS = [
  "xai/grok-imagine-video",
  "xai/grok-imagine-video-1.5",
  "xai/grok-imagine-r2v",
  "xai/grok-imagine-video-extension",
] as const;
export type ReplicateModel = (typeof REPLICATE_MODELS)[number];

export interface ReplicateInput {
  prompt: string;
  image?: string | undefined;
  video?: string | undefined;
  reference_images?: string[] | undefined;
  duration?: number | undefined;
  resolution?: "480p" | "720p" | undefined;
  aspect_ratio?: string | undefined;
}

const file = (field: string) =>
  z
    .string({ error: describeTypeError(field, "a URI string") })
    .refine(isFileInput, { error: `${field} ${FILE_INPUT_MESSAGE}` });

function seconds(min: number, max: number) {
  const message = `duration must be an integer from ${min} to ${max}`;
  return z
    .number({ error: describeTypeError("duration", `an integer from ${min} to ${max}`) })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message })
    .optional();
}

const resolution = z.enum(["720p", "480p"], { error: "resolution must be one of 720p, 480p" }).optional();
const aspect = z
  .enum(ASPECT_RATIOS, { error: `aspect_ratio must be one of ${ASPECT_RATIOS.join(", ")}` })
  .optional();

const SCHEMAS: Record<ReplicateModel, z.ZodType<ReplicateInput>> = {
  "xai/grok-imagine-video": z
    .strictObject({
      prompt: requiredPrompt(),
      image: file("image").optional(),
      video: file("video").optional(),
      duration: seconds(1, 15),
      resolution,
      aspect_ratio: aspect,
    })
    .refine((input) => input.image === undefined || input.video === undefined, {
      error: "give image (image-to-video) or video (edit), not both",
      path: ["video"],
    }),
  "xai/grok-imagine-video-1.5": z.strictObject({
    prompt: requiredPrompt(),
    image: file("image"),
    duration: seconds(1, 15),
    resolution,
    aspect_ratio: aspect,
  }),
  "xai/grok-imagine-r2v": z.strictObject({
    prompt: requiredPrompt(),
    reference_images: z
      .array(file("reference_images entries"), {
        error: describeTypeError("reference_images", "an array of URIs"),
      })
      .min(1, { error: "reference_images needs 1 to 7 images" })
      .max(7, { error: "reference_images needs 1 to 7 images" }),
    duration: seconds(1, 10),
    resolution,
    aspect_ratio: aspect,
  }),
  "xai/grok-imagine-video-extension": z.strictObject({
    prompt: requiredPrompt(),
    video: file("video"),
    duration: seconds(2, 10),
  }),
};

/** The create body around the model's fields (providers.md 10b "Create"). */
export const CREATE_SCHEMA = z.strictObject({
  input: z.record(z.string(), z.unknown(), {
    error: describeTypeError("input", "an object of the model's fields"),
  }),
  webhook: z.url({ error: "webhook must be an http(s) URL" }).optional(),
  webhook_events_filter: z
    .array(
      z.enum(["start", "output", "logs", "completed"], {
        error: "webhook_events_filter entries must be start, output, logs or completed",
      }),
    )
    .optional(),
});

export function inputSchema(model: ReplicateModel): z.ZodType<ReplicateInput> {
  return SCHEMAS[model];
}

/** The sandbox cannot see a foreign input video: it takes an 8 s one, the longest an edit accepts [I]. */
const INPUT_SECONDS = 8;

/** Defaults per model (providers.md 10b); an edit is as long as its input, an extension adds to it. */
export function describeReplicateVideo(
  model: ReplicateModel,
  input: ReplicateInput,
): { seconds: number; resolution: Resolution; version: "1.0" | "1.5" } {
  const asked = (fallback: number) => input.duration ?? fallback;
  switch (model) {
    case "xai/grok-imagine-video":
      return {
        seconds: input.video === undefined ? asked(5) : INPUT_SECONDS,
        resolution: toResolution(input.resolution ?? "720p"),
        version: "1.0",
      };
    case "xai/grok-imagine-video-1.5":
      return { seconds: asked(5), resolution: toResolution(input.resolution ?? "720p"), version: "1.5" };
    case "xai/grok-imagine-r2v":
      return { seconds: asked(8), resolution: toResolution(input.resolution ?? "480p"), version: "1.0" };
    case "xai/grok-imagine-video-extension":
      return { seconds: INPUT_SECONDS + asked(6), resolution: "720P", version: "1.0" };
  }
}

/** Go-style durations as Replicate's Cancel-After takes them: "90s", "10m", "1h30m", "500ms". */
export function parseCancelAfter(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(trimmed)) return undefined;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const [, amount, , unit] of trimmed.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g))
    total += Number(amount) * (units[unit ?? "s"] ?? 0);
  return Math.round(total);
}
