import * as z from "../util/zod.js";
import {
  buildTask,
  firstNonEmpty,
  lazy,
  looseNumberish,
  looseString,
  type StatusTable,
} from "./parse-helpers.js";
import { unexpectedResponse } from "./response-error.js";
import type { DialectDef, ParsedTask, Provider, ProviderErrorInfo, SpecWithoutBalance } from "./types.js";
import { makeXaiSpec, xaiSpec } from "./xai-spec.js";

/**
 * xAI's own words (pending, done, expired, failed) plus queued/processing, which only a
 * reseller's page lists for xAI (providers.md §0, inferred): accepted so such a proxy works too.
 */
export const xaiStatusTable: StatusTable = {
  pending: "queued",
  queued: "queued",
  processing: "running",
  in_progress: "running",
  running: "running",
  done: "succeeded",
  completed: "succeeded",
  succeeded: "succeeded",
  failed: "failed",
  error: "failed",
  expired: "expired",
};

/** 1 USD = 10^10 ticks (docs.x.ai cost tracking). */
const TICKS_PER_USD = 1e10;

const createBody = lazy(() => z.object({ request_id: looseString(), id: looseString() }));

function parseCreate(provider: string, body: unknown, now: Date): ParsedTask {
  const parsed = createBody().safeParse(body);
  if (!parsed.success) throw unexpectedResponse(provider, "the create answer is not a JSON object");
  const id = firstNonEmpty(parsed.data.request_id, parsed.data.id);
  if (!id) throw unexpectedResponse(provider, "no request_id in the create answer");
  return buildTask({
    provider,
    id,
    model: undefined,
    statusWord: "pending",
    table: xaiStatusTable,
    progress: 0,
    videoUrl: undefined,
    errorMessage: undefined,
    errorCode: undefined,
    createdAt: undefined,
    updatedAt: undefined,
    urlRequired: true,
    raw: body,
    now,
  });
}

const pollBody = lazy(() =>
  z.object({
    request_id: looseString(),
    status: looseString(),
    model: looseString(),
    progress: looseNumberish(),
    video: z
      .object({
        url: looseString(),
        duration: looseNumberish(),
        respect_moderation: z.boolean().optional().catch(undefined),
      })
      .optional()
      .catch(undefined),
    // Ticks arrive as a JSON number; a string is accepted in case a proxy keeps them exact.
    usage: z.object({ cost_in_usd_ticks: looseNumberish() }).optional().catch(undefined),
    error: z
      .union([
        z.string().transform((message) => ({ message, code: undefined as string | undefined })),
        z.object({ message: looseString(), code: looseString() }),
      ])
      .optional()
      .catch(undefined),
  }),
);

/**
 * Ticks are whole numbers, so a string is read only as digits ("Infinity", "1e999" or "-0" are
 * not a price). Anything present comes back as a number, NaN when unreadable, for buildTask to
 * check and warn about: a cost the gateway sent but we cannot use is unknown, and said so.
 */
function costInUsd(ticks: string | number | undefined): number | undefined {
  if (ticks === undefined) return undefined;
  const n = typeof ticks === "number" ? ticks : /^\s*\d+\s*$/.test(ticks) ? Number(ticks) : Number.NaN;
  return n / TICKS_PER_USD;
}

/**
 * While the video is made xAI answers 202, sometimes with an empty body (vercel/ai#17308) and,
 * right after the create, with `{request_id}` and no status (new-api PR #5927): both mean
 * "not finished yet". `done` with `respect_moderation: false` has no video: moderated, and billed.
 */
function parseQuery(provider: string, body: unknown, id: string, now: Date): ParsedTask {
  const parsed = body === undefined ? undefined : pollBody().safeParse(body);
  if (parsed && !parsed.success) throw unexpectedResponse(provider, "the task answer is not a JSON object");
  const v = parsed?.data;
  const status = v?.status;
  return buildTask({
    provider,
    id: firstNonEmpty(v?.request_id) ?? id,
    model: v?.model,
    statusWord: status ?? "processing",
    table: xaiStatusTable,
    progress: v?.progress,
    videoUrl: v?.video?.url,
    errorMessage: firstNonEmpty(
      v?.error?.message,
      status?.toLowerCase() === "expired" ? "the request expired before a video was made" : undefined,
    ),
    errorCode: v?.error?.code,
    createdAt: undefined,
    updatedAt: undefined,
    urlRequired: true,
    costUsd: costInUsd(v?.usage?.cost_in_usd_ticks),
    moderated: v?.video?.respect_moderation === false,
    raw: body ?? null,
    now,
  });
}

/**
 * Seen live: a flat `{code: "<gRPC-style text>", error: "<message>"}`; Vercel's client expects
 * the OpenAI shape `{error: {message, type, param, code}}`. Both are read.
 */
const errorBody = lazy(() =>
  z.union([
    z.object({ code: looseString(), error: z.string() }),
    z.object({
      error: z.object({ message: looseString(), type: looseString(), code: looseString() }),
    }),
  ]),
);

function parseError(_status: number, body: unknown): ProviderErrorInfo | undefined {
  const parsed = errorBody().safeParse(body);
  if (!parsed.success) return undefined;
  const e = parsed.data;
  if (typeof e.error === "string") {
    const code = "code" in e ? e.code : undefined;
    return { message: e.error, ...(code ? { code } : {}) };
  }
  const code = firstNonEmpty(e.error.code, e.error.type);
  return { message: e.error.message ?? code ?? "unknown error", ...(code ? { code } : {}) };
}

/** xAI's own API, or a gateway of dialect `xai`: its requests (xai-spec.ts) and how its answers are read. */
export function makeXai(def: DialectDef): Provider {
  return withAnswers(makeXaiSpec(def));
}

function withAnswers(spec: SpecWithoutBalance): Provider {
  const { id } = spec;
  return {
    ...spec,
    parseCreate: (body, now) => parseCreate(id, body, now),
    parseQuery: (body, taskId, now) => parseQuery(id, body, taskId, now),
    parseError,
  };
}

export const xai: Provider = withAnswers(xaiSpec);
