import type { Gateway } from "../../http/client.js";
import type { CreateParams, ModelSpec, NormalizedTask, TaskLinks } from "../../providers/types.js";
import type { KnownTask } from "../jobs/task-identity.js";
import type { DownloadResult } from "../download/download.js";
import {
  type Journal,
  type JobParams,
  type JobRecord,
  jobKey,
  type OutputPlan,
  toJobParams,
} from "./journal.js";

/**
 * Writes a job's life into the journal: the create record the moment the id is known, then one
 * line per change of status (not per progress tick), then the download.
 */
export class JobRecorder {
  private readonly lastSeen = new Map<string, string>();
  /** What the journal says of each job that a gateway's status answer may leave out. */
  private readonly facts = new Map<
    string,
    { model: string; createdAt: string; params: JobParams; links?: TaskLinks; cancelled?: boolean }
  >();

  constructor(
    readonly journal: Journal,
    private readonly now: () => Date,
  ) {}

  async created(
    gateway: Gateway,
    task: NormalizedTask,
    model: ModelSpec,
    params: CreateParams,
    requestHash: string,
    output: OutputPlan | undefined,
  ): Promise<void> {
    // A generation's length is its duration, or the model's documented default.
    const seconds =
      params.seconds ?? (params.source ? undefined : (params.duration ?? model.defaultDuration));
    const at = task.createdAt ?? this.now().toISOString();
    const jobParams = toJobParams(seconds === undefined ? params : { ...params, seconds });
    this.intents.delete(requestHash);
    await this.journal.append({
      type: "created",
      at,
      id: task.id,
      provider: gateway.name,
      baseUrl: gateway.baseUrl,
      model: model.id,
      params: jobParams,
      requestHash,
      ...(output ? { output } : {}),
      ...(task.links ? { links: task.links } : {}),
    });
    // What the journal now says of it (a create record reads as queued): a create answered with
    // the finished job (Replicate's Prefer: wait, a fast sandbox) still gets its status record.
    this.lastSeen.set(jobKey(gateway.name, task.id), signature(JOURNALED_AT_CREATE));
    this.facts.set(jobKey(gateway.name, task.id), {
      model: model.id,
      createdAt: at,
      params: jobParams,
      ...(task.links ? { links: task.links } : {}),
    });
  }

  /** The task with the model and create time the journal knows, where the gateway gave none. */
  complete(task: NormalizedTask): NormalizedTask {
    const known = this.facts.get(jobKey(task.provider, task.id));
    if (!known) return task;
    return { ...task, model: task.model ?? known.model, createdAt: task.createdAt ?? known.createdAt };
  }

  /** Before a paid call: if no `created` or `abandoned` follows, nothing sends it again on its own. */
  async submitting(
    provider: string,
    requestHash: string,
    model: ModelSpec,
    params: CreateParams,
    output?: OutputPlan,
  ): Promise<void> {
    const at = this.now().toISOString();
    this.intents.set(requestHash, at);
    await this.journal.append({
      type: "submitting",
      at,
      provider,
      requestHash,
      pid: process.pid,
      model: model.id,
      prompt: params.prompt,
      // A fixed path only: one killed before the answer still owns it (path-owner.ts).
      ...(output?.path === undefined ? {} : { output: { path: output.path } }),
    });
  }

  /** The gateway certainly refused the create (4xx, 429, nothing sent): a re-run may send it again. */
  async abandoned(provider: string, requestHash: string): Promise<void> {
    const intentAt = this.intents.get(requestHash);
    await this.journal.append({
      type: "abandoned",
      at: this.now().toISOString(),
      provider,
      requestHash,
      ...(intentAt === undefined ? {} : { intentAt }),
    });
  }

  /** When this process journaled its intent for each request: what an `abandoned` answers. */
  private readonly intents = new Map<string, string>();

  /** Starts from what the journal already says, so a resumed wait does not repeat old lines. */
  know(job: JobRecord): void {
    this.lastSeen.set(jobKey(job.provider, job.id), signature(job));
    this.facts.set(jobKey(job.provider, job.id), {
      model: job.model,
      createdAt: job.createdAt,
      params: job.params,
      ...(job.links ? { links: job.links } : {}),
      ...(job.status === "cancelled" || job.cancelRequested ? { cancelled: true } : {}),
    });
  }

  /**
   * What a later request about the task needs beyond its id: the URLs the gateway returned (fal),
   * what was asked (for a list-price estimate) and whether a cancel was requested.
   */
  known(provider: string, id: string): KnownTask | undefined {
    const fact = this.facts.get(jobKey(provider, id));
    if (!fact) return undefined;
    const { params } = fact;
    const duration = params.duration ?? params.seconds;
    return {
      ...(fact.links ? { links: fact.links } : {}),
      ...(fact.cancelled ? { cancelRequested: true } : {}),
      asked: {
        model: fact.model,
        ...(duration === undefined ? {} : { duration }),
        ...(params.resolution === undefined ? {} : { resolution: params.resolution }),
        images: params.images.length + (params.referenceImages?.length ?? 0),
      },
    };
  }

  /**
   * Before a cancel is sent: journaled (with the task's last known state), so a failure the
   * platform reports next reads as the cancellation in any process, even if this one dies now.
   */
  async cancelling(task: NormalizedTask, requested = true): Promise<void> {
    const fact = this.facts.get(jobKey(task.provider, task.id));
    if (fact) fact.cancelled = requested;
    this.lastSeen.set(jobKey(task.provider, task.id), signature(task));
    await this.journal.append({ ...this.statusRecord(task), cancelRequested: requested });
  }

  /** Whether the journal, read again now, says a cancel was requested (by another process too). */
  async cancelWasRequested(provider: string, id: string): Promise<boolean> {
    if (this.facts.get(jobKey(provider, id))?.cancelled) return true;
    const job = await this.journal.findJob(id, provider);
    return job?.cancelRequested === true;
  }

  /** The request as journaled, for jobs this process created or was told of (see know). */
  requestOf(task: Pick<NormalizedTask, "provider" | "id">): JobParams | undefined {
    return this.facts.get(jobKey(task.provider, task.id))?.params;
  }

  async status(task: NormalizedTask): Promise<void> {
    const key = jobKey(task.provider, task.id);
    const sig = signature(task);
    if (this.lastSeen.get(key) === sig) return;
    this.lastSeen.set(key, sig);
    await this.journal.append({ ...this.statusRecord(task), ...(task.cost ? { cost: task.cost } : {}) });
  }

  /** A task's state as a journal line: what status() and cancelling() both write. */
  private statusRecord(task: NormalizedTask) {
    return {
      type: "status" as const,
      at: this.now().toISOString(),
      id: task.id,
      provider: task.provider,
      status: task.status,
      progress: task.progress,
      videoUrl: task.videoUrl,
      error: task.error,
    };
  }

  /** Where the video is going, so a later `download` or `resume` continues that `.part` file. */
  async downloading(task: NormalizedTask, path: string): Promise<void> {
    await this.journal.append({
      type: "downloading",
      at: this.now().toISOString(),
      id: task.id,
      provider: task.provider,
      path,
    });
  }

  async downloaded(task: NormalizedTask, saved: DownloadResult): Promise<void> {
    await this.journal.append({
      type: "downloaded",
      at: this.now().toISOString(),
      id: task.id,
      provider: task.provider,
      path: saved.path,
      bytes: saved.bytes,
      sha256: saved.sha256,
      sourceUrl: saved.sourceUrl,
      ...(saved.delivered ? { delivered: saved.delivered } : {}),
      ...(saved.headerProblem === undefined ? {} : { headerProblem: saved.headerProblem }),
    });
  }
}

const JOURNALED_AT_CREATE = { status: "queued", videoUrl: null, error: null } as const;

function signature(t: Pick<NormalizedTask, "status" | "videoUrl" | "error" | "cost">): string {
  return JSON.stringify([t.status, t.videoUrl, t.error?.message ?? null, t.cost?.usd ?? null]);
}
