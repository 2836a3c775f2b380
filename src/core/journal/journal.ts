import type { VideoHeader } from "../media/mp4-header.js";
import { closeSync, fstatSync, readSync } from "node:fs";
import { join } from "node:path";
import type { NormalizedTask, TaskLinks } from "../../providers/types.js";
import type { JobCost } from "../../util/cost.js";
import { redact } from "../../util/redact.js";
import { JOURNAL_ROLE, journalError } from "./journal-error.js";
import { JOURNAL_FILE } from "./file-name.js";
import { scanLines } from "./scan.js";
import { openStateFile } from "../../files/state-file.js";
import { JournalWriter } from "./writer.js";
import {
  type JobParams,
  type JournalEvent,
  type OutputPlan,
  parseEventLine as parseEvent,
  toLinks,
} from "./events.js";

export { hashRequest, type JobParams, type JournalEvent, type OutputPlan, toJobParams } from "./events.js";

export { JOURNAL_FILE };

/** Own lines remembered until read back; a client that never reads does not grow without bound. */
const MAX_OWN_LINES = 10_000;

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
}

export const jobKey = (provider: string, id: string): string => `${provider}\u0000${id}`;

/** What the journal says, folded event by event; `refresh` only ever adds what was appended since. */
export class JournalState {
  readonly jobs = new Map<string, JobRecord>();
  /** The newest job made for each request hash. */
  readonly byHash = new Map<string, JobRecord>();
  readonly uncertain = new Map<string, UncertainCreate>();

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
 * Append-only JSON lines, one event per line, each written with a single append and fsynced
 * before the caller goes on. O_APPEND writes of one line land whole even with several grokvid
 * processes appending at once; a line torn by a power cut is skipped on reading, with a warning.
 * Every file-system failure is a configuration problem (exit 3) naming the journal.
 */
export class Journal {
  readonly path: string;
  private readonly state = new JournalState();
  /** Bytes of the file already folded into `state`: always the end of a whole line. */
  private offset = 0;

  constructor(
    readonly dir: string,
    private readonly onWarning: (message: string) => void = () => {},
  ) {
    this.path = join(dir, JOURNAL_FILE);
    this.writer = new JournalWriter(this.path);
  }

  private readonly writer: JournalWriter;

  /** Resolves once the event is on disk; events appended together share one write and one sync. */
  async append(event: JournalEvent): Promise<void> {
    const json = JSON.stringify(event);
    // Gateway text is redacted where it comes in; this is the last guard for any other path.
    const text = redact(json);
    // Only a line that is exactly the event's JSON may later stand for it without being parsed.
    const remember = text === json && this.own.size < MAX_OWN_LINES;
    if (remember) this.own.set(text, event);
    try {
      await this.writer.append(`${text}\n`);
    } catch (err) {
      if (remember) this.own.delete(text);
      throw journalError(err, this.path, "write");
    }
  }

  /**
   * Lines this process appended, by their text, with the event each was made from: a batch
   * re-reads the journal before every job, and would otherwise parse and validate its own lines
   * again. A line from anyone else (or changed on disk) is not found here and is parsed as usual.
   */
  private readonly own = new Map<string, JournalEvent>();

  /** Lets go of the append handle (a script that is done with the client; the CLI just exits). */
  close(): Promise<void> {
    return this.writer.close();
  }

  /**
   * Folds whatever was appended since the last call (by this or any other process). Calls are
   * chained: two reads from the same offset would fold the same lines twice and skip others.
   */
  refresh(): Promise<JournalState> {
    const next = this.pending.then(() => this.foldNew());
    this.pending = next.catch(() => undefined);
    return next;
  }

  private pending: Promise<unknown> = Promise.resolve();

  private async foldNew(): Promise<JournalState> {
    let text: string;
    try {
      text = this.readNew();
    } catch (err) {
      throw journalError(err, this.path, "read");
    }
    let damaged = 0;
    const lines = text.split("\n");
    for (const line of lines) {
      const mine = this.own.get(line);
      if (mine) {
        this.own.delete(line);
        this.state.apply(mine);
        continue;
      }
      if (line.trim() === "") continue;
      const event = parseEvent(line);
      if (event) this.state.apply(event);
      else damaged++;
    }
    if (damaged > 0)
      this.onWarning(`skipped ${damaged} damaged line${damaged === 1 ? "" : "s"} in ${this.path}`);
    return this.state;
  }

  /**
   * The whole lines appended since `offset`; a last line still being written waits for next time.
   * Synchronous: what a batch appended between two jobs is a few lines in the page cache, and the
   * thread pool would cost more than the reading. Opened per call, so nothing is left to close;
   * opened as a state file, so a FIFO or a link at the journal's name is refused, never read.
   */
  private readNew(): string {
    const fd = openStateFile(this.path, JOURNAL_ROLE);
    if (fd === undefined) return "";
    try {
      const { size } = fstatSync(fd);
      if (size <= this.offset) return "";
      const buffer = Buffer.alloc(size - this.offset);
      const bytesRead = readSync(fd, buffer, 0, buffer.length, this.offset);
      const end = buffer.lastIndexOf(0x0a, bytesRead - 1);
      if (end === -1) return "";
      this.offset += end + 1;
      return buffer.subarray(0, end + 1).toString("utf8");
    } finally {
      closeSync(fd);
    }
  }

  /** Every job, oldest first, and the creates whose fate is unknown (by request hash). */
  async readState(): Promise<{ jobs: JobRecord[]; uncertain: Map<string, UncertainCreate> }> {
    const state = await this.refresh();
    return { jobs: [...state.jobs.values()], uncertain: new Map(state.uncertain) };
  }

  /** Every job, oldest first. */
  async readJobs(): Promise<JobRecord[]> {
    return (await this.readState()).jobs;
  }

  /**
   * The newest job with this id (on this provider when one is named), as the whole fold would
   * give it, without folding the whole journal: every event of a job names its id, so only lines
   * holding the id (as JSON writes it) are parsed, validated and folded.
   */
  async findJob(id: string, provider?: string): Promise<JobRecord | undefined> {
    const found = new JournalState();
    let damaged = 0;
    try {
      scanLines(this.path, Buffer.from(JSON.stringify(id)), (line) => {
        const event = parseEvent(line);
        if (!event) damaged++;
        else if ("id" in event && event.id === id) found.apply(event);
      });
    } catch (err) {
      throw journalError(err, this.path, "read");
    }
    if (damaged > 0)
      this.onWarning(`skipped ${damaged} damaged line${damaged === 1 ? "" : "s"} in ${this.path}`);
    const jobs = [...found.jobs.values()].reverse();
    return jobs.find((j) => provider === undefined || j.provider === provider);
  }
}
