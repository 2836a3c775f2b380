import { createHash } from "node:crypto";
import { mkdir, open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { ConfigError } from "../errors.js";
import { errnoOf, journalError } from "./journal-error.js";
import { redact } from "../redact.js";
import type { CreateParams, ImageRef, NormalizedTask } from "../providers/types.js";
import { taskStatuses } from "../task-status.js";

export const JOURNAL_FILE = "journal.jsonl";

/** The request as the user expressed it: never a key, and never inline image data (only its size). */
const paramsSchema = z.object({
  prompt: z.string(),
  duration: z.number().optional(),
  ratio: z.string().optional(),
  resolution: z.number().optional(),
  images: z.array(z.string()),
});
export type JobParams = z.infer<typeof paramsSchema>;

const errorSchema = z.object({ code: z.string().nullable(), message: z.string() }).nullable();

const eventSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("created"),
    at: z.string(),
    id: z.string(),
    provider: z.string(),
    baseUrl: z.string(),
    model: z.string(),
    params: paramsSchema,
    requestHash: z.string(),
  }),
  z.object({
    type: z.literal("status"),
    at: z.string(),
    id: z.string(),
    provider: z.string(),
    status: z.enum(taskStatuses),
    progress: z.number().nullable(),
    videoUrl: z.string().nullable(),
    error: errorSchema,
  }),
  // A batch line about to be paid for, and one whose create was refused: between the two, or
  // without either after it, nobody knows whether the job exists.
  z.object({ type: z.literal("submitting"), at: z.string(), provider: z.string(), requestHash: z.string() }),
  z.object({ type: z.literal("abandoned"), at: z.string(), provider: z.string(), requestHash: z.string() }),
  z.object({
    type: z.literal("downloading"),
    at: z.string(),
    id: z.string(),
    provider: z.string(),
    path: z.string(),
  }),
  z.object({
    type: z.literal("downloaded"),
    at: z.string(),
    id: z.string(),
    provider: z.string(),
    path: z.string(),
    bytes: z.number(),
    sha256: z.string(),
    sourceUrl: z.string(),
  }),
]);
export type JournalEvent = z.infer<typeof eventSchema>;

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
  updatedAt: string;
  download: { path: string; bytes: number; sha256: string; at: string } | null;
  /** Where a download was started and not finished: its `.part` file waits there. */
  pendingPath: string | null;
}

function describeImage(ref: ImageRef): string {
  if (ref.kind === "url") return ref.url;
  if (ref.kind === "file") return ref.path;
  return `data URI (${ref.uri.length} chars)`;
}

export function toJobParams(params: CreateParams): JobParams {
  return {
    prompt: params.prompt,
    ...(params.duration === undefined ? {} : { duration: params.duration }),
    ...(params.ratio === undefined ? {} : { ratio: params.ratio }),
    ...(params.resolution === undefined ? {} : { resolution: params.resolution }),
    images: params.images.map(describeImage),
  };
}

/**
 * Identifies "the same request" across runs, so a batch re-run does not pay twice. `occurrence`
 * tells apart identical lines of one file, which are meant as separate jobs.
 */
export function hashRequest(provider: string, model: string, params: JobParams, occurrence = 0): string {
  const canonical = JSON.stringify([
    provider,
    model,
    params.prompt,
    params.duration ?? null,
    params.ratio ?? null,
    params.resolution ?? null,
    params.images,
    occurrence,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

export const jobKey = (provider: string, id: string): string => `${provider}\u0000${id}`;

/** A batch line whose create may or may not have reached its gateway. */
export interface UncertainCreate {
  provider: string;
  at: string;
}

type JobEvent = Extract<JournalEvent, { id: string }>;

function fold(records: Map<string, JobRecord>, event: JobEvent): void {
  const key = jobKey(event.provider, event.id);
  if (event.type === "created") {
    records.set(key, {
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
      download: records.get(key)?.download ?? null,
      pendingPath: null,
    });
    return;
  }
  const job = records.get(key);
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
  } else if (event.type === "downloading") {
    job.pendingPath = event.path;
  } else {
    job.download = { path: event.path, bytes: event.bytes, sha256: event.sha256, at: event.at };
    job.pendingPath = null;
  }
}

/**
 * Append-only JSON lines, one event per line, each written with a single append and fsynced
 * before the caller goes on. O_APPEND writes of one line land whole even with several grokvid
 * processes appending at once; a line torn by a power cut is skipped on reading, with a warning.
 */
export class Journal {
  readonly path: string;

  constructor(
    readonly dir: string,
    private readonly onWarning: (message: string) => void = () => {},
  ) {
    this.path = join(dir, JOURNAL_FILE);
  }

  /** Checked before a paid create: a journal that cannot be written must stop us before we pay. */
  async assertWritable(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await (await open(this.path, "a", 0o600)).close();
    } catch (err) {
      const code = err && typeof err === "object" && "code" in err ? String(err.code) : "error";
      throw new ConfigError(`cannot write the job journal ${this.path} (${code}); nothing was sent`, {
        hint: "set GROKVID_HOME to a folder you can write",
      });
    }
  }

  async append(event: JournalEvent): Promise<void> {
    try {
      await this.appendLine(event);
    } catch (err) {
      throw journalError(err, this.path, "write");
    }
  }

  private async appendLine(event: JournalEvent): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = await open(this.path, "a+", 0o600);
    try {
      const { size } = await file.stat();
      let glue = "";
      if (size > 0) {
        // A torn last line (no newline) would swallow this record: start on a fresh line.
        const last = Buffer.alloc(1);
        await file.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) glue = "\n";
      }
      // Gateway text is redacted where it comes in; this is the last guard for any other path.
      await file.write(`${glue}${redact(JSON.stringify(event))}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
  }

  async readEvents(): Promise<JournalEvent[]> {
    const text = await readFile(this.path, "utf8").catch((err: unknown) => {
      if (errnoOf(err) === "ENOENT") return "";
      throw journalError(err, this.path, "read");
    });
    const events: JournalEvent[] = [];
    let damaged = 0;
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        damaged++;
        continue;
      }
      const parsed = eventSchema.safeParse(value);
      if (parsed.success) events.push(parsed.data);
      else damaged++;
    }
    if (damaged > 0)
      this.onWarning(`skipped ${damaged} damaged line${damaged === 1 ? "" : "s"} in ${this.path}`);
    return events;
  }

  /** Every job, oldest first, and the creates whose fate is unknown (by request hash). */
  async readState(): Promise<{ jobs: JobRecord[]; uncertain: Map<string, UncertainCreate> }> {
    const records = new Map<string, JobRecord>();
    const uncertain = new Map<string, UncertainCreate>();
    for (const event of await this.readEvents()) {
      if (event.type === "submitting")
        uncertain.set(event.requestHash, { provider: event.provider, at: event.at });
      else if (event.type === "abandoned") uncertain.delete(event.requestHash);
      else {
        if (event.type === "created") uncertain.delete(event.requestHash);
        fold(records, event);
      }
    }
    return { jobs: [...records.values()], uncertain };
  }

  /** Every job, oldest first. */
  async readJobs(): Promise<JobRecord[]> {
    return (await this.readState()).jobs;
  }

  /** The newest job with this id (on this provider when one is named). */
  async findJob(id: string, provider?: string): Promise<JobRecord | undefined> {
    const jobs = await this.readJobs();
    return jobs.reverse().find((j) => j.id === id && (provider === undefined || j.provider === provider));
  }
}
