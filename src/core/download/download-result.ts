import type { VideoHeader } from "../media/mp4-header.js";

/** A saved video: where, how big, its digest, and what its header says it is. */
export interface DownloadResult {
  path: string;
  bytes: number;
  sha256: string;
  sourceUrl: string;
  /** Bytes taken over from an earlier, interrupted attempt. */
  resumedFrom: number;
  /** The file was already there, provably this task's video, and nothing was downloaded. */
  adopted?: boolean;
  /** What the file's own header says it is ... */
  delivered?: VideoHeader;
  /** ... or why it has no readable header (it may not be a video at all). */
  headerProblem?: string;
  /** How the video differs from its request, or that its header is unreadable (already reported as warnings). */
  warnings?: string[];
}
