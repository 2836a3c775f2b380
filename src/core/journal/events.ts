import { createHash } from "node:crypto";
import * as z from "../../util/zod.js";
import type { CreateParams, ImageRef, TaskLinks } from "../../providers/types.js";
import { taskStatuses } from "../../util/task-status.js";

/** The request as the user expressed it: never a key, and never inline image data (only its size). */
const paramsSchema = z.object({
  prompt: z.string(),
  duration: z.number().optional(),
  ratio: z.string().optional(),
  resolution: z.number().optional(),
  images: z.array(z.string()),
  referenceImages: z.array(z.string()).optional(),
  /** Edits and extensions: what they started from (a job id or a video URL) and what was done. */
  source: z.object({ operation: z.enum(["edit", "extend"]), from: z.string() }).optional(),
  /** The video's expected length, where known: what a later edit or extension is checked against. */
  seconds: z.number().optional(),
});
export type JobParams = z.infer<typeof paramsSchema>;

/**
 * Where a job's video is meant to go, decided when it was created, with absolute paths: a later
 * `resume` from any folder writes it there, under the same name, with its sidecar.
 */
const outputPlanSchema = z.object({
  /** A fixed file (`create -o`, a batch line's `output`). */
  path: z.string().optional(),
  /** Otherwise the folder and template the name is rendered from, with the batch's fields. */
  dir: z.string().optional(),
  template: z.string().optional(),
  index: z.string().optional(),
  slug: z.string().optional(),
  /** Batch jobs write a `.json` sidecar beside the video. */
  sidecar: z.boolean().optional(),
});
export type OutputPlan = z.infer<typeof outputPlanSchema>;

/** What the saved file's own header says (core/media/mp4-header.ts). */
const deliveredSchema = z.object({ width: z.number(), height: z.number(), durationSec: z.number() });

/** Returned URLs are only ever absolute http(s) URLs (providers/hosted-common returnedUrl). */
const linksSchema = z.object({
  status: z.string().optional(),
  result: z.string().optional(),
  cancel: z.string().optional(),
});

/** A journaled set of links as the providers' type has it (no key present without a value). */
export function toLinks(links: z.infer<typeof linksSchema>): TaskLinks {
  return Object.fromEntries(Object.entries(links).filter(([, v]) => v !== undefined)) as TaskLinks;
}

/** `estimate`: computed from the list price, not reported by the gateway (shown as "about"). */
const costSchema = z.object({ usd: z.number(), estimate: z.literal(true).optional() });

const errorSchema = z.object({ code: z.string().nullable(), message: z.string() }).nullable();

export const eventSchema = z.discriminatedUnion("type", [
  // A paid create about to be sent (fsynced first): until `created` or `abandoned` follows it,
  // nobody knows whether the job exists, so nothing sends the same request again on its own.
  z.object({
    type: z.literal("submitting"),
    at: z.string(),
    provider: z.string(),
    requestHash: z.string(),
    pid: z.number().optional(),
    model: z.string().optional(),
    prompt: z.string().optional(),
    /** Where its video is meant to go: a path an uncertain paid create may still be owed. */
    output: outputPlanSchema.optional(),
  }),
  z.object({
    type: z.literal("created"),
    at: z.string(),
    id: z.string(),
    provider: z.string(),
    baseUrl: z.string(),
    model: z.string(),
    params: paramsSchema,
    requestHash: z.string(),
    output: outputPlanSchema.optional(),
    /** The task's own URLs where the gateway returned them (fal): later requests use these. */
    links: linksSchema.optional(),
  }),
  z.object({
    type: z.literal("status"),
    at: z.string(),
    id: z.string(),
    provider: z.string(),
    status: z.enum(taskStatuses),
    progress: z.number().nullable(),
    videoUrl: z.string().nullable(),
    error: errorSchema,
    cost: costSchema.optional(),
    /**
     * true: written before a cancel is sent (grokvid cancel, --cancel-on-timeout), so a failure the
     * platform reports next is read as the cancellation by any process, even after a kill -9.
     * false: the platform said the job had finished first, so its outcome is its own.
     */
    cancelRequested: z.boolean().optional(),
  }),
  // The gateway certainly refused the create, or it was never sent: sending it again cannot pay
  // twice. `intentAt` names the intent it answers (its `at`): another process's later intent for
  // the same request is not answered by it (older records have none: they answer any).
  z.object({
    type: z.literal("abandoned"),
    at: z.string(),
    provider: z.string(),
    requestHash: z.string(),
    intentAt: z.string().optional(),
  }),
  z.object({
    type: z.literal("downloading"),
    at: z.string(),
    id: z.string(),
    provider: z.string(),
    path: z.string(),
  }),
  z.object({
    type: z.literal("downloaded"),
    at: z.string(),
    id: z.string(),
    provider: z.string(),
    path: z.string(),
    bytes: z.number(),
    sha256: z.string(),
    sourceUrl: z.string(),
    delivered: deliveredSchema.optional(),
    /** Why the file's header could not be read: it may not be a video at all. */
    headerProblem: z.string().optional(),
  }),
]);
export type JournalEvent = z.infer<typeof eventSchema>;

/**
 * One journal line as an event, or undefined when it is torn or not one of ours (valid JSON of
 * another shape included): every reader, and doctor's count of damaged lines, use this one rule.
 */
export function parseEventLine(line: string): JournalEvent | undefined {
  try {
    const parsed = eventSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function describeImage(ref: ImageRef): string {
  if (ref.kind === "url") return ref.url;
  if (ref.kind === "file") return ref.path;
  return `data URI (${ref.uri.length} chars)`;
}

export function toJobParams(params: CreateParams): JobParams {
  return {
    prompt: params.prompt,
    ...(params.duration === undefined ? {} : { duration: params.duration }),
    ...(params.ratio === undefined ? {} : { ratio: params.ratio }),
    ...(params.resolution === undefined ? {} : { resolution: params.resolution }),
    images: params.images.map(describeImage),
    ...(params.referenceImages?.length ? { referenceImages: params.referenceImages.map(describeImage) } : {}),
    ...(params.source ? { source: { operation: params.source.operation, from: params.source.from } } : {}),
    ...(params.seconds === undefined ? {} : { seconds: params.seconds }),
  };
}

/**
 * Identifies "the same request" across runs, so a batch re-run does not pay twice. `occurrence`
 * tells apart identical lines of one file, which are meant as separate jobs; `create` passes a
 * random one, since two identical commands are two jobs.
 */
export function hashRequest(
  provider: string,
  model: string,
  params: JobParams,
  occurrence: number | string = 0,
): string {
  const canonical = JSON.stringify([
    provider,
    model,
    params.prompt,
    params.duration ?? null,
    params.ratio ?? null,
    params.resolution ?? null,
    params.images,
    // Only where present, so every earlier request keeps its hash (a re-run must not pay twice).
    ...(params.referenceImages ? [params.referenceImages] : []),
    ...(params.source ? [params.source] : []),
    occurrence,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}
