import type { ExitCodeValue } from "../../util/errors.js";
import type { NormalizedTask } from "../../providers/types.js";
import type { GatewayChoice } from "../client/context.js";
import type { ManifestEntry } from "./report.js";

/** How a batch runs; the same names as the `grokvid batch` flags. */
export interface BatchOptions extends GatewayChoice {
  /** Jobs in flight at once, 1-64 (default 4); per provider, halved on 429. */
  concurrency?: string | number;
  skipInvalid?: boolean;
  retryFailed?: boolean;
  resubmitUncertain?: boolean;
  failFast?: boolean;
  /** A file that receives the per-line report as JSON. */
  manifest?: string;
  outDir?: string;
  template?: string;
  force?: boolean;
  /** A saved video that is not what its line asked for fails the line (exit 7); else a warning. */
  strict?: boolean;
  interval?: string;
  timeout?: string;
  /** When a line's wait times out, cancel its job (fal, Replicate); refused where it cannot be. */
  cancelOnTimeout?: boolean;
  /** Names the input in messages ("3 invalid lines in FILE"). */
  source?: string;
  /**
   * A gallery page of the batch's jobs, written at the end whatever became of them: true for the
   * default place (beside the manifest, else gallery.html in outDir), or a path. Its path is
   * checked before any job is paid for.
   */
  gallery?: boolean | string;
  /** The page's title; default "grokvid batch" and the source's name. */
  galleryTitle?: string;
}

/**
 * What a line is doing now: waiting for another grokvid, submitting, or polling its job. `prompt`
 * is the line's, so a display can tell its jobs apart by more than their line numbers.
 */
export type LineProgress = { type: "progress"; line: number; prompt: string } & (
  | { phase: "waiting"; pid: number; host?: string }
  | { phase: "submitting"; provider: string }
  | { phase: "submitted"; provider: string; id: string }
  | { phase: "polling"; task: NormalizedTask; elapsedMs: number }
);

/**
 * A batch's story, in order: the lines refused before anything was sent, the plan, each line's
 * progress, `ended` when a line that ran (paid, waited, downloaded) ends, and `settled` for every
 * line once its entry is final, whether it ran or was skipped.
 */
export type BatchEvent =
  | { type: "invalid"; line: number; message: string }
  | { type: "warning"; line: number; message: string }
  | { type: "planned"; total: number; submitting: number }
  | LineProgress
  | { type: "ended"; line: number; prompt: string; entry: ManifestEntry; task?: NormalizedTask }
  | { type: "settled"; line: number; entry: ManifestEntry };

/** The outcome of a whole batch: one entry per input line, in line order, and its exit code. */
export interface BatchResult {
  entries: ManifestEntry[];
  exitCode: ExitCodeValue;
  summary: string;
  /** Lines skipped because they failed in an earlier run (--retry-failed would send them again). */
  earlierFailures: number;
  /** Set when a signal stopped the run (exit code 130): how to pick up where it stopped. */
  interrupted?: string;
}
