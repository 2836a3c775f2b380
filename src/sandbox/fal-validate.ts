import * as z from "../util/zod.js";
import type { Resolution } from "./ids.js";
import { ASPECT_RATIOS, toResolution } from "./platform-common.js";
import { FILE_INPUT_MESSAGE, isFileInput } from "./platform-validate.js";
import { describeTypeError, requiredPrompt } from "./validate.js";

/** The mode is the endpoint's, never a field (providers.md 10a). */
export type FalMode =
  "text-to-video" | "image-to-video" | "reference-to-video" | "edit-video" | "extend-video";

export interface FalEndpoint {
  version: "1.0" | "1.5";
  mode: FalMode;
}

const APP = "xai/grok-imagine-video";

/** Every xAI endpoint id providers.md 10a lists, keyed by the id as it follows the queue host. */
export const FAL_ENDPOINTS: ReadonlyMap<string, FalEndpoint> = new Map([
  [`${APP}/text-to-video`, { version: "1.0", mode: "text-to-video" }],
  [`${APP}/image-to-video`, { version: "1.0", mode: "image-to-video" }],
  [`${APP}/reference-to-video`, { version: "1.0", mode: "reference-to-video" }],
  [`${APP}/edit-video`, { version: "1.0", mode: "edit-video" }],
  [`${APP}/extend-video`, { version: "1.0", mode: "extend-video" }],
  [`${APP}/v1.5/text-to-video`, { version: "1.5", mode: "text-to-video" }],
  [`${APP}/v1.5/image-to-video`, { version: "1.5", mode: "image-to-video" }],
  [`${APP}/v1.5/reference-to-video`, { version: "1.5", mode: "reference-to-video" }],
  [`${APP}/v1.5/lite/text-to-video`, { version: "1.5", mode: "text-to-video" }],
]);

/** fal cuts an edit's input to 8 s; the sandbox cannot see a foreign input, so an extension starts from 8 s too [I]. */
const INPUT_SECONDS = 8;

const fileInput = (field: string) =>
  z
    .string({ error: describeTypeError(field, "a string") })
    .refine(isFileInput, { error: `${field} ${FILE_INPUT_MESSAGE}` });

function buildSchema(endpoint: FalEndpoint) {
  const resolutions =
    endpoint.version === "1.5" ? (["480p", "720p", "1080p"] as const) : (["480p", "720p"] as const);
  const duration = z
    .number({ error: describeTypeError("duration", "an integer from 1 to 15") })
    .int({ error: "duration must be an integer from 1 to 15" })
    .min(1, { error: "duration must be an integer from 1 to 15" })
    .max(15, { error: "duration must be an integer from 1 to 15" });
  const common = {
    prompt: requiredPrompt(),
    resolution: z
      .enum(resolutions, { error: `resolution must be one of ${resolutions.join(", ")}` })
      .optional(),
    aspect_ratio: z
      .enum(ASPECT_RATIOS, { error: `aspect_ratio must be one of ${ASPECT_RATIOS.join(", ")}` })
      .optional(),
  };
  switch (endpoint.mode) {
    case "text-to-video":
      return z.strictObject({ ...common, duration: duration.optional() });
    case "image-to-video":
      return z.strictObject({ ...common, duration: duration.optional(), image_url: fileInput("image_url") });
    case "reference-to-video":
      return z.strictObject({
        ...common,
        duration: duration.optional(),
        reference_image_urls: z
          .array(fileInput("reference_image_urls entries"), {
            error: "reference_image_urls must be an array",
          })
          .min(1, { error: "reference_image_urls needs 1 to 7 images" })
          .max(7, { error: "reference_image_urls needs 1 to 7 images" }),
      });
    case "edit-video":
      return z.strictObject({ prompt: requiredPrompt(), video_url: fileInput("video_url") });
    case "extend-video":
      return z.strictObject({
        prompt: requiredPrompt(),
        video_url: fileInput("video_url"),
        duration: duration.optional(),
      });
  }
}

export const FAL_SCHEMAS: ReadonlyMap<string, z.ZodType<FalBody>> = new Map(
  [...FAL_ENDPOINTS].map(([id, endpoint]) => [id, buildSchema(endpoint) as z.ZodType<FalBody>]),
);

export interface FalBody {
  prompt: string;
  duration?: number;
  resolution?: "480p" | "720p" | "1080p";
  aspect_ratio?: string;
}

/** What the video will be: edits keep fal's 8 s 480p cut, extensions add to it, the rest are as asked. */
export function describeFalVideo(
  endpoint: FalEndpoint,
  body: FalBody,
): { seconds: number; resolution: Resolution } {
  if (endpoint.mode === "edit-video") return { seconds: INPUT_SECONDS, resolution: "480P" };
  const asked = body.duration ?? 6;
  const seconds = endpoint.mode === "extend-video" ? INPUT_SECONDS + asked : asked;
  return { seconds, resolution: toResolution(body.resolution ?? "720p") };
}
