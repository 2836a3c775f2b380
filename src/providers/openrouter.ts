import * as z from "../util/zod.js";
import { readDecimal } from "../util/numbers.js";
import { sanitizeText } from "../util/untrusted.js";
import { openRouterCreditsRequest, openRouterSpec } from "./openrouter-spec.js";
import {
  buildTask,
  firstNonEmpty,
  lazy,
  looseNumberish,
  looseString,
  type StatusTable,
} from "./parse-helpers.js";
import { unexpectedResponse } from "./response-error.js";
import type { BalanceSupport, ParsedBalance, ParsedTask, Provider, ProviderErrorInfo } from "./types.js";

const PROVIDER = "openrouter";

/** §10c/§10e, OpenRouter column: `expired` is a failure there (§10e), with its own code. */
export const openRouterStatusTable: StatusTable = {
  pending: "queued",
  in_progress: "running",
  completed: "succeeded",
  failed: "failed",
  expired: "failed",
  cancelled: "cancelled",
};

const videoBody = lazy(() =>
  z.object({
    id: looseString(),
    status: looseString(),
    // A plain string (§10c); an `{message}` object is read too, in case the alpha API changes [I].
    error: z
      .union([z.string(), z.object({ message: looseString() })])
      .optional()
      .catch(undefined),
    unsigned_urls: z.array(z.unknown()).optional().catch(undefined),
    usage: z.object({ cost: looseNumberish() }).optional().catch(undefined),
  }),
);

function parseVideo(body: unknown, fallbackId: string | undefined, now: Date): ParsedTask {
  const parsed = videoBody().safeParse(body);
  if (!parsed.success) throw unexpectedResponse(PROVIDER, "the video answer is not a JSON object");
  const v = parsed.data;
  const expired = v.status?.trim().toLowerCase() === "expired";
  const error = typeof v.error === "string" ? v.error : v.error?.message;
  return buildTask({
    provider: PROVIDER,
    // A status answer never changes a job's id (design.md).
    id: fallbackId ?? v.id ?? "",
    model: undefined,
    statusWord: v.status,
    table: openRouterStatusTable,
    progress: undefined,
    videoUrl: v.unsigned_urls?.find((u): u is string => typeof u === "string"),
    errorMessage: firstNonEmpty(error, expired ? "the video job expired" : undefined),
    errorCode: expired ? "expired" : undefined,
    createdAt: undefined,
    updatedAt: undefined,
    // `/content` serves the video even without `unsigned_urls`.
    urlRequired: false,
    // Exact, in USD (§10c); NaN when unreadable, which buildTask refuses with a warning.
    costUsd: v.usage?.cost === undefined ? undefined : readDecimal(v.usage.cost),
    raw: body,
    now,
  });
}

const errorBody = lazy(() =>
  z.object({
    error: z.object({
      code: z.union([z.number(), z.string()]).optional().catch(undefined),
      message: looseString(),
    }),
  }),
);

/** `{error: {code, message, metadata}}` (§10c Errors). */
function parseError(_status: number, body: unknown): ProviderErrorInfo | undefined {
  const parsed = errorBody().safeParse(body);
  if (!parsed.success) return undefined;
  const { code, message } = parsed.data.error;
  const codeText = code === undefined ? undefined : String(code);
  const text = firstNonEmpty(message, codeText);
  return text === undefined ? undefined : { message: text, ...(codeText ? { code: codeText } : {}) };
}

const creditsBody = lazy(() =>
  z.object({ data: z.object({ total_credits: looseNumberish(), total_usage: looseNumberish() }) }),
);

/** More than any account holds, in USD: beyond it an amount is garbage. */
const MAX_USD = 1e9;

function amount(field: string, value: string | number | undefined, warnings: string[]): number | null {
  if (value === undefined) return null;
  const n = readDecimal(value);
  if (n >= 0 && n <= MAX_USD) return n;
  const shown = typeof value === "number" ? String(value) : JSON.stringify(sanitizeText(value, 40));
  warnings.push(`${PROVIDER} reported ${field} ${shown}, which is no amount; shown as unknown`);
  return null;
}

/** `{data: {total_credits, total_usage}}` in USD (§10c Balance): what is left is their difference. */
export const openRouterBalance: BalanceSupport = {
  build: openRouterCreditsRequest,
  parse(body): ParsedBalance {
    const parsed = creditsBody().safeParse(body);
    if (!parsed.success) throw unexpectedResponse(PROVIDER, "the credits answer has no data object");
    const warnings: string[] = [];
    const total = amount("total_credits", parsed.data.data.total_credits, warnings);
    const used = amount("total_usage", parsed.data.data.total_usage, warnings);
    if (parsed.data.data.total_credits === undefined) {
      throw unexpectedResponse(PROVIDER, "no total_credits in the credits answer");
    }
    // Whole micro-dollars, so 50 - 42.5 is 7.5 exactly.
    const remaining = total === null || used === null ? null : Math.round((total - used) * 1e6) / 1e6;
    return { info: { unlimited: false, remaining, used, unit: "USD" }, warnings };
  },
};

export const openrouter: Provider = {
  ...openRouterSpec,
  parseCreate: (body, now) => parseVideo(body, undefined, now),
  parseQuery: (body, id, now) => parseVideo(body, id, now),
  parseError,
  balance: openRouterBalance,
};
