import * as z from "../util/zod.js";
import {
  buildTask,
  errorField,
  firstNonEmpty,
  lazy,
  looseNumberish,
  looseString,
  type StatusTable,
} from "./parse-helpers.js";
import { newApiBalance } from "./balance.js";
import { unexpectedResponse } from "./response-error.js";
import { duoyuanxDef, makeOpenAiVideosSpec } from "./duoyuanx-spec.js";
import type { DialectDef, ParsedTask, Provider, ProviderErrorInfo } from "./types.js";

/** duoyuanx's documented words plus what stock new-api emits (`in_progress`, `unknown`). */
export const duoyuanxStatusTable: StatusTable = {
  queued: "queued",
  pending: "queued",
  submitted: "queued",
  // new-api's sora converter rewrites `unknown` to queued; we do the same.
  unknown: "queued",
  // Upstream words new-api's adaptor parses (providers.md §3); a fork or proxy may pass them on.
  not_start: "queued",
  notstarted: "queued",
  preparing: "queued",
  created: "queued",
  starting: "queued",
  processing: "running",
  in_progress: "running",
  running: "running",
  generating: "running",
  completed: "succeeded",
  complete: "succeeded",
  succeeded: "succeeded",
  success: "succeeded",
  finished: "succeeded",
  done: "succeeded",
  failed: "failed",
  failure: "failed",
  fail: "failed",
  error: "failed",
  cancelled: "cancelled",
  canceled: "cancelled",
  expired: "expired",
};

const videoFields = lazy(() =>
  z.object({
    id: looseString(),
    task_id: looseString(),
    model: looseString(),
    status: looseString(),
    progress: looseNumberish(),
    created_at: looseNumberish(),
    completed_at: looseNumberish(),
    video_url: looseString(),
    url: looseString(),
    result_url: looseString(),
    output: z.object({ url: looseString() }).optional().catch(undefined),
    metadata: z.object({ url: looseString() }).optional().catch(undefined),
    error: errorField(),
    fail_reason: looseString(),
  }),
);

function parseVideo(
  provider: string,
  body: unknown,
  fallbackId: string | undefined,
  now: Date,
  create: boolean,
): ParsedTask {
  const parsed = videoFields().safeParse(body);
  if (!parsed.success) throw unexpectedResponse(provider, "the answer is not a JSON object");
  const v = parsed.data;
  // new-api sets both `id` and the legacy `task_id` to its public id; `id` wins.
  const id = firstNonEmpty(v.id, v.task_id) ?? fallbackId;
  if (!id) throw unexpectedResponse(provider, "no task id in the create answer");
  // Old new-api versions stored the result URL in `fail_reason`.
  const legacyUrl = v.fail_reason && /^https?:\/\//i.test(v.fail_reason) ? v.fail_reason : undefined;
  const failReason = legacyUrl ? undefined : v.fail_reason;
  return buildTask({
    provider,
    id,
    model: v.model,
    statusWord: v.status ?? (create ? "queued" : undefined),
    table: duoyuanxStatusTable,
    progress: v.progress,
    videoUrl: firstNonEmpty(v.video_url, v.url, v.output?.url, v.result_url, v.metadata?.url, legacyUrl),
    errorMessage: firstNonEmpty(v.error?.message, failReason),
    errorCode: v.error?.code,
    createdAt: v.created_at,
    updatedAt: v.completed_at,
    // `/v1/videos/{id}/content` serves the video when no URL is given.
    urlRequired: false,
    raw: body,
    now,
  });
}

// new-api answers in the OpenAI shape `{error:{message,type,param,code}}` or as a TaskError `{code,message,data}`.
const errorBody = lazy(() =>
  z.union([
    z.object({
      error: z.object({
        message: z.string().optional(),
        type: z.string().optional(),
        code: z.union([z.string(), z.number()]).optional(),
      }),
    }),
    z.object({ code: z.union([z.string(), z.number()]), message: z.string() }),
  ]),
);

function parseError(_status: number, body: unknown): ProviderErrorInfo | undefined {
  const parsed = errorBody().safeParse(body);
  if (!parsed.success) return undefined;
  const e = "error" in parsed.data ? parsed.data.error : parsed.data;
  const code = e.code === undefined ? ("type" in e ? e.type : undefined) : String(e.code);
  const message = e.message ?? code ?? "unknown error";
  const notFound = code === "task_not_exist" || message === "task_not_exist";
  return { message, ...(code ? { code } : {}), ...(notFound ? { notFound } : {}) };
}

/** The OpenAI/new-api video dialect: its requests (duoyuanx-spec.ts) and how its answers are read. */
export function makeOpenAiVideos(def: DialectDef): Provider {
  const { id } = def;
  return {
    ...makeOpenAiVideosSpec(def),
    parseCreate: (body, now) => parseVideo(id, body, undefined, now, true),
    parseQuery: (body, taskId, now) => parseVideo(id, body, taskId, now, false),
    parseError,
    balance: newApiBalance(id),
  };
}

export const duoyuanx = makeOpenAiVideos(duoyuanxDef);
