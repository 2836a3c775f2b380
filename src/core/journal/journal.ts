import type { VideoHeader } from "../media/mp4-header.js";
import type { NormalizedTask, TaskLinks } from "../../providers/types.js";
import type { JobCost } from "../../util/cost.js";
import type { ClaimStore } from "../../files/claims.js";
import { type JobParams, type JournalEvent, type OutputPlan, toLinks } from "./events.js";

export { hashRequest, type JobParams, type JournalEvent, type OutputPlan, toJobParams } from "./events.js";

/** A job as the journal knows it: the create record folded with every later event. */
export interface JobRecord {
  id: string;
  provider: string;
  baseUrl: string;
  model: string;
  params: JobParams;
  requestHash: string;
  createdAt: string;
  status: NormalizedTask["status"];
  progress: number | null;
  videoUrl: string | null;
  error: NormalizedTask["error"];
  /** What the gateway reported the job cost (or what its list price says: `estimate`). */
  cost?: JobCost;
  /** The task's own URLs where the gateway returned them (fal): status, result and cancel. */
  links?: TaskLinks;
  /** A cancel was requested (and maybe sent): a failure reported next is the cancellation. */
  cancelRequested?: boolean;
  updatedAt: string;
  download: SavedVideo | null;
  /** Where a download was started and not finished: its `.part` file waits there. */
  pendingPath: string | null;
  /** Where the video was meant to go when the job was created (absolute paths). */
  output?: OutputPlan;
  /** The machine that last wrote about the job (a shared journal only): who works on it. */
  host?: string;
}

/** A job's downloaded file as the journal last recorded it. */
export interface SavedVideo {
  path: string;
  bytes: number;
  sha256: string;
  at: string;
  /** What the file's header says it is, or why it could not be read (older records have neither). */
  delivered?: VideoHeader;
  headerProblem?: string;
}

/** A create whose fate is unknown: it may have reached its gateway (and been billed). */
export interface UncertainCreate {
  provider: string;
  at: string;
  requestHash: string;
  model?: string;
  prompt?: string;
  /** Where its video was meant to go, when it was to be saved. */
  output?: OutputPlan;
  /** The machine that sent it (a shared journal only). */
  host?: string;
}

export const jobKey = (provider: string, id: string): string => `${provider}\u0000${id}`;

/** What the journal says, folded event by event; `refresh` only ever adds what was appended since. */
export class JournalState {
  readonly jobs = new Map<string, JobRecord>();
  /** The newest job made for each request hash. */
  readonly byHash = new Map<string, JobRecord>();
  readonly uncertain = new Map<string, UncertainCreate>();

  /** Every job, oldest first, and the creates whose fate is unknown: copies a caller may keep. */
  snapshot(): { jobs: JobRecord[]; uncertain: Map<string, UncertainCreate> } {
    return { jobs: [...this.jobs.values()], uncertain: new Map(this.uncertain) };
  }

  /** The newest job folded with this id, on this provider when one is named (findJob's answer). */
  newest(provider?: string): JobRecord | undefined {
    return [...this.jobs.values()].reverse().find((j) => provider === undefined || j.provider === provider);
  }

  apply(event: JournalEvent): void {
    if (event.type === "submitting") {
      const { provider, at, requestHash, model, prompt, output } = event;
      this.uncertain.set(requestHash, {
        provider,
        at,
        requestHash,
        ...(model === undefined ? {} : { model }),
        ...(prompt === undefined ? {} : { prompt }),
        ...(output === undefined ? {} : { output }),
      });
      return;
    }
    if (event.type === "abandoned") {
      const intent = this.uncertain.get(event.requestHash);
      if (event.intentAt === undefined || intent?.at === event.intentAt)
        this.uncertain.delete(event.requestHash);
      return;
    }
    const key = jobKey(event.provider, event.id);
    if (event.type === "created") {
      this.uncertain.delete(event.requestHash);
      const job: JobRecord = {
        id: event.id,
        provider: event.provider,
        baseUrl: event.baseUrl,
        model: event.model,
        params: event.params,
        requestHash: event.requestHash,
        createdAt: event.at,
        status: "queued",
        progress: null,
        videoUrl: null,
        error: null,
        updatedAt: event.at,
        download: this.jobs.get(key)?.download ?? null,
        pendingPath: null,
        ...(event.output ? { output: event.output } : {}),
        ...(event.links ? { links: toLinks(event.links) } : {}),
      };
      // A re-added key goes last, so the map stays in order of creation.
      this.jobs.delete(key);
      this.jobs.set(key, job);
      this.byHash.set(event.requestHash, job);
      return;
    }
    const job = this.jobs.get(key);
    // Events of a job whose create record was lost (a torn line) cannot be placed; skip them.
    if (!job) return;
    if (event.type === "status") {
      Object.assign(job, {
        status: event.status,
        progress: event.progress,
        videoUrl: event.videoUrl ?? job.videoUrl,
        error: event.error,
        updatedAt: event.at,
      });
      // Sticky until the platform says the job finished first: later polls leave it as it is.
      if (event.cancelRequested !== undefined) job.cancelRequested = event.cancelRequested;
      if (event.cost)
        job.cost = event.cost.estimate ? { usd: event.cost.usd, estimate: true } : { usd: event.cost.usd };
    } else if (event.type === "downloading") {
      job.pendingPath = event.path;
    } else {
      const { path, bytes, sha256, at, delivered, headerProblem } = event;
      job.download = {
        path,
        bytes,
        sha256,
        at,
        ...(delivered ? { delivered } : {}),
        ...(headerProblem === undefined ? {} : { headerProblem }),
      };
      job.pendingPath = null;
    }
  }
}

/**
 * Where jobs are recorded: the JSONL file in GROKVID_HOME (file-journal.ts, the default) or a
 * PostgreSQL database that many machines share (pg/pg-journal.ts). Both keep the same events in
 * the order they were committed, and both fold them the same way (JournalState).
 */
export interface Journal {
  /** For messages: the file's path, or the database as user@host:port/name (never a password). */
  readonly where: string;
  /** GROKVID_HOME: what stays on this machine whatever the journal is (locks, pacing). */
  readonly home: string;
  /** This machine's name in a shared journal (what `jobs` shows of the others); none for the file. */
  readonly host?: string;
  /** The JSONL file when this journal is one: a search can then read its bytes instead of the fold. */
  readonly file?: string;
  /** Who may act on a request: one process at a time among all that share this journal. */
  readonly claims: ClaimStore;
  /** Refuses (exit 3) what would leave a paid job unrecorded, before anything is paid for. */
  readyToPay(): Promise<void>;
  /** Resolves once the event is durable (fsynced, or committed). */
  append(event: JournalEvent): Promise<void>;
  /** Folds what was appended since the last call, by this or any other process. */
  refresh(): Promise<JournalState>;
  /** Every job, oldest first, and the creates whose fate is unknown (by request hash). */
  readState(): Promise<{ jobs: JobRecord[]; uncertain: Map<string, UncertainCreate> }>;
  /** Every job, oldest first. */
  readJobs(): Promise<JobRecord[]>;
  /** The newest job with this id (on this provider when one is named). */
  findJob(id: string, provider?: string): Promise<JobRecord | undefined>;
  /** Every record, in order, as the JSON line it was written as (`journal export`). */
  lines(): AsyncIterable<string>;
  /** Lets go of what is held open (the append handle, the database connection). */
  close(): Promise<void>;
}
