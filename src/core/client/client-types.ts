import type { Writable } from "node:stream";
import type { GrokvidError } from "../../util/errors.js";
import type { NormalizedTask } from "../../providers/types.js";
import type { TaskStatus } from "../../util/task-status.js";
import type { ParsedBatch } from "../batch/batch-file.js";
import type { BatchEvent, BatchResult } from "../batch/events.js";
import type { Clock, GatewayChoice, Reporter, SandboxLauncher } from "./context.js";
import type { JobSpec } from "../jobs/preview.js";
import type { DownloadResult } from "../download/download.js";
import type { DownloadProgress, TaskUpdate } from "../jobs/follow.js";
import type { JobRecord, UncertainCreate } from "../journal/journal.js";
import type { StreamedVideo } from "../download/stream-video.js";

// The options and results of the library client's calls (client.ts).

export interface ClientOptions extends Pick<GatewayChoice, "provider" | "config" | "baseUrl"> {
  /** Where keys, base URLs and GROKVID_* settings come from; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The folder relative paths are resolved against; default process.cwd(). */
  cwd?: string;
  /** Aborting it stops waits and downloads (a paid create is never cut in half). */
  signal?: AbortSignal;
  clock?: Clock;
  /** See Runtime.collectGarbage; default: none, V8 keeps its own schedule. */
  collectGarbage?: () => void;
  /** Where warnings and progress remarks go; default: nowhere. */
  reporter?: Partial<Reporter>;
  /** For `provider: "sandbox"`: `launchSandbox` from "grokvid/sandbox". Default: sandbox jobs are refused. */
  sandbox?: SandboxLauncher;
  /**
   * The only folders local image files are read from (a job's `images` and `referenceImages`):
   * a file must really lie inside one, by its real path, so a link that leads out is refused;
   * `[]` refuses every local file (URLs and data: URIs still work). Relative folders are taken
   * from `cwd`. Default: any file the process can read, as on the command line.
   */
  allowRead?: readonly string[];
}

export interface PollOptions {
  provider?: string;
  /** Like --interval and --timeout: "5s", "30m". */
  interval?: string;
  timeout?: string;
  /** When the timeout ends the wait, cancel the job (fal, Replicate); refused where it cannot be. */
  cancelOnTimeout?: boolean;
  onUpdate?: TaskUpdate;
}

export interface DownloadOptions extends PollOptions {
  /** A file, or a folder for the configured name; default: where the journal or config says. */
  output?: string;
  /** A stream to write the video into instead of a file (not ended: it is the caller's). */
  to?: Writable;
  force?: boolean;
  onDownload?: DownloadProgress;
}

export interface DownloadOutcome {
  task: NormalizedTask;
  /** The saved file (with `output`) ... */
  saved?: DownloadResult;
  /** ... or what was written to `to`. */
  streamed?: StreamedVideo;
}

export interface JobsQuery {
  provider?: string;
  status?: TaskStatus;
  /** Newest first; 0 or undefined: all. */
  limit?: number;
}

export interface JobList {
  jobs: JobRecord[];
  /** How many matched before the limit. */
  matching: number;
  /** Everything the journal holds. */
  total: number;
  /** Creates that may have reached a gateway with no id known. */
  uncertain: UncertainCreate[];
  /** This machine's name in a shared journal (GROKVID_HOST, else the hostname); none for the file. */
  host?: string;
}

export type BatchInput =
  ParsedBatch | Iterable<JobSpec & { output?: string }> | AsyncIterable<JobSpec & { output?: string }>;
/** The batch's gallery (BatchOptions.gallery): its path, or why it could not be written after all. */
export type BatchGallery = { path: string } | { path: string; error: GrokvidError };

export type BatchStreamEvent = BatchEvent | { type: "done"; result: BatchResult; gallery?: BatchGallery };
