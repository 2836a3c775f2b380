import type { TaskStatus } from "../../util/task-status.js";
import type { VideoHeader } from "../media/mp4-header.js";

/**
 * One job as the gallery shows it: everything already decided and checked by the library (the cards
 * builder reads the journal and stats the files), so rendering is a pure function of these values.
 * Every string here may come from a user's prompt or a gateway: the renderer escapes all of them.
 */
export interface GalleryCard {
  id: string;
  provider: string;
  model: string;
  prompt: string;
  /** How the job was made: a plain create, or an edit/extension of another video. */
  operation: "create" | "edit" | "extend";
  /** What was asked for; absent where the request left it to the gateway. */
  requested: { durationSec?: number; ratio?: string; resolution?: number };
  /** What the downloaded file's own header says, when it was read. */
  delivered?: VideoHeader;
  /** One line per way the delivered video differs from the request, or why its header is unreadable. */
  warnings: string[];
  status: TaskStatus;
  error: { code: string | null; message: string } | null;
  costUsd?: number;
  /** The batch line that made the job, on a batch's page (its first line, if several used it). */
  line?: number;
  /** The cost is computed from the list price, not reported by the gateway. */
  costEstimate?: true;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601: when the job reached its final status, if it has. */
  finishedAt?: string;
  /** The downloaded file (an absolute path) and its size, when it exists on disk. */
  video?: { path: string; bytes: number };
  /** Why there is no video to show ("failed: ...", "not downloaded yet", "file was moved or deleted"). */
  missingReason?: string;
}

export interface GalleryPage {
  /** Shown as the page's heading and <title>. */
  title: string;
  /** ISO 8601; shown in the page's footer. */
  generatedAt: string;
  /** Absolute path of the HTML file being written: video links are made relative to its folder. */
  file: string;
  cards: GalleryCard[];
  /**
   * "line": the cards come in a batch's line order, which the page keeps and offers as its first
   * sort; default "newest" (the journal's jobs, newest first).
   */
  order?: "line" | "newest";
}
