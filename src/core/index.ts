/**
 * grokvid as a library: `import { createClient } from "grokvid"`. Everything here is typed and
 * UI-free; the CLI is a thin shell over the same calls.
 */
export {
  createClient,
  GrokvidClient,
  type BatchInput,
  type BatchStreamEvent,
  type ClientOptions,
  type DownloadOptions,
  type DownloadOutcome,
  type JobList,
  type JobsQuery,
  type PollOptions,
  type SourcedSpec,
} from "./client.js";
export type { BalanceResult } from "./balance-flow.js";
export type { ModelSummary, ProviderSummary } from "./provider-catalog.js";
export type { Clock, Reporter } from "./context.js";
export type { CreateOptions, CreateResult, JobSpec } from "./create-flow.js";
export type { DownloadProgress, TaskUpdate } from "./follow.js";
export type { DownloadResult } from "./download.js";
export type { StreamedVideo } from "./stream-video.js";
export type { JobRecord, SavedVideo, UncertainCreate } from "./journal.js";
export type { GalleryOptions, GalleryResult } from "./gallery/write-gallery.js";
export type { GalleryCard } from "./gallery/types.js";
export type { VideoHeader } from "./media/mp4-header.js";
export type { ResumeEvent, ResumeOptions, ResumeOutcome, ResumeResult } from "./resume.js";
export type { BatchEvent, BatchOptions, BatchResult, LineProgress } from "./batch/events.js";
export type { ManifestEntry } from "./batch/report.js";
export { parseBatchFile, type BatchLine, type ParsedBatch } from "./batch-file.js";
export { DownloadError } from "./download-error.js";
export type { RequestDescription } from "../http/encode.js";
export type { BalanceInfo, NormalizedTask, VideoOperation } from "../providers/types.js";
export { isTerminal, taskStatuses, type TaskStatus } from "../task-status.js";
export {
  ApiError,
  ConfigError,
  ExitCode,
  type ExitCodeValue,
  GrokvidError,
  InterruptedError,
  TaskFailedError,
  UsageError,
  WaitTimeoutError,
} from "../errors.js";
