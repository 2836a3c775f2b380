import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import type { GrokvidConfig } from "../../config/schema.js";
import type { RequestDescription } from "../../http/encode.js";
import type { NormalizedTask } from "../../providers/types.js";
import { registerEnvSecrets } from "../../util/redact.js";
import { withKnownCost } from "../../util/cost.js";
import type { ParsedBatch } from "../batch/batch-file.js";
import type { BatchOptions, BatchResult } from "../batch/events.js";
import { GrokvidError, UsageError } from "../../util/errors.js";
import { type GatewayChoice, type Reporter, realClock, type Runtime, silentReporter } from "./context.js";
import type { BalanceResult } from "../gateway/balance.js";
import type { CreateOptions, CreateResult, JobSpec } from "../jobs/create.js";
import type { ProviderSummary } from "../gateway/catalog.js";
import type {
  BatchGallery,
  BatchInput,
  BatchStreamEvent,
  ClientOptions,
  DownloadOptions,
  DownloadOutcome,
  JobList,
  JobsQuery,
  PollOptions,
} from "./client-types.js";
import type { GalleryOptions, GalleryResult } from "../gallery/write-gallery.js";
import type { JobRecord, Journal } from "../journal/journal.js";
import type { ImportResult } from "../journal/transfer.js";
import type { Session } from "./session.js";
import { eventQueue } from "./event-queue.js";
import { SetupCalls } from "../setup/setup-calls.js";
import type { ResumeEvent, ResumeOptions, ResumeResult } from "../jobs/resume.js";
import type { CancelResult } from "../jobs/cancel.js";
import type { CostEstimate } from "../jobs/estimate.js";

/** A folder's real path as it is now; a missing one stays as given (it holds nothing). */
function realFolderNow(folder: string): string {
  try {
    return realpathSync.native(folder);
  } catch {
    return folder;
  }
}

type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

/**
 * A video is megabytes of binary: written into a terminal (`to: process.stdout` in a script run by
 * hand) it fills the screen with garbage and can upset it. Refused before anything is sent.
 */
function refuseTerminal(to: unknown): void {
  if (typeof to === "object" && to !== null && "isTTY" in to && to.isTTY === true) {
    throw new UsageError(
      "refusing to write a video into a terminal; pass { output: FILE }, or a file or pipe stream as `to`",
      { option: "to" },
    );
  }
}

/** An edit's or extension's spec: a prompt, and the model or (extend) the seconds to add. */
export type SourcedSpec = Pick<JobSpec, "prompt" | "provider" | "model" | "duration">;

export type * from "./client-types.js";

/**
 * The library: everything the CLI does, as typed calls. It never prints and never exits; failures
 * are the exported GrokvidError subclasses, each with the exit code the CLI would use. Each flow is
 * imported when first called, so a script (or a command) that only asks for a status never loads
 * the batch engine, the download writer or the journal's schema.
 */
export class GrokvidClient {
  readonly runtime: Runtime;
  readonly report: Reporter;
  private config: Promise<GrokvidConfig> | undefined;

  constructor(private readonly options: ClientOptions = {}) {
    const env = options.env ?? process.env;
    this.runtime = {
      env,
      cwd: options.cwd ?? process.cwd(),
      signal: options.signal ?? new AbortController().signal,
      clock: options.clock ?? realClock,
      ...(options.sandbox ? { sandbox: options.sandbox } : {}),
      // Fixed now, by their real paths: the fence must not follow a folder later swapped for a link.
      ...(options.allowRead
        ? { allowRead: options.allowRead.map((f) => realFolderNow(resolve(options.cwd ?? process.cwd(), f))) }
        : {}),
      ...(options.collectGarbage ? { collectGarbage: options.collectGarbage } : {}),
    };
    // Methods are looked up, not spread: a reporter is often a class instance (the CLI's Output).
    const given = options.reporter;
    this.report = {
      warn: (m) => (given?.warn ?? silentReporter.warn).call(given, m),
      info: (m) => (given?.info ?? silentReporter.info).call(given, m),
      debug: (m) => (given?.debug ?? silentReporter.debug).call(given, m),
    };
    // Anything the library hands back or reports is redacted against the keys it can see.
    registerEnvSecrets(env);
  }

  /** The client's defaults under this call's options; an option left undefined keeps the default. */
  private flags<T extends object>(extra: T): GatewayChoice & Defined<T> {
    const { provider, config, baseUrl } = this.options;
    return {
      ...(provider === undefined ? {} : { defaultProvider: provider }),
      ...(config === undefined ? {} : { config }),
      ...(baseUrl === undefined ? {} : { baseUrl }),
      ...Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)),
    } as GatewayChoice & Defined<T>;
  }

  /** The configuration file (searched once per client), validated. */
  loadConfig(): Promise<GrokvidConfig> {
    this.config ??= import("./settings.js").then((m) =>
      m.loadSessionConfig(this.flags({}), this.runtime, this.report),
    );
    return this.config;
  }

  /** The job journal: the file in GROKVID_HOME, or the shared database the config names. */
  private async journal(): Promise<Journal> {
    this.journalOpened ??= Promise.all([import("./session.js"), this.loadConfig()]).then(([m, config]) =>
      m.openJournal(this.runtime, this.report, config),
    );
    return this.journalOpened;
  }

  private journalOpened: Promise<Journal> | undefined;

  /** Keys, the user's config file, trusting a project's config, doctor and completion candidates. */
  get setup(): SetupCalls {
    this.setupCalls ??= new SetupCalls(this.flags({}), this.runtime, this.report);
    return this.setupCalls;
  }

  private setupCalls: SetupCalls | undefined;

  /** Lets go of what the client holds open (the journal's append handle); it can be used again after. */
  async close(): Promise<void> {
    const journal = this.journalOpened;
    this.journalOpened = undefined;
    await (await journal)?.close();
  }

  /** The exact request `create` would send (key masked); sends nothing. */
  async preview(spec: JobSpec, options: CreateOptions = {}): Promise<RequestDescription> {
    const config = await this.loadConfig();
    const { previewCreate } = await import("../jobs/preview.js");
    return previewCreate(spec, this.flags(options), this.runtime, this.report, config);
  }

  /**
   * What a job would cost by its provider's published list price (`usd: null` where none is known
   * before it runs), with the config's defaults applied and every value checked as `create` checks
   * it; reads no file and sends nothing.
   */
  async estimateCost(spec: JobSpec): Promise<CostEstimate> {
    const config = await this.loadConfig();
    const [{ selectProvider }, { estimateWith }] = await Promise.all([
      import("../../config/resolve.js"),
      import("../jobs/estimate.js"),
    ]);
    const { provider, defaultProvider } = this.flags({ provider: spec.provider });
    return estimateWith(selectProvider(provider ?? defaultProvider, this.runtime.env, config), spec);
  }

  /** Pays for one job; with `wait`, `download` or `output`, follows it to the end. */
  async create(spec: JobSpec, options: CreateOptions = {}): Promise<CreateResult> {
    refuseTerminal(options.to);
    const config = await this.loadConfig();
    const { runCreate } = await import("../jobs/create.js");
    return runCreate(spec, this.flags(options), this.runtime, this.report, config, await this.journal());
  }

  /**
   * Edits a video (xAI): `from` is a journaled job id (its video URL, asked for again if old) or
   * a public video URL. Journaled, waited for and downloaded like `create`.
   */
  async edit(from: string, spec: SourcedSpec, options: CreateOptions = {}): Promise<CreateResult> {
    return this.create({ ...spec, source: { operation: "edit", from } }, options);
  }

  /** Extends a video (xAI) by `spec.duration` seconds; the result is the whole, stitched video. */
  async extend(from: string, spec: SourcedSpec, options: CreateOptions = {}): Promise<CreateResult> {
    return this.create({ ...spec, source: { operation: "extend", from } }, options);
  }

  /** What is left on the provider's key, where its gateway says so. */
  async balance(options: { provider?: string } = {}): Promise<BalanceResult> {
    const config = await this.loadConfig();
    const { getBalance } = await import("../gateway/balance.js");
    return getBalance(this.flags(options), this.runtime, this.report, config, await this.journal());
  }

  /** Every provider with its models and the limits each flag is checked against; sends nothing. */
  async providers(): Promise<ProviderSummary[]> {
    const config = await this.loadConfig();
    const { listProviders } = await import("../gateway/catalog.js");
    return listProviders(config);
  }

  /** One status query (journaled); a failed task is a result, not an error. */
  async status(id: string, options: { provider?: string } = {}): Promise<NormalizedTask> {
    const [{ withTaskSession }, { fetchTask }] = await Promise.all([
      import("./session.js"),
      import("../jobs/task-identity.js"),
    ]);
    return withTaskSession(
      id,
      this.flags(options),
      this.runtime,
      this.report,
      async (session) => {
        const { task, warnings } = await fetchTask(session.gateway, id, session.deps);
        for (const w of warnings) this.report.warn(w);
        await session.recorder.status(task);
        return task;
      },
      await this.journal(),
    );
  }

  /**
   * Asks the platform to cancel a job (fal, Replicate) and journals it `cancelled`; a job that had
   * already finished is left as it was. Where the platform has no cancel: a UsageError, nothing sent.
   */
  async cancel(id: string, options: { provider?: string } = {}): Promise<CancelResult> {
    const [{ withTaskSession }, { cancelJob }] = await Promise.all([
      import("./session.js"),
      import("../jobs/cancel.js"),
    ]);
    return withTaskSession(
      id,
      this.flags(options),
      this.runtime,
      this.report,
      (session, job) => cancelJob(session, id, job),
      await this.journal(),
    );
  }

  /** Polls until the task ends; the final task is returned whether it succeeded or not. */
  async wait(id: string, options: PollOptions = {}): Promise<NormalizedTask> {
    const flags = this.flags(options);
    const f = await import("./flows.js");
    const journal = await this.journal();
    return f.withTaskSession(
      id,
      flags,
      this.runtime,
      this.report,
      (session) =>
        f.followTask(
          session,
          id,
          f.resolvePoll(flags, session.config, session.gateway.name, session.gateway.provider),
          options.onUpdate,
        ),
      journal,
    );
  }

  /** Waits if needed, then saves the video to a file or writes it into `to`. */
  async download(id: string, options: DownloadOptions = {}): Promise<DownloadOutcome> {
    const { provider, interval, timeout, cancelOnTimeout, output, to, onUpdate, onDownload } = options;
    refuseTerminal(to);
    const flags = this.flags({ provider, interval, timeout, cancelOnTimeout });
    const force = options.force === true;
    const f = await import("./flows.js");
    const journal = await this.journal();
    const work = async (session: Session, job: JobRecord | undefined): Promise<DownloadOutcome> => {
      const poll = f.resolvePoll(flags, session.config, session.gateway.name, session.gateway.provider);
      // Where the file goes is settled (and a file in the way refused) before any waiting.
      const target = to ? undefined : await f.downloadTarget(session, id, job, { output, force });
      const task = await f.followTask(session, id, poll, onUpdate, to ? "wait" : "download");
      if (task.status !== "succeeded") return { task };
      if (to) {
        const { streamVideo } = await import("../download/stream-video.js");
        return { task, streamed: await streamVideo(session, task, to, onDownload) };
      }
      const { dest, expected } = target ?? { dest: "", expected: undefined };
      return f.saveVideo(session, task, dest, {
        force,
        expected,
        ...(onDownload ? { onProgress: onDownload } : {}),
      });
    };
    return f.withTaskSession(id, flags, this.runtime, this.report, work, journal);
  }

  /**
   * The config's provider names, for filters over local records. A journal written by an older
   * version may quote a key, so the config's keys are registered as secrets first. A broken config
   * file must not stop a purely local command, so its errors leave the built-in names.
   */
  private async localProviderNames(): Promise<string[]> {
    const [{ loadConfig }, { registerConfigSecrets }, { acceptedProviders }] = await Promise.all([
      import("../../config/load.js"),
      import("./settings.js"),
      import("../../config/resolve.js"),
    ]);
    const { env, cwd } = this.runtime;
    const config = await loadConfig(this.options.config ?? env.GROKVID_CONFIG, cwd, env).then(
      (loaded) => {
        registerConfigSecrets(loaded.config);
        return loaded.config;
      },
      () => ({}),
    );
    return acceptedProviders(config);
  }

  /** The journal's jobs, newest first, and the creates whose fate is unknown. Local only. */
  async jobs(query: JobsQuery = {}): Promise<JobList> {
    const names = await this.localProviderNames();
    const journal = await this.journal();
    const state = await journal.readState();
    const { checkProviderFilter } = await import("../gateway/provider-filter.js");
    const provider = checkProviderFilter(query.provider, [...names, ...state.jobs.map((j) => j.provider)]);
    const all = state.jobs.reverse();
    const matching = all.filter(
      (j) => (!query.status || j.status === query.status) && (!provider || j.provider === provider),
    );
    const uncertain = [...state.uncertain.values()].filter((u) => !provider || u.provider === provider);
    // An older grokvid journaled any finite cost a gateway sent: one that is no price is dropped here.
    const jobs = (query.limit ? matching.slice(0, query.limit) : matching).map(withKnownCost);
    const here = journal.host === undefined ? {} : { host: journal.host };
    return { jobs, matching: matching.length, total: all.length, uncertain, ...here };
  }

  /**
   * Writes one self-contained HTML page showing the selected jobs as cards (the video, its request,
   * what was delivered, status, cost). Local only: reads the journal and the saved files.
   */
  async gallery(options: GalleryOptions = {}): Promise<GalleryResult> {
    const names = await this.localProviderNames();
    const { writeGallery } = await import("../gallery/write-gallery.js");
    const { cwd, clock } = this.runtime;
    const nowMs = (clock ?? realClock).now();
    return writeGallery(await this.journal(), options, { cwd, nowMs, providers: names });
  }

  /**
   * Where `gallery(options)` would write, checked as it would be (an existing file that is not an
   * earlier gallery, a file in the way of a folder, a name too long), writing nothing.
   */
  async galleryTarget(options: Pick<GalleryOptions, "output" | "force"> = {}): Promise<string> {
    const { prepareGalleryOutput } = await import("../gallery/write-gallery.js");
    return prepareGalleryOutput(options, this.runtime.cwd);
  }

  /**
   * Copies a local journal file (default: the one in GROKVID_HOME) into the shared journal the
   * configuration names; each record is kept once, so importing again adds nothing.
   */
  async importJournal(options: { from?: string } = {}): Promise<ImportResult> {
    const { importJournal } = await import("../journal/transfer.js");
    const from = options.from === undefined ? undefined : resolve(this.runtime.cwd, options.from);
    return importJournal(await this.journal(), from);
  }

  /** Every record of the journal (file or shared), oldest first, as the JSON lines it keeps. */
  async *exportJournal(): AsyncGenerator<string> {
    yield* (await this.journal()).lines();
  }

  /** The journal's record of one job (newest with that id), or undefined. */
  async findJob(id: string, provider?: string): Promise<JobRecord | undefined> {
    return (await this.journal()).findJob(id, provider?.trim().toLowerCase());
  }

  /** Picks up every unfinished job of the journal (and, with `download`, every undownloaded one). */
  async resume(
    options: ResumeOptions & { onEvent?: (event: ResumeEvent) => void } = {},
  ): Promise<ResumeResult> {
    const { onEvent, ...rest } = options;
    const config = await this.loadConfig();
    const { resumeJobs } = await import("../jobs/resume.js");
    return resumeJobs(this.flags(rest), {
      runtime: this.runtime,
      report: this.report,
      config,
      journal: await this.journal(),
      emit: onEvent ?? (() => {}),
    });
  }

  /**
   * Runs many jobs: specs in (an array, an iterable, an async iterable, or a parsed batch file),
   * events out, ending with `done` and the per-line result. Every spec is checked before anything
   * is sent, so the input is read whole first.
   */
  batch(input: BatchInput, options: BatchOptions = {}): AsyncIterable<BatchStreamEvent> {
    const queue = eventQueue<BatchStreamEvent>();
    void (async () => {
      const parsed = await toParsed(input);
      const config = await this.loadConfig();
      const { runBatchJobs } = await import("../batch/run.js");
      // The page's path is checked before any job is paid for; the path as checked is the one written.
      const page = options.gallery ? await this.batchGalleryTarget(options) : undefined;
      const result = await runBatchJobs(parsed, this.flags(options), {
        runtime: this.runtime,
        report: this.report,
        config,
        journal: await this.journal(),
        emit: queue.push,
      });
      const gallery = page === undefined ? undefined : await this.writeBatchGallery(result, page, options);
      queue.push({ type: "done", result, ...(gallery ? { gallery } : {}) });
    })().then(queue.end, queue.fail);
    return queue;
  }

  private async batchGalleryTarget(options: BatchOptions): Promise<string> {
    const { batchGalleryOutput } = await import("../batch/batch-gallery.js");
    const output = batchGalleryOutput(options, this.runtime.cwd);
    return this.galleryTarget({ output, force: options.force === true });
  }

  /** Every job of the batch, in line order; a page that cannot be written is reported, never thrown. */
  private async writeBatchGallery(
    result: BatchResult,
    output: string,
    options: BatchOptions,
  ): Promise<BatchGallery> {
    const jobs = result.entries.flatMap((e) =>
      e.id !== null && e.provider !== null ? [{ id: e.id, provider: e.provider, line: e.line }] : [],
    );
    const title = options.galleryTitle ?? `grokvid batch ${options.source ?? ""}`.trim();
    try {
      return await this.gallery({ jobs, output, force: options.force === true, title });
    } catch (err) {
      if (!(err instanceof GrokvidError)) throw err;
      return { path: output, error: err };
    }
  }
}

async function toParsed(input: BatchInput): Promise<ParsedBatch> {
  if ("lines" in input && "errors" in input) return input as ParsedBatch;
  const specs: unknown[] = [];
  for await (const spec of input as AsyncIterable<unknown>) specs.push(spec);
  return (await import("../batch/batch-file.js")).parseJobSpecs(specs);
}

export function createClient(options: ClientOptions = {}): GrokvidClient {
  return new GrokvidClient(options);
}
