import { sleep } from "../../util/sleep.js";

/** Time as the library sees it: the real clock, or a virtual one a test moves instantly. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
}

export const realClock: Clock = {
  now: Date.now,
  // Safe past 2^31-1 ms, where a plain timer fires at once (util/sleep.ts).
  sleep,
  random: Math.random,
};

/**
 * Where the library's remarks go: it never prints. The CLI passes its stderr writer; a script
 * passes its own logger, or nothing to stay silent. Results are return values, never remarks.
 */
export interface Reporter {
  /** Something the user should know that did not stop the work (a skipped journal line, a retry). */
  warn(message: string): void;
  /** Progress worth a line in a log: "submitted task X". */
  info(message: string): void;
  /** Detail for --verbose: requests, retries, timings. */
  debug(message: string): void;
}

export const silentReporter: Reporter = { warn() {}, info() {}, debug() {} };

/** A running simulator, as much of it as the library uses. */
export interface RunningSandbox {
  readonly url: string;
  /** Where one dialect is served ("apimart", "xai", ...). */
  baseUrl(dialect: string): string;
  close(): Promise<void>;
}

/**
 * Starts the simulator for `provider: "sandbox"`. The library never imports the simulator (it is
 * its own entry, `grokvid/sandbox`): whoever wants sandbox jobs hands over its `launchSandbox`.
 */
export type SandboxLauncher = (env: Readonly<Record<string, string | undefined>>) => Promise<RunningSandbox>;

/** What the process gives the library: environment, working folder, a cancel signal. */
export interface Runtime {
  env: Readonly<Record<string, string | undefined>>;
  /** The folder relative paths are resolved against, never process.cwd(). */
  cwd: string;
  signal: AbortSignal;
  clock?: Clock;
  /** How `provider: "sandbox"` starts its simulator; without it, sandbox jobs are refused. */
  sandbox?: SandboxLauncher;
  /**
   * The only folders local images are read from, by real path (never through a link that leads
   * out of one); [] refuses every local image file. Absent: any file the process can read.
   */
  allowRead?: readonly string[];
  /**
   * A young-generation GC that a long download calls every few MiB to free its dead network
   * buffers, for a process whose V8 exposes one (`() => gc({ type: "minor" })`). The CLI passes
   * none: V8 keeps its own schedule.
   */
  collectGarbage?: () => void;
}

/** What every call shares: which gateway (a provider or a configured gateway), which config file, which base URL. */
export interface GatewayChoice {
  /** Chosen for this call (`--provider`): it wins over what the journal remembers of a job. */
  provider?: string;
  /**
   * A library client's provider (`createClient({ provider })`): the default for new jobs, but a
   * job the journal knows (status, wait, download, cancel, an edit's source) stays where it lives.
   */
  defaultProvider?: string;
  config?: string;
  baseUrl?: string;
}
