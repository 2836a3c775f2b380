import { ApiError } from "../../util/errors.js";
import { callGateway, type Gateway, type HttpDeps, mayExistHint } from "../../http/client.js";
import type {
  CreateParams,
  LoadedImage,
  ModelSpec,
  NormalizedTask,
  ParsedTask,
  RequestSpec,
} from "../../providers/types.js";

export interface TaskDeps {
  http: HttpDeps;
  /** Injected so parsed tasks carry deterministic timestamps in tests. */
  now: () => Date;
  /** Fills what a status answer leaves out (model, createdAt) from what grokvid knows of the job. */
  complete?: (task: NormalizedTask) => NormalizedTask;
}

/** Sends the paid create call exactly once (the HTTP layer only resends when nothing left the machine). */
export async function submitTask(
  gateway: Gateway,
  params: CreateParams<LoadedImage>,
  model: ModelSpec,
  deps: TaskDeps,
  /** Edits and extensions bring their own request; the answer is read like a create's. */
  request?: RequestSpec,
): Promise<ParsedTask> {
  const spec = request ?? gateway.provider.buildCreate(params, model);
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
  const res = await callGateway(gateway, gateway.provider.buildQuery(id), deps.http, {
    idempotent: true,
    taskId: id,
    emptyOk: gateway.provider.emptyPollAnswer === true,
  });
  const answered = sameId(id, asGateway(gateway, gateway.provider.parseQuery(res.body, id, deps.now())));
  const parsed = deps.complete ? { ...answered, task: deps.complete(answered.task) } : answered;
  const hint = Number(res.headers["openai-poll-after-ms"]);
  return Number.isFinite(hint) && hint > 0 ? { ...parsed, pollAfterMs: hint } : parsed;
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
