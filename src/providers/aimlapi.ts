import * as z from "../util/zod.js";
import { readDecimal } from "../util/numbers.js";
import { aimlapiSpec } from "./aimlapi-spec.js";
import {
  buildTask,
  firstNonEmpty,
  lazy,
  looseNumberish,
  looseString,
  type StatusTable,
} from "./parse-helpers.js";
import { unexpectedResponse } from "./response-error.js";
import type { ParsedTask, Provider, ProviderErrorInfo } from "./types.js";

const PROVIDER = "aimlapi";

/** §10d/§10e, AIML API column. */
export const aimlStatusTable: StatusTable = {
  queued: "queued",
  generating: "running",
  completed: "succeeded",
  error: "failed",
};

const namedError = lazy(() =>
  z
    .union([
      z.string().transform((message) => ({ name: undefined, message })),
      z.object({ name: looseString(), message: looseString() }),
    ])
    .optional()
    .catch(undefined),
);

const generationBody = lazy(() =>
  z.object({
    id: looseString(),
    status: looseString(),
    video: z.object({ url: looseString() }).optional().catch(undefined),
    // `{name, message}` (§10d); a bare string is read too [I].
    error: namedError(),
    meta: z
      .object({ usage: z.object({ usd_spent: looseNumberish() }).optional().catch(undefined) })
      .optional()
      .catch(undefined),
  }),
);

function parseGeneration(body: unknown, fallbackId: string | undefined, now: Date): ParsedTask {
  const parsed = generationBody().safeParse(body);
  if (!parsed.success) throw unexpectedResponse(PROVIDER, "the generation answer is not a JSON object");
  const g = parsed.data;
  const spent = g.meta?.usage?.usd_spent;
  return buildTask({
    provider: PROVIDER,
    // A status answer never changes a job's id (design.md).
    id: fallbackId ?? g.id ?? "",
    model: undefined,
    statusWord: g.status,
    table: aimlStatusTable,
    progress: undefined,
    videoUrl: g.video?.url,
    errorMessage: g.error?.message,
    errorCode: g.error?.name,
    createdAt: undefined,
    updatedAt: undefined,
    urlRequired: true,
    // Exact, in USD (§10d); NaN when unreadable, which buildTask refuses with a warning.
    costUsd: spent === undefined ? undefined : readDecimal(spent),
    raw: body,
    now,
  });
}

const errorBody = lazy(() => z.object({ error: namedError(), message: looseString() }));

/**
 * §10d gives no HTTP error body: the poll's `error: {name, message}` is read, or a top-level
 * `message` [I].
 */
function parseError(_status: number, body: unknown): ProviderErrorInfo | undefined {
  const parsed = errorBody().safeParse(body);
  if (!parsed.success) return undefined;
  const message = firstNonEmpty(parsed.data.error?.message, parsed.data.message);
  const code = parsed.data.error?.name;
  return message === undefined ? undefined : { message, ...(code ? { code } : {}) };
}

export const aimlapi: Provider = {
  ...aimlapiSpec,
  parseCreate: (body, now) => parseGeneration(body, undefined, now),
  parseQuery: (body, id, now) => parseGeneration(body, id, now),
  parseError,
};
