import { setTimeout as sleep } from "node:timers/promises";
import { FAILURE_STATUS, type FailureKind } from "./auth.js";
import { type RequestContext, sendJson } from "./context.js";
import { answerId, failReason } from "./hostile.js";
import { refusedBearer, createPlatformJob, readPlatformState, toIso } from "./platform-common.js";
import { isTerminal, type PlatformJob, type PlatformPhase } from "./platform-jobs.js";
import { checkFields, type FieldIssue } from "./platform-validate.js";
import {
  CREATE_SCHEMA,
  describeReplicateVideo,
  inputSchema,
  parseCancelAfter,
  REPLICATE_MODELS,
  type ReplicateModel,
} from "./replicate-validate.js";
import {
  answerCreateMarker,
  dispatchRoutes,
  type ErrorRenderer,
  type Route,
  requireJsonBody,
  sendFailure,
} from "./routing.js";

/**
 * Replicate's predictions API (providers.md 10b) under /replicate: create on the model, poll and
 * cancel on the prediction. Errors are problem details {title, detail, status}.
 */

const TITLES: Record<FailureKind, string> = {
  invalid_request: "Bad request",
  unauthorized: "Unauthenticated",
  payment_required: "Insufficient credit",
  forbidden: "Forbidden",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  payload_too_large: "Request too large",
  rate_limited: "Request was throttled",
  server_error: "Internal server error",
  bad_gateway: "Bad gateway",
  service_unavailable: "Service unavailable",
};

const renderError: ErrorRenderer = (kind, message) => ({
  title: TITLES[kind],
  detail: message,
  status: FAILURE_STATUS[kind],
});

const STATUS_WORDS: Record<PlatformPhase, string> = {
  queued: "starting",
  running: "processing",
  completed: "succeeded",
  failed: "failed",
  cancelled: "canceled",
  aborted: "aborted",
};

/** Prefer: wait holds at most this long (providers.md 10b). */
const MAX_WAIT_S = 60;

function sendInvalid(ctx: RequestContext, issues: FieldIssue[], prefix: string[]): void {
  const fields = issues.map((issue) => ({
    type: issue.type === "missing" ? "required" : issue.type,
    field: [...prefix, ...issue.path].join("."),
    description: issue.message,
  }));
  sendJson(ctx, 422, {
    title: "Input validation failed",
    detail: fields.map((field) => `- ${field.field}: ${field.description}`).join("\n"),
    status: 422,
    invalid_fields: fields,
  });
}

function buildPrediction(ctx: RequestContext, id: string, job: PlatformJob) {
  const state = readPlatformState(ctx, job);
  const get = `${ctx.baseUrl}/v1/predictions/${id}`;
  const ran = state.startedMs !== undefined && state.finishedMs !== undefined;
  return {
    id: answerId(ctx, id),
    model: job.model,
    // Official models hide their versions behind the model name.
    version: "hidden",
    input: job.input,
    status: STATUS_WORDS[state.phase],
    output: state.phase === "completed" ? ctx.cdnFileUrl(id) : null,
    error: state.phase === "failed" ? failReason(ctx) : null,
    logs: state.phase === "queued" ? "" : "sandbox: generating\n",
    metrics: ran ? { predict_time: ((state.finishedMs ?? 0) - (state.startedMs ?? 0)) / 1000 } : {},
    created_at: toIso(job.info.createdMs),
    started_at: toIso(state.startedMs),
    completed_at: toIso(state.finishedMs),
    urls: { get, cancel: `${get}/cancel`, stream: `${get}/stream`, web: `${ctx.baseUrl}/p/${id}` },
  };
}

function headerText(ctx: RequestContext, name: string): string | undefined {
  const value = ctx.req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** "wait" or "wait=n" (1..60 s); undefined when absent; null when malformed. */
function readPreferWait(ctx: RequestContext): number | undefined | null {
  const header = headerText(ctx, "prefer");
  if (header === undefined) return undefined;
  const match = /^wait(?:=(\d+))?$/.exec(header.trim());
  if (!match) return null;
  const seconds = match[1] === undefined ? MAX_WAIT_S : Number(match[1]);
  return seconds >= 1 && seconds <= MAX_WAIT_S ? seconds : null;
}

async function handleCreate(ctx: RequestContext, name: string): Promise<void> {
  if (refusedBearer(ctx, renderError, "create")) return;
  const model = REPLICATE_MODELS.find((candidate) => candidate === `xai/${name}`);
  if (!model) {
    sendFailure(ctx, renderError, "not_found", `model xai/${name} not found`);
    return;
  }
  const wait = readPreferWait(ctx);
  const cancelAfter = headerText(ctx, "cancel-after");
  const lifetimeMs = cancelAfter === undefined ? undefined : parseCancelAfter(cancelAfter);
  if (wait === null || (cancelAfter !== undefined && lifetimeMs === undefined)) {
    const message =
      wait === null
        ? "Prefer must be wait or wait=1..60"
        : `Cancel-After ${cancelAfter} is not a duration like 30s or 10m`;
    sendFailure(ctx, renderError, "invalid_request", message);
    return;
  }
  const json = requireJsonBody(ctx, renderError);
  if (!json) return;
  const outer = checkFields(CREATE_SCHEMA, json.value);
  if (!outer.ok) return sendInvalid(ctx, outer.issues, []);
  const checked = checkFields(inputSchema(model as ReplicateModel), outer.data.input);
  if (!checked.ok) return sendInvalid(ctx, checked.issues, ["input"]);
  const input = checked.data;
  if (answerCreateMarker(ctx, renderError, input.prompt)) return;
  const video = describeReplicateVideo(model, input);
  const { id, job } = createPlatformJob(
    ctx,
    "replicate",
    {
      model,
      input: outer.data.input,
      prompt: input.prompt,
      ...video,
      ratio: input.aspect_ratio === "auto" ? undefined : input.aspect_ratio,
    },
    lifetimeMs === undefined ? {} : { deadlineMs: ctx.nowMs + lifetimeMs },
  );
  if (wait !== undefined) await holdUntilDone(ctx, job, wait);
  sendJson(ctx, 201, buildPrediction(ctx, id, job));
}

/**
 * Prefer: wait, in real time: until the sandbox clock says the job ended or the wait is over. Tests
 * use a zero timeline (or a short real one) so nothing sleeps for long.
 */
async function holdUntilDone(ctx: RequestContext, job: PlatformJob, seconds: number): Promise<void> {
  const giveUpMs = Date.now() + seconds * 1000;
  for (;;) {
    ctx.nowMs = Math.floor(ctx.now());
    if (isTerminal(readPlatformState(ctx, job).phase) || Date.now() >= giveUpMs || ctx.req.socket.destroyed)
      return;
    await sleep(Math.min(25, Math.max(1, giveUpMs - Date.now())));
  }
}

function handleGet(ctx: RequestContext, id: string): void {
  if (refusedBearer(ctx, renderError, "query")) return;
  const job = ctx.jobs.get(id, "replicate");
  if (!job) return sendFailure(ctx, renderError, "not_found", "The requested resource could not be found.");
  sendJson(ctx, 200, buildPrediction(ctx, id, job));
}

function handleCancel(ctx: RequestContext, id: string): void {
  if (refusedBearer(ctx, renderError, "query")) return;
  const job = ctx.jobs.get(id, "replicate");
  if (!job) return sendFailure(ctx, renderError, "not_found", "The requested resource could not be found.");
  // A finished prediction is answered as it is: there is nothing left to cancel.
  if (!isTerminal(readPlatformState(ctx, job).phase)) job.cancelledMs = ctx.nowMs;
  sendJson(ctx, 200, buildPrediction(ctx, id, job));
}

const ROUTES: Route[] = [
  {
    pattern: ["v1", "models", "xai", ":id", "predictions"],
    methods: ["POST"],
    target: "create",
    handle: handleCreate,
  },
  { pattern: ["v1", "predictions", ":id"], methods: ["GET"], target: "query", handle: handleGet },
  { pattern: ["v1", "predictions", ":id", "cancel"], methods: ["POST"], handle: handleCancel },
];

export function handleReplicate(ctx: RequestContext): Promise<void> {
  return dispatchRoutes(ctx, ROUTES, renderError);
}
