import * as z from "../util/zod.js";
import type { Resolution, XaiModel } from "./ids.js";
import { isHttpUrl, isImageDataUri, requiredPrompt, type Validation, validateBody } from "./validate.js";

/**
 * xAI's three create bodies (providers.md section 6). Unknown fields are refused with 400: the sandbox's
 * choice, because the real API is strict about arguments and a misspelt field let through would hide
 * the client bug the sandbox is there to show.
 */

export const XAI_MODELS = [
  "grok-imagine-video",
  "grok-imagine-video-1.5",
] as const satisfies readonly XaiModel[];
/** Now an alias of grok-imagine-video-1.5 (xai-sdk-python CHANGELOG v1.19.0); answers name the model itself. */
const PREVIEW_ALIAS = "grok-imagine-video-1.5-preview";
const MODEL_NAMES = [...XAI_MODELS, PREVIEW_ALIAS] as const;
/** Edits and extensions may leave the model out; the docs' examples use the base model [I]. */
const DEFAULT_MODEL: XaiModel = "grok-imagine-video";
const RATIOS = ["1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3"] as const;
const RESOLUTIONS = ["480p", "720p", "1080p"] as const;
const RESOLUTION_OF: Record<(typeof RESOLUTIONS)[number], Resolution> = {
  "480p": "480P",
  "720p": "720P",
  "1080p": "1080P",
};

export interface GenerationJob {
  model: XaiModel;
  prompt: string;
  seconds: number;
  resolution: Resolution;
  ratio?: string;
}

/** An edit or an extension as asked; what it produces depends on the input video (xai-jobs.ts). */
export interface VideoJobRequest {
  model: XaiModel;
  prompt: string;
  videoUrl: string;
  /** Extensions only: the seconds to add. */
  duration?: number;
}

type StrictIssue = { code?: string; keys?: readonly string[] };

/** A strict object's error: names the unknown field, else says what the value should have been. */
function strictError(path: string, expected: string): (issue: StrictIssue) => string {
  return (issue) => {
    if (issue.code !== "unrecognized_keys") return expected;
    const names = (issue.keys ?? []).map((key) => (path === "" ? key : `${path}.${key}`));
    return `unknown field ${names.join(", ")}: xAI does not define it`;
  };
}

const modelName = z
  .enum(MODEL_NAMES, {
    error: (issue) =>
      issue.input === undefined ? "model is required" : `model must be one of ${MODEL_NAMES.join(", ")}`,
  })
  .transform((name) => (name === PREVIEW_ALIAS ? "grok-imagine-video-1.5" : name));

function wholeSeconds(field: string, min: number, max: number) {
  const message = `${field} must be an integer from ${min} to ${max}`;
  return z
    .number({ error: message })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message });
}

function urlObject(field: string, check: (url: string) => boolean, expected: string) {
  return z.strictObject(
    {
      url: z
        .string({ error: `${field}.url must be a string` })
        .refine(check, { error: `${field}.url ${expected}` }),
    },
    { error: strictError(field, `${field} must be an object {url}`) },
  );
}

const isImageUrl = (url: string) => isHttpUrl(url) || isImageDataUri(url);
const imageRef = (field: string) =>
  urlObject(field, isImageUrl, "must be an http(s) URL or a data:image/...;base64,... URI");
const videoRef = urlObject("video", isHttpUrl, "must be an http(s) URL");

/** Accepted everywhere: `user` (an end-user id) and `output.upload_url` (ignored: the sandbox keeps the video). */
const SHARED = {
  user: z.string({ error: "user must be a string" }).optional(),
  output: z
    .strictObject(
      {
        upload_url: z
          .string({ error: "output.upload_url must be a string" })
          .refine(isHttpUrl, { error: "output.upload_url must be an http(s) URL" }),
      },
      { error: strictError("output", "output must be an object {upload_url}") },
    )
    .optional(),
};

const BODY_ERROR = strictError("", "request body must be a JSON object");

const generationSchema = z
  .strictObject(
    {
      model: modelName,
      prompt: z.string({ error: "prompt must be a string" }).optional(),
      duration: wholeSeconds("duration", 1, 15).optional(),
      aspect_ratio: z.enum(RATIOS, { error: `aspect_ratio must be one of ${RATIOS.join(", ")}` }).optional(),
      resolution: z
        .enum(RESOLUTIONS, { error: `resolution must be one of ${RESOLUTIONS.join(", ")}` })
        .optional(),
      image: imageRef("image").optional(),
      reference_images: z
        .array(imageRef("reference_images[]"), {
          error: "reference_images must be an array of {url} objects",
        })
        .min(1, { error: "reference_images must hold 1 to 7 images" })
        .max(7, { error: "reference_images must hold 1 to 7 images" })
        .optional(),
      ...SHARED,
    },
    { error: BODY_ERROR },
  )
  .superRefine((body, ctx) => {
    const refuse = (field: string, message: string) =>
      ctx.addIssue({ code: "custom", path: [field], message });
    const references = body.reference_images !== undefined;
    if (body.image !== undefined && references) {
      refuse("reference_images", "send image (image-to-video) or reference_images, not both");
    } else if ((body.prompt ?? "").trim() === "") {
      refuse("prompt", describeMissingPrompt(body.prompt, body.image !== undefined, references));
    } else if (body.resolution === "1080p" && body.model !== "grok-imagine-video-1.5") {
      refuse("resolution", "resolution 1080p needs model grok-imagine-video-1.5");
    } else if (references && (body.duration ?? 0) > 10) {
      refuse("duration", "duration must be at most 10 with reference_images");
    } else if (references && body.resolution === "1080p") {
      refuse("resolution", "resolution must be at most 720p with reference_images");
    }
  });

function describeMissingPrompt(prompt: string | undefined, image: boolean, references: boolean): string {
  if (references) return "prompt is required with reference_images (name them <IMAGE_1>, <IMAGE_2>, ...)";
  // xAI itself accepts this at submit and then fails every poll (providers.md section 6); refusing it
  // here makes the client's missing prompt visible before anything is billed.
  if (image)
    return "prompt is required for image-to-video (xAI would accept the job and then fail every poll)";
  return prompt === undefined ? "prompt is required" : "prompt must not be empty";
}

export function validateGeneration(value: unknown): Validation<GenerationJob> {
  const checked = validateBody(generationSchema, value);
  if (!checked.ok) return checked;
  const { model, prompt = "", duration, resolution, aspect_ratio: ratio } = checked.data;
  const job: GenerationJob = {
    model,
    prompt,
    seconds: duration ?? 8,
    resolution: RESOLUTION_OF[resolution ?? "480p"],
  };
  if (ratio !== undefined) job.ratio = ratio;
  return { ok: true, data: job };
}

const editSchema = z.strictObject(
  { model: modelName.optional(), prompt: requiredPrompt(), video: videoRef, ...SHARED },
  { error: BODY_ERROR },
);

const extensionSchema = z.strictObject(
  {
    model: modelName.optional(),
    prompt: requiredPrompt(),
    video: videoRef,
    duration: wholeSeconds("duration", 2, 10).optional(),
    ...SHARED,
  },
  { error: BODY_ERROR },
);

/** What an edit cannot choose: the output keeps the input's length, shape and resolution. */
const EDIT_FIXED = ["duration", "aspect_ratio", "resolution"] as const;

export function validateEdit(value: unknown): Validation<VideoJobRequest> {
  const fixed =
    typeof value === "object" && value !== null ? EDIT_FIXED.find((field) => field in value) : undefined;
  if (fixed !== undefined) {
    const message = `${fixed} cannot be set on an edit: the output keeps the input video's length, aspect ratio and resolution`;
    return { ok: false, issue: { param: fixed, message } };
  }
  const checked = validateBody(editSchema, value);
  if (!checked.ok) return checked;
  const { model = DEFAULT_MODEL, prompt, video } = checked.data;
  return { ok: true, data: { model, prompt, videoUrl: video.url } };
}

export function validateExtension(value: unknown): Validation<VideoJobRequest> {
  const checked = validateBody(extensionSchema, value);
  if (!checked.ok) return checked;
  const { model = DEFAULT_MODEL, prompt, video, duration = 6 } = checked.data;
  return { ok: true, data: { model, prompt, videoUrl: video.url, duration } };
}
