import * as z from "../util/zod.js";
import { ApiError, ExitCode } from "../util/errors.js";
import {
  buildTask,
  firstNonEmpty,
  lazy,
  looseNumberish,
  looseString,
  type StatusTable,
} from "./parse-helpers.js";
import { unexpectedResponse } from "./response-error.js";
import { jimmyaiDef, makeJimmyaiSpec } from "./jimmyai-spec.js";
import type { DialectDef, ParsedTask, Provider, ProviderErrorInfo } from "./types.js";

const OK_CODE = "20000";

export const jimmyaiStatusTable: StatusTable = {
  queued: "queued",
  pending: "queued",
  submitted: "queued",
  processing: "running",
  completed: "succeeded",
  failed: "failed",
};

// `code` is documented as a string; a number is tolerated in case a proxy re-encodes it.
const codeField = lazy(() => z.union([z.string(), z.number()]).transform(String).optional().catch(undefined));

const envelope = lazy(() =>
  z.object({ code: codeField(), msg: looseString(), data: z.unknown().optional() }),
);

/** jimmyai reports errors in-band: any `code` other than "20000" is a refusal, whatever the HTTP status. */
function readEnvelope(body: unknown): { code: string | undefined; msg: string | undefined; data: unknown } {
  const parsed = envelope().safeParse(body);
  if (!parsed.success) throw unexpectedResponse("jimmyai", "the answer is not a JSON object");
  const { code, msg, data } = parsed.data;
  if (code !== undefined && code !== OK_CODE) {
    throw new ApiError(
      `jimmyai refused the request: ${msg ?? "no message"} (code ${code})`,
      ExitCode.provider,
      {
        providerCode: code,
      },
    );
  }
  return { code, msg, data };
}

const createData = lazy(() =>
  z.object({
    task_id: looseString(),
    status: looseString(),
    model: looseString(),
    created_at: looseNumberish(),
  }),
);

const taskData = lazy(() =>
  createData().extend({
    progress: looseNumberish(),
    completed_at: looseNumberish(),
    result: z.object({ video_url: looseString() }).optional().catch(undefined),
    error_message: looseString(),
  }),
);

function parseCreate(provider: string, body: unknown, now: Date): ParsedTask {
  const { code, data } = readEnvelope(body);
  const parsed = createData().safeParse(code === undefined ? body : data);
  const id = parsed.success ? firstNonEmpty(parsed.data.task_id) : undefined;
  if (!parsed.success || !id) throw unexpectedResponse(provider, "no task_id in the create answer");
  return buildTask({
    provider,
    id,
    model: parsed.data.model,
    // The initial status is not documented; a fresh task is waiting.
    statusWord: parsed.data.status ?? "queued",
    table: jimmyaiStatusTable,
    progress: 0,
    videoUrl: undefined,
    errorMessage: undefined,
    errorCode: undefined,
    createdAt: parsed.data.created_at,
    updatedAt: undefined,
    urlRequired: true,
    raw: body,
    now,
  });
}

/** The en query page wraps the task in `{code,msg,data}`; the zh page shows it bare. Both are read. */
function parseQuery(provider: string, body: unknown, id: string, now: Date): ParsedTask {
  const { code, data } = readEnvelope(body);
  const parsed = taskData().safeParse(code === undefined ? body : data);
  if (!parsed.success) throw unexpectedResponse(provider, "the task answer has no task object");
  const t = parsed.data;
  return buildTask({
    provider,
    id: firstNonEmpty(t.task_id) ?? id,
    model: t.model,
    statusWord: t.status,
    table: jimmyaiStatusTable,
    progress: t.progress,
    videoUrl: firstNonEmpty(t.result?.video_url),
    errorMessage: firstNonEmpty(t.error_message),
    errorCode: undefined,
    createdAt: t.created_at,
    updatedAt: t.completed_at,
    urlRequired: true,
    raw: body,
    now,
  });
}

function parseError(_status: number, body: unknown): ProviderErrorInfo | undefined {
  const parsed = envelope().safeParse(body);
  if (!parsed.success || (parsed.data.msg === undefined && parsed.data.code === undefined)) return undefined;
  const { code, msg } = parsed.data;
  return { message: msg ?? `code ${code}`, ...(code ? { code } : {}) };
}

/** jimmyai's dialect: its requests (jimmyai-spec.ts) and how its answers are read. */
export function makeJimmyai(def: DialectDef): Provider {
  const { id } = def;
  return {
    ...makeJimmyaiSpec(def),
    parseCreate: (body, now) => parseCreate(id, body, now),
    parseQuery: (body, taskId, now) => parseQuery(id, body, taskId, now),
    parseError,
  };
}

export const jimmyai = makeJimmyai(jimmyaiDef);
