import { resolveLowSpeed, resolveTimeouts } from "../../config/resolve.js";
import type { GrokvidConfig } from "../../config/schema.js";
import { JobRecorder } from "../journal/recorder.js";
import type { JobRecord, Journal } from "../journal/journal.js";
import { openJournal as openJournalOf } from "../journal/open-journal.js";
import type { TaskDeps } from "../jobs/task-identity.js";
import { UsageError } from "../../util/errors.js";
import { assertTaskId } from "../jobs/task-id.js";
import { createDispatcher, type Gateway, type HttpDeps } from "../../http/client.js";
import { shellQuote } from "../../util/format.js";
import { type Remembered, resolveGateway } from "../gateway/resolve-gateway.js";
import { loadSessionConfig } from "./settings.js";
import { VERSION } from "../../util/version.js";
import { type GatewayChoice, realClock, type Reporter, type Runtime } from "./context.js";
import { afterSending } from "../jobs/outcome.js";

export interface Session {
  report: Reporter;
  /** The folder the command runs in: relative paths are resolved against it, never process.cwd(). */
  cwd: string;
  /** The folders local images may be read from (Runtime.allowRead); absent: anywhere. */
  allowRead?: readonly string[] | undefined;
  config: GrokvidConfig;
  gateway: Gateway;
  http: HttpDeps;
  deps: TaskDeps;
  recorder: JobRecorder;
  /** Whether any gateway answered yet: from then on, exit 2 ("nothing was sent") is not true. */
  sent(): boolean;
  /** The flags that reach this same task again, for "resume with:" hints ("" once it is journaled). */
  resumeFlags: string;
  close(): Promise<void>;
}

export function openJournal(runtime: Runtime, report: Reporter, config: GrokvidConfig): Promise<Journal> {
  return openJournalOf(runtime.env, config, (w) => report.warn(w));
}

export interface SessionOptions {
  journal: Journal;
  /** The journal's record of the task this command is about, if it has one. */
  job?: JobRecord | undefined;
  /** The command journals the task it creates, so hints need no --provider. */
  creates?: boolean;
  /** For a session shared by several journaled jobs: where they live. */
  remembered?: Remembered | undefined;
  /** Many jobs at once (batch, resume) share one pool of kept-alive connections. */
  many?: boolean;
}

/** The gateway plus the injected I/O every network command needs. */
export async function openSession(
  flags: GatewayChoice,
  runtime: Runtime,
  report: Reporter,
  config: GrokvidConfig,
  options: SessionOptions,
): Promise<Session> {
  const { selection, gateway, stopSandbox } = await resolveGateway(
    flags,
    runtime,
    report,
    config,
    options.job ?? options.remembered,
  );
  const clock = runtime.clock ?? realClock;
  let answered = false;
  // Only commands that really send anything load an HTTP client; one job's calls need no pool.
  const dispatcher = await createDispatcher(resolveTimeouts(config), options.many ? "pool" : "single");
  const http: HttpDeps = {
    dispatcher,
    now: clock.now,
    sleep: clock.sleep,
    random: clock.random,
    signal: runtime.signal,
    userAgent: `grokvid/${VERSION}`,
    lowSpeed: resolveLowSpeed(config),
    ...(runtime.collectGarbage ? { collectGarbage: runtime.collectGarbage } : {}),
    onRetry: ({ attempt, delayMs, reason }) =>
      report.debug(`retry ${attempt} in ${delayMs}ms after ${reason}`),
    // Query strings are dropped: signed CDN URLs carry their credentials there.
    onResponse: ({ method, url, status, ms }) => {
      answered = true;
      report.debug(`${method} ${url.split("?")[0]} -> ${status} (${ms}ms)`);
    },
  };
  report.debug(`provider ${selection.choice} at ${gateway.baseUrl}`);
  const now = () => new Date(clock.now());
  const recorder = new JobRecorder(options.journal, now);
  if (options.job) recorder.know(options.job);
  return {
    report,
    cwd: runtime.cwd,
    allowRead: runtime.allowRead,
    config,
    gateway,
    http,
    deps: {
      http,
      now,
      complete: (task) => recorder.complete(task),
      known: (id) => recorder.known(gateway.name, id),
      cancelRequested: (id) => recorder.cancelWasRequested(gateway.name, id),
    },
    recorder,
    sent: () => answered,
    resumeFlags: resumeFlags(
      flags,
      selection.choice,
      options.job !== undefined || options.remembered !== undefined || options.creates === true,
    ),
    async close() {
      await dispatcher.close();
      await stopSandbox?.();
    },
  };
}

/** What a later command needs to reach the same task: little once the journal knows it. */
function resumeFlags(flags: GatewayChoice, provider: string, journaled: boolean): string {
  const parts: string[] = [];
  if (!journaled) parts.push("--provider", provider);
  if (!journaled && flags.baseUrl) parts.push("--base-url", flags.baseUrl);
  // The key may come from that file, journal or not.
  if (flags.config) parts.push("--config", flags.config);
  return parts.map((p) => ` ${shellQuote(p)}`).join("");
}

/**
 * For commands that take an id: the journal's record of it, or a clear error when neither the
 * journal nor --provider (nor the environment or config) says where the task lives.
 */
async function findJournaledJob(
  id: string,
  flags: GatewayChoice,
  runtime: Runtime,
  config: GrokvidConfig,
  journal: Journal,
): Promise<JobRecord | undefined> {
  // Checked before any lookup or request: "" or ".." would turn into another URL entirely.
  assertTaskId(id);
  const job = await journal.findJob(id, flags.provider?.trim().toLowerCase());
  const fallback = flags.defaultProvider ?? runtime.env.GROKVID_PROVIDER ?? config.defaultProvider;
  if (!job && flags.provider === undefined && !fallback) {
    throw new UsageError(
      `task ${id} is not in the journal (${journal.where}); pass --provider to ask a gateway about it`,
    );
  }
  return job;
}

/**
 * The shared frame of the commands that take a task id (status, wait, download): config, the
 * journal's record of the task, a session where it lives, closed whatever happens.
 */
export async function withTaskSession<T>(
  id: string,
  flags: GatewayChoice,
  runtime: Runtime,
  report: Reporter,
  work: (session: Session, job: JobRecord | undefined) => Promise<T>,
  given?: Journal,
): Promise<T> {
  const config = await loadSessionConfig(flags, runtime, report);
  const journal = given ?? (await openJournal(runtime, report, config));
  const job = await findJournaledJob(id, flags, runtime, config, journal);
  const session = await openSession(flags, runtime, report, config, { journal, job });
  try {
    return await work(session, job);
  } catch (err) {
    throw session.sent() ? afterSending(err) : err;
  } finally {
    await session.close();
  }
}
