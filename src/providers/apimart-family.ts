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
import { apimartBalance } from "./balance.js";
import { unexpectedResponse } from "./response-error.js";
import { makeApimartFamilySpec } from "./apimart-family-spec.js";
import type { DialectDef, ParsedTask, Provider, ProviderErrorInfo } from "./types.js";

/** apimart's documented words, `submitted` from its create answer, and new-api's synonyms for this channel. */
export const apimartStatusTable: StatusTable = {
  submitted: "queued",
  pending: "queued",
  queued: "queued",
  processing: "running",
  in_progress: "running",
  running: "running",
  completed: "succeeded",
  success: "succeeded",
  succeeded: "succeeded",
  failed: "failed",
  failure: "failed",
  error: "failed",
  cancelled: "cancelled",
  canceled: "cancelled",
};

const idFields = lazy(() =>
  z.object({ task_id: looseString(), id: looseString(), status: looseString() }).partial(),
);

const createBody = lazy(() =>
  z.object({
    code: looseNumberish(),
    // apimart answers an array of tasks, xcompute a single object; accept both.
    data: z
      .union([z.array(idFields()), idFields()])
      .optional()
      .catch(undefined),
    error: errorField(),
  }),
);

export function parseApimartCreate(provider: string, body: unknown, now: Date): ParsedTask {
  const parsed = createBody().safeParse(body);
  if (!parsed.success) throw unexpectedResponse(provider, "the create answer is not a JSON object");
  const { data, error } = parsed.data;
  const first = Array.isArray(data) ? data[0] : data;
  const id = firstNonEmpty(first?.task_id, first?.id);
  if (!id)
    throw unexpectedResponse(provider, `no task id in the create answer${error ? `: ${error.message}` : ""}`);
  return buildTask({
    provider,
    id,
    model: undefined,
    statusWord: first?.status ?? "submitted",
    table: apimartStatusTable,
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

// The video URL's shape is known only from new-api's code and apimart's image example:
// `url` may be a string or an array of strings, so both are accepted.
const urlValue = lazy(() =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .catch(undefined),
);
const taskFields = lazy(() =>
  z.object({
    id: looseString(),
    task_id: looseString(),
    status: looseString(),
    progress: looseNumberish(),
    created: looseNumberish(),
    completed: looseNumberish(),
    model: looseString(),
    result: z
      .object({
        videos: z
          .array(z.object({ url: urlValue() }))
          .optional()
          .catch(undefined),
        video_url: looseString(),
      })
      .optional()
      .catch(undefined),
    error: errorField(),
  }),
);

function pickVideoUrl(result: z.infer<ReturnType<typeof taskFields>>["result"]): string | undefined {
  for (const video of result?.videos ?? []) {
    const url = Array.isArray(video.url) ? video.url.find((u) => u !== "") : video.url;
    if (url) return url;
  }
  return firstNonEmpty(result?.video_url);
}

// Built once: a batch parses thousands of answers, and building a zod schema costs more than using it.
const queryWrapper = lazy(() =>
  z.object({ data: taskFields().optional().catch(undefined), error: errorField() }),
);

/** apimart wraps the task as `{code, data}`; xcompute's documented example is flat. Both are read. */
export function parseApimartQuery(provider: string, body: unknown, id: string, now: Date): ParsedTask {
  const wrapper = queryWrapper().safeParse(body);
  const flat = taskFields().safeParse(body);
  if (!wrapper.success || !flat.success)
    throw unexpectedResponse(provider, "the task answer is not a JSON object");
  const wrapped = wrapper.data.data?.status !== undefined;
  const task = wrapped && wrapper.data.data ? wrapper.data.data : flat.data;
  const error = task.error ?? wrapper.data.error;
  return buildTask({
    provider,
    id: firstNonEmpty(task.id, task.task_id) ?? id,
    model: task.model,
    statusWord: task.status,
    table: apimartStatusTable,
    progress: task.progress,
    videoUrl: pickVideoUrl(task.result),
    errorMessage: firstNonEmpty(error?.message),
    errorCode: error?.code,
    createdAt: task.created,
    updatedAt: task.completed,
    urlRequired: true,
    raw: body,
    now,
  });
}

const apimartError = lazy(() =>
  z.object({
    error: z.object({
      message: z.string().optional(),
      type: z.string().optional(),
      code: z.unknown().optional(),
    }),
  }),
);

export function parseApimartError(_status: number, body: unknown): ProviderErrorInfo | undefined {
  const parsed = apimartError().safeParse(body);
  if (!parsed.success) return undefined;
  const { message, type } = parsed.data.error;
  return { message: message ?? type ?? "unknown error", ...(type ? { code: type } : {}) };
}

/** apimart and xcompute: their requests (apimart-family-spec.ts) and how their answers are read. */
export function makeApimartFamily(def: DialectDef): Provider {
  const { id } = def;
  return {
    ...makeApimartFamilySpec(def),
    parseCreate: (body, now) => parseApimartCreate(id, body, now),
    parseQuery: (body, taskId, now) => parseApimartQuery(id, body, taskId, now),
    parseError: parseApimartError,
    balance: apimartBalance(id),
  };
}
