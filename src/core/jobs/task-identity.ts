import { ApiError } from "../../util/errors.js";
import { callGateway, type Gateway, type HttpDeps, mayExistHint } from "../../http/client.js";
import type {
  CreateParams,
  LoadedImage,
  ModelSpec,
  NormalizedTask,
  ParsedTask,
  RequestSpec,
  ResultContext,
  TaskLinks,
  TaskRef,
} from "../../providers/types.js";

/** What grokvid knows of a task beyond its id, for the requests that follow its create. */
export interface KnownTask {
  /** The URLs the gateway returned for it (fal), used exactly as returned. */
  links?: TaskLinks;
  /** What was asked, for an estimate from the list price where the gateway reports no cost. */
  asked?: ResultContext["asked"];
  /** A cancel was accepted: a failure reported next is the cancellation. */
  cancelRequested?: boolean;
}

export interface TaskDeps {
  http: HttpDeps;
  /** Injected so parsed tasks carry deterministic timestamps in tests. */
  now: () => Date;
  /** Fills what a status answer leaves out (model, createdAt) from what grokvid knows of the job. */
  complete?: (task: NormalizedTask) => NormalizedTask;
  /** The journal's knowledge of a task (its returned URLs above all). */
  known?: (id: string) => KnownTask | undefined;
  /** The journal read again: did any process ask to cancel the task (grokvid cancel elsewhere)? */
  cancelRequested?: (id: string) => Promise<boolean>;
}

/** Sends the paid create call exactly once (the HTTP layer only resends when nothing left the machine). */
export async function submitTask(
  gateway: Gateway,
  params: CreateParams<LoadedImage>,
  model: ModelSpec,
  deps: TaskDeps,
  options: {
    /** Edits and extensions bring their own request; the answer is read like a create's. */
    request?: RequestSpec;
    /** When grokvid stops waiting, for a platform that can stop the job itself then (Replicate). */
    deadlineMs?: number;
  } = {},
): Promise<ParsedTask> {
  const { provider } = gateway;
  const built = options.request ?? provider.buildCreate(params, model);
  const spec =
    options.deadlineMs !== undefined && provider.withDeadline
      ? provider.withDeadline(built, options.deadlineMs)
      : built;
  const res = await callGateway(gateway, spec, deps.http, { idempotent: false });
  try {
    const parsed = asGateway(gateway, gateway.provider.parseCreate(res.body, deps.now()));
    // What was asked for, and when: the same values the journal's create record keeps.
    const { task } = parsed;
    return {
      ...parsed,
      task: { ...task, model: task.model ?? model.id, createdAt: task.createdAt ?? deps.now().toISOString() },
    };
  } catch (err) {
    // The gateway said yes (2xx) but we cannot read the id: the job probably exists and is billed.
    if (!(err instanceof ApiError)) throw err;
    throw new ApiError(err.message, err.exitCode, {
      status: res.status,
      hint: mayExistHint(gateway.name, deps.http.now()),
      mayExist: true,
      cause: err,
    });
  }
}

export interface FetchedTask extends ParsedTask {
  /** The gateway's own hint for the next poll (`openai-poll-after-ms`), when it sends one. */
  pollAfterMs?: number;
}

export async function fetchTask(gateway: Gateway, id: string, deps: TaskDeps): Promise<FetchedTask> {
  const { provider } = gateway;
  const known = deps.known?.(id);
  const ref: TaskRef = known?.links ? { id, links: known.links } : { id };
  const res = await callGateway(gateway, provider.buildPoll?.(ref) ?? provider.buildQuery(id), deps.http, {
    idempotent: true,
    taskId: id,
    emptyOk: provider.emptyPollAnswer === true,
  });
  const polled = sameId(id, asGateway(gateway, provider.parseQuery(res.body, id, deps.now())));
  const answered = polled.awaitingResult ? await fetchResult(gateway, ref, known, polled, deps) : polled;
  const parsed = deps.complete ? { ...answered, task: deps.complete(answered.task) } : answered;
  const hint = Number(res.headers["openai-poll-after-ms"]);
  return Number.isFinite(hint) && hint > 0 ? { ...parsed, pollAfterMs: hint } : parsed;
}

/** A result that is a failure comes as 4xx/5xx with the platform's own words (fal, §10a Result). */
const failedResult = (status: number): boolean => status === 400 || status === 422 || status >= 500;

/**
 * The queue says done (fal's COMPLETED): the result request says whether it is a video or a
 * failure. A dialect without a result request never flags `awaitingResult`.
 */
async function fetchResult(
  gateway: Gateway,
  ref: TaskRef,
  known: KnownTask | undefined,
  polled: ParsedTask,
  deps: TaskDeps,
): Promise<ParsedTask> {
  const { provider } = gateway;
  if (!provider.buildResult || !provider.parseResult) return polled;
  // The status answer may carry URLs the journal lacks (a job created by an older grokvid).
  const links = { ...polled.task.links, ...ref.links };
  const task: TaskRef = Object.keys(links).length > 0 ? { id: ref.id, links } : { id: ref.id };
  const res = await callGateway(gateway, provider.buildResult(task), deps.http, {
    idempotent: true,
    taskId: ref.id,
    acceptStatus: failedResult,
  });
  const context: ResultContext = {
    httpStatus: res.status,
    ...(res.headers["x-fal-billable-units"] === undefined
      ? {}
      : { billableUnits: res.headers["x-fal-billable-units"] }),
    ...(known?.cancelRequested ? { cancelRequested: true } : {}),
    ...(known?.asked ? { asked: known.asked } : {}),
  };
  let result = asGateway(gateway, provider.parseResult(res.body, task, context, deps.now()));
  // A failure may be a cancel another process sent (`grokvid cancel` while this one waits): its
  // intent is in the journal before the cancel goes out.
  if (result.task.status === "failed" && !context.cancelRequested && (await deps.cancelRequested?.(ref.id))) {
    const cancelled = { ...context, cancelRequested: true };
    result = asGateway(gateway, provider.parseResult(res.body, task, cancelled, deps.now()));
  }
  return { ...result, warnings: [...polled.warnings, ...result.warnings] };
}

/**
 * The id a create returned is the job's id for ever: an answer naming another task (a gateway bug,
 * a proxy mixing answers) is still the answer to the question asked, so it is filed under that id.
 */
function sameId(id: string, parsed: ParsedTask): ParsedTask {
  if (parsed.task.id === id) return parsed;
  return {
    task: { ...parsed.task, id },
    warnings: [...parsed.warnings, `the answer about task ${id} named task ${parsed.task.id}; keeping ${id}`],
  };
}

/** Tasks carry the name the user chose, so `--provider sandbox` output says sandbox, not apimart. */
function asGateway(gateway: Gateway, parsed: ParsedTask): ParsedTask {
  return { ...parsed, task: { ...parsed.task, provider: gateway.name } };
}
