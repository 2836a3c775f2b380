import * as z from "../util/zod.js";
import type { TaskStatus } from "../util/task-status.js";
import { checkCostUsd, describeRefusedCost, MAX_JOB_COST_USD } from "../util/cost.js";
import { mapJsonStrings, sanitizeText, sanitizeToken } from "../util/untrusted.js";
import { unexpectedResponse } from "./response-error.js";
import type { NormalizedTask, ParsedTask } from "./types.js";

/** One table per provider: every status word its documents (and new-api) use, lower-case. */
export type StatusTable = Readonly<Record<string, TaskStatus>>;

/**
 * Unknown words mean "running" plus a warning, never success: a gateway that adds a new
 * intermediate state must not make us download nothing or stop polling early.
 */
export function mapStatus(
  word: string | undefined,
  table: StatusTable,
): { status: TaskStatus; warning?: string } {
  const key = (word ?? "").trim().toLowerCase();
  // Own keys only: "constructor" or "__proto__" from a gateway must not reach Object.prototype.
  const status = Object.hasOwn(table, key) ? table[key] : undefined;
  if (status) return { status };
  return {
    status: "running",
    warning: `unknown status "${sanitizeText(word ?? "", 40)}" from provider; treating it as running`,
  };
}

/** Progress arrives as a number, a "NN%" string (new-api), or not at all. */
export function parseProgress(value: unknown): number | null {
  let n: number | undefined;
  if (typeof value === "number") n = value;
  else if (typeof value === "string") {
    const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(value);
    if (m?.[1]) n = Number(m[1]);
  }
  if (n === undefined || !Number.isFinite(n)) return null;
  return Math.min(100, Math.max(0, Math.round(n)));
}

/** The last instant a Date can hold (ECMA-262: 8.64e15 ms after 1970). */
const MAX_DATE_MS = 8.64e15;

/** Gateways send unix seconds, unix milliseconds or ISO strings; normalise all to ISO 8601. */
export function toIsoTime(value: unknown): string | null {
  if (typeof value === "number" && Number.isFinite(value) && value > 0) {
    const ms = value < 1e12 ? value * 1000 : value;
    // Past year 275760 a Date is invalid and toISOString throws: a hostile 1e300 is no time, not a crash.
    return ms <= MAX_DATE_MS ? new Date(ms).toISOString() : null;
  }
  if (typeof value === "string" && value.trim() !== "") {
    if (/^\d+$/.test(value)) return toIsoTime(Number(value));
    const t = Date.parse(value);
    return Number.isNaN(t) ? null : new Date(t).toISOString();
  }
  return null;
}

/**
 * A schema built on first use: building zod schemas costs milliseconds at start-up, and a command
 * that never reads an answer (--dry-run, --help) or reads one provider's should not pay for all.
 */
export function lazy<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

export const looseString = lazy(() => z.string().optional().catch(undefined));
/**
 * A number or a string, else absent. Any number: JSON's `1e400` arrives as Infinity, which
 * z.number() would make "absent"; the field's reader judges it instead, so a value that is there
 * but unusable (a cost, a balance) is warned about rather than silently missing.
 */
export const looseNumberish = lazy(() =>
  z
    .unknown()
    .transform((v): number | string | undefined =>
      typeof v === "number" || typeof v === "string" ? v : undefined,
    )
    .optional(),
);

/** `{message}` objects or bare strings: both appear as `error` across the new-api family. */
export const errorField = lazy(() =>
  z
    .union([
      z.string().transform((message) => ({ message, code: undefined as string | undefined })),
      z
        .object({ message: z.string().optional(), code: z.union([z.string(), z.number()]).optional() })
        .transform((e) => ({
          message: e.message ?? "",
          code: e.code === undefined ? undefined : String(e.code),
        })),
    ])
    .optional()
    .catch(undefined),
);

export function firstNonEmpty(...values: Array<string | null | undefined>): string | undefined {
  return values.find((v): v is string => typeof v === "string" && v.trim() !== "");
}

interface TaskFacts {
  provider: string;
  id: string;
  model: string | undefined;
  statusWord: string | undefined;
  table: StatusTable;
  progress: unknown;
  videoUrl: string | undefined;
  errorMessage: string | undefined;
  errorCode: string | undefined;
  createdAt: unknown;
  updatedAt: unknown;
  /** False where the dialect can fetch the video without a URL (duoyuanx `/content`). */
  urlRequired: boolean;
  /** In US dollars, where the gateway reports what the job cost (NaN: it reported something unreadable). */
  costUsd?: number | undefined;
  /** The gateway withheld the video for moderation: a failure with code `moderated`. */
  moderated?: boolean;
  raw: unknown;
  now: Date;
}

/** Longest gateway message kept: enough for any real reason, not a megabyte of "message". */
const MAX_MESSAGE = 1000;
/** What `raw` may echo of an answer. */
const RAW_LIMITS = { depth: 16, entries: 100, chars: 2000 };

/** A value of a gateway's, made safe to print, store and use in a file name; "" becomes undefined. */
function token(value: string | undefined): string | undefined {
  const clean = value === undefined ? undefined : sanitizeToken(value);
  return clean === "" ? undefined : clean;
}

function text(value: string | undefined, max = MAX_MESSAGE): string | undefined {
  const clean = value === undefined ? undefined : sanitizeText(value, max).trim();
  return clean === "" ? undefined : clean;
}

/**
 * A cost the gateway reported: a plausible price (see MAX_JOB_COST_USD), else nothing (never a
 * guess) and a warning, so a hostile 1e400 is "unknown", not "$Infinity" in every total after it.
 */
function costOf(usd: number | undefined, facts: { provider: string; id: string }, warnings: string[]) {
  if (usd === undefined) return {};
  const checked = checkCostUsd(usd);
  if (checked !== undefined) return { cost: { usd: checked } };
  warnings.push(
    `${facts.provider} reported ${describeRefusedCost(usd)}; a job costs 0 to ${MAX_JOB_COST_USD} USD, so the cost of task ${facts.id} is unknown`,
  );
  return {};
}

/**
 * The rules every dialect shares once its fields are found: status through the table,
 * "completed" without a video (or with an error) is a failure with the reason, progress 100 on success.
 */
export function buildTask(facts: TaskFacts): ParsedTask {
  // Where gateway text enters the task: whatever a dialect found, nothing a terminal acts on survives.
  const f: TaskFacts = {
    ...facts,
    model: text(facts.model, 200),
    videoUrl: token(facts.videoUrl),
    errorMessage: text(facts.errorMessage),
    errorCode: text(facts.errorCode, 100),
    raw: mapJsonStrings(facts.raw, (s) => sanitizeText(s), RAW_LIMITS),
  };
  const id = token(facts.id);
  if (id === undefined) throw unexpectedResponse(f.provider, "no usable task id in the answer");
  if (f.statusWord === undefined) {
    throw unexpectedResponse(f.provider, f.errorMessage ?? "no status in the task answer");
  }
  const warnings: string[] = [];
  const mapped = mapStatus(f.statusWord, f.table);
  if (mapped.warning) warnings.push(mapped.warning);
  let status = mapped.status;
  let error: NormalizedTask["error"] = null;
  if (status === "succeeded" && f.moderated) {
    status = "failed";
    error = {
      code: "moderated",
      message:
        "the provider withheld the video for moderation; the job was probably billed (its cost is shown where the provider reported it)",
    };
  } else if (status === "succeeded" && f.errorMessage) {
    status = "failed";
  } else if (status === "succeeded" && !f.videoUrl && f.urlRequired) {
    status = "failed";
    error = {
      code: "no_video_url",
      message: "the provider reported the task completed but returned no video URL",
    };
  }
  if (!error && status !== "succeeded" && status !== "queued" && status !== "running") {
    error = { code: f.errorCode ?? null, message: f.errorMessage ?? `task ${status}` };
  }
  const progress = status === "succeeded" ? 100 : parseProgress(f.progress);
  return {
    task: {
      id,
      provider: f.provider,
      model: f.model ?? null,
      status,
      progress,
      videoUrl: status === "succeeded" ? (f.videoUrl ?? null) : null,
      error,
      ...costOf(f.costUsd, { provider: f.provider, id }, warnings),
      createdAt: toIsoTime(f.createdAt),
      updatedAt: toIsoTime(f.updatedAt) ?? f.now.toISOString(),
      raw: f.raw,
    },
    warnings,
  };
}
