import * as z from "../util/zod.js";
import { readDecimal } from "../util/numbers.js";
import { withEstimate } from "./hosted-common.js";
import { listPriceUsd } from "./list-price.js";
import {
  buildTask,
  firstNonEmpty,
  lazy,
  looseNumberish,
  looseString,
  type StatusTable,
} from "./parse-helpers.js";
import { replicateDefaults, replicatePrices, replicateSpec } from "./replicate-spec.js";
import { unexpectedResponse } from "./response-error.js";
import type { ParsedTask, Provider, ProviderErrorInfo } from "./types.js";

const PROVIDER = "replicate";

/**
 * §10b/§10e, Replicate column. `aborted` is a Cancel-After deadline that passed before the
 * prediction started: cancelled, and not billed.
 */
export const replicateStatusTable: StatusTable = {
  starting: "queued",
  processing: "running",
  succeeded: "succeeded",
  failed: "failed",
  canceled: "cancelled",
  aborted: "cancelled",
};

const predictionBody = lazy(() =>
  z.object({
    id: looseString(),
    model: looseString(),
    status: looseString(),
    input: z.object({ duration: looseNumberish(), resolution: looseString() }).optional().catch(undefined),
    // One URI string for the Grok models; an array is accepted too [I].
    output: z
      .union([z.string(), z.array(z.unknown())])
      .optional()
      .catch(undefined),
    error: z
      .union([z.string(), z.object({ message: looseString() })])
      .optional()
      .catch(undefined),
    created_at: looseString(),
    completed_at: looseString(),
  }),
);

type Prediction = z.infer<ReturnType<typeof predictionBody>>;

function outputUrl(output: Prediction["output"]): string | undefined {
  if (typeof output === "string") return output;
  return output?.find((item): item is string => typeof item === "string");
}

/**
 * Replicate returns no cost (§10b): on success it is estimated from the list price per second of
 * the echoed input (or the model's defaults), marked as an estimate. Nothing for unpriced models.
 */
function estimate(p: Prediction): number | undefined {
  const model = p.model ?? "";
  const prices = Object.hasOwn(replicatePrices, model) ? replicatePrices[model] : undefined;
  const defaults = Object.hasOwn(replicateDefaults, model) ? replicateDefaults[model] : undefined;
  if (!prices || !defaults) return undefined;
  // A present but unreadable duration (1e400 arrives as Infinity) is NaN: refused with a warning.
  const seconds = p.input?.duration === undefined ? defaults.duration : readDecimal(p.input.duration);
  const lines = /^(\d+)p$/i.exec(p.input?.resolution ?? "")?.[1];
  return listPriceUsd(prices, seconds, lines ? Number(lines) : defaults.resolution);
}

function parsePrediction(body: unknown, fallbackId: string | undefined, now: Date): ParsedTask {
  const parsed = predictionBody().safeParse(body);
  if (!parsed.success) throw unexpectedResponse(PROVIDER, "the prediction is not a JSON object");
  const p = parsed.data;
  const word = p.status?.trim().toLowerCase();
  const error = typeof p.error === "string" ? p.error : p.error?.message;
  const result = buildTask({
    provider: PROVIDER,
    // A status answer never changes a job's id (design.md): the create's id is the one kept.
    id: fallbackId ?? p.id ?? "",
    model: p.model,
    statusWord: p.status,
    table: replicateStatusTable,
    progress: undefined,
    videoUrl: outputUrl(p.output),
    errorMessage: firstNonEmpty(
      error,
      word === "aborted"
        ? "the Cancel-After deadline passed before the prediction started; not billed"
        : undefined,
    ),
    errorCode: word === "aborted" ? "aborted" : undefined,
    createdAt: p.created_at,
    updatedAt: p.completed_at,
    urlRequired: true,
    raw: body,
    now,
  });
  return result.task.status === "succeeded" ? withEstimate(result, estimate(p)) : result;
}

const problemBody = lazy(() =>
  z.object({
    title: looseString(),
    detail: looseString(),
    // Its item shape is not documented (§10b): strings, or objects naming a field, are read [I].
    invalid_fields: z.array(z.unknown()).optional().catch(undefined),
  }),
);

const invalidField = lazy(() =>
  z.union([
    z.string(),
    z
      .object({ field: looseString(), description: looseString(), message: looseString() })
      .transform((f) => [f.field, f.description ?? f.message].filter(Boolean).join(": ")),
  ]),
);

/** Problem details: `{title, detail, status}`, and `invalid_fields` on a 422 (§10b Errors). */
function parseError(_status: number, body: unknown): ProviderErrorInfo | undefined {
  const parsed = problemBody().safeParse(body);
  if (!parsed.success) return undefined;
  const { title, detail, invalid_fields: fields } = parsed.data;
  const invalid = (fields ?? []).flatMap((f) => {
    const item = invalidField().safeParse(f);
    return item.success && item.data !== "" ? [item.data] : [];
  });
  const message = firstNonEmpty(detail, title);
  if (message === undefined && invalid.length === 0) return undefined;
  const tail = invalid.length > 0 ? ` (invalid: ${invalid.join("; ")})` : "";
  return { message: `${message ?? "invalid input"}${tail}`, ...(title ? { code: title } : {}) };
}

export const replicate: Provider = {
  ...replicateSpec,
  parseCreate: (body, now) => parsePrediction(body, undefined, now),
  parseQuery: (body, id, now) => parsePrediction(body, id, now),
  parseError,
};
