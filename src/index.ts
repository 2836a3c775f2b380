/**
 * grokvid as a library: `import { createClient } from "grokvid"`. Everything here is typed and
 * UI-free; the CLI is a thin shell over the same calls.
 */
export {
  createClient,
  GrokvidClient,
  type BatchGallery,
  type BatchInput,
  type BatchStreamEvent,
  type ClientOptions,
  type DownloadOptions,
  type DownloadOutcome,
  type JobList,
  type JobsQuery,
  type PollOptions,
  type SourcedSpec,
} from "./core/client/client.js";
export type { BalanceResult } from "./core/gateway/balance.js";
export type { ModelSummary, ProviderSummary } from "./core/gateway/catalog.js";
export type {
  Clock,
  GatewayChoice,
  Reporter,
  RunningSandbox,
  Runtime,
  SandboxLauncher,
} from "./core/client/context.js";
export type { SetupCalls } from "./core/setup/setup-calls.js";
export type { KeyEntry, StoredKey } from "./core/setup/keys.js";
export type { Setting, SettingSource, SettingValue } from "./core/setup/config-settings.js";
export type { KeySource } from "./config/key-source.js";
export type { TrustResult } from "./core/setup/trust-config.js";
export type { DoctorCheck } from "./core/setup/doctor.js";
export type { CompletionSources, ModelFlag } from "./core/setup/completion.js";
export { runExitCode } from "./core/jobs/outcome.js";
export { assertTaskId } from "./core/jobs/task-id.js";
export { registerKnownSecrets } from "./config/known-secrets.js";
export type { CreateOptions, CreateResult, JobSpec } from "./core/jobs/create.js";
export type { CancelResult } from "./core/jobs/cancel.js";
export { estimateCost, type CostEstimate } from "./core/jobs/estimate.js";
export type { DownloadProgress, TaskUpdate } from "./core/jobs/follow.js";
export type { DownloadResult } from "./core/download/download.js";
export type { StreamedVideo } from "./core/download/stream-video.js";
export type { JobRecord, SavedVideo, UncertainCreate } from "./core/journal/journal.js";
export type { ImportResult } from "./core/journal/transfer.js";
export type { GalleryOptions, GalleryResult } from "./core/gallery/write-gallery.js";
export type { GalleryCard } from "./core/gallery/types.js";
export type { VideoHeader } from "./core/media/mp4-header.js";
export type { ResumeEvent, ResumeOptions, ResumeOutcome, ResumeResult } from "./core/jobs/resume.js";
export type { BatchEvent, BatchOptions, BatchResult, LineProgress } from "./core/batch/events.js";
export type { ManifestEntry } from "./core/batch/report.js";
export { parseBatchFile, type BatchLine, type ParsedBatch } from "./core/batch/batch-file.js";
export { batchFields, type BatchField } from "./core/batch/fields.js";
export { DownloadError } from "./core/download/download-error.js";
export type { RequestDescription } from "./http/encode.js";
export type { BalanceInfo, DurationRule, NormalizedTask, VideoOperation } from "./providers/types.js";
export { providerIds, type ProviderId } from "./providers/types.js";
export { isTerminal, taskStatuses, type TaskStatus } from "./util/task-status.js";
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
} from "./util/errors.js";
