import * as z from "../util/zod.js";
import { readDecimal } from "../util/numbers.js";
import { falPrices, falSpec, FAL_DEFAULTS } from "./fal-spec.js";
import { returnedUrl, withEstimate } from "./hosted-common.js";
import { listPriceUsd } from "./list-price.js";
import { buildTask, firstNonEmpty, lazy, looseString, type StatusTable } from "./parse-helpers.js";
import { unexpectedResponse } from "./response-error.js";
import type {
  CancelOutcome,
  ParsedTask,
  Provider,
  ProviderErrorInfo,
  ResultContext,
  TaskLinks,
  TaskRef,
} from "./types.js";

const PROVIDER = "fal";

/**
 * §10e, fal column. COMPLETED is "running" here on purpose: it is a success or a failure only once
 * the result is fetched (§10a: "the result may be an error"), so parseQuery flags `awaitingResult`.
 */
export const falStatusTable: StatusTable = {
  in_queue: "queued",
  in_progress: "running",
  completed: "running",
};

/** What the result request decided, as words buildTask reads through its own small table. */
const resultTable: StatusTable = { ok: "succeeded", error: "failed", cancelled: "cancelled" };

const queueBody = lazy(() =>
  z.object({
    request_id: looseString(),
    status: looseString(),
    status_url: looseString(),
    response_url: looseString(),
    cancel_url: looseString(),
  }),
);

interface ReturnedUrls {
  status_url?: string | undefined;
  response_url?: string | undefined;
  cancel_url?: string | undefined;
}

function linksOf(b: ReturnedUrls, old?: TaskLinks) {
  const links: TaskLinks = { ...old };
  const status = returnedUrl(b.status_url);
  const result = returnedUrl(b.response_url);
  const cancel = returnedUrl(b.cancel_url);
  if (status) links.status = status;
  if (result) links.result = result;
  if (cancel) links.cancel = cancel;
  return Object.keys(links).length > 0 ? { links } : {};
}

function task(id: string, word: string | undefined, table: StatusTable, raw: unknown, now: Date, extra = {}) {
  return buildTask({
    provider: PROVIDER,
    id,
    model: undefined,
    statusWord: word,
    table,
    progress: undefined,
    videoUrl: undefined,
    errorMessage: undefined,
    errorCode: undefined,
    createdAt: undefined,
    updatedAt: undefined,
    urlRequired: true,
    raw,
    now,
    ...extra,
  });
}

/** `{request_id, response_url, status_url, cancel_url}`: queued, with the URLs to use from now on. */
function parseCreate(body: unknown, now: Date): ParsedTask {
  const parsed = queueBody().safeParse(body);
  if (!parsed.success) throw unexpectedResponse(PROVIDER, "the submit answer is not a JSON object");
  const id = firstNonEmpty(parsed.data.request_id);
  if (!id) throw unexpectedResponse(PROVIDER, "no request_id in the submit answer");
  const parsedTask = task(id, "IN_QUEUE", falStatusTable, body, now);
  return { ...parsedTask, task: { ...parsedTask.task, ...linksOf(parsed.data) } };
}

/** `{status: IN_QUEUE|IN_PROGRESS|COMPLETED, queue_position?, response_url?, logs?, metrics?}`. */
function parseStatus(body: unknown, ref: TaskRef, now: Date): ParsedTask {
  const parsed = queueBody().safeParse(body);
  if (!parsed.success) throw unexpectedResponse(PROVIDER, "the status answer is not a JSON object");
  // A status answer never changes a job's id (design.md): request_id, if sent, is not read.
  const word = parsed.data.status;
  const parsedTask = task(ref.id, word, falStatusTable, body, now);
  const withLinks = { ...parsedTask, task: { ...parsedTask.task, ...linksOf(parsed.data, ref.links) } };
  return word?.trim().toLowerCase() === "completed" ? { ...withLinks, awaitingResult: true } : withLinks;
}

const resultBody = lazy(() =>
  z.object({
    // Extra fields (width, height, duration, fps) are unconfirmed (§10a): accepted and ignored.
    video: z.object({ url: looseString() }).optional().catch(undefined),
    detail: z.unknown().optional(),
  }),
);

/** A `loc` path as fal's 422 writes it (`["body", "duration"]`), joined for one line. */
const validationItem = lazy(() =>
  z.object({
    loc: z
      .array(z.union([z.string(), z.number()]))
      .optional()
      .catch(undefined),
    msg: looseString(),
  }),
);

/** `detail` as a string, or the 422 list of `{loc, msg, type}`; undefined when it is neither. */
export function falDetail(detail: unknown): string | undefined {
  if (typeof detail === "string") return firstNonEmpty(detail);
  const list = z.array(z.unknown()).safeParse(detail);
  if (!list.success) return undefined;
  const lines = list.data.flatMap((item) => {
    const v = validationItem().safeParse(item);
    if (!v.success || !v.data.msg) return [];
    const where = (v.data.loc ?? []).join(".");
    return [where ? `${where}: ${v.data.msg}` : v.data.msg];
  });
  return lines.length > 0 ? lines.join("; ") : undefined;
}

/**
 * What fal probably charged: the billable units × the per-second price of what was asked (§10a
 * prices per second of video, so a unit is taken as a second [I]); without units, the asked
 * length. Either way it is computed, not reported, so it is marked as an estimate.
 */
function estimate(ctx: ResultContext, warnings: string[]): number | undefined {
  const asked = ctx.asked;
  const prices = asked && Object.hasOwn(falPrices, asked.model) ? falPrices[asked.model] : undefined;
  if (!asked || !prices) return undefined;
  let seconds = asked.duration ?? FAL_DEFAULTS.duration;
  if (ctx.billableUnits !== undefined) {
    const units = readDecimal(ctx.billableUnits);
    if (Number.isFinite(units) && units >= 0) seconds = units;
    else
      warnings.push(
        `fal sent x-fal-billable-units "${ctx.billableUnits.slice(0, 40)}", which is no number; estimated from the asked length`,
      );
  }
  return listPriceUsd(
    prices.perSecond,
    seconds,
    asked.resolution ?? FAL_DEFAULTS.resolution,
    asked.images,
    prices.perImage,
  );
}

/**
 * The result: `{video: {url}}` is the success; `{detail}` (4xx/5xx) the failure in fal's words,
 * or a cancellation when one was requested (§10e). 5xx failures are not billed (§10a).
 */
function parseResult(body: unknown, ref: TaskRef, ctx: ResultContext, now: Date): ParsedTask {
  const parsed = resultBody().safeParse(body);
  const b = parsed.success ? parsed.data : {};
  const detail = "detail" in b ? falDetail(b.detail) : undefined;
  const failed = ctx.httpStatus >= 400 || detail !== undefined;
  const word = failed ? (ctx.cancelRequested ? "cancelled" : "error") : "ok";
  const message = failed ? (detail ?? `fal answered the result with HTTP ${ctx.httpStatus}`) : undefined;
  const parsedTask = task(ref.id, word, resultTable, body ?? null, now, {
    videoUrl: failed ? undefined : b.video?.url,
    errorMessage: message,
  });
  const withLinks = ref.links
    ? { ...parsedTask, task: { ...parsedTask.task, links: ref.links } }
    : parsedTask;
  if (parsedTask.task.status !== "succeeded") return withLinks;
  const warnings = [...withLinks.warnings];
  return withEstimate({ ...withLinks, warnings }, estimate(ctx, warnings));
}

/** 202 CANCELLATION_REQUESTED, 400 ALREADY_COMPLETED, 404 NOT_FOUND (§10a Cancel). */
function parseCancel(httpStatus: number, body: unknown): CancelOutcome | undefined {
  const word = queueBody().safeParse(body).data?.status?.trim().toLowerCase();
  if (word === "cancellation_requested") return "requested";
  if (word === "already_completed") return "already-finished";
  if (word === "not_found") return "not-found";
  if (httpStatus === 202) return "requested";
  if (httpStatus === 404) return "not-found";
  return undefined;
}

/** fal locks an account whose balance ran out, answering 403 "User is locked. Reason: Exhausted balance" [I]. */
const SPENT = /exhausted balance|insufficient (balance|credit)/i;

function parseError(_status: number, body: unknown): ProviderErrorInfo | undefined {
  const detail = z.object({ detail: z.unknown() }).safeParse(body);
  const message = detail.success ? falDetail(detail.data.detail) : undefined;
  if (message === undefined) return undefined;
  return SPENT.test(message) ? { message, quota: true } : { message };
}

export const fal: Provider = {
  ...falSpec,
  parseCreate,
  parseQuery: (body, id, now) => parseStatus(body, { id }, now),
  parseResult,
  parseCancel,
  parseError,
};
