import * as z from "../util/zod.js";
import type { DuoyuanxModel, Resolution } from "./ids.js";
import { MAX_ENCODED_SECONDS } from "./ids.js";
import type { MultipartPart } from "./multipart.js";
import { isImageDataUri, requiredPrompt, type Validation, validateBody, wholeNumberish } from "./validate.js";

export interface DuoyuanxCreate {
  model: DuoyuanxModel;
  prompt: string;
  seconds: number;
  size: Resolution;
  /** The JSON model's aspect_ratio, as sent (a preset or a custom N:M). */
  ratio?: string;
}

export const PREVIEW_MODEL = "grok-imagine-video-1.5-preview";
export const MULTIPART_MODELS = ["grok-video-1.5", "grok-video-1.5-pro", "grok-video-1.5-max"] as const;
export type MultipartModel = (typeof MULTIPART_MODELS)[number];

/**
 * Durations per multipart model. S1 only says "10s = Pro, 15s = Max"; grok-video-1.5 taking 6 or 10 s
 * comes from one new-api fork's adaptor (providers.md section 3), so it is inferred.
 */
const MULTIPART_SECONDS: Record<MultipartModel, readonly number[]> = {
  "grok-video-1.5": [6, 10],
  "grok-video-1.5-pro": [10],
  "grok-video-1.5-max": [15],
};
const MULTIPART_SIZES = ["480P", "540P", "720P", "1080P"] as const;
const PROMPT_LIMIT = 4096;

export function isMultipartModel(model: string): model is MultipartModel {
  return MULTIPART_MODELS.some((known) => known === model);
}

function isPositiveRatio(text: string): boolean {
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(text);
  return match !== null && Number(match[1]) > 0 && Number(match[2]) > 0;
}

// The docs set no maximum; the cap is only what the task id can encode (3 base36 digits).
const seconds = wholeNumberish("seconds")
  .refine((value) => value >= 1, { error: "seconds must be at least 1" })
  .refine((value) => value <= MAX_ENCODED_SECONDS, {
    error: `seconds must be at most ${MAX_ENCODED_SECONDS}`,
  });

const dataUri = (field: string) =>
  z.string({ error: `${field} must be a data URI string` }).refine(isImageDataUri, {
    error: `${field} must be a data:image/...;base64,... URI`,
  });

const previewSchema = z
  .object(
    {
      model: z.literal(PREVIEW_MODEL),
      prompt: requiredPrompt().refine((text) => Array.from(text).length <= PROMPT_LIMIT, {
        error: `prompt must be at most ${PROMPT_LIMIT} characters`,
      }),
      seconds: seconds.optional(),
      aspect_ratio: z
        .string({ error: 'aspect_ratio must be a string like "16:9"' })
        .refine(isPositiveRatio, { error: "aspect_ratio must be a preset like 16:9 or a custom N:M ratio" })
        .optional(),
      resolution: z
        .string({ error: "resolution must be a string" })
        .regex(/^(480|720)p?$/i, { error: "resolution must be 480P or 720P (480 and 720 also accepted)" })
        .optional(),
      image: dataUri("image").optional(),
      images: z.array(dataUri("images[]"), { error: "images must be an array of data URIs" }).optional(),
    },
    { error: "request body must be a JSON object" },
  )
  .refine((body) => body.image === undefined || body.images === undefined, {
    error: "send either image or images, not both",
    path: ["images"],
  });

export function validatePreviewJson(value: unknown): Validation<DuoyuanxCreate> {
  const checked = validateBody(previewSchema, value);
  if (!checked.ok) return checked;
  const { prompt, resolution } = checked.data;
  const size: Resolution = resolution?.startsWith("480") ? "480P" : "720P";
  const { seconds = 6, aspect_ratio: ratio } = checked.data;
  const data: DuoyuanxCreate = { model: PREVIEW_MODEL, prompt, seconds, size };
  if (ratio !== undefined) data.ratio = ratio;
  return { ok: true, data };
}

const multipartFieldsSchema = z.object({
  prompt: requiredPrompt(),
  seconds: seconds.optional(),
  size: z
    .string()
    .transform((text) => text.trim().toUpperCase())
    .pipe(z.enum(MULTIPART_SIZES, { error: `size must be one of ${MULTIPART_SIZES.join(", ")}` }))
    .optional(),
});

function checkFiles(parts: MultipartPart[]): string | undefined {
  const files = parts.filter((part) => part.filename !== undefined);
  const stray = files.find((part) => part.name !== "input_reference");
  if (stray) return `unexpected file field ${stray.name}: only input_reference may carry a file`;
  if (parts.some((part) => part.name === "input_reference" && part.filename === undefined)) {
    return "input_reference must be an uploaded image file";
  }
  if (files.length > 1) return "at most one input_reference image is accepted";
  const image = files[0];
  if (image && !/^image\//i.test(image.contentType ?? "")) {
    return `input_reference must be an image/* file, got ${image.contentType ?? "no content type"}`;
  }
  if (image && image.data.length === 0) return "input_reference is empty";
  return undefined;
}

export function validateMultipart(model: MultipartModel, parts: MultipartPart[]): Validation<DuoyuanxCreate> {
  const fileProblem = checkFiles(parts);
  if (fileProblem) return { ok: false, issue: { param: "input_reference", message: fileProblem } };
  const fields: Record<string, string> = {};
  for (const part of parts) {
    // The first occurrence wins, as in Go's FormValue.
    if (part.filename === undefined && !(part.name in fields)) fields[part.name] = part.data.toString("utf8");
  }
  const checked = validateBody(multipartFieldsSchema, fields);
  if (!checked.ok) return checked;
  const allowed = MULTIPART_SECONDS[model];
  const duration = checked.data.seconds ?? allowed[0] ?? 10;
  if (!allowed.includes(duration)) {
    return {
      ok: false,
      issue: {
        param: "seconds",
        message: `${model} accepts seconds ${allowed.join(" or ")}, got ${duration}`,
      },
    };
  }
  return {
    ok: true,
    data: { model, prompt: checked.data.prompt, seconds: duration, size: checked.data.size ?? "720P" },
  };
}

/** The model decides the body format, so it is read before anything else is validated. */
export function readModelField(
  body: { kind: "json"; value: unknown } | { kind: "multipart"; parts: MultipartPart[] },
): string | undefined {
  if (body.kind === "multipart") {
    const part = body.parts.find(
      (candidate) => candidate.name === "model" && candidate.filename === undefined,
    );
    return part?.data.toString("utf8").trim();
  }
  const parsed = z.object({ model: z.string() }).safeParse(body.value);
  return parsed.success ? parsed.data.model : undefined;
}
